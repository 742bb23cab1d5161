import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, test } from 'node:test';
import { dropDatabase, migrate } from '../../src/infra/db.js';
import type { Config } from '../../src/config/schema.js';
import { envFor, exitOf, spawnCli, waitForLog } from '../support/cli.js';
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

/** Sends a request whose body arrives in two parts, `gapMs` apart, and returns the raw answer. */
function slowRequest(
  port: number,
  body: string,
  whileWaiting: () => void,
  gapMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    // No half-close from this side: the server ends the socket after answering, as it
    // shuts down.
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(
      `POST /api/user/register HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    const half = Math.floor(body.length / 2);
    socket.write(body.slice(0, half));
    setTimeout(() => {
      whileWaiting();
      setTimeout(() => socket.write(body.slice(half)), gapMs);
    }, 300);
  });
}

test('SIGTERM while a request is in flight: the request finishes, new ones are refused, exit 0', async () => {
  const server = spawnCli(['serve', '--port', '0'], envFor(config, { GOMALL_LOG__LEVEL: 'info' }));
  try {
    const listening = await waitForLog(server, (line) => line['msg'] === 'gomall serve listening');
    const port = Number(listening['port']);
    const body = JSON.stringify({ username: 'in_flight_user', password: 'in-flight-pass' });
    const answer = await slowRequest(port, body, () => server.kill('SIGTERM'), 700);
    assert.match(answer, /^HTTP\/1\.1 201 /, 'the in-flight request completed');
    assert.match(answer, /"username":"in_flight_user"/);
    await waitFor(
      () =>
        new Promise<boolean>((resolve) => {
          const probe = connect(port, '127.0.0.1');
          probe.on('connect', () => {
            probe.destroy();
            resolve(false);
          });
          probe.on('error', () => resolve(true));
        }),
      2000,
      'new connections to be refused after SIGTERM',
    );
    assert.equal(await exitOf(server), 0);
  } finally {
    server.kill('SIGKILL');
  }
});
