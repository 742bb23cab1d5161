// Before each measured load (gomall's and each baseline's), the same scenario runs for a
// short while against a product that has no sale: the server's code is compiled by then, as
// it is on a server that has been up before a sale starts, and nothing is sold. Through
// gomall that is the whole hot path but the publish (auth, body, the reservation script
// answering "no activity"); the naive sale runs its UPDATE and rolls back. Its figures are
// dropped. The per-user request buckets it fills are keyed by that product, not the sale's.
import { join } from 'node:path';
import type { BuyerSet } from '../prepare/buyers.js';
import { writeDataFile } from '../prepare/data-file.js';
import { scenarioEnv, type LoadRequest } from './load-run.js';
import { runLoad, type SelectedEngine } from './run-load.js';

/** A product id no sale uses: ids are auto-increment and never get near it. */
export const WARM_UP_PRODUCT = Number.MAX_SAFE_INTEGER;

export interface WarmUpOptions {
  engine: SelectedEngine;
  file: string;
  baseUrl: string;
  buyers: BuyerSet;
  dir: string;
  /** Same VUs as the measured run. */
  vus: string | undefined;
  duration: string;
  quiet: boolean;
  signal?: AbortSignal;
}

export async function warmUp(o: WarmUpOptions, name: string): Promise<void> {
  const data = await writeDataFile(join(o.dir, `warm-up-${name}.json`), {
    baseUrl: o.baseUrl,
    products: [WARM_UP_PRODUCT],
    buyers: o.buyers,
  });
  const request: LoadRequest = {
    file: o.file,
    env: scenarioEnv(
      { EXECUTOR: 'constant-vus', DURATION: o.duration, ...(o.vus ? { VUS: o.vus } : {}) },
      { data, summary: join(o.dir, `warm-up-${name}-summary.json`) },
      o.baseUrl,
    ),
    quiet: o.quiet,
    ...(o.signal ? { signal: o.signal } : {}),
  };
  await runLoad(o.engine, request);
}
