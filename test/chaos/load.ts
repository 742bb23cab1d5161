// The chaos suite's buyers: a paced, concurrent client that keeps every answer (status,
// reason, order number), so the check can match each 202 with its order row. The bench's
// engine counts outcomes; this needs the answers themselves.
import { Agent, request } from 'node:http';

export interface Answer {
  user: number;
  /** 0: no HTTP answer (connection refused or reset, or no answer within the timeout). */
  status: number;
  reason?: string;
  orderNo?: string;
  /** When the request was sent and how long it took, ms from the load's start. */
  at: number;
  ms: number;
}

export interface LoadOptions {
  baseUrl: string;
  productId: number;
  /** One request per entry, in order: [user id, token]. */
  requests: Array<[number, string]>;
  connections: number;
  /** Requests a second at most (the load spreads over requests / rate seconds). */
  rate: number;
  timeoutMs: number;
}

export async function runLoad(options: LoadOptions): Promise<Answer[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const url = new URL('/api/seckill', options.baseUrl);
  const body = JSON.stringify({ product_id: options.productId });
  const answers: Answer[] = [];
  const started = performance.now();
  let next = 0;
  const one = (user: number, token: string): Promise<Answer> =>
    new Promise((resolve) => {
      const at = performance.now() - started;
      const done = (status: number, text = '') => {
        const answer: Answer = { user, status, at, ms: performance.now() - started - at };
        try {
          const parsed = JSON.parse(text) as { reason?: string; data?: { order_no?: string } };
          if (parsed.reason) answer.reason = parsed.reason;
          if (parsed.data?.order_no) answer.orderNo = parsed.data.order_no;
        } catch {
          // not JSON: the status says enough
        }
        resolve(answer);
      };
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
          timeout: options.timeoutMs,
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => done(res.statusCode ?? 0, text));
          res.on('error', () => done(0));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => done(0));
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      for (;;) {
        const i = next++;
        const item = options.requests[i];
        if (!item) return;
        // Paced: request i leaves no earlier than i / rate seconds after the start.
        const wait = (i * 1000) / options.rate - (performance.now() - started);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        answers.push(await one(item[0], item[1]));
      }
    }),
  );
  agent.destroy();
  return answers;
}
