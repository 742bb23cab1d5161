import type { Config } from '../config/schema.js';
import type { Logger } from '../infra/logger.js';
import type { MqConnection } from '../infra/mq.js';
import type { TimeoutMessage } from '../seckill/message.js';
import { ConfirmPublisher } from '../seckill/publisher.js';
import { seckillNames } from '../seckill/topology.js';
import type { ScheduleTimeout } from './service.js';

/** Timeout publishes of one API process awaiting their confirm; past it the sweeper takes over. */
const WINDOW = 1000;

/**
 * A normal order's payment timeout goes through the seckill orders' machinery: a message
 * into the delay queue of order.payment_timeout_seconds, dead-lettered to the timeouts
 * queue that `gomall consume` cancels from (compare-and-set, stock back once). The publish
 * is confirmed but not awaited by the request; a refused one is logged, and the consumer's
 * sweeper cancels the order once it is overdue.
 */
export function orderTimeoutScheduler(
  config: Config,
  mq: MqConnection,
  logger: Logger,
): ScheduleTimeout {
  const names = seckillNames(config);
  const publisher = new ConfirmPublisher(mq, {
    window: WINDOW,
    confirmTimeoutMs: config.rabbitmq.confirm_timeout_ms,
  });
  return (orderNo) => {
    const message: TimeoutMessage = { order_nos: [orderNo] };
    publisher
      .publish(names.exchange, names.orderDelayKey, Buffer.from(JSON.stringify(message)))
      .catch((error: unknown) =>
        logger.warn(
          { err: error, orderNo },
          'order timeout not scheduled; the sweeper will cancel the order when overdue',
        ),
      );
  };
}
