import type { IncomingHttpHeaders } from 'node:http';
import { invalid } from '../errors/domain-error.js';
import { parseInput } from '../validation/parse-input.js';
import type { AntiBotTokens } from './anti-bot-token.js';
import type { Reservation, Reserver } from './reserve.js';
import { IDEMPOTENCY_KEY, reserveInput, type ReserveInput } from './schemas.js';

export interface ReserveRouteDeps {
  reserver: Reserver;
  tokens: AntiBotTokens;
}

/** One authenticated buy, as both handlers see it. */
export interface BuyRequest {
  userId: number;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** The client's address (behind server.trust_proxy): ratelimit.seckill_ip's key. */
  address: string;
}

/**
 * POST /api/seckill after authentication, shared by the express route and the lean
 * handler so both behave alike: validate, the sold-out flag (no Redis; not for a request
 * with an Idempotency-Key, whose earlier answer wins), the anti-bot token's signature (in
 * memory), then the reservation (which also takes the rate-limit tokens and spends the
 * anti-bot token, in the same script).
 */
export async function handleReserve(
  deps: ReserveRouteDeps,
  request: BuyRequest,
): Promise<Reservation> {
  const input = plainInput(request.body) ?? parseInput(reserveInput, request.body);
  const idempotencyKey = idempotencyKeyOf(request.headers['idempotency-key']);
  deps.reserver.refuseIfSoldOut(input.product_id, idempotencyKey);
  // Checked here, in memory; whether the sale needs it, and spending it, is the script's job.
  const tokenNonce = deps.tokens.nonceOf(
    request.headers['x-seckill-token'],
    input.product_id,
    request.userId,
  );
  return deps.reserver.reserve({
    userId: request.userId,
    productId: input.product_id,
    quantity: input.quantity,
    address: request.address,
    ...(idempotencyKey ? { idempotencyKey } : {}),
    ...(tokenNonce ? { tokenNonce } : {}),
  });
}

/**
 * The usual body, {"product_id": 42} (and a valid quantity), read without zod; anything
 * else goes through the schema, which gives the same result or the 400 naming the field.
 */
function plainInput(body: unknown): ReserveInput | null {
  if (typeof body !== 'object' || body === null) return null;
  const { product_id: productId, quantity } = body as Record<string, unknown>;
  if (typeof productId !== 'number' || !Number.isSafeInteger(productId) || productId <= 0)
    return null;
  if (quantity === undefined) return { product_id: productId, quantity: 1 };
  if (
    typeof quantity !== 'number' ||
    !Number.isInteger(quantity) ||
    quantity < 1 ||
    quantity > 1000
  )
    return null;
  return { product_id: productId, quantity };
}

/** The Idempotency-Key header, checked; undefined when absent. */
function idempotencyKeyOf(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !IDEMPOTENCY_KEY.test(header)) {
    throw invalid('Idempotency-Key: 1-128 visible ASCII characters');
  }
  return header;
}
