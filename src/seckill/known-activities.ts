import type { SeckillRepository } from './repository.js';

/** How long the list of open activities is reused before MySQL is asked again. */
const REFRESH_MS = 1000;

/**
 * The product ids of activities MySQL has open (not ended), read at most once a second
 * whatever the traffic. The hot path asks it only when Redis says "no activity": for an
 * activity MySQL has, that means Redis lost it (restarted empty) or has not loaded it yet,
 * and the buyer gets 503 BUSY while the consumer rebuilds it, not 404.
 */
export class KnownActivities {
  private ids = new Set<number>();
  private readAt = 0;
  private reading: Promise<void> | null = null;

  constructor(private readonly repository: SeckillRepository) {}

  async has(productId: number): Promise<boolean> {
    if (Date.now() - this.readAt > REFRESH_MS) await (this.reading ??= this.refresh());
    return this.ids.has(productId);
  }

  private async refresh(): Promise<void> {
    try {
      const now = Date.now();
      const rows = await this.repository.listActivities();
      this.ids = new Set(
        rows
          .filter((row) => new Date(row.end_at).getTime() > now)
          .map((row) => Number(row.product_id)),
      );
      this.readAt = Date.now();
    } finally {
      this.reading = null;
    }
  }
}
