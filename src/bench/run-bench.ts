// `gomall bench` from start to verdict: prepare, start the stack (or use --target), run the
// scenario, drain, verify, baselines, report. The command parses flags and prints; this runs.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createJwtCodec } from '../auth/jwt.js';
import type { Config } from '../config/schema.js';
import { migrate } from '../infra/db.js';
import { createLogger } from '../infra/logger.js';
import { openInfra, type Infra } from '../runtime/infra.js';
import { runBaselines } from './baselines/run-baselines.js';
import { parseDuration } from './engine/options/duration.js';
import { QueueProbe } from './drain/queue-probe.js';
import { waitForDrain } from './drain/wait-for-drain.js';
import { loadFigures } from './load/load-figures.js';
import { scenarioEnv, type LoadRun } from './load/load-run.js';
import { pickEngine, runLoad, type EngineChoice } from './load/run-load.js';
import { shapeEnv, type ScenarioChoice } from './load/scenario.js';
import { warmUp, type WarmUpOptions } from './load/warm-up.js';
import type { Progress } from './output/progress.js';
import { createBuyers } from './prepare/buyers.js';
import { writeDataFile } from './prepare/data-file.js';
import { createProducts, openSales } from './prepare/products.js';
import { renderReport } from './report/render-report.js';
import { catalogReader, SaleSampler, seckillReader } from './sale-sampler.js';
import { checkTarget } from './stack/check-target.js';
import { limitsNote } from './stack/limits.js';
import { RssSampler } from './stack/rss-sampler.js';
import { startStack, type Stack } from './stack/stack.js';
import type { BaselineFigures, BenchResult, DrainFigures, MemoryFigures } from './types.js';
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
  stock: number;
  products: number;
  vus?: number | undefined;
  rate?: number | undefined;
  duration?: string | undefined;
  target?: string | undefined;
  workers: number;
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

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const started = Date.now();
  const runId = randomBytes(4).toString('hex');
  const engine = pickEngine(o.engine);
  const managed = o.target === undefined;
  const dir = await mkdtemp(join(tmpdir(), `gomall-bench-${runId}-`));
  const p = o.progress;
  let infra: Infra | undefined;
  let probe: QueueProbe | undefined;
  let stack: Stack | undefined;
  let sampler: SaleSampler | undefined;
  let rss: RssSampler | undefined;
  let childrenRan = false; // a failure after children ran keeps their logs for a look
  let keepDir = false;
  try {
    if (managed) await migrate(o.config.database);
    infra = await openInfra(o.config, createLogger({ level: 'silent' }), { waitForBroker: false });
    probe = await QueueProbe.open(o.config);
    const { db, redis } = infra;
    const keyPrefix = o.config.redis.key_prefix;

    // a. Prepare.
    const prepStart = Date.now();
    p.phase(`preparing ${o.buyers} buyers and ${o.products} product(s) (run ${runId})`);
    const buyers = await createBuyers(db, createJwtCodec(o.config.jwt), o.buyers, runId);
    const seckill = o.scenario.kind === 'seckill';
    const productIds = await createProducts(db, runId, o.products, seckill ? 0 : o.stock);
    if (seckill) await openSales(db, redis, keyPrefix, productIds, o.stock);
    p.phase(
      `prepared in ${((Date.now() - prepStart) / 1000).toFixed(1)} s: products ${productIds.join(', ')}`,
    );

    // b. The server under test.
    let baseUrl: string;
    if (managed) {
      p.phase(`starting serve --workers ${o.workers} and consume`);
      childrenRan = true;
      stack = await startStack({
        env: o.env,
        configFile: o.configFile,
        workers: o.workers,
        dir,
        probe,
        signal: o.signal,
      });
      baseUrl = stack.baseUrl;
    } else {
      baseUrl = o.target!.replace(/\/+$/, '');
      await checkTarget(baseUrl, buyers[0]!, seckill ? productIds[0]! : null);
    }
    const limits = limitsNote(o.config, managed);

    // c. The load, with stock, orders and memory sampled alongside.
    const shape = shapeEnv({ buyers: o.buyers, vus: o.vus, rate: o.rate, duration: o.duration });
    const quiet = o.json || !process.stderr.isTTY;
    const warm: Omit<WarmUpOptions, 'baseUrl'> | null =
      o.scenario.warmUp && parseDuration(o.warmUp, '--warm-up') > 0
        ? {
            engine,
            file: o.scenario.file,
            buyers,
            dir,
            vus: shape['VUS'],
            duration: o.warmUp,
            quiet,
            signal: o.signal,
          }
        : null;
    if (warm) {
      p.phase(`warming up for ${o.warmUp} on a product without a sale`);
      await warmUp({ ...warm, baseUrl }, 'gomall');
    }
    const data = await writeDataFile(join(dir, 'data.json'), {
      baseUrl,
      products: productIds,
      buyers,
    });
    sampler = new SaleSampler(
      seckill ? seckillReader(db, redis, keyPrefix, productIds) : catalogReader(db, productIds),
    );
    if (stack && RssSampler.supported()) {
      rss = new RssSampler([
        { role: 'serve', pid: stack.serve.pid },
        { role: 'consume', pid: stack.consume.pid },
      ]);
    }
    p.phase(
      `running ${o.scenario.label} on the ${engine.engine === 'k6' ? 'k6' : 'built-in'} engine against ${baseUrl}`,
    );
    sampler.start();
    rss?.start();
    let run: LoadRun;
    try {
      run = await runLoad(engine, {
        file: o.scenario.file,
        env: scenarioEnv(shape, { data, summary: join(dir, 'summary.json') }, baseUrl),
        signal: o.signal,
        onProgress: (line) => p.tick(`load: ${line}`),
        quiet,
      });
    } finally {
      p.clear();
    }
    o.signal.throwIfAborted();
    const load = loadFigures(run);

    // d. Drain.
    await sampler.setPhase('drain');
    let drain: DrainFigures = { drained: true, seconds: 0, pending_left: 0, queued_left: 0 };
    if (seckill) {
      p.phase('draining: waiting for every reservation to become an order');
      drain = await waitForDrain({
        redis,
        keyPrefix,
        productIds,
        probe,
        timeoutMs: o.drainTimeoutMs,
        signal: o.signal,
        onTick: (pending, queued, elapsed) =>
          p.tick(
            `drain: ${pending} pending, ${queued} in the orders queue (${Math.round(elapsed / 1000)} s of ${Math.round(o.drainTimeoutMs / 1000)} s)`,
          ),
      });
      p.clear();
    }
    const samples = await sampler.stop();
    const memory: MemoryFigures | null = rss ? rss.stop() : null;

    // e. Verify.
    let invariants: InvariantResult[];
    let sales: SaleFigures[] = [];
    let catalog: CatalogFigures[] = [];
    if (seckill) {
      const attempts = Object.values(load.by_reason).reduce((a, b) => a + b, 0);
      const evidence = {
        queued: load.by_reason['queued'] ?? 0,
        demand: demandByProduct(o.scenario.spread, productIds, attempts, buyers.length),
      };
      ({ sales, invariants } = await verifySales(db, redis, keyPrefix, productIds, { evidence }));
    } else {
      catalog = await Promise.all(productIds.map((id) => catalogFigures(db, id, o.stock)));
      invariants = checkCatalogInvariants(catalog);
    }

    // The stack goes before the baselines run, so they get the machine gomall had.
    if (stack) {
      p.phase('stopping serve and consume');
      await stack.stop();
      stack = undefined;
    }

    // g. Baselines.
    let baselines: BaselineFigures | null = null;
    const baselinesNote = !o.baselines
      ? 'skipped (--no-baselines)'
      : !managed
        ? 'skipped with --target: they run on this machine, the target may not'
        : !seckill
          ? 'skipped: they compare POST /api/seckill, which browse-and-buy does not load'
          : null;
    if (baselinesNote === null) {
      childrenRan = true;
      baselines = await runBaselines(
        {
          config: o.config,
          db,
          runId,
          dir,
          workers: o.workers,
          buyers,
          productIds,
          stock: o.stock,
          engine,
          shape,
          file: o.scenario.file,
          quiet,
          warm,
          signal: o.signal,
          onPhase: (line) => p.phase(line),
          onProgress: (line) => p.tick(`load: ${line}`),
        },
        load.rate,
      ).finally(() => p.clear());
    }

    const result: BenchResult = {
      run_id: runId,
      scenario: o.scenario.label,
      kind: o.scenario.kind,
      engine: engine.engine,
      target: baseUrl,
      managed,
      workers: managed ? o.workers : null,
      buyers: o.buyers,
      stock: o.stock,
      products: productIds,
      shape,
      warm_up: warm ? o.warmUp : null,
      limits,
      load,
      drain,
      invariants,
      sales,
      catalog,
      memory,
      baselines,
      baselines_note: baselinesNote,
      report_file: o.reportFile ? resolve(o.reportFile) : null,
      elapsed_seconds: (Date.now() - started) / 1000,
      exit_code: !allHold(invariants) ? 1 : load.thresholds_failed ? 99 : 0,
    };
    // h. Report.
    if (result.report_file) {
      await writeFile(
        result.report_file,
        renderReport({ result, timeline: run.timeline, samples, generatedAt: new Date() }),
      );
    }
    return result;
  } catch (error) {
    keepDir = childrenRan && !o.signal.aborted;
    throw error;
  } finally {
    rss?.stop();
    await sampler?.stop();
    await stack?.stop();
    await probe?.close();
    await infra?.close();
    if (keepDir) p.phase(`bench: logs kept in ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}
