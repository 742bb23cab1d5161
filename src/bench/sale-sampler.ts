// Stock and orders once a second while the load and the drain run, for the report's chart:
// the stock should fall to zero while the orders climb to it, and both stay there.
import type { Knex } from '../infra/db.js';
import type { Redis } from '../infra/redis.js';
import { activityKeys } from '../seckill/keys.js';
import type { SaleSample } from './types.js';

export type SampleReader = () => Promise<{ stock: number; orders: number }>;

const INTERVAL_MS = 1000;

export class SaleSampler {
  private readonly samples: SaleSample[] = [];
  private phase: SaleSample['phase'] = 'load';
  private started = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly read: SampleReader) {}

  start(): void {
    this.started = Date.now();
    this.tick();
    this.timer = setInterval(() => this.tick(), INTERVAL_MS);
  }

  /** The next phase starts with a reading of its own, so the chart marks where it began. */
  async setPhase(phase: SaleSample['phase']): Promise<void> {
    this.phase = phase;
    await this.inFlight;
    this.tick();
  }

  /** Stops, after one last reading; later calls change nothing. */
  async stop(): Promise<SaleSample[]> {
    clearInterval(this.timer);
    if (!this.stopped && this.timer) {
      this.stopped = true;
      await this.inFlight;
      this.tick();
    }
    await this.inFlight;
    return this.samples;
  }

  private tick(): void {
    if (this.inFlight) return; // a slow reading skips a beat rather than piling up
    const t = (Date.now() - this.started) / 1000;
    const phase = this.phase;
    this.inFlight = this.read()
      .then(({ stock, orders }) => void this.samples.push({ t, phase, stock, orders }))
      .catch(() => undefined) // a missed reading is a gap in the chart, not a failed run
      .finally(() => (this.inFlight = undefined));
  }
}

/** Seckill: units Redis still sells, and order rows of the activities. */
export function seckillReader(
  db: Knex,
  redis: Redis,
  keyPrefix: string,
  productIds: number[],
): SampleReader {
  const stockKeys = productIds.map((id) => activityKeys(keyPrefix, id).stock);
  return async () => {
    const [stocks, row] = await Promise.all([
      redis.mget(...stockKeys),
      db('orders as o')
        .join('seckill_activities as a', 'a.id', 'o.activity_id')
        .whereIn('a.product_id', productIds)
        .count({ n: '*' })
        .first() as Promise<{ n: number | string } | undefined>,
    ]);
    return {
      stock: stocks.reduce((sum, s) => sum + Number(s ?? 0), 0),
      orders: Number(row?.n ?? 0),
    };
  };
}

/** Catalog: products.stock, and ordinary orders holding the products. */
export function catalogReader(db: Knex, productIds: number[]): SampleReader {
  return async () => {
    const [stock, row] = await Promise.all([
      db('products').whereIn('id', productIds).sum({ s: 'stock' }).first() as Promise<
        { s: number | string | null } | undefined
      >,
      db('order_items as i')
        .join('orders as o', 'o.id', 'i.order_id')
        .whereIn('i.product_id', productIds)
        .where('o.kind', 'normal')
        .countDistinct({ n: 'o.id' })
        .first() as Promise<{ n: number | string } | undefined>,
    ]);
    return { stock: Number(stock?.s ?? 0), orders: Number(row?.n ?? 0) };
  };
}
