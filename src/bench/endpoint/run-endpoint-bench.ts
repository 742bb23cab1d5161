// `gomall bench --baseline bare`: POST /api/seckill against a bare node:http server, same run,
// same load tool, same request, then the consumer's drain rate and the invariants, --runs
// times, and the medians. One function per phase:
//   prepare (buyers, once) → per run: bare load → sale → gomall load → drain → verify → report.
// Every request of gomall's load is a real reservation: a fresh sale per run with stock and a
// per-buyer limit far above what the load asks. The server runs alone on its CPU during its
// load (serve only); consume starts after serve stops, so the drain is the consumer's own
// rate over the whole backlog.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../config/schema.js';
import { migrate } from '../../infra/db.js';
import { SERVER_NODE_OPTIONS } from '../../runtime/node-options.js';
import type { Infra } from '../../runtime/infra.js';
import { activityKeys } from '../../seckill/keys.js';
import { startBaseline } from '../baselines/start-baseline.js';
import type { QueueProbe } from '../drain/queue-probe.js';
import { openBenchConnections } from '../stack/connections.js';
import { waitForDrain } from '../drain/wait-for-drain.js';
import type { Progress } from '../output/progress.js';
import { PhaseClock } from '../phase-clock.js';
import { prepareBuyers, type BuyerSet } from '../prepare/buyers.js';
import { createProducts, openSales } from '../prepare/products.js';
import { RssSampler } from '../stack/rss-sampler.js';
import { startConsume, startServe, type ChildOptions } from '../stack/stack.js';
import { allHold, type InvariantResult } from '../verify/invariants.js';
import { verifySales } from '../verify/verify-sales.js';
import { compareWithRecord, lastRecord } from './compare.js';
import { applyLoad, pickLoadTool, type LoadTool, type LoadToolChoice } from './load-tool.js';
import { medians } from './medians.js';
import { pinning, type Pinning } from './pinning.js';
import { queuedCount } from './queued-count.js';
import type { EndpointBenchResult, EndpointDrain, EndpointLoad, EndpointRun } from './types.js';

/** Each buyer may reserve this many units: ~1 request a second each never reaches it. */
export const ENDPOINT_LIMIT_PER_USER = 1000;
/** The drain is timed in steps this short: a drain of 10 k orders takes a fraction of a second. */
const DRAIN_POLL_MS = 20;

export interface EndpointBenchOptions {
  config: Config;
  env: string;
  configFile: string | undefined;
  runs: number;
  buyers: number;
  reuseBuyers: boolean;
  stock: number;
  connections: number;
  durationSeconds: number;
  warmUpSeconds: number;
  workers: number;
  loadTool: LoadToolChoice;
  nodeOptions: string | undefined;
  drainTimeoutMs: number;
  /** docs/PERFORMANCE.md or another file with a recorded figures block, for --compare. */
  compareWith: string | undefined;
  progress: Progress;
  signal: AbortSignal;
}

interface Bench {
  o: EndpointBenchOptions;
  id: string;
  started: number;
  dir: string;
  infra: Infra;
  probe: QueueProbe;
  tool: LoadTool;
  pins: Pinning;
  clock: PhaseClock;
  children: ChildOptions;
}

export async function runEndpointBench(o: EndpointBenchOptions): Promise<EndpointBenchResult> {
  const bench = await openBench(o);
  let failed = true;
  try {
    const buyers = await bench.clock.time('prepare', () => prepare(bench));
    const runs: EndpointRun[] = [];
    for (let n = 1; n <= o.runs; n++) runs.push(await measureRun(bench, buyers, n));
    const result = await report(bench, buyers, runs);
    failed = false;
    return result;
  } finally {
    await closeBench(bench, failed);
  }
}

async function openBench(o: EndpointBenchOptions): Promise<Bench> {
  const tool = pickLoadTool(o.loadTool);
  // A --compare file without a record fails now, not after minutes of load.
  if (o.compareWith) lastRecord(await readFile(o.compareWith, 'utf8'), o.compareWith);
  await migrate(o.config.database);
  const { infra, probe } = await openBenchConnections(o.config);
  const id = randomBytes(4).toString('hex');
  const dir = await mkdtemp(join(tmpdir(), `gomall-bench-${id}-`));
  return {
    o,
    id,
    started: Date.now(),
    dir,
    infra,
    probe,
    tool,
    pins: pinning(),
    clock: new PhaseClock(),
    children: { env: o.env, configFile: o.configFile, dir, signal: o.signal },
  };
}

/** Buyers with tokens, shared by every run (each run has a sale of its own). */
async function prepare(bench: Bench): Promise<BuyerSet> {
  const { o } = bench;
  o.progress.phase(
    `bench --baseline bare: ${o.runs} run(s) × ${o.durationSeconds} s, ${o.connections} connections, ${o.buyers} buyers; load: ${bench.tool.note}; ${bench.pins.note}`,
  );
  const buyers = await prepareBuyers(bench.infra.db, o.config, o.buyers, bench.id, o.reuseBuyers);
  o.progress.phase(`buyers ${buyers.reused ? 'reused from an earlier run' : 'prepared'}`);
  return buyers;
}

async function measureRun(bench: Bench, buyers: BuyerSet, n: number): Promise<EndpointRun> {
  const { clock } = bench;
  const bare = await clock.time(`run ${n}: bare`, () => measureBare(bench, buyers, n));
  const productId = await clock.time(`run ${n}: sale`, () => openSale(bench, n));
  const gomall = await clock.time(`run ${n}: gomall`, () =>
    measureGomall(bench, buyers, productId, n),
  );
  const drain = await clock.time(`run ${n}: drain`, () => drainOrders(bench, productId, n));
  const invariants = await clock.time(`run ${n}: verify`, () =>
    verify(bench, productId, gomall.load, gomall.queued),
  );
  const run: EndpointRun = {
    run: n,
    product_id: productId,
    bare,
    gomall: gomall.load,
    ratio: bare.rate > 0 ? gomall.load.rate / bare.rate : 0,
    queued: gomall.queued,
    drain,
    server_rss_mb: gomall.rssMb,
    invariants,
    hold: allHold(invariants),
  };
  bench.o.progress.phase(
    `run ${n}: bare ${Math.round(bare.rate)} req/s, gomall ${Math.round(run.gomall.rate)} req/s (×${run.ratio.toFixed(3)}), p99 ${run.gomall.p99_ms.toFixed(1)} ms, drain ${Math.round(drain.per_s)}/s, invariants ${run.hold ? 'hold' : 'BROKEN'}`,
  );
  return run;
}

/** The warm-up, then the measured load, against `baseUrl`. */
async function warmAndLoad(
  bench: Bench,
  buyers: BuyerSet,
  baseUrl: string,
  productId: number,
  label: string,
): Promise<EndpointLoad> {
  const { o } = bench;
  const common = {
    tool: bench.tool,
    dir: bench.dir,
    baseUrl,
    buyers,
    productId,
    connections: o.connections,
    cpus: bench.pins.load,
    signal: o.signal,
  };
  if (o.warmUpSeconds > 0)
    await applyLoad({ ...common, seconds: o.warmUpSeconds, label: `${label}-warm-up` });
  return applyLoad({ ...common, seconds: o.durationSeconds, label });
}

/** The bare node:http server on the server CPU, the same load. */
async function measureBare(bench: Bench, buyers: BuyerSet, n: number): Promise<EndpointLoad> {
  bench.o.progress.phase(`run ${n}: bare node:http server`);
  const server = await startBaseline({
    file: 'bare-node-server',
    dir: bench.dir,
    workers: bench.o.workers,
    cpus: bench.pins.server,
    signal: bench.o.signal,
  });
  try {
    return await warmAndLoad(bench, buyers, server.baseUrl, 1, `bare-${n}`);
  } finally {
    await server.child.stop();
  }
}

/** A fresh sale: far more stock and a far higher limit than the load asks for. */
async function openSale(bench: Bench, n: number): Promise<number> {
  const { db, redis } = bench.infra;
  const [productId] = await createProducts(db, `${bench.id}-${n}`, 1);
  await openSales(
    db,
    redis,
    bench.o.config.redis.key_prefix,
    [productId!],
    bench.o.stock,
    ENDPOINT_LIMIT_PER_USER,
  );
  return productId!;
}

/** gomall serve alone on the server CPU; the warm-up reserves on the same sale. */
async function measureGomall(
  bench: Bench,
  buyers: BuyerSet,
  productId: number,
  n: number,
): Promise<{ load: EndpointLoad; queued: number | null; rssMb: number | null }> {
  const { o } = bench;
  o.progress.phase(`run ${n}: gomall serve, POST /api/seckill on product ${productId}`);
  const serve = await startServe({
    ...bench.children,
    workers: o.workers,
    nodeOptions: o.nodeOptions,
    cpus: bench.pins.server,
    logName: `serve-${n}.log`,
  });
  const rss = RssSampler.supported()
    ? new RssSampler([{ role: 'serve', pid: serve.child.pid }])
    : undefined;
  try {
    rss?.start();
    const load = await warmAndLoad(bench, buyers, serve.baseUrl, productId, `gomall-${n}`);
    // With node:cluster workers one scrape sees one worker's counter: no evidence then.
    const queued = o.workers === 1 ? await queuedCount(serve.baseUrl) : null;
    const peak = rss?.stop().processes.find((p) => p.role === 'serve');
    return { load, queued, rssMb: peak ? peak.peak_rss_mb : null };
  } finally {
    rss?.stop();
    await serve.child.stop();
  }
}

/** consume, started once serve has stopped: the backlog over the time to turn it into orders. */
async function drainOrders(bench: Bench, productId: number, n: number): Promise<EndpointDrain> {
  const { o, infra } = bench;
  o.progress.phase(`run ${n}: draining with gomall consume`);
  const pendingKey = activityKeys(o.config.redis.key_prefix, productId).pending;
  const consume = await startConsume(bench.children, bench.probe, `consume-${n}.log`);
  try {
    // Timed from the first look that sees the consumer: what it did before is not counted.
    const orders = await infra.redis.hlen(pendingKey);
    const figures = await waitForDrain({
      redis: infra.redis,
      keyPrefix: o.config.redis.key_prefix,
      productIds: [productId],
      probe: bench.probe,
      timeoutMs: o.drainTimeoutMs,
      pollMs: DRAIN_POLL_MS,
      signal: o.signal,
    });
    return {
      drained: figures.drained,
      orders,
      seconds: figures.seconds,
      per_s: figures.seconds > 0 ? orders / figures.seconds : 0,
    };
  } finally {
    await consume.stop();
  }
}

/** The invariants of docs/API.md for the run's sale, and every answer a 202. */
async function verify(
  bench: Bench,
  productId: number,
  load: EndpointLoad,
  queued: number | null,
): Promise<InvariantResult[]> {
  const { invariants } = await verifySales(
    bench.infra.db,
    bench.infra.redis,
    bench.o.config.redis.key_prefix,
    [productId],
    // The demand is unknown (far below the stock): the undersell check has nothing to say.
    queued === null ? {} : { evidence: { queued, demand: new Map() } },
  );
  const answers: InvariantResult = {
    id: 'all_accepted',
    title: 'every answer a 202 (stock and limit far above the load)',
    status: load.non_202 === 0 ? 'PASS' : 'FAIL',
    detail:
      (load.non_202 === 0
        ? `${load.requests} answers, all 202`
        : `${load.non_202} of ${load.requests} answers were not a 202`) +
      (load.transport_errors > 0 ? ` (${load.transport_errors} requests got no answer)` : ''),
  };
  return [...invariants, answers];
}

async function report(
  bench: Bench,
  buyers: BuyerSet,
  runs: EndpointRun[],
): Promise<EndpointBenchResult> {
  const { o } = bench;
  const median = medians(runs);
  const comparison = o.compareWith ? await compareWithRecord(o.compareWith, median) : null;
  return {
    mode: 'baseline-bare',
    load_tool: bench.tool.name,
    load_tool_note: bench.tool.note,
    pinning: bench.pins.note,
    connections: o.connections,
    duration: `${o.durationSeconds}s`,
    warm_up: `${o.warmUpSeconds}s`,
    buyers: o.buyers,
    buyers_reused: buyers.reused,
    stock: o.stock,
    limit_per_user: ENDPOINT_LIMIT_PER_USER,
    server_node_options: o.nodeOptions ?? process.env['NODE_OPTIONS'] ?? SERVER_NODE_OPTIONS,
    load_average: loadavg().map((l) => Math.round(l * 100) / 100),
    runs,
    median,
    comparison,
    bench_rss_mb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
    phases: bench.clock.list(),
    elapsed_seconds: (Date.now() - bench.started) / 1000,
    exit_code: runs.every((r) => r.hold) ? 0 : 1,
  };
}

async function closeBench(bench: Bench, failed: boolean): Promise<void> {
  await bench.probe.close();
  await bench.infra.close();
  if (failed && !bench.o.signal.aborted) bench.o.progress.phase(`bench: logs kept in ${bench.dir}`);
  else await rm(bench.dir, { recursive: true, force: true });
}
