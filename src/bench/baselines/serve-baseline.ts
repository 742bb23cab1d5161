// The process shell of a baseline server: the port and worker count from the environment
// (the bench passes the same --workers as gomall's), node:cluster workers when more than one,
// and a clean exit on SIGTERM.
import cluster from 'node:cluster';
import { createServer, type RequestListener } from 'node:http';

export const PORT_VAR = 'GOMALL_BASELINE_PORT';
export const WORKERS_VAR = 'GOMALL_BASELINE_WORKERS';

export function serveBaseline(
  app: RequestListener,
  onStop: () => Promise<void> = async () => undefined,
): void {
  const port = Number(process.env[PORT_VAR]);
  const workers = Number(process.env[WORKERS_VAR] ?? '1');
  if (!Number.isInteger(port) || port <= 0) throw new Error(`${PORT_VAR} must be a port number`);
  if (workers > 1 && cluster.isPrimary) {
    for (let i = 0; i < workers; i++) cluster.fork();
    process.once('SIGTERM', () => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    });
    return;
  }
  const server = createServer(app);
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
    void onStop().finally(() => process.exit(0));
  });
}
