import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { withExitCodes } from '../src/cli/exit-codes.js';
import { loadConfig } from '../src/config/load.js';
import type { Config } from '../src/config/schema.js';
import type { Logger } from '../src/infra/logger.js';
import { startTracing } from '../src/infra/tracing.js';

export default class Serve extends BaseCommand<typeof Serve> {
  static override summary = 'Start the API server.';
  static override description = withExitCodes(
    'Serves the HTTP API (docs/API.md). SIGTERM or SIGINT stops accepting, finishes requests in flight and exits 0 within server.shutdown_timeout_ms; SIGHUP reloads the config. --with-consumer also runs `gomall consume` as a child process (its log lines in the same stream, named "consume"), stops it with the server and waits for its drain: the whole system in one command, as `make run` starts it.',
    'the server or the consumer beside it did not stop cleanly (requests cut at server.shutdown_timeout_ms, or a startup error)',
  );
  static override examples = [
    '<%= config.bin %> serve',
    '<%= config.bin %> serve --env prod --port 9000',
    '<%= config.bin %> serve --workers 2 --migrate',
    '<%= config.bin %> serve --with-consumer --migrate',
  ];
  static override flags = {
    port: Flags.integer({
      description: 'Port to listen on (overrides server.port)',
      min: 0,
      max: 65535,
    }),
    workers: Flags.integer({
      description: 'Worker processes sharing the port; 0 = one per core',
      default: 1,
      min: 0,
    }),
    migrate: Flags.boolean({ description: 'Apply pending database migrations first' }),
    'with-consumer': Flags.boolean({
      description: 'Run the order consumer (gomall consume) beside the server, stopped with it',
    }),
  };

  async run(): Promise<void> {
    const reread = () =>
      loadConfig({
        env: this.flags.env,
        ...(this.flags.config ? { file: this.flags.config } : {}),
        ...(this.flags.port === undefined
          ? {}
          : { overrides: { server: { port: this.flags.port } } }),
      });
    const settings = reread();
    const logger = this.serviceLogger('serve', settings);
    const workers = this.flags.workers === 0 ? availableParallelism() : this.flags.workers;
    if (workers > 1 && cluster.isPrimary) {
      if (this.flags.migrate) await this.migrate(settings, logger);
      const { servePrimary } = await import('../src/runtime/serve-process.js');
      await this.withConsumer(logger, () => servePrimary(settings, logger, workers));
      return;
    }
    // Tracing patches express, ioredis, mysql2 and amqplib as they load, so the server's
    // modules are imported only after it started.
    const tracing = settings.tracing.enabled ? await startTracing(settings.tracing) : undefined;
    if (this.flags.migrate && cluster.isPrimary) await this.migrate(settings, logger);
    const { serveUntilSignal } = await import('../src/runtime/serve-process.js');
    const serve = () => serveUntilSignal(settings, logger, reread, cluster.isPrimary);
    await (cluster.isPrimary ? this.withConsumer(logger, serve) : serve());
    await tracing?.shutdown();
  }

  /** Runs `serving` with the order consumer beside it when --with-consumer is set. */
  private async withConsumer(logger: Logger, serving: () => Promise<void>): Promise<void> {
    if (!this.flags['with-consumer']) return serving();
    const { startConsumerChild } = await import('../src/runtime/consumer-child.js');
    const configArgs = ['--env', this.flags.env];
    if (this.flags.config) configArgs.push('--config', this.flags.config);
    const consumer = startConsumerChild(configArgs, logger);
    try {
      await serving();
    } finally {
      const code = await consumer.stop();
      if (code !== 0) process.exitCode = code;
    }
  }

  private async migrate(settings: Config, logger: Logger): Promise<void> {
    const { migrate } = await import('../src/infra/db.js');
    logger.info({ applied: await migrate(settings.database) }, 'migrations applied');
  }
}
