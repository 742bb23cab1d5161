// Step b: `gomall serve --workers N --port <free>` and `gomall consume` as child processes of
// the bench, with the bench's own --env/--config, the global and API caps lifted, and a pid
// file of their own (a server already running from this folder keeps its pid file). The
// endpoint bench (--baseline bare) starts them one at a time: serve for the load, consume
// for the drain.
import { join } from 'node:path';
import { spawnGomall, type ChildHandle } from './child.js';
import { freePort } from './free-port.js';
import { liftedLimitsEnv } from './limits.js';
import { answers200, waitReady } from './wait-ready.js';
import type { QueueProbe } from '../drain/queue-probe.js';
import { SERVER_NODE_OPTIONS } from '../../runtime/node-options.js';

/** tsx compiles the sources at start; on a busy 2-core machine that takes seconds. */
const START_TIMEOUT_MS = 90_000;

export interface ChildOptions {
  env: string;
  configFile: string | undefined;
  /** The run's folder: pid file and the children's logs. */
  dir: string;
  signal?: AbortSignal | undefined;
}

export interface ServeOptions extends ChildOptions {
  workers: number;
  /** NODE_OPTIONS of the server (default: the bench's own, else SERVER_NODE_OPTIONS). */
  nodeOptions?: string | undefined;
  /** taskset -c for the server. */
  cpus?: string | undefined;
  /** Log file name in dir (a run of several servers names each). */
  logName?: string;
}

export interface StackOptions extends ServeOptions {
  probe: QueueProbe;
}

export interface Serve {
  baseUrl: string;
  child: ChildHandle;
}

export interface Stack {
  baseUrl: string;
  serve: ChildHandle;
  consume: ChildHandle;
  /** SIGTERM to both; resolves when both are gone. */
  stop(): Promise<void>;
}

const commonArgs = (o: ChildOptions) => [
  '--env',
  o.env,
  ...(o.configFile ? ['--config', o.configFile] : []),
];

const childEnv = (o: ChildOptions) => ({
  ...process.env,
  ...liftedLimitsEnv(),
  GOMALL_SERVER__PID_FILE: join(o.dir, 'serve.pid'),
});

/** Spawns serve; waitServe() tells when it answers. */
function spawnServe(o: ServeOptions, port: number): ChildHandle {
  const env = {
    ...childEnv(o),
    NODE_OPTIONS: o.nodeOptions ?? process.env['NODE_OPTIONS'] ?? SERVER_NODE_OPTIONS,
  };
  return spawnGomall(
    'serve',
    ['serve', ...commonArgs(o), '--workers', String(o.workers), '--port', String(port)],
    env,
    join(o.dir, o.logName ?? 'serve.log'),
    o.cpus,
  );
}

const waitServe = (o: ChildOptions, child: ChildHandle, baseUrl: string) =>
  waitReady(child, 'ready', () => answers200(`${baseUrl}/ready`), START_TIMEOUT_MS, o.signal);

/** Spawns consume; waitConsume() tells when it consumes the orders queue. */
function spawnConsume(o: ChildOptions, logName = 'consume.log'): ChildHandle {
  return spawnGomall('consume', ['consume', ...commonArgs(o)], childEnv(o), join(o.dir, logName));
}

const waitConsume = (o: ChildOptions, child: ChildHandle, probe: QueueProbe, before: number) =>
  waitReady(
    child,
    'consuming',
    async () => ((await probe.read())?.consumers ?? 0) > before,
    START_TIMEOUT_MS,
    o.signal,
  );

/** serve alone, once it answers /ready. */
export async function startServe(o: ServeOptions): Promise<Serve> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawnServe(o, port);
  try {
    await waitServe(o, child, baseUrl);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { baseUrl, child };
}

/** consume alone, once the orders queue has one consumer more than before. */
export async function startConsume(
  o: ChildOptions,
  probe: QueueProbe,
  logName?: string,
): Promise<ChildHandle> {
  // Another consumer of the same queue (a `gomall consume` already running) does not count.
  const before = (await probe.read())?.consumers ?? 0;
  const child = spawnConsume(o, logName);
  try {
    await waitConsume(o, child, probe, before);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return child;
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const before = (await o.probe.read())?.consumers ?? 0;
  const serve = spawnServe(o, port);
  const consume = spawnConsume(o);
  const stop = async () => {
    await Promise.all([serve.stop(), consume.stop()]);
  };
  try {
    await Promise.all([waitServe(o, serve, baseUrl), waitConsume(o, consume, o.probe, before)]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, serve, consume, stop };
}
