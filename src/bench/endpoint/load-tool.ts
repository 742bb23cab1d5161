// The endpoint bench's load: wrk on its own CPU when installed, else the built-in engine
// running the flash-sale scenario with constant VUs (this process moved to the load CPU for
// the time of the load). The result says which ran, so a fallback figure is never read as a
// wrk figure.
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath } from '../../infra/find-on-path.js';
import { loadFigures } from '../load/load-figures.js';
import { scenarioEnv } from '../load/load-run.js';
import { runBuiltin } from '../load/run-builtin.js';
import { resolveScenario } from '../load/scenario.js';
import type { BuyerSet } from '../prepare/buyers.js';
import { writeDataFile } from '../prepare/data-file.js';
import type { EndpointLoad, LoadToolName } from './types.js';
import { runWrk } from './wrk.js';

const run = promisify(execFile);

export type LoadToolChoice = 'auto' | LoadToolName;

export interface LoadTool {
  name: LoadToolName;
  note: string;
  wrk: string | null;
}

export function pickLoadTool(choice: LoadToolChoice): LoadTool {
  const wrk = choice === 'builtin' ? null : findOnPath('wrk');
  if (choice === 'wrk' && wrk === null)
    throw new Error('--load-tool wrk: wrk is not on PATH (apt-get install wrk)');
  if (wrk) return { name: 'wrk', note: 'wrk -t1', wrk };
  return {
    name: 'builtin',
    note:
      choice === 'builtin'
        ? 'built-in engine (--load-tool builtin)'
        : 'built-in engine (FALLBACK: wrk is not installed; figures are not comparable with wrk runs)',
    wrk: null,
  };
}

export interface LoadRequest {
  tool: LoadTool;
  dir: string;
  baseUrl: string;
  buyers: BuyerSet;
  productId: number;
  connections: number;
  seconds: number;
  /** taskset -c list for the load, undefined when not pinned. */
  cpus: string | undefined;
  /** Names the run's files. */
  label: string;
  signal?: AbortSignal | undefined;
}

export async function applyLoad(o: LoadRequest): Promise<EndpointLoad> {
  if (o.tool.wrk) {
    return runWrk({
      wrk: o.tool.wrk,
      dir: o.dir,
      baseUrl: o.baseUrl,
      buyersFile: o.buyers.file,
      productId: o.productId,
      connections: o.connections,
      seconds: o.seconds,
      cpus: o.cpus,
    });
  }
  const data = await writeDataFile(join(o.dir, `data-${o.label}.json`), {
    baseUrl: o.baseUrl,
    products: [o.productId],
    buyers: o.buyers,
  });
  const env = scenarioEnv(
    { EXECUTOR: 'constant-vus', VUS: String(o.connections), DURATION: `${o.seconds}s` },
    { data, summary: join(o.dir, `summary-${o.label}.json`) },
    o.baseUrl,
  );
  const restore = await pinSelf(o.cpus);
  try {
    const figures = loadFigures(
      await runBuiltin({
        file: resolveScenario('flash-sale').file,
        env,
        quiet: true,
        ...(o.signal ? { signal: o.signal } : {}),
      }),
    );
    return {
      requests: figures.requests,
      rate: figures.rate,
      p50_ms: figures.latency_ms.p50,
      p99_ms: figures.latency_ms.p99,
      // The scenario counts a request without an answer (60 s timeout) among its non-202s.
      non_202: figures.requests - (figures.by_status['202'] ?? 0),
      transport_errors: 0,
    };
  } finally {
    await restore();
  }
}

/** Moves this process (all its threads) to `cpus`; the returned function moves it back. */
async function pinSelf(cpus: string | undefined): Promise<() => Promise<void>> {
  if (cpus === undefined) return async () => undefined;
  const pid = String(process.pid);
  await run('taskset', ['-a', '-p', '-c', cpus, pid]);
  return async () => {
    await run('taskset', ['-a', '-p', '-c', `0-${availableParallelism() - 1}`, pid]);
  };
}
