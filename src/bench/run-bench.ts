// `gomall bench` from start to verdict, one function per phase:
//   prepare ‖ start the stack → load → drain → verify → stop the stack → baselines → report.
// Preparing the data and starting serve and consume do not depend on each other and overlap.
// The command parses flags and prints; this runs.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { migrate } from '../infra/db.js';
import type { Infra } from '../runtime/infra.js';
import { runBaselines } from './baselines/run-baselines.js';
import type { QueueProbe } from './drain/queue-probe.js';
import { openBenchConnections } from './stack/connections.js';
import { waitForDrain } from './drain/wait-for-drain.js';
import { parseDuration } from './engine/options/duration.js';
import type { SecondBucket } from './engine/index.js';
import { loadFigures } from './load/load-figures.js';
import { scenarioEnv, type LoadRun } from './load/load-run.js';
import { pickEngine, runLoad, type EngineChoice, type SelectedEngine } from './load/run-load.js';
import { shapeEnv, type ScenarioChoice } from './load/scenario.js';
import { warmUp, type WarmUpOptions } from './load/warm-up.js';
import type { Progress } from './output/progress.js';
import { PhaseClock } from './phase-clock.js';
import { prepareBuyers, type BuyerSet } from './prepare/buyers.js';
import { writeDataFile } from './prepare/data-file.js';
import { createProducts, openSales } from './prepare/products.js';
import { renderReport } from './report/render-report.js';
import { catalogReader, SaleSampler, seckillReader } from './sale-sampler.js';
import { checkTarget } from './stack/check-target.js';
import { limitsNote } from './stack/limits.js';
import { RssSampler } from './stack/rss-sampler.js';
import { startStack, type Stack } from './stack/stack.js';
import type {
  BaselineFigures,
  BenchResult,
  DrainFigures,
  LoadFigures,
  MemoryFigures,
  SaleSample,
} from './types.js';
import { catalogFigures, type CatalogFigures } from './verify/catalog-figures.js';
import { demandByProduct } from './verify/demand.js';
import { allHold, checkCatalogInvariants, type InvariantResult } from './verify/invariants.js';
import type { SaleFigures } from './verify/sale-figures.js';
import { verifySales } from './verify/verify-sales.js';

export interface BenchOptions {
  config: Config;
  /** --env and --config, handed on to serve and consume. */
  env: string;
  configFile: string | undefined;
  scenario: ScenarioChoice;
  buyers: number;
  /** Use the buyers an earlier run prepared for the same database, JWT settings and count. */
  reuseBuyers: boolean;
  /** path: the sales need a one-time token per buy, which the scenarios fetch first. */
  antiBot: 'none' | 'path';
  stock: number;
  products: number;
  vus?: number | undefined;
  rate?: number | undefined;
  duration?: string | undefined;
  target?: string | undefined;
  workers: number;
  /** NODE_OPTIONS of serve (default: the bench's own, else SERVER_NODE_OPTIONS). */
  nodeOptions?: string | undefined;
  engine: EngineChoice;
  reportFile?: string | undefined;
  drainTimeoutMs: number;
  /** Warm-up before each measured load ("2s"); "0" for none. */
  warmUp: string;
  baselines: boolean;
  progress: Progress;
  /** --json: k6 runs quiet. */
  json: boolean;
  signal: AbortSignal;
}

/** What the phases share. */
interface Run {
  o: BenchOptions;
  id: string;
  started: number;
  /** Logs of the children, data files, summaries. */
  dir: string;
  engine: SelectedEngine;
  managed: boolean;
  seckill: boolean;
  infra: Infra;
  probe: QueueProbe;
  clock: PhaseClock;
  quiet: boolean;
  stack?: Stack | undefined;
  watch?: Watch | undefined;
  /** A failure after children ran keeps their logs for a look. */
  childrenRan: boolean;
}

interface Prepared {
  buyers: BuyerSet;
  productIds: number[];
}

/** Stock and orders, and the stack's memory, sampled from the load to the end of the drain. */
interface Watch {
  sampler: SaleSampler;
  rss: RssSampler | undefined;
}

interface Measured {
  load: LoadFigures;
  timeline: SecondBucket[] | null;
  shape: Record<string, string>;
  warm: Omit<WarmUpOptions, 'baseUrl'> | null;
}

interface Drained {
  drain: DrainFigures;
  samples: SaleSample[];
  memory: MemoryFigures | null;
}

interface Verified {
  invariants: InvariantResult[];
  sales: SaleFigures[];
  catalog: CatalogFigures[];
}

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const run = await openRun(o);
  let failed = true;
  try {
    const [prepared, stack] = await both(
      run.clock.time('prepare', () => prepare(run)),
      run.clock.time('start', () => startServer(run)),
    );
    const baseUrl = stack?.baseUrl ?? (await checkedTarget(run, prepared));
    const measured = await run.clock.time('load', () => load(run, prepared, baseUrl));
    const drained = await run.clock.time('drain', () => drain(run, prepared));
    const verified = await run.clock.time('verify', () => verify(run, prepared, measured.load));
    // The stack goes before the baselines run, so they get the machine gomall had.
    await run.clock.time('stop', () => stopStack(run));
    const baselines = await run.clock.time('baselines', () => compare(run, prepared, measured));
    const result = await report(run, { prepared, baseUrl, measured, drained, verified, baselines });
    failed = false;
    return result;
  } finally {
    await closeRun(run, failed);
  }
}

async function openRun(o: BenchOptions): Promise<Run> {
  const id = randomBytes(4).toString('hex');
  const managed = o.target === undefined;
  if (managed) await migrate(o.config.database);
  const { infra, probe } = await openBenchConnections(o.config);
  return {
    o,
    id,
    started: Date.now(),
    dir: await mkdtemp(join(tmpdir(), `gomall-bench-${id}-`)),
    engine: pickEngine(o.engine),
    managed,
    seckill: o.scenario.kind === 'seckill',
    infra,
    probe,
    clock: new PhaseClock(),
    quiet: o.json || !process.stderr.isTTY,
    childrenRan: false,
  };
}

/** Both promises settled before either's failure is thrown: nothing keeps running unseen. */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

/** a. Buyers with tokens, products, and their sales (seckill) or catalog stock. */
async function prepare(run: Run): Promise<Prepared> {
  const { o, infra } = run;
  const started = Date.now();
  o.progress.phase(`preparing ${o.buyers} buyers and ${o.products} product(s) (run ${run.id})`);
  const buyers = await prepareBuyers(infra.db, o.config, o.buyers, run.id, o.reuseBuyers);
  const productIds = await createProducts(infra.db, run.id, o.products, run.seckill ? 0 : o.stock);
  if (run.seckill)
    await openSales(
      infra.db,
      infra.redis,
      o.config.redis.key_prefix,
      productIds,
      o.stock,
      1,
      o.antiBot,
    );
  o.progress.phase(
    `prepared in ${((Date.now() - started) / 1000).toFixed(1)} s: ${buyers.reused ? 'buyers of an earlier run reused, ' : ''}products ${productIds.join(', ')}`,
  );
  return { buyers, productIds };
}

/** b. serve --workers N and consume, started by the bench; none with --target. */
async function startServer(run: Run): Promise<Stack | null> {
  if (!run.managed) return null;
  run.o.progress.phase(`starting serve --workers ${run.o.workers} and consume`);
  run.childrenRan = true;
  run.stack = await startStack({
    env: run.o.env,
    configFile: run.o.configFile,
    workers: run.o.workers,
    nodeOptions: run.o.nodeOptions,
    dir: run.dir,
    probe: run.probe,
    signal: run.o.signal,
  });
  return run.stack;
}

async function checkedTarget(run: Run, prepared: Prepared): Promise<string> {
  const baseUrl = run.o.target!.replace(/\/+$/, '');
  await checkTarget(baseUrl, prepared.buyers.first, run.seckill ? prepared.productIds[0]! : null);
  return baseUrl;
}

/** c. The warm-up, then the measured load, with stock, orders and memory sampled alongside. */
async function load(run: Run, prepared: Prepared, baseUrl: string): Promise<Measured> {
  const { o } = run;
  const { db, redis } = run.infra;
  const shape = shapeEnv({ buyers: o.buyers, vus: o.vus, rate: o.rate, duration: o.duration });
  const warm: Omit<WarmUpOptions, 'baseUrl'> | null =
    o.scenario.warmUp && parseDuration(o.warmUp, '--warm-up') > 0
      ? {
          engine: run.engine,
          file: o.scenario.file,
          buyers: prepared.buyers,
          dir: run.dir,
          vus: shape['VUS'],
          duration: o.warmUp,
          quiet: run.quiet,
          signal: o.signal,
        }
      : null;
  if (warm) {
    o.progress.phase(`warming up for ${o.warmUp} on a product without a sale`);
    await warmUp({ ...warm, baseUrl }, 'gomall');
  }
  const data = await writeDataFile(join(run.dir, 'data.json'), {
    baseUrl,
    products: prepared.productIds,
    buyers: prepared.buyers,
    antiBot: o.antiBot,
  });
  const keyPrefix = o.config.redis.key_prefix;
  run.watch = {
    sampler: new SaleSampler(
      run.seckill
        ? seckillReader(db, redis, keyPrefix, prepared.productIds)
        : catalogReader(db, prepared.productIds),
    ),
    rss:
      run.stack && RssSampler.supported()
        ? new RssSampler([
            { role: 'serve', pid: run.stack.serve.pid },
            { role: 'consume', pid: run.stack.consume.pid },
          ])
        : undefined,
  };
  o.progress.phase(
    `running ${o.scenario.label} on the ${run.engine.engine === 'k6' ? 'k6' : 'built-in'} engine against ${baseUrl}`,
  );
  run.watch.sampler.start();
  run.watch.rss?.start();
  let loadRun: LoadRun;
  try {
    loadRun = await runLoad(run.engine, {
      file: o.scenario.file,
      env: scenarioEnv(shape, { data, summary: join(run.dir, 'summary.json') }, baseUrl),
      signal: o.signal,
      onProgress: (line) => o.progress.tick(`load: ${line}`),
      quiet: run.quiet,
    });
  } finally {
    o.progress.clear();
  }
  o.signal.throwIfAborted();
  return { load: loadFigures(loadRun), timeline: loadRun.timeline, shape, warm };
}

/** d. Until every reservation is an order row (seckill), bounded by --drain-timeout. */
async function drain(run: Run, prepared: Prepared): Promise<Drained> {
  const { o } = run;
  const watch = run.watch!;
  await watch.sampler.setPhase('drain');
  let figures: DrainFigures = { drained: true, seconds: 0, pending_left: 0, queued_left: 0 };
  if (run.seckill) {
    o.progress.phase('draining: waiting for every reservation to become an order');
    figures = await waitForDrain({
      redis: run.infra.redis,
      keyPrefix: o.config.redis.key_prefix,
      productIds: prepared.productIds,
      probe: run.probe,
      timeoutMs: o.drainTimeoutMs,
      signal: o.signal,
      onTick: (pending, queued, elapsed) =>
        o.progress.tick(
          `drain: ${pending} pending, ${queued} in the orders queue (${Math.round(elapsed / 1000)} s of ${Math.round(o.drainTimeoutMs / 1000)} s)`,
        ),
    });
    o.progress.clear();
  }
  const samples = await watch.sampler.stop();
  const memory = watch.rss ? watch.rss.stop() : null;
  return { drain: figures, samples, memory };
}

/** e. The invariants of docs/API.md in MySQL and Redis, with the run's answers as evidence. */
async function verify(run: Run, prepared: Prepared, load: LoadFigures): Promise<Verified> {
  const { db, redis } = run.infra;
  const { productIds } = prepared;
  if (!run.seckill) {
    const catalog = await Promise.all(productIds.map((id) => catalogFigures(db, id, run.o.stock)));
    return { invariants: checkCatalogInvariants(catalog), sales: [], catalog };
  }
  const attempts = Object.values(load.by_reason).reduce((a, b) => a + b, 0);
  const evidence = {
    queued: load.by_reason['queued'] ?? 0,
    demand: demandByProduct(run.o.scenario.spread, productIds, attempts, prepared.buyers.count),
  };
  const { sales, invariants } = await verifySales(
    db,
    redis,
    run.o.config.redis.key_prefix,
    productIds,
    { evidence },
  );
  return { invariants, sales, catalog: [] };
}

async function stopStack(run: Run): Promise<void> {
  if (!run.stack) return;
  run.o.progress.phase('stopping serve and consume');
  await run.stack.stop();
  run.stack = undefined;
}

/** g. The same load against a bare express route and a naive MySQL sale, when they apply. */
async function compare(
  run: Run,
  prepared: Prepared,
  measured: Measured,
): Promise<{ figures: BaselineFigures | null; note: string | null }> {
  const { o } = run;
  const note = !o.baselines
    ? 'skipped (--no-baselines)'
    : !run.managed
      ? 'skipped with --target: they run on this machine, the target may not'
      : !run.seckill
        ? 'skipped: they compare POST /api/seckill, which browse-and-buy does not load'
        : null;
  if (note !== null) return { figures: null, note };
  run.childrenRan = true;
  const figures = await runBaselines(
    {
      config: o.config,
      db: run.infra.db,
      runId: run.id,
      dir: run.dir,
      workers: o.workers,
      buyers: prepared.buyers,
      productIds: prepared.productIds,
      stock: o.stock,
      engine: run.engine,
      shape: measured.shape,
      file: o.scenario.file,
      quiet: run.quiet,
      warm: measured.warm,
      signal: o.signal,
      onPhase: (line) => o.progress.phase(line),
      onProgress: (line) => o.progress.tick(`load: ${line}`),
    },
    measured.load.rate,
  ).finally(() => o.progress.clear());
  return { figures, note: null };
}

/** h. The result, and the HTML report when asked for. */
async function report(
  run: Run,
  parts: {
    prepared: Prepared;
    baseUrl: string;
    measured: Measured;
    drained: Drained;
    verified: Verified;
    baselines: { figures: BaselineFigures | null; note: string | null };
  },
): Promise<BenchResult> {
  const { o } = run;
  const { prepared, measured, drained, verified, baselines } = parts;
  const result: BenchResult = {
    run_id: run.id,
    scenario: o.scenario.label,
    kind: o.scenario.kind,
    engine: run.engine.engine,
    target: parts.baseUrl,
    managed: run.managed,
    workers: run.managed ? o.workers : null,
    buyers: o.buyers,
    buyers_prefix: prepared.buyers.prefix,
    buyers_reused: prepared.buyers.reused,
    stock: o.stock,
    anti_bot: o.antiBot,
    products: prepared.productIds,
    shape: measured.shape,
    warm_up: measured.warm ? o.warmUp : null,
    limits: limitsNote(o.config, run.managed),
    load: measured.load,
    drain: drained.drain,
    invariants: verified.invariants,
    sales: verified.sales,
    catalog: verified.catalog,
    memory: drained.memory,
    baselines: baselines.figures,
    baselines_note: baselines.note,
    report_file: o.reportFile ? resolve(o.reportFile) : null,
    phases: run.clock.list(),
    elapsed_seconds: 0,
    exit_code: !allHold(verified.invariants) ? 1 : measured.load.thresholds_failed ? 99 : 0,
  };
  if (result.report_file) {
    await run.clock.time('report', () =>
      writeFile(
        result.report_file!,
        renderReport({
          result,
          timeline: measured.timeline,
          samples: drained.samples,
          generatedAt: new Date(),
        }),
      ),
    );
    result.phases = run.clock.list();
  }
  result.elapsed_seconds = (Date.now() - run.started) / 1000;
  return result;
}

async function closeRun(run: Run, failed: boolean): Promise<void> {
  run.watch?.rss?.stop();
  await run.watch?.sampler.stop();
  await run.stack?.stop();
  await run.probe.close();
  await run.infra.close();
  if (failed && run.childrenRan && !run.o.signal.aborted)
    run.o.progress.phase(`bench: logs kept in ${run.dir}`);
  else await rm(run.dir, { recursive: true, force: true });
}
