import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

/** How a server treats connections (server.max_connections, server.keep_alive_timeout_ms). */
export interface ConnectionLimits {
  /** Open connections at once; past it a new one is closed at once. 0 = unlimited. */
  maxConnections: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
}

/**
 * For a server started without limits (the tests' in-process apps; `serve` passes the
 * server.* config): no cap, and idle sockets kept longer than any client pool keeps them, so
 * a test client whose event loop stalls under load never sends on a socket being closed.
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 0,
  keepAliveTimeoutMs: 65_000,
};

/** node's default. */
const HEADERS_TIMEOUT_MS = 60_000;

export function connectionLimitsOf(server: {
  max_connections: number;
  keep_alive_timeout_ms: number;
}): ConnectionLimits {
  return {
    maxConnections: server.max_connections,
    keepAliveTimeoutMs: server.keep_alive_timeout_ms,
  };
}

export async function listen(
  handler: RequestListener,
  host: string,
  port: number,
  limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
): Promise<Server> {
  const server = createServer(
    {
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      // Kept above the idle timeout (node's rule: otherwise a request that starts just before
      // the idle close can be cut by the header timer first), and at node's default of 60 s
      // otherwise: it counts from the connection's start, and a server busy with a flood
      // must not drop connections whose headers it has simply not read yet.
      headersTimeout: Math.max(HEADERS_TIMEOUT_MS, limits.keepAliveTimeoutMs + 1000),
    },
    handler,
  );
  if (limits.maxConnections > 0) capConnections(server, limits.maxConnections);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/**
 * At most `max` open connections; one more is closed as soon as it is accepted. A single
 * process uses node's `server.maxConnections` (the socket is closed before HTTP sees it). A
 * node:cluster worker must not: there a worker over its cap answers the primary "not
 * accepted" and the primary hands the same connection to the next worker, and back, an IPC
 * ping-pong that burns CPU until some worker has room (node's round_robin_handle.js). So a
 * worker accepts and closes the extra connection itself.
 */
function capConnections(server: Server, max: number): void {
  if (!cluster.isWorker) {
    server.maxConnections = max;
    return;
  }
  let open = 0;
  server.on('connection', (socket) => {
    if (open >= max) {
      socket.destroy();
      return;
    }
    open++;
    socket.once('close', () => open--);
  });
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

/**
 * Stops accepting, lets requests in flight finish, and closes idle keep-alive sockets.
 * After `timeoutMs` the remaining connections are cut so shutdown is bounded.
 * Resolves true when everything finished in time.
 */
export function shutdown(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    // A keep-alive socket whose request finishes after close() stays open until its idle
    // timeout; sweeping idle sockets often lets the server close as soon as the work is done.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const timer = setTimeout(() => {
      clearInterval(sweep);
      server.closeAllConnections();
      resolve(false);
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(timer);
      resolve(true);
    });
    server.closeIdleConnections();
  });
}
