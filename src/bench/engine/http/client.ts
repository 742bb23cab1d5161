// The connection pool behind k6/http: one undici Agent (a keep-alive Pool per origin) with one
// connection per VU, so no VU ever waits for another's socket, and no pipelining, so a slow
// response never holds back the next request (k6 behaves the same way).
import { Agent } from 'undici';
import type { Exchange } from './exchange.js';
import type { Payload } from './request-body.js';

export class HttpClient {
  private readonly agent: Agent;

  constructor(connections: number) {
    this.agent = new Agent({
      connections: Math.max(1, connections),
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      connect: { timeout: 10_000 },
    });
  }

  send(origin: string, path: string, body: Payload, timeoutMs: number, exchange: Exchange): void {
    try {
      this.agent.dispatch(
        {
          origin,
          path,
          method: exchange.method,
          headers: exchange.requestHeaders,
          body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        exchange,
      );
    } catch (err) {
      exchange.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Drops every connection at once; requests still in flight end with an error. */
  async close(): Promise<void> {
    await this.agent.destroy();
  }
}
