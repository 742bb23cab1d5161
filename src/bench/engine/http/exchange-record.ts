// What a K6Response reads of a finished exchange. Its own file so that response.ts and
// exchange.ts (which builds the response) do not import each other.
import type { Payload } from './request-body.js';

export type ResponseType = 'text' | 'binary' | 'none';

export interface ExchangeRecord {
  readonly method: string;
  readonly url: string;
  readonly requestBody: Payload;
  readonly requestHeaders: Record<string, string> | null;
  readonly responseType: ResponseType;
  status: number;
  statusText: string;
  rawHeaders: Buffer[] | null;
  body: Buffer | Buffer[] | null;
  error: Error | null;
  /** performance.now() at dispatch, when a connection took the request, at headers, at the end. */
  readonly tStart: number;
  tSend: number;
  tHeaders: number;
  tEnd: number;
}
