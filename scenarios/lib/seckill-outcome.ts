// What a POST /api/seckill answer means, counted per outcome. The API answers 202 (queued),
// 409 with reason SOLD_OUT or ALREADY_PURCHASED, 429 RATE_LIMITED or 503 BUSY, in the
// envelope { code, msg, data, reason? }; anything else is "other" and points at a bug.
import http from 'k6/http';
import type { Response } from 'k6/http';
import { check } from 'k6';
import { antiBot, baseUrl } from './gomall-data.ts';
import { Counter, Trend } from 'k6/metrics';

export type SeckillOutcome =
  'queued' | 'sold_out' | 'already_purchased' | 'rate_limited' | 'busy' | 'other';

const counters: Record<SeckillOutcome, Counter> = {
  queued: new Counter('seckill_queued'),
  sold_out: new Counter('seckill_sold_out'),
  already_purchased: new Counter('seckill_already_purchased'),
  rate_limited: new Counter('seckill_rate_limited'),
  busy: new Counter('seckill_busy'),
  other: new Counter('seckill_other'),
};

/** Latency of seckill requests alone, apart from any other request of the script. */
const seckillDuration = new Trend('seckill_duration', true);

export function seckillOutcome(res: Response): SeckillOutcome {
  switch (res.status) {
    case 202:
      return 'queued';
    case 409: {
      const reason = reasonOf(res);
      if (reason === 'SOLD_OUT') return 'sold_out';
      if (reason === 'ALREADY_PURCHASED') return 'already_purchased';
      return 'other';
    }
    case 429:
      return 'rate_limited';
    case 503:
      return 'busy';
    default:
      return 'other';
  }
}

/** Counts the answer under its outcome (tagged with the product) and returns the outcome. */
export function recordSeckill(res: Response, productId: number): SeckillOutcome {
  const outcome = seckillOutcome(res);
  const tags = { product: String(productId) };
  counters[outcome].add(1, tags);
  seckillDuration.add(res.timings.duration, tags);
  return outcome;
}

function reasonOf(res: Response): string | undefined {
  try {
    const body = res.json() as { reason?: unknown } | null;
    return body !== null && typeof body.reason === 'string' ? body.reason : undefined;
  } catch {
    return undefined; // not JSON: counted as "other"
  }
}

/**
 * One POST /api/seckill for the buyer, counted and checked; returns the outcome. An anti-bot
 * sale (antiBot "path") takes the buyer's one-time token first; a refused token request
 * counts under its own outcome (rate limited, busy…) and the buy is not sent.
 */
export async function trySeckill(token: string, productId: number): Promise<SeckillOutcome> {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
  };
  if (antiBot === 'path') {
    const issued = await http.asyncRequest(
      'POST',
      `${baseUrl}/api/seckill/${productId}/token`,
      '{}',
      {
        headers,
        tags: { name: 'POST /api/seckill/{product_id}/token' },
      },
    );
    if (issued.status !== 201) return recordSeckill(issued, productId);
    headers['X-Seckill-Token'] = (issued.json() as { data: { token: string } }).data.token;
  }
  const res = await http.asyncRequest(
    'POST',
    `${baseUrl}/api/seckill`,
    JSON.stringify({ product_id: productId }),
    { headers, tags: { name: 'POST /api/seckill' } },
  );
  const outcome = recordSeckill(res, productId);
  check(res, {
    'seckill answered 202, 409, 429 or 503 with a known reason': () => outcome !== 'other',
  });
  return outcome;
}
