// A baseline server as a child process of the bench: the file next to this one (.ts through
// tsx, .js from dist/), a free port, the same worker count as gomall's serve, ready once it
// answers GET /ready.
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnNode, type ChildHandle } from '../stack/child.js';
import { freePort } from '../stack/free-port.js';
import { answers200, waitReady } from '../stack/wait-ready.js';
import { PORT_VAR, WORKERS_VAR } from './serve-baseline.js';

// tsx compiles the server at start; on a busy 2-core machine that takes tens of seconds.
const START_TIMEOUT_MS = 90_000;

export type BaselineServerFile = 'bare-express-server' | 'naive-sale-server' | 'bare-node-server';

export interface BaselineServer {
  baseUrl: string;
  child: ChildHandle;
}

export interface BaselineStart {
  file: BaselineServerFile;
  /** The run's folder, for the server's log. */
  dir: string;
  workers: number;
  env?: Record<string, string>;
  /** taskset -c for the server. */
  cpus?: string | undefined;
  signal?: AbortSignal | undefined;
}

export async function startBaseline(o: BaselineStart): Promise<BaselineServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const self = fileURLToPath(import.meta.url);
  const child = spawnNode(
    `baseline ${o.file}`,
    join(self, '..', `${o.file}${extname(self)}`),
    [],
    { ...process.env, ...o.env, [PORT_VAR]: String(port), [WORKERS_VAR]: String(o.workers) },
    join(o.dir, `${o.file}.log`),
    o.cpus,
  );
  try {
    await waitReady(
      child,
      'ready',
      () => answers200(`${baseUrl}/ready`),
      START_TIMEOUT_MS,
      o.signal,
    );
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { baseUrl, child };
}
