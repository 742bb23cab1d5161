import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Config } from '../../src/config/schema.js';
import { dropDatabase, migrate } from '../../src/infra/db.js';
import { envFor, exitOf, LogWatcher, spawnCli } from '../support/cli.js';
import { testConfig } from '../support/config.js';
import { waitFor } from '../support/wait.js';

let config: Config;
before(async () => {
  config = testConfig();
  await migrate(config.database);
});
after(async () => {
  await dropDatabase(config.database);
});

const HEALTH = 'GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n';

/** A raw connection that records what it received and whether it closed. */
interface Probe {
  socket: Socket;
  received(): string;
  closed(): boolean;
}

function probe(port: number, request: string): Probe {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  let closed = false;
  socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
  socket.on('error', () => undefined); // a refused connection may be reset
  socket.on('close', () => (closed = true));
  socket.write(request);
  return { socket, received: () => data, closed: () => closed };
}

/**
 * A connection the server accepted and keeps busy: /health answered (so it was accepted),
 * then, pipelined in the same write, the headers of a POST whose body never comes, so the
 * connection is never idle (no keep-alive timer runs on it) until the test lets it go.
 */
async function busyConnection(port: number): Promise<Probe> {
  const held = probe(
    port,
    HEALTH +
      'POST /api/user/register HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n',
  );
  await waitFor(
    async () => held.received().includes('"status":"ok"') || held.closed(),
    10_000,
    'the /health answer',
  );
  assert.match(held.received(), /^HTTP\/1\.1 200 /, 'a connection under the cap is served');
  return held;
}

/** Caps and idle close, against a server whose cap in total is `capacity` connections. */
async function checkConnections(port: number, capacity: number): Promise<void> {
  const held: Probe[] = [];
  for (let i = 0; i < capacity; i++) held.push(await busyConnection(port));

  const extra = probe(port, HEALTH);
  await waitFor(async () => extra.closed(), 10_000, 'the connection over the cap to be closed');
  assert.equal(extra.received(), '', 'the connection over the cap got no answer');
  for (const connection of held) connection.socket.destroy();

  // Room again once those are gone; then an idle keep-alive connection is closed by the server.
  const idle = await waitFor(
    async () => {
      const candidate = probe(port, HEALTH);
      await waitFor(
        async () => candidate.received().includes('"status":"ok"') || candidate.closed(),
        10_000,
        'an answer or a close',
      );
      return candidate.received().includes('"status":"ok"') && !candidate.closed()
        ? candidate
        : null;
    },
    10_000,
    'a connection to be served once the held ones closed',
  );
  assert.match(idle.received(), /^Keep-Alive: timeout=1\r$/m, 'clients are told the idle timeout');
  // Well before node's old 65 s; waitFor fails after 10 s.
  await waitFor(async () => idle.closed(), 10_000, 'the server to close the idle connection');
}

async function stop(server: ChildProcess): Promise<void> {
  server.kill('SIGTERM');
  assert.equal(await exitOf(server), 0);
}

describe('server.max_connections and server.keep_alive_timeout_ms', () => {
  const env = (maxConnections: number) =>
    envFor(config, {
      GOMALL_LOG__LEVEL: 'info',
      GOMALL_SERVER__MAX_CONNECTIONS: String(maxConnections),
      GOMALL_SERVER__KEEP_ALIVE_TIMEOUT_MS: '1000',
      GOMALL_SERVER__PID_FILE: join(mkdtempSync(join(tmpdir(), 'gomall-conn-')), 'gomall.pid'),
    });

  test('serve: a connection past the cap is closed unanswered; an idle one is closed after the timeout', async () => {
    const server = spawnCli(['serve', '--port', '0'], env(2));
    try {
      const logs = new LogWatcher(server);
      const listening = await logs.waitFor((line) => line['msg'] === 'gomall serve listening');
      await checkConnections(Number(listening['port']), 2);
      await stop(server);
    } finally {
      server.kill('SIGKILL');
    }
  });

  test('serve --workers 2: each worker holds its cap (the extra connection is closed, not bounced between workers)', async () => {
    const server = spawnCli(['serve', '--port', '0', '--workers', '2'], env(1));
    try {
      const logs = new LogWatcher(server);
      // Each worker compiles the sources through tsx: slow on a busy machine.
      const listening = await logs.waitFor(
        (line) => line['msg'] === 'gomall serve listening',
        180_000,
      );
      await waitFor(
        async () =>
          logs.lines.filter((line) => line['msg'] === 'gomall serve listening').length === 2,
        180_000,
        'both workers to listen',
      );
      await checkConnections(Number(listening['port']), 2);
      await stop(server);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
