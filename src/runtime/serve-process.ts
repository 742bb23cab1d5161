import cluster from 'node:cluster';
import type { Config } from '../config/schema.js';
import type { Logger } from '../infra/logger.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { startServer } from './serve.js';

/**
 * Runs the API server in this process until SIGTERM/SIGINT, then shuts down gracefully
 * and exits 0 (1 when the shutdown bound cut requests off).
 */
export async function serveUntilSignal(
  config: Config,
  logger: Logger,
  writePid: boolean,
): Promise<void> {
  const running = await startServer(config, logger);
  if (writePid) writePidFile(config.server.pid_file);
  logger.info({ port: running.port, pid: process.pid }, 'gomall serve listening');
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down: finishing requests in flight');
      running
        .stop()
        .then((clean) => {
          if (writePid) removePidFile(config.server.pid_file);
          logger.info({ clean }, 'stopped');
          logger.flush();
          process.exitCode = clean ? 0 : 1;
          resolve();
        })
        .catch((error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exitCode = 1;
          resolve();
        });
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}

/**
 * --workers N: a primary that forks N workers sharing the port (node:cluster) and relays
 * signals. A worker that dies unexpectedly is replaced; SIGTERM stops them all.
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
  process.on('SIGHUP', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGHUP');
  });
  logger.info({ workers, pid: process.pid }, 'gomall serve primary started');
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
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
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  removePidFile(config.server.pid_file);
}
