import { createServer } from 'node:http';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { withExitCodes } from '../src/cli/exit-codes.js';
import { CONSUME_LIVE_KEYS, LiveConfig } from '../src/config/live.js';
import { reloadOnSighup } from '../src/runtime/reload-signal.js';
import { startTracing } from '../src/infra/tracing.js';

export default class Consume extends BaseCommand<typeof Consume> {
  static override summary =
    'Run the seckill order and payment-timeout consumers, and the outbox sweeper.';
  static override description = withExitCodes(
    'Turns queued reservations into orders in batched MySQL transactions (seckill.batch_size, batch_max_wait_ms, prefetch), cancels seckill orders left unpaid past payment_timeout_seconds, and re-publishes reservations the broker never confirmed. Messages that keep failing go to the dead-letter queue after seckill.max_attempts, with the reason. SIGTERM or SIGINT: the batch in hand is committed and acked, then the process exits 0. SIGHUP (`gomall config reload` signals serve only; use kill -HUP) re-reads the config and applies log.level and the seckill batching, retry and sweeper-age tunables. Run as many as you like: redelivery and re-publishing are no-ops.',
    'a startup error, or the drain on stop failed',
  );
  static override examples = [
    '<%= config.bin %> consume',
    '<%= config.bin %> consume --env prod --metrics-port 9101',
    'GOMALL_SECKILL__BATCH_SIZE=500 <%= config.bin %> consume --no-sweeper',
  ];
  static override flags = {
    'metrics-port': Flags.integer({
      description: "Serve this consumer's Prometheus metrics on this port",
      min: 1,
      max: 65535,
    }),
    sweeper: Flags.boolean({
      description: 'Run the outbox sweeper here too',
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<void> {
    const logger = this.serviceLogger('consume');
    // Tracing patches ioredis, mysql2 and amqplib as they load, so the consumer's modules
    // are imported only after it started; the order message's headers carry the trace.
    const tracing = this.settings.tracing.enabled
      ? await startTracing(this.settings.tracing)
      : undefined;
    const { startConsumer } = await import('../src/seckill/consumer/start.js');
    const running = await startConsumer(this.settings, logger, { sweeper: this.flags.sweeper });
    const metricsPort = this.flags['metrics-port'];
    const metricsServer =
      metricsPort === undefined
        ? null
        : createServer((_req, res) => {
            running.registry
              .metrics()
              .then((text) =>
                res.writeHead(200, { 'Content-Type': running.registry.contentType }).end(text),
              )
              .catch(() => res.writeHead(500).end());
          }).listen(metricsPort);
    const live = new LiveConfig(this.settings, () => this.readSettings(), CONSUME_LIVE_KEYS);
    live.on('change', (next) => {
      logger.level = next.log.level;
    });
    const stopReloading = reloadOnSighup(() => live.reload(), logger);
    logger.info({ pid: process.pid }, 'gomall consume running');
    await new Promise<void>((resolve) => {
      let stopping = false;
      const onSignal = (signal: NodeJS.Signals) => {
        // A second signal (terminal and supervisor both) must not cut the drain short.
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'stopping: finishing the batch in hand');
        stopReloading();
        metricsServer?.close();
        running
          .stop()
          .then(() => {
            logger.info('stopped');
            logger.flush();
            resolve();
          })
          .catch((error: unknown) => {
            logger.error({ err: error }, 'stop failed');
            process.exitCode = 1;
            resolve();
          });
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
    await tracing?.shutdown();
  }
}
