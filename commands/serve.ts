import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { Flags } from '@oclif/core';
import { BaseCommand } from '../src/cli/base-command.js';
import { loadConfig } from '../src/config/load.js';
import { migrate } from '../src/infra/db.js';
import { servePrimary, serveUntilSignal } from '../src/runtime/serve-process.js';

export default class Serve extends BaseCommand<typeof Serve> {
  static override summary = 'Start the API server.';
  static override description =
    'Serves the HTTP API of DESIGN §2. SIGTERM or SIGINT stops accepting, finishes requests in flight and exits 0 within server.shutdown_timeout_ms; SIGHUP reloads the config.';
  static override examples = [
    '<%= config.bin %> serve',
    '<%= config.bin %> serve --env prod --port 9000',
    '<%= config.bin %> serve --workers 2 --migrate',
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
  };

  async run(): Promise<void> {
    const settings =
      this.flags.port === undefined
        ? this.settings
        : loadConfig({
            env: this.flags.env,
            ...(this.flags.config ? { file: this.flags.config } : {}),
            overrides: { server: { port: this.flags.port } },
          });
    const logger = this.serviceLogger('serve');
    const workers = this.flags.workers === 0 ? availableParallelism() : this.flags.workers;
    if (cluster.isPrimary && this.flags.migrate) {
      const applied = await migrate(settings.database);
      logger.info({ applied }, 'migrations applied');
    }
    if (workers > 1 && cluster.isPrimary) {
      await servePrimary(settings, logger, workers);
      return;
    }
    await serveUntilSignal(settings, logger, cluster.isPrimary);
  }
}
