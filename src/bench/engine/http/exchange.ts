// One HTTP request/response, driven by undici's dispatch() callbacks. It is its own handler so
// a request costs one object and one promise: no stream, no header parsing, no body decoding
// unless the script reads them (see K6Response).
import type { Dispatcher } from 'undici';
import type { VuState } from '../runtime/vu.js';
import type { ExpectedStatuses } from './expected-statuses.js';
import type { Payload } from './request-body.js';
import type { ExchangeRecord, ResponseType } from './exchange-record.js';
import { K6Response } from './response.js';

export interface ExchangeSink {
  /** Records the metrics of a finished exchange (skipped for interrupted VUs). */
  record(exchange: Exchange): void;
}

export class Exchange implements Dispatcher.DispatchHandler, ExchangeRecord {
  status = 0;
  statusText = '';
  rawHeaders: Buffer[] | null = null;
  body: Buffer | Buffer[] | null = null;
  bytesIn = 0;
  error: Error | null = null;
  /** performance.now() at dispatch, when a connection took the request, at headers, at the end. */
  readonly tStart = performance.now();
  tSend = 0;
  tHeaders = 0;
  tEnd = 0;
  private resolve: ((response: K6Response) => void) | undefined;

  constructor(
    private readonly sink: ExchangeSink,
    readonly vu: VuState,
    readonly method: string,
    readonly url: string,
    readonly requestBody: Payload,
    readonly requestHeaders: Record<string, string> | null,
    readonly responseType: ResponseType,
    /** null: no response callback, the request is neither expected nor failed. */
    readonly expected: ExpectedStatuses | null,
    readonly tags: Record<string, string> | undefined,
  ) {}

  promise(): Promise<K6Response> {
    return new Promise<K6Response>((resolve) => {
      this.resolve = resolve;
    });
  }

  onConnect(): void {
    this.tSend = performance.now();
  }

  onHeaders(
    statusCode: number,
    rawHeaders: Buffer[],
    _resume: () => void,
    statusText: string,
  ): boolean {
    this.status = statusCode;
    this.statusText = statusText;
    this.rawHeaders = rawHeaders;
    this.tHeaders = performance.now();
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.bytesIn += chunk.length;
    if (this.responseType === 'none') return true;
    const body = this.body;
    if (body === null) this.body = chunk;
    else if (Array.isArray(body)) body.push(chunk);
    else this.body = [body, chunk];
    return true;
  }

  onComplete(): void {
    this.finish();
  }

  onError(error: Error): void {
    this.error = error;
    this.finish();
  }

  private finish(): void {
    if (this.resolve === undefined) return; // undici reports at most one end, but stay idempotent
    this.tEnd = performance.now();
    if (this.tSend === 0) this.tSend = this.tEnd;
    if (this.tHeaders === 0) this.tHeaders = this.tEnd;
    const resolve = this.resolve;
    this.resolve = undefined;
    if (this.vu.dead) return; // interrupted VU: its iteration was abandoned, let it stay parked
    this.sink.record(this);
    resolve(new K6Response(this));
  }
}
