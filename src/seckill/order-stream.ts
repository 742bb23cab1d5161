import type { Logger } from '../infra/logger.js';
import type { ConfirmationLog } from './confirmations.js';
import { encodeOrders, MAX_ORDERS_PER_MESSAGE } from './message.js';
import type { ConfirmPublisher } from './publisher.js';
import type { SeckillNames } from './topology.js';

/**
 * Publishes the hot path's reservations: those of one activity made in the same event-loop
 * turn leave as one message (no added wait: the flush runs right after the turn). A
 * confirm moves all of its orders' sweep time out; a refused or unconfirmed message leaves
 * them in the outbox, for the sweeper.
 */
export class OrderStream {
  private readonly waiting = new Map<number, { orderNos: string[]; encoded: string[] }>();
  private scheduled = false;

  constructor(
    private readonly publisher: ConfirmPublisher,
    private readonly names: SeckillNames,
    private readonly confirmations: ConfirmationLog,
    private readonly logger: Logger,
  ) {}

  add(productId: number, orderNo: string, encoded: string): void {
    let group = this.waiting.get(productId);
    if (!group) {
      group = { orderNos: [], encoded: [] };
      this.waiting.set(productId, group);
    }
    group.orderNos.push(orderNo);
    group.encoded.push(encoded);
    if (group.orderNos.length >= MAX_ORDERS_PER_MESSAGE) {
      this.waiting.delete(productId);
      this.send(productId, group.orderNos, group.encoded);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    for (const [productId, group] of this.waiting)
      this.send(productId, group.orderNos, group.encoded);
    this.waiting.clear();
  }

  private send(productId: number, orderNos: string[], encoded: string[]): void {
    this.publisher.publish(this.names.exchange, this.names.orderKey, encodeOrders(encoded)).then(
      () => this.confirmations.add(productId, orderNos),
      (error: Error) => {
        // Safe in the outbox: the sweeper publishes them after pending_max_age_ms.
        this.logger.debug(
          { orders: orderNos.length, err: error.message },
          'seckill publish not confirmed; left to the sweeper',
        );
      },
    );
  }
}
