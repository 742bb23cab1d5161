import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
const bucket = z.strictObject({
  rate: z.number().positive(),
  burst: z.number().int().positive(),
});

/** A bucket that may be off: rate 0 (and burst 0) turns it off. */
const optionalBucket = z
  .strictObject({ rate: z.number().min(0), burst: z.number().int().min(0) })
  .refine((b) => (b.rate === 0) === (b.burst === 0), {
    message: 'rate and burst are both 0 (off) or both positive',
  });

export const DEFAULT_JWT_SECRET = 'gomall-dev-secret-change-me';
export const DEFAULT_PAYMENT_SECRET = 'gomall-dev-pay-secret-change-me';

// Strict at every level: a misspelt key is an error naming it, not a silently ignored line.
export const configSchema = z.strictObject({
  server: z.strictObject({
    host: z.string().min(1),
    port,
    shutdown_timeout_ms: z.number().int().positive(),
    pid_file: z.string().min(1),
    body_limit: z.string().min(1),
    trust_proxy: z.union([z.boolean(), z.number().int(), z.string()]),
    // Open connections per process (per worker with --workers); 0 = unlimited.
    max_connections: z.number().int().min(0),
    // Idle keep-alive connections are closed after this (headers get max(60 s, this + 1 s)).
    keep_alive_timeout_ms: z.number().int().positive().max(120_000),
  }),
  database: z.strictObject({
    host: z.string().min(1),
    port,
    username: z.string().min(1),
    password: z.string(),
    name: z.string().regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _ only'),
    pool_min: z.number().int().min(0),
    pool_max: z.number().int().positive(),
  }),
  redis: z.strictObject({
    host: z.string().min(1),
    port,
    password: z.string(),
    db: z.number().int().min(0),
    key_prefix: z.string(),
  }),
  rabbitmq: z.strictObject({
    host: z.string().min(1),
    port,
    username: z.string().min(1),
    password: z.string(),
    vhost: z.string().min(1),
    prefix: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    confirm_timeout_ms: z.number().int().positive(),
  }),
  jwt: z.strictObject({
    secret: z.string().min(16, 'at least 16 characters'),
    ttl_seconds: z.number().int().positive(),
    issuer: z.string().min(1),
  }),
  ratelimit: z.strictObject({
    enabled: z.boolean(),
    global: bucket,
    api: bucket,
    login: bucket,
    // Login attempts per username, whatever the address: slows guessing one account from many.
    login_user: bucket,
    register: bucket,
    // Password hashes (register, login) in flight per instance; past it 429 with Retry-After.
    max_password_hashes: z.number().int().positive(),
    seckill: bucket,
    // Per client address on POST /api/seckill, on top of the per-user limit (many accounts,
    // one address). Off (0) by default so one load-test machine can play many buyers.
    seckill_ip: optionalBucket,
  }),
  cache: z.strictObject({
    product_ttl_seconds: z.number().int().positive(),
    product_miss_ttl_seconds: z.number().int().positive(),
  }),
  seckill: z.strictObject({
    batch_size: z.number().int().positive().max(5000),
    batch_max_wait_ms: z.number().int().min(0),
    // Batches in flight at once in one consumer (claim, MySQL, cleanup overlap).
    consumer_concurrency: z.number().int().positive().max(32),
    prefetch: z.number().int().positive(),
    max_attempts: z.number().int().positive(),
    payment_timeout_seconds: z.number().positive(),
    sweeper_interval_ms: z.number().int().positive(),
    // How often consume loads scheduled activities Redis lacks (warming); 0 turns it off.
    warm_interval_ms: z.number().int().min(0),
    pending_max_age_ms: z.number().int().positive(),
    // A published and confirmed reservation whose order has not appeared after this long is
    // re-published too (the message was lost after the confirm, e.g. a queue purged by hand).
    confirmed_max_age_ms: z.number().int().positive(),
    // Reservations not yet confirmed by the broker, per activity, beyond which POST
    // /api/seckill answers 503 BUSY instead of reserving (bounds the outbox while the broker is away).
    outbox_limit: z.number().int().positive(),
    // Publishes awaiting their confirm, per process; beyond it the outbox alone carries them.
    confirm_window: z.number().int().positive(),
    // How long a per-instance "sold out" answer is trusted before asking Redis again (a cancel
    // can give a unit back; a re-init clears it at once through Redis pub/sub).
    sold_out_ttl_ms: z.number().int().min(0),
    idempotency_ttl_seconds: z.number().int().positive(),
    // Lifetime of an anti-bot token (POST /api/seckill/:product_id/token).
    token_ttl_seconds: z.number().int().positive().max(3600),
    // Serve POST /api/seckill from the lean node:http handler in front of express.
    hot_path: z.boolean(),
  }),
  order: z.strictObject({
    // Unpaid normal (cart/direct) orders are cancelled after this long, their stock given back.
    payment_timeout_seconds: z.number().positive(),
    // A refunded normal order gives its stock back to the products.
    refund_restock: z.boolean(),
  }),
  payment: z.strictObject({
    // HMAC-SHA256 key of POST /api/payment/notify's X-Signature.
    secret: z.string().min(16, 'at least 16 characters'),
    // POST /api/order/:order_no/pay pays without a provider (dev and test only).
    simulated_pay: z.boolean(),
  }),
  tracing: z.strictObject({
    enabled: z.boolean(),
    endpoint: z.string().url(),
    service_name: z.string().min(1),
  }),
  log: z.strictObject({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  }),
  backup: z.strictObject({
    dir: z.string().min(1),
    keep: z.number().int().positive(),
  }),
});

export type Config = z.infer<typeof configSchema>;
