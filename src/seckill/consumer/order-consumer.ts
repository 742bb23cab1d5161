import { randomBytes } from 'node:crypto';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Config } from '../../config/schema.js';
import type { Knex } from '../../infra/db.js';
import type { Logger } from '../../infra/logger.js';
import type { Redis } from '../../infra/redis.js';
import { orderBatch, parseMessage, type OrderMessage, type TimeoutMessage } from '../message.js';
import type { SeckillMetrics } from '../metrics.js';
import type { ConfirmPublisher } from '../publisher.js';
import type { SeckillRepository } from '../repository.js';
import type { SeckillNames } from '../topology.js';
import { ClaimCode, UndoCode } from '../codes.js';
import { attemptsOf, isTransient, type Delivery, type Settler } from './dead-letter.js';
import { byProduct, claim, markDone, unclaim, undo } from './redis-steps.js';

export interface OrderConsumerDeps {
  config: Config;
  db: Knex;
  redis: Redis;
  repository: SeckillRepository;
  publisher: ConfirmPublisher;
  names: SeckillNames;
  settler: Settler;
  metrics: SeckillMetrics;
  logger: Logger;
}

/** One order of a message; the message is acked once all of its orders are settled. */
interface Item {
  delivery: Delivery;
  message: OrderMessage;
}

const TRANSIENT_PAUSE_MS = 500;
/**
 * How long a batch's claim holds another batch's undo back if the batch never clears it
 * (it crashed): longer than any transaction can wait on a lock (innodb_lock_wait_timeout
 * is 50 s by default).
 */
const CLAIM_LEASE_MS = 120_000;

/**
 * Turns order messages into rows (docs/SECKILL.md, Consumer). A message carries one or more orders; the
 * orders are gathered into batches of seckill.batch_size (or whatever arrived within
 * batch_max_wait_ms), up to seckill.consumer_concurrency batches at once (one in MySQL while
 * the next is claimed and the last acked). A batch is: claim the reservations in Redis (a
 * released one must not become a row), one MySQL transaction for all their orders, then the
 * pending records cleared, the results recorded and the acks (a message once all its orders
 * are done), all after the commit, and the payment-timeout messages published.
 * A redelivered order is a no-op (its order_no exists). A message whose pending record is
 * missing without a tombstone is still the buyer's accepted reservation (Redis lost it): it
 * becomes an order all the same, counted in seckill_orders_recovered_total and logged; only
 * a released reservation (tombstone) is dropped, so nothing accepted is lost and nothing
 * released is sold. When a batch fails, its orders are tried one by one so a poison order
 * cannot sink the others; one that keeps failing is re-published alone with a counted
 * attempt, and after seckill.max_attempts its reservation is released and the message
 * dead-lettered with the reason. MySQL or Redis being away is not the orders' fault: their
 * messages go back uncounted.
 */
export class OrderConsumer {
  private buffer: Item[] = [];
  /** Orders of each message in hand not yet settled. */
  private readonly unsettled = new Map<ConsumeMessage, number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly active = new Set<Promise<void>>();
  /** Timeout publishes awaiting their confirm: stop() waits for them too. */
  private readonly scheduling = new Set<Promise<void>>();
  private consumer: { channel: ConfirmChannel; tag: string } | null = null;
  /**
   * Set by stop(). Not `consumer === null`: the broker may deliver a backlog before
   * channel.consume() resolves, and those messages need their batch timer too.
   */
  private stopping = false;
  /** Claim tokens are <this>.<batch number>: unique per batch across consumers. */
  private readonly id = randomBytes(6).toString('hex');
  private batches = 0;

  constructor(private readonly deps: OrderConsumerDeps) {}

  async start(channel: ConfirmChannel): Promise<void> {
    const { consumerTag } = await channel.consume(this.deps.names.orders, (message) => {
      if (message) this.receive({ channel, message });
    });
    this.consumer = { channel, tag: consumerTag };
  }

  /** No new deliveries; the batches in hand are finished and acked. */
  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    this.stopping = true;
    if (consumer) await consumer.channel.cancel(consumer.tag).catch(() => undefined);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.active.size > 0 || this.buffer.length > 0) {
      this.kick(true);
      await Promise.all(this.active);
    }
    await Promise.all(this.scheduling);
  }

  private receive(delivery: Delivery): void {
    const parsed = parseMessage(orderBatch, delivery.message.content);
    if (!parsed) {
      void this.deps.settler.deadLetter(
        delivery,
        'malformed: not an order message',
        attemptsOf(delivery),
      );
      return;
    }
    this.unsettled.set(delivery.message, parsed.orders.length);
    for (const message of parsed.orders) this.buffer.push({ delivery, message });
    this.kick(false);
  }

  /**
   * Starts batches while fewer than seckill.consumer_concurrency are in flight: a full batch
   * at once, a partial one only when `partial` (its max wait is over, or stopping).
   */
  private kick(partial: boolean): void {
    const {
      batch_size: size,
      consumer_concurrency: concurrency,
      batch_max_wait_ms: maxWait,
    } = this.deps.config.seckill;
    if (partial && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (
      this.active.size < concurrency &&
      (this.buffer.length >= size || (partial && this.buffer.length > 0))
    ) {
      const work = this.process(this.buffer.splice(0, size)).finally(() => {
        this.active.delete(work);
        this.kick(false);
      });
      this.active.add(work);
      partial = false;
    }
    if (this.buffer.length > 0 && !this.stopping)
      this.timer ??= setTimeout(() => this.kick(true), maxWait);
  }

  /** One order of its message is done; the message is acked with its last order. */
  private settle(item: Item): void {
    const left = (this.unsettled.get(item.delivery.message) ?? 1) - 1;
    if (left > 0) {
      this.unsettled.set(item.delivery.message, left);
      return;
    }
    this.unsettled.delete(item.delivery.message);
    this.deps.settler.ack(item.delivery);
  }

  private async process(items: Item[]): Promise<void> {
    const { metrics, redis, config } = this.deps;
    const prefix = config.redis.key_prefix;
    const end = metrics.batchSeconds.startTimer();
    metrics.batchSize.observe(items.length);
    const token = `${this.id}.${++this.batches}`;
    let work: Item[] = [];
    try {
      const codes = await claim(
        redis,
        prefix,
        { token, leaseMs: CLAIM_LEASE_MS },
        items.map((i) => i.message),
      );
      const released = items.filter((i) => codes.get(i.message) === ClaimCode.Released);
      if (released.length > 0) {
        this.deps.logger.warn(
          { orderNos: released.map((i) => i.message.order_no) },
          'seckill consumer: messages of released reservations dropped',
        );
      }
      for (const item of released) this.settle(item);
      work = items.filter((i) => codes.get(i.message) !== ClaimCode.Released);
      const missing = new Set(
        work.filter((i) => codes.get(i.message) === ClaimCode.NotPending).map((i) => i.message),
      );
      if (work.length > 0) await this.commit(work, missing, token);
    } catch (error) {
      // MySQL, Redis or the broker away (or a bug): nothing is counted against the orders;
      // their messages go back to the queue after a pause, and redelivery is a no-op for the
      // part that was committed.
      const log = isTransient(error) ? 'warn' : 'error';
      this.deps.logger[log]({ err: error }, 'seckill consumer: batch failed; requeueing it');
      // Best effort (Redis may be what failed): otherwise the lease ends the claims.
      await unclaim(
        redis,
        prefix,
        token,
        work.map((w) => w.message),
      ).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, TRANSIENT_PAUSE_MS));
      for (const item of items) {
        this.unsettled.delete(item.delivery.message);
        this.deps.settler.requeue(item.delivery);
      }
    } finally {
      end();
    }
  }

  /**
   * One transaction for the batch (order by order when it fails). `missing` are the orders
   * whose pending record was gone without a tombstone: those inserted now were recovered.
   */
  private async commit(work: Item[], missing: Set<OrderMessage>, token: string): Promise<void> {
    let committed: Item[] = work;
    let inserted: OrderMessage[];
    const failed: Array<{ item: Item; error: unknown }> = [];
    try {
      inserted = await this.insert(work.map((w) => w.message));
    } catch (error) {
      if (isTransient(error)) throw error;
      // One bad order fails the whole transaction: find it by trying each alone.
      committed = [];
      inserted = [];
      for (const item of work) {
        try {
          inserted.push(...(await this.insert([item.message])));
          committed.push(item);
        } catch (single) {
          if (isTransient(single)) throw single;
          failed.push({ item, error: single });
        }
      }
    }
    this.countRecovered(inserted.filter((m) => missing.has(m)));
    const prefix = this.deps.config.redis.key_prefix;
    await markDone(
      this.deps.redis,
      prefix,
      committed.map((c) => c.message),
    );
    for (const item of committed) this.settle(item);
    // Not awaited: the next batch need not wait for these confirms (the sweeper's backstop
    // expires an order whose timeout message was lost).
    const scheduled = this.scheduleTimeouts(inserted).finally(() =>
      this.scheduling.delete(scheduled),
    );
    this.scheduling.add(scheduled);
    if (failed.length === 0) return;
    await unclaim(
      this.deps.redis,
      prefix,
      token,
      failed.map((f) => f.item.message),
    );
    for (const { item, error } of failed) await this.retryOrDeadLetter(item, error, token);
  }

  /** Orders made from messages whose pending record Redis no longer had: the operator must know. */
  private countRecovered(recovered: OrderMessage[]): void {
    if (recovered.length === 0) return;
    this.deps.metrics.ordersRecovered.inc(recovered.length);
    this.deps.logger.warn(
      { orderNos: recovered.map((m) => m.order_no) },
      'seckill consumer: orders created from messages whose pending record was missing (Redis data loss?); run seckill reconcile',
    );
  }

  private insert(messages: OrderMessage[]): Promise<OrderMessage[]> {
    const timeoutMs = this.deps.config.seckill.payment_timeout_seconds * 1000;
    return this.deps.db.transaction((trx) =>
      this.deps.repository.insertOrders(trx, messages, timeoutMs),
    );
  }

  /**
   * One message per activity of the batch into the delay queue (its orders share their
   * deadline). A lost one is covered by the sweeper, which also cancels unpaid orders past
   * their deadline.
   */
  private async scheduleTimeouts(inserted: OrderMessage[]): Promise<void> {
    const { publisher, names } = this.deps;
    const results = await Promise.allSettled(
      [...byProduct(inserted)].map(([productId, group]) => {
        const message: TimeoutMessage = {
          product_id: productId,
          order_nos: group.map((m) => m.order_no),
        };
        return publisher.publish(
          names.exchange,
          names.delayKey,
          Buffer.from(JSON.stringify(message)),
        );
      }),
    );
    if (results.some((r) => r.status === 'rejected')) {
      this.deps.logger.warn(
        'seckill consumer: a timeout message was not confirmed; the sweeper will expire those orders',
      );
    }
  }

  /** Throws when the broker refuses: the batch's messages then go back to the queue. */
  private async retryOrDeadLetter(item: Item, error: unknown, token: string): Promise<void> {
    const attempts = attemptsOf(item.delivery) + 1;
    const reason = `insert failed: ${(error as Error).message ?? String(error)}`.slice(0, 500);
    const { message } = item;
    if (attempts < this.deps.config.seckill.max_attempts) {
      this.deps.logger.warn(
        { orderNo: message.order_no, attempts, reason },
        'seckill consumer: order failed; retrying',
      );
      await this.deps.settler.retryOrder(message, attempts);
    } else {
      // Released first: the tombstone keeps every other copy of the message from becoming
      // an order, and the buyer sees "failed" with the unit back on sale.
      const undone = await undo(this.deps.redis, this.deps.config.redis.key_prefix, message, token);
      if (undone === UndoCode.ClaimedElsewhere || undone === UndoCode.AlreadyReleased) {
        // Another batch is inserting this order right now (it makes the row or, failing,
        // releases it itself), or another copy was released already: this copy is redundant.
        this.deps.logger.info(
          { orderNo: message.order_no, attempts, undone },
          'seckill consumer: order failed here but another copy settles it; dropping this one',
        );
      } else {
        // Released, or never pending here (its record was lost): either way the DLQ holds it.
        await this.deps.settler.deadLetterOrder(message, reason, attempts);
      }
    }
    this.settle(item);
  }
}
