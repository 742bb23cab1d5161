import cluster from 'node:cluster';
import type { Config } from '../config/schema.js';
import type { Logger } from '../infra/logger.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { reloadOnSighup } from './reload-signal.js';
import { startServer } from './serve.js';

/**
 * Runs the API server in this process until SIGTERM/SIGINT, then shuts down gracefully
 * and exits 0 (1 when the shutdown bound cut requests off). SIGHUP reloads the config:
 * an invalid one is logged and the running config stays.
 */
export async function serveUntilSignal(
  config: Config,
  logger: Logger,
  reread: () => Config,
  writePid: boolean,
): Promise<void> {
  const running = await startServer(config, logger, reread);
  if (writePid) writePidFile(config.server.pid_file);
  logger.info({ port: running.port, pid: process.pid }, 'gomall serve listening');

  const stopReloading = reloadOnSighup(() => running.reload(), logger);

  await new Promise<void>((resolve) => {
    let stopping = false;
    // `on`, not `once`: under a terminal a worker gets Ctrl-C from the terminal and again
    // from the primary, and a second signal must not kill it mid-shutdown.
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'shutting down: finishing requests in flight');
      running
        .stop()
        .then((clean) => {
          logger.info({ clean }, 'stopped');
          process.exitCode = clean ? 0 : 1;
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exitCode = 1;
        })
        .finally(() => {
          stopReloading();
          if (writePid) removePidFile(config.server.pid_file);
          logger.flush();
          // A worker's IPC channel to the primary keeps it alive until it lets go.
          if (cluster.isWorker) cluster.worker?.disconnect();
          resolve();
        });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/**
 * --workers N: a primary that forks N workers sharing the port (node:cluster) and relays
 * signals (SIGHUP reloads every worker). A worker that dies unexpectedly is replaced;
 * SIGTERM stops them all and the primary exits once they have.
 */
export async function servePrimary(config: Config, logger: Logger, workers: number): Promise<void> {
  writePidFile(config.server.pid_file);
  let stopping = false;
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.warn({ worker: worker.process.pid, code, signal }, 'worker died; starting another');
    cluster.fork();
  });
  const relayHup = () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGHUP');
  };
  process.on('SIGHUP', relayHup);
  logger.info({ workers, pid: process.pid }, 'gomall serve primary started');
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      const alive = Object.values(cluster.workers ?? {}).filter((w) => w && !w.isDead());
      let remaining = alive.length;
      let failed = false;
      if (remaining === 0) resolve();
      for (const worker of alive) {
        worker!.once('exit', (code) => {
          failed ||= code !== 0;
          if (--remaining === 0) {
            process.exitCode = failed ? 1 : 0;
            resolve();
          }
        });
        worker!.process.kill(signal);
      }
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  process.off('SIGHUP', relayHup);
  removePidFile(config.server.pid_file);
}
