import type { ConfirmChannel } from 'amqplib';
import type { Config } from '../../config/schema.js';
import { DomainError } from '../../errors/domain-error.js';
import { Reason } from '../../errors/reason.js';
import type { Logger } from '../../infra/logger.js';
import type { OrderService } from '../../order/service.js';
import { parseMessage, timeoutMessage } from '../message.js';
import type { SeckillNames } from '../topology.js';
import { attemptsOf, isTransient, type Delivery, type Settler } from './dead-letter.js';

const TRANSIENT_PAUSE_MS = 500;

/**
 * Payment timeouts (docs/SECKILL.md, Timeouts), of seckill and normal orders alike. The delay queues hand
 * each new order's message back after its payment time; the order is cancelled with the
 * same compare-and-set as a user's cancel (OrderService.cancel, which gives a seckill unit
 * back to MySQL and Redis through the seckill hook, or a normal order's stock to its
 * products, once). Paying first wins: a paid order fails the CAS and stays paid.
 * A message that fails for a reason of its own is re-published with a counted attempt and
 * dead-lettered after seckill.max_attempts; MySQL or Redis being away is not counted.
 */
export class TimeoutConsumer {
  private consumer: { channel: ConfirmChannel; tag: string } | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      config: Config;
      names: SeckillNames;
      orders: OrderService;
      settler: Settler;
      logger: Logger;
    },
  ) {}

  async start(channel: ConfirmChannel): Promise<void> {
    const { consumerTag } = await channel.consume(this.deps.names.timeouts, (message) => {
      if (!message) return;
      const work = this.handle({ channel, message });
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    });
    this.consumer = { channel, tag: consumerTag };
  }

  async stop(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer) await consumer.channel.cancel(consumer.tag).catch(() => undefined);
    await Promise.all(this.inFlight);
  }

  private async handle(delivery: Delivery): Promise<void> {
    const { settler } = this.deps;
    const message = parseMessage(timeoutMessage, delivery.message.content);
    if (!message) {
      await settler.deadLetter(delivery, 'malformed: not a timeout message', attemptsOf(delivery));
      return;
    }
    try {
      // Each cancel is a compare-and-set: after a requeue, the orders already done are no-ops.
      for (const orderNo of message.order_nos) await expire(this.deps.orders, orderNo);
      settler.ack(delivery);
    } catch (error) {
      if (isTransient(error)) {
        this.deps.logger.warn(
          { err: error, productId: message.product_id },
          'seckill timeout failed; requeueing',
        );
        await this.requeueLater(delivery);
        return;
      }
      await this.retryOrDeadLetter(delivery, error, message.product_id);
    }
  }

  private async retryOrDeadLetter(
    delivery: Delivery,
    error: unknown,
    productId: number | undefined,
  ): Promise<void> {
    const attempts = attemptsOf(delivery) + 1;
    const reason = `cancel failed: ${(error as Error).message ?? String(error)}`.slice(0, 500);
    if (attempts >= this.deps.config.seckill.max_attempts) {
      await this.deps.settler.deadLetter(delivery, reason, attempts);
      return;
    }
    this.deps.logger.error({ productId, attempts, reason }, 'seckill timeout failed; retrying');
    try {
      await this.deps.settler.retry(delivery, this.deps.names.timeoutKey, attempts);
    } catch {
      await this.requeueLater(delivery);
    }
  }

  private async requeueLater(delivery: Delivery): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, TRANSIENT_PAUSE_MS));
    this.deps.settler.requeue(delivery);
  }
}

/** Cancels an unpaid order; an order already paid, cancelled or gone is left as it is. */
export async function expire(orders: OrderService, orderNo: string): Promise<'cancelled' | 'kept'> {
  try {
    await orders.cancel(orderNo);
    return 'cancelled';
  } catch (error) {
    if (
      error instanceof DomainError &&
      (error.reason === Reason.Conflict || error.reason === Reason.NotFound)
    )
      return 'kept';
    throw error;
  }
}
