// Step b: `gomall serve --workers N --port <free>` and `gomall consume` as child processes of
// the bench, with the bench's own --env/--config, the global and API caps lifted, and a pid
// file of their own (a server already running from this folder keeps its pid file).
import { join } from 'node:path';
import { spawnGomall, type ChildHandle } from './child.js';
import { freePort } from './free-port.js';
import { liftedLimitsEnv } from './limits.js';
import { answers200, waitReady } from './wait-ready.js';
import type { QueueProbe } from '../drain/queue-probe.js';
import { SERVER_NODE_OPTIONS } from '../../runtime/node-options.js';

/** tsx compiles the sources at start; on a busy 2-core machine that takes seconds. */
const START_TIMEOUT_MS = 60_000;

export interface StackOptions {
  env: string;
  configFile: string | undefined;
  workers: number;
  /** The run's folder: pid file and the children's logs. */
  dir: string;
  probe: QueueProbe;
  signal?: AbortSignal;
}

export interface Stack {
  baseUrl: string;
  serve: ChildHandle;
  consume: ChildHandle;
  /** SIGTERM to both; resolves when both are gone. */
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const port = await freePort();
  // Another consumer of the same queue (a `gomall consume` already running) does not count.
  const consumersBefore = (await options.probe.read())?.consumers ?? 0;
  const common = [
    '--env',
    options.env,
    ...(options.configFile ? ['--config', options.configFile] : []),
  ];
  const env = {
    ...process.env,
    ...liftedLimitsEnv(),
    GOMALL_SERVER__PID_FILE: join(options.dir, 'serve.pid'),
  };
  const serveEnv = { ...env, NODE_OPTIONS: process.env['NODE_OPTIONS'] ?? SERVER_NODE_OPTIONS };
  const serve = spawnGomall(
    'serve',
    ['serve', ...common, '--workers', String(options.workers), '--port', String(port)],
    serveEnv,
    join(options.dir, 'serve.log'),
  );
  const consume = spawnGomall(
    'consume',
    ['consume', ...common],
    env,
    join(options.dir, 'consume.log'),
  );
  const stop = async () => {
    await Promise.all([serve.stop(), consume.stop()]);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await Promise.all([
      waitReady(
        serve,
        'ready',
        () => answers200(`${baseUrl}/ready`),
        START_TIMEOUT_MS,
        options.signal,
      ),
      waitReady(
        consume,
        'consuming',
        async () => ((await options.probe.read())?.consumers ?? 0) > consumersBefore,
        START_TIMEOUT_MS,
        options.signal,
      ),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, serve, consume, stop };
}
