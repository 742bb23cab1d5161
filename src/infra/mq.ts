import { EventEmitter } from 'node:events';
import amqp, { type ChannelModel, type ConfirmChannel, type Options } from 'amqplib';
import type { Config } from '../config/schema.js';
import type { Logger } from './logger.js';

export type { ConfirmChannel, Options };

/** Declares exchanges and queues on a fresh channel; run on every (re)connect. */
export type Topology = (channel: ConfirmChannel) => Promise<void>;

export function amqpUrl(rabbitmq: Config['rabbitmq']): string {
  const auth = `${encodeURIComponent(rabbitmq.username)}:${encodeURIComponent(rabbitmq.password)}`;
  return `amqp://${auth}@${rabbitmq.host}:${rabbitmq.port}/${encodeURIComponent(rabbitmq.vhost)}`;
}

export interface MqOptions {
  rabbitmq: Config['rabbitmq'];
  logger: Logger;
  topology?: Topology;
  /** Channel prefetch for consumers; publishers leave it unset. */
  prefetch?: number;
  /** Give up the first connect after this long (later reconnects retry forever). */
  connectTimeoutMs?: number;
}

/**
 * One AMQP connection with one confirm channel that comes back by itself: when the broker
 * goes away, `channel` is null (callers answer "busy" instead of waiting) and a reconnect
 * loop with backoff redeclares the topology and emits 'ready'.
 */
export class MqConnection extends EventEmitter {
  private connection: ChannelModel | null = null;
  private current: ConfirmChannel | null = null;
  private closing = false;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: MqOptions) {
    super();
  }

  get channel(): ConfirmChannel | null {
    return this.current;
  }

  isOpen(): boolean {
    return this.current !== null;
  }

  async connect(): Promise<void> {
    const deadline = Date.now() + (this.options.connectTimeoutMs ?? 10_000);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.open();
        return;
      } catch (error) {
        if (this.closing || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(attempt * 200, 1000)));
      }
    }
  }

  private async open(): Promise<void> {
    const connection = await amqp.connect(amqpUrl(this.options.rabbitmq), {
      timeout: 3000,
      clientProperties: { connection_name: `gomall-${process.pid}` },
    });
    connection.on('error', (error: Error) => {
      this.options.logger.warn({ err: error.message }, 'rabbitmq connection error');
    });
    connection.on('close', () => this.lost());
    let channel: ConfirmChannel;
    try {
      channel = await connection.createConfirmChannel();
      if (this.options.prefetch) await channel.prefetch(this.options.prefetch);
      await this.options.topology?.(channel);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    channel.on('error', (error: Error) => {
      this.options.logger.warn({ err: error.message }, 'rabbitmq channel error');
    });
    // A channel closed by the broker (e.g. publishing to a deleted exchange) takes the
    // connection down with it: one path back, through the reconnect loop.
    channel.on('close', () => {
      if (this.current === channel) {
        this.current = null;
        if (!this.closing) connection.close().catch(() => undefined);
      }
    });
    this.connection = connection;
    this.current = channel;
    this.emit('ready', channel);
  }

  private lost(): void {
    this.current = null;
    this.connection = null;
    if (this.closing) return;
    this.options.logger.warn('rabbitmq connection lost; reconnecting');
    this.emit('lost');
    this.scheduleReconnect(1);
  }

  private scheduleReconnect(attempt: number): void {
    if (this.closing || this.retryTimer) return;
    this.retryTimer = setTimeout(
      () => {
        this.retryTimer = null;
        this.open().catch((error: Error) => {
          this.options.logger.debug({ err: error.message, attempt }, 'rabbitmq reconnect failed');
          this.scheduleReconnect(attempt + 1);
        });
      },
      // At most a second apart: a broker that comes back is found within a second.
      Math.min(attempt * 250, 1000),
    );
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const connection = this.connection;
    this.current = null;
    this.connection = null;
    if (connection) await connection.close().catch(() => undefined);
  }
}
