// Step g: the same load tool and shape against two small servers, in the same run, so the
// seckill endpoint's rate reads against what this machine gives (1) a bare express JSON route
// and (2) a naive MySQL-only flash sale. Each server is a child process on a free port with
// the same worker count as gomall's serve; the naive sale's tables are dropped after.
import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import type { Knex } from '../../infra/db.js';
import { scenarioEnv, type LoadRequest } from '../load/load-run.js';
import { warmUp, type WarmUpOptions } from '../load/warm-up.js';
import { loadFigures } from '../load/load-figures.js';
import { runLoad, type SelectedEngine } from '../load/run-load.js';
import type { BuyerSet } from '../prepare/buyers.js';
import { writeDataFile } from '../prepare/data-file.js';
import type { BaselineFigures, BaselineRun } from '../types.js';
import { createNaiveTables, dropNaiveTables, naiveOrderCount } from './naive-tables.js';
import { SETTINGS_VAR, type NaiveSettings } from './naive-settings.js';
import { startBaseline } from './start-baseline.js';

export interface BaselineOptions {
  config: Config;
  db: Knex;
  runId: string;
  /** The run's folder: data files, summaries, logs. */
  dir: string;
  workers: number;
  buyers: BuyerSet;
  productIds: number[];
  stock: number;
  engine: SelectedEngine;
  /** The load shape of the gomall run (VUS, EXECUTOR, ...). */
  shape: Record<string, string>;
  file: string;
  quiet: boolean;
  /** The warm-up gomall got, or null when it got none. */
  warm: Omit<WarmUpOptions, 'baseUrl'> | null;
  signal?: AbortSignal;
  onPhase: (line: string) => void;
  onProgress?: (line: string) => void;
}

export async function runBaselines(
  options: BaselineOptions,
  gomallRate: number,
): Promise<BaselineFigures> {
  const express = await runOne(options, 'express', 'bare express JSON route', {});
  const tables = await createNaiveTables(
    options.db,
    options.runId,
    options.productIds,
    options.stock,
  );
  let naive: BaselineRun;
  try {
    const settings: NaiveSettings = {
      database: options.config.database,
      jwt: options.config.jwt,
      tables,
    };
    naive = await runOne(
      options,
      'naive_mysql',
      'naive MySQL flash sale (UPDATE … stock > 0 + INSERT per request)',
      {
        [SETTINGS_VAR]: JSON.stringify(settings),
      },
    );
    naive.orders = await naiveOrderCount(options.db, tables);
  } finally {
    await dropNaiveTables(options.db, tables);
  }
  const ratio = (run: BaselineRun) => (run.load.rate > 0 ? gomallRate / run.load.rate : null);
  return { runs: [express, naive], ratios: { express: ratio(express), naive_mysql: ratio(naive) } };
}

async function runOne(
  options: BaselineOptions,
  name: BaselineRun['name'],
  description: string,
  extraEnv: Record<string, string>,
): Promise<BaselineRun> {
  options.onPhase(`baseline: ${description}`);
  const { baseUrl, child } = await startBaseline({
    file: name === 'express' ? 'bare-express-server' : 'naive-sale-server',
    dir: options.dir,
    workers: options.workers,
    env: extraEnv,
    signal: options.signal,
  });
  try {
    if (options.warm) await warmUp({ ...options.warm, baseUrl }, name);
    const data = await writeDataFile(join(options.dir, `data-${name}.json`), {
      baseUrl,
      products: options.productIds,
      buyers: options.buyers,
    });
    const request: LoadRequest = {
      file: options.file,
      env: scenarioEnv(
        options.shape,
        { data, summary: join(options.dir, `summary-${name}.json`) },
        baseUrl,
      ),
      quiet: options.quiet,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    };
    const run = await runLoad(options.engine, request);
    return { name, description, load: loadFigures(run), orders: null };
  } finally {
    await child.stop();
  }
}
