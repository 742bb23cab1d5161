import { z } from 'zod';

/** Orders one message may carry (the hot path flushes sooner; this bounds consumer memory). */
export const MAX_ORDERS_PER_MESSAGE = 500;

/**
 * One order: written by the reservation script (as the pending record) and published as
 * it is, so the sweeper re-publishes exactly what the hot path sent.
 */
export const orderMessage = z.object({
  order_no: z.string().min(1).max(32),
  user_id: z.number().int().positive(),
  activity_id: z.number().int().positive(),
  product_id: z.number().int().positive(),
  price_cents: z.number().int().min(0),
  generation: z.number().int().positive(),
  quantity: z.number().int().positive(),
  slot: z.number().int().positive(),
  reserved_at: z.number().int().positive(),
});

export type OrderMessage = z.infer<typeof orderMessage>;

/**
 * What goes on the orders queue: the reservations of one activity made in one event-loop
 * turn, together. One persistent, confirmed message for many orders costs the broker (and
 * both ends' AMQP code) a fraction of one message each.
 */
export const orderBatch = z.object({
  orders: z.array(orderMessage).min(1).max(MAX_ORDERS_PER_MESSAGE),
});

/** The body of an orders-queue message from order messages already encoded as JSON. */
export function encodeOrders(encoded: string[]): Buffer {
  return Buffer.from(`{"orders":[${encoded.join(',')}]}`);
}

/**
 * The timeout message: the delay queue hands it back once the payment time is over. One
 * per consumer batch (the orders committed together share their deadline to the ms), or
 * one per normal order (no product_id: an order may hold several products).
 */
export const timeoutMessage = z.object({
  product_id: z.number().int().positive().optional(),
  order_nos: z.array(z.string().min(1).max(32)).min(1),
});

export type TimeoutMessage = z.infer<typeof timeoutMessage>;

/** Parses a message body; null when it is not JSON or not the expected shape. */
export function parseMessage<S extends z.ZodTypeAny>(schema: S, body: Buffer): z.infer<S> | null {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? (parsed.data as z.infer<S>) : null;
}
