import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The seckill figures of the issue, registered once per registry (one per app or consumer). */
export interface SeckillMetrics {
  attempts: Counter<'result'>;
  confirmSeconds: Histogram<string>;
  batchSize: Histogram<string>;
  batchSeconds: Histogram<string>;
  deadLettered: Counter<'reason'>;
  ordersRecovered: Counter<string>;
  /** Activities found missing from Redis (lost with its data), and rebuilt from MySQL. */
  activitiesLost: Counter<string>;
  activitiesRebuilt: Counter<string>;
  stockRemaining: Gauge<'product_id'>;
}

const cache = new WeakMap<Registry, SeckillMetrics>();

/**
 * `readStock` feeds the stock gauge at scrape time (from Redis), so the hot path never
 * updates a gauge per request.
 */
export function seckillMetrics(
  registry: Registry,
  readStock?: () => Promise<Array<[productId: number, stock: number]>>,
): SeckillMetrics {
  const existing = cache.get(registry);
  if (existing) return existing;
  const metrics: SeckillMetrics = {
    attempts: new Counter({
      name: 'seckill_attempts_total',
      help: 'POST /api/seckill answers by result (queued, sold_out, already_purchased, busy, ...)',
      labelNames: ['result'],
      registers: [registry],
    }),
    confirmSeconds: new Histogram({
      name: 'seckill_publish_confirm_seconds',
      help: 'Time from publishing an order message to the broker confirm',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers: [registry],
    }),
    batchSize: new Histogram({
      name: 'seckill_consumer_batch_size',
      help: 'Order messages per consumer batch (one MySQL transaction)',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'seckill_consumer_batch_seconds',
      help: 'Time to turn one batch into order rows, from claim to ack',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'seckill_dead_lettered_total',
      help: 'Order messages sent to the dead-letter queue, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    ordersRecovered: new Counter({
      name: 'seckill_orders_recovered_total',
      help: 'Orders created from messages whose pending record Redis no longer had (data loss)',
      registers: [registry],
    }),
    activitiesLost: new Counter({
      name: 'seckill_activities_lost_total',
      help: 'Open activities found missing from Redis (Redis lost its data): sales pause until rebuilt',
      registers: [registry],
    }),
    activitiesRebuilt: new Counter({
      name: 'seckill_activities_rebuilt_total',
      help: 'Activities rebuilt into Redis from MySQL after a loss, once the queue drained',
      registers: [registry],
    }),
    stockRemaining: new Gauge({
      name: 'seckill_stock_remaining',
      help: 'Units left in Redis per activity (read at scrape time)',
      labelNames: ['product_id'],
      registers: [registry],
      async collect() {
        if (!readStock) return;
        this.reset();
        for (const [productId, stock] of await readStock())
          this.set({ product_id: String(productId) }, stock);
      },
    }),
  };
  cache.set(registry, metrics);
  return metrics;
}
