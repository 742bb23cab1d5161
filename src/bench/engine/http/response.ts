// k6's http Response. Status, error and url are plain fields; body, headers, timings and request
// are built on first access and cached, so a script that only looks at `status` never pays for
// decoding the body or parsing headers.
import { errorCodeFor } from './error-codes.js';
import type { ExchangeRecord } from './exchange-record.js';

export type { ResponseType } from './exchange-record.js';

export interface ResponseTimings {
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

export class K6Response {
  readonly status: number;
  readonly url: string;
  readonly error: string;
  readonly proto = 'HTTP/1.1';
  private cachedBody: string | ArrayBuffer | null | undefined;
  private cachedHeaders: Record<string, string> | undefined;
  private cachedTimings: ResponseTimings | undefined;

  constructor(private readonly exchange: ExchangeRecord) {
    const error = exchange.error;
    this.status = error === null ? exchange.status : 0;
    this.url = exchange.url;
    this.error = error === null ? '' : error.message;
  }

  get status_text(): string {
    const x = this.exchange;
    return x.error === null ? `${x.status} ${x.statusText}` : '';
  }

  get error_code(): number {
    return errorCodeFor(this.status, this.exchange.error);
  }

  get body(): string | ArrayBuffer | null {
    if (this.cachedBody !== undefined) return this.cachedBody;
    const x = this.exchange;
    let body: string | ArrayBuffer | null;
    if (x.responseType === 'none' || x.error !== null) body = null;
    else {
      const bytes =
        x.body === null ? Buffer.alloc(0) : Array.isArray(x.body) ? Buffer.concat(x.body) : x.body;
      body =
        x.responseType === 'binary'
          ? (bytes.buffer.slice(
              bytes.byteOffset,
              bytes.byteOffset + bytes.byteLength,
            ) as ArrayBuffer)
          : bytes.toString('utf8');
    }
    this.cachedBody = body;
    return body;
  }

  get headers(): Record<string, string> {
    if (this.cachedHeaders !== undefined) return this.cachedHeaders;
    const headers: Record<string, string> = {};
    const raw = this.exchange.rawHeaders;
    if (raw !== null && this.exchange.error === null) {
      for (let i = 0; i + 1 < raw.length; i += 2) {
        const name = canonicalHeaderName((raw[i] as Buffer).toString('latin1'));
        const value = (raw[i + 1] as Buffer).toString('latin1');
        headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
      }
    }
    this.cachedHeaders = headers;
    return headers;
  }

  get timings(): ResponseTimings {
    if (this.cachedTimings !== undefined) return this.cachedTimings;
    const x = this.exchange;
    const waiting = x.tHeaders - x.tSend;
    const receiving = x.tEnd - x.tHeaders;
    this.cachedTimings = {
      blocked: x.tSend - x.tStart,
      connecting: 0,
      tls_handshaking: 0,
      sending: 0,
      waiting,
      receiving,
      duration: waiting + receiving,
    };
    return this.cachedTimings;
  }

  get request(): { method: string; url: string; body: string; headers: Record<string, string[]> } {
    const x = this.exchange;
    const headers: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(x.requestHeaders ?? {}))
      headers[canonicalHeaderName(k)] = [String(v)];
    const body =
      x.requestBody === null
        ? ''
        : typeof x.requestBody === 'string'
          ? x.requestBody
          : Buffer.from(x.requestBody).toString('utf8');
    return { method: x.method, url: x.url, body, headers };
  }

  /** Cookies are not tracked by this engine; k6 scripts that read them get an empty jar. */
  get cookies(): Record<string, never[]> {
    return {};
  }

  /**
   * Parses the body as JSON; with a selector, returns the value at a dotted path such as
   * "data.items.0.id" (a subset of k6's GJSON syntax). Unparseable bodies throw, as in k6.
   */
  json(selector?: string): unknown {
    const body = this.body;
    if (typeof body !== 'string') {
      throw new Error(
        `cannot parse the body of ${this.url} as JSON: ${body === null ? 'no body' : 'binary body'}`,
      );
    }
    const value: unknown = JSON.parse(body);
    if (selector === undefined || selector === '') return value;
    let node: unknown = value;
    for (const key of selector.split('.')) {
      if (node === null || typeof node !== 'object') return undefined;
      node = (node as Record<string, unknown>)[key];
    }
    return node;
  }

  html(): never {
    throw new Error(
      "Response.html() is not supported by gomall's k6 engine (no HTML parser); use body or json()",
    );
  }

  clickLink(): never {
    throw new Error("Response.clickLink() is not supported by gomall's k6 engine");
  }

  submitForm(): never {
    throw new Error("Response.submitForm() is not supported by gomall's k6 engine");
  }
}

/** Go's canonical MIME header form, as k6 reports names: "content-type" → "Content-Type". */
function canonicalHeaderName(name: string): string {
  let out = '';
  let upper = true;
  for (let i = 0; i < name.length; i++) {
    const c = name[i] as string;
    out += upper ? c.toUpperCase() : c.toLowerCase();
    upper = c === '-';
  }
  return out;
}
