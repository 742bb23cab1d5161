// The `k6/http` module. Every request function returns a promise of the Response: k6's
// blocking http.get() cannot exist on Node's event loop, so scripts `await` it (which real k6
// accepts too: awaiting a non-promise yields the value). asyncRequest() is k6's own promise API.
import { parseDuration } from '../options/duration.js';
import { Exchange } from '../http/exchange.js';
import { ExpectedStatuses } from '../http/expected-statuses.js';
import { encodeBody, type Payload } from '../http/request-body.js';
import type { K6Response, ResponseType } from '../http/response.js';
import { splitUrl } from '../http/split-url.js';
import type { EngineRuntime } from '../runtime/runtime.js';

interface Params {
  headers?: Record<string, string>;
  tags?: Record<string, string>;
  timeout?: string | number;
  responseType?: ResponseType;
  responseCallback?: ExpectedStatuses | null;
  redirects?: number;
  auth?: unknown;
  cookies?: unknown;
  jar?: unknown;
  compression?: unknown;
}

type BatchEntry =
  | string
  | [string, string, unknown?, Params?]
  | { method: string; url: string; body?: unknown; params?: Params };

const DEFAULT_TIMEOUT_MS = 60_000;
const UNSUPPORTED_PARAMS = ['auth', 'cookies', 'jar', 'compression'] as const;

export function createHttpModule(rt: EngineRuntime): Record<string, unknown> {
  function send(
    method: string,
    url: unknown,
    body: unknown,
    rawParams: unknown,
  ): Promise<K6Response> {
    const vu = rt.currentVu();
    if (vu.dead) return new Promise<K6Response>(() => {});
    const client = rt.httpClient();
    const target = typeof url === 'string' ? url : String(url);
    const { origin, path } = splitUrl(target);
    const params =
      rawParams === undefined || rawParams === null ? undefined : (rawParams as Params);
    if (params !== undefined) rejectUnsupported(params);

    let headers = params?.headers ?? null;
    let payload: Payload = null;
    if (typeof body === 'string') payload = body;
    else if (body !== undefined && body !== null) {
      const encoded = encodeBody(body);
      payload = encoded.payload;
      if (encoded.contentType !== undefined && !hasHeader(headers, 'content-type')) {
        headers = { ...headers, 'Content-Type': encoded.contentType };
      }
    }
    const responseType = params?.responseType ?? rt.defaultResponseType;
    const expected =
      params?.responseCallback !== undefined ? params.responseCallback : rt.responseCallback;
    const timeoutMs =
      params?.timeout === undefined ? DEFAULT_TIMEOUT_MS : timeoutOf(params.timeout);
    const exchange = new Exchange(
      rt.recorder,
      vu,
      method,
      target,
      payload,
      headers,
      responseType,
      expected,
      params?.tags,
    );
    const response = exchange.promise();
    client.send(origin, path, payload, timeoutMs, exchange);
    return response;
  }

  const request = (method: string, url: unknown, body?: unknown, params?: unknown) =>
    send(String(method).toUpperCase(), url, body, params);

  function batch(requests: unknown): Promise<unknown> {
    const one = (entry: BatchEntry): Promise<K6Response> => {
      if (typeof entry === 'string') return send('GET', entry, null, undefined);
      if (Array.isArray(entry)) return request(entry[0], entry[1], entry[2], entry[3]);
      return request(entry.method, entry.url, entry.body, entry.params);
    };
    if (Array.isArray(requests)) return Promise.all((requests as BatchEntry[]).map(one));
    if (typeof requests !== 'object' || requests === null)
      throw new TypeError('http.batch(): expected an array or an object of requests');
    const names = Object.keys(requests);
    return Promise.all(
      names.map((name) => one((requests as Record<string, BatchEntry>)[name] as BatchEntry)),
    ).then((responses) => Object.fromEntries(names.map((name, i) => [name, responses[i]])));
  }

  function setResponseCallback(callback: unknown): void {
    if (callback === null || callback === undefined) rt.responseCallback = null;
    else if (callback instanceof ExpectedStatuses) rt.responseCallback = callback;
    else
      throw new TypeError(
        'http.setResponseCallback(): only http.expectedStatuses(...) or null are supported',
      );
  }

  const unsupported = (name: string) => () => {
    throw new Error(`http.${name}() is not supported by gomall's k6 engine`);
  };

  return {
    request,
    asyncRequest: request,
    get: (url: unknown, params?: unknown) => send('GET', url, null, params),
    head: (url: unknown, params?: unknown) => send('HEAD', url, null, params),
    options: (url: unknown, body?: unknown, params?: unknown) => send('OPTIONS', url, body, params),
    del: (url: unknown, body?: unknown, params?: unknown) => send('DELETE', url, body, params),
    post: (url: unknown, body?: unknown, params?: unknown) => send('POST', url, body, params),
    put: (url: unknown, body?: unknown, params?: unknown) => send('PUT', url, body, params),
    patch: (url: unknown, body?: unknown, params?: unknown) => send('PATCH', url, body, params),
    batch,
    expectedStatuses: (...statuses: Array<number | { min: number; max: number }>) =>
      new ExpectedStatuses(statuses),
    setResponseCallback,
    // k6's url`` tag groups requests by template; here it simply builds the string.
    url: (strings: TemplateStringsArray, ...values: unknown[]) =>
      strings.reduce(
        (out, part, i) => out + part + (i < values.length ? String(values[i]) : ''),
        '',
      ),
    file: unsupported('file'),
    cookieJar: unsupported('cookieJar'),
  };
}

function rejectUnsupported(params: Params): void {
  for (const key of UNSUPPORTED_PARAMS) {
    if (params[key] !== undefined)
      throw new Error(`request param "${key}" is not supported by gomall's k6 engine`);
  }
}

function hasHeader(headers: Record<string, string> | null, lowerName: string): boolean {
  if (headers === null) return false;
  for (const key in headers) if (key.toLowerCase() === lowerName) return true;
  return false;
}

let lastTimeout: string | number | undefined;
let lastTimeoutMs = DEFAULT_TIMEOUT_MS;

/** A request timeout: a k6 duration string or milliseconds. The last one is cached, as scripts reuse one. */
function timeoutOf(value: string | number): number {
  if (value === lastTimeout) return lastTimeoutMs;
  const ms = parseDuration(value, 'request timeout');
  lastTimeout = value;
  lastTimeoutMs = ms;
  return ms;
}
