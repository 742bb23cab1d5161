// Depth and consumers of the seckill orders queue, on one broker connection held for the run.
import amqp, { type ChannelModel } from 'amqplib';
import type { Config } from '../../config/schema.js';
import { amqpUrl } from '../../infra/mq.js';
import { seckillNames } from '../../seckill/topology.js';

export interface QueueReading {
  messages: number;
  consumers: number;
}

export class QueueProbe {
  private constructor(
    private readonly connection: ChannelModel,
    private readonly queue: string,
  ) {}

  static async open(config: Config): Promise<QueueProbe> {
    const connection = await amqp.connect(amqpUrl(config.rabbitmq), { timeout: 5000 });
    connection.on('error', () => undefined); // a lost connection shows as failed readings
    return new QueueProbe(connection, seckillNames(config).orders);
  }

  /** null while the queue does not exist yet. A missing queue closes the channel asked, so one channel per reading. */
  async read(): Promise<QueueReading | null> {
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    try {
      const { messageCount, consumerCount } = await channel.checkQueue(this.queue);
      return { messages: messageCount, consumers: consumerCount };
    } catch {
      return null;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
