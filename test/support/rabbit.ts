import amqp from 'amqplib';
import type { Config } from '../../src/config/schema.js';
import { amqpUrl } from '../../src/infra/mq.js';
import { seckillNames } from '../../src/seckill/topology.js';

/**
 * Deletes the exchanges and queues a test file declared under its rabbitmq.prefix, so
 * test runs leave nothing behind in the broker.
 */
export async function deleteBrokerNames(config: Config): Promise<void> {
  const names = seckillNames(config);
  const connection = await amqp.connect(amqpUrl(config.rabbitmq));
  try {
    const channel = await connection.createChannel();
    const queues = [names.orders, names.dead, names.delay, names.orderDelay, names.timeouts];
    for (const queue of new Set(queues)) await channel.deleteQueue(queue);
    for (const exchange of [names.exchange, names.deadLetterExchange])
      await channel.deleteExchange(exchange);
    await channel.close();
  } finally {
    await connection.close();
  }
}
