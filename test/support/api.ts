import { Agent, fetch } from 'undici';
import { checkAnswer } from './contract.js';

/**
 * undici's own fetch with a patient connect: a test firing 1,000 requests at once on a
 * saturated machine can wait over undici's default 10 s for the server to accept them all.
 */
const dispatcher = new Agent({ connect: { timeout: 60_000 } });

/**
 * A small HTTP client for tests: JSON in, status + parsed envelope + headers out. Every
 * answer is checked against the OpenAPI document (contract.ts): one it does not describe
 * throws a ContractViolation naming the route, status and field, failing the test.
 */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: { code: number; msg: string; data: T; reason?: string };
  text: string;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Sent as it is (not JSON-encoded) when a string. */
  body?: unknown;
}

export class Api {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const res = await fetch(this.baseUrl + path, {
      method,
      headers,
      // The answer the API gave, not where it points: a redirect is checked as a redirect.
      redirect: 'manual',
      dispatcher,
      ...(body === undefined ? {} : { body }),
    }).catch((error: Error & { cause?: Error & { code?: string } }) => {
      // undici says only "fetch failed"; the cause (ECONNRESET, a timeout…) is what a reader needs.
      const cause = error.cause ? `: ${error.cause.code ?? ''} ${error.cause.message}` : '';
      throw new Error(`${method} ${path}: ${error.message}${cause}`, { cause: error });
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    checkAnswer({ method, url: path, status: res.status, headers: res.headers, text, json });
    const fallback = { code: res.status, msg: text, data: null };
    const parsed = (json === undefined ? fallback : json) as ApiResponse<T>['body'];
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  get<T = any>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = any>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('POST', path, { ...options, body });
  }
  put<T = any>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('PUT', path, { ...options, body });
  }
  delete<T = any>(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request<T>('DELETE', path, { ...options, body });
  }

  /** Registers and logs in a fresh user; returns its id and token. */
  async newUser(prefix = 'user'): Promise<{ id: number; username: string; token: string }> {
    const username = `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
    const password = 'password-123';
    const reg = await this.post<{ id: number }>('/api/user/register', { username, password });
    if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${reg.text}`);
    const login = await this.post<{ token: string }>('/api/user/login', { username, password });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
    return { id: reg.body.data.id, username, token: login.body.data.token };
  }
}
