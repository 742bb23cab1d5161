import type { Logger } from '../infra/logger.js';
import type { ConfirmationLog } from './confirmations.js';
import { encodeOrders, MAX_ORDERS_PER_MESSAGE } from './message.js';
import type { ConfirmPublisher } from './publisher.js';
import type { SeckillNames } from './topology.js';

/** Orders of refused publishes this process remembers to send again on reconnect. */
const MAX_PARKED_ORDERS = 100_000;

interface Group {
  orderNos: string[];
  encoded: string[];
}

/**
 * Publishes the hot path's reservations: those of one activity made in the same event-loop
 * turn leave as one message (no added wait: the flush runs right after the turn). A
 * confirm moves all of its orders' sweep time out; a refused or unconfirmed message leaves
 * them in the outbox, for the sweeper, and this process also remembers them (up to
 * MAX_PARKED_ORDERS) to send them again as soon as the broker connection is back
 * (`resend()`, on the connection's 'ready'), instead of waiting for the sweeper's pass.
 */
export class OrderStream {
  private readonly waiting = new Map<number, Group>();
  private scheduled = false;
  private parked = new Map<number, Group[]>();
  private parkedOrders = 0;

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

  /** Sends again what was refused while the broker was away (a duplicate is a no-op). */
  resend(): void {
    const parked = this.parked;
    if (parked.size === 0) return;
    this.parked = new Map();
    const orders = this.parkedOrders;
    this.parkedOrders = 0;
    this.logger.info({ orders }, 'seckill broker back: publishing the parked reservations');
    for (const [productId, groups] of parked)
      for (const group of groups) this.send(productId, group.orderNos, group.encoded);
  }

  private send(productId: number, orderNos: string[], encoded: string[]): void {
    this.publisher.publish(this.names.exchange, this.names.orderKey, encodeOrders(encoded)).then(
      () => this.confirmations.add(productId, orderNos),
      (error: Error) => {
        // Safe in the outbox (the sweeper publishes them after pending_max_age_ms); also
        // kept here for the reconnect.
        this.park(productId, { orderNos, encoded });
        this.logger.debug(
          { orders: orderNos.length, err: error.message },
          'seckill publish not confirmed; parked for the reconnect and the sweeper',
        );
      },
    );
  }

  private park(productId: number, group: Group): void {
    if (this.parkedOrders + group.orderNos.length > MAX_PARKED_ORDERS) return;
    this.parkedOrders += group.orderNos.length;
    const groups = this.parked.get(productId);
    if (groups) groups.push(group);
    else this.parked.set(productId, [group]);
  }
}
