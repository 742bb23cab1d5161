import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { runEndpointBench } from '../../src/bench/endpoint/run-endpoint-bench.js';
import type { EndpointBenchResult } from '../../src/bench/endpoint/types.js';
import { parseDuration } from '../../src/bench/engine/options/duration.js';
import { resolveScenario, SHIPPED_SCENARIOS } from '../../src/bench/load/scenario.js';
import { endpointText } from '../../src/bench/output/endpoint-tables.js';
import { Progress } from '../../src/bench/output/progress.js';
import { benchText } from '../../src/bench/output/tables.js';
import { runBench } from '../../src/bench/run-bench.js';
import type { BenchResult } from '../../src/bench/types.js';

/** Exit code for a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED = 130;
const DEFAULT_STOCK = 500;
/** --baseline bare: every request must reserve, so the stock is never the limit. */
const BARE_STOCK = 10_000_000;
const BARE_RUNS = 3;
const BARE_DURATION = '10s';
/** Flags of the flash-sale bench that mean nothing to --baseline bare. */
const NOT_WITH_BARE = ['scenario', 'products', 'rate', 'target', 'report', 'engine'] as const;

export default class Bench extends BaseCommand<typeof Bench> {
  static override summary = 'Load-test a flash sale end to end and verify its invariants.';
  static override description = withExitCodes(
    'Creates --buyers buyers (one shared password hash, tokens minted here) and --products products with --stock units each, opens their flash sales, starts serve --workers N and consume (or drives --target), runs a k6 scenario (k6 when installed, else the built-in engine), waits for the orders queue and the outbox to drain, then checks every invariant of docs/API.md in MySQL and Redis: no oversell, no undersell, every 202 one order row, no buyer over the limit, Redis stock + sold + pending = stock, MySQL stock consistent. The global and per-client API caps of the servers it starts are lifted for the measurement (it says so); the per-user seckill limit stays. The same load then runs against a bare express route and a naive MySQL-only sale, for comparison.\n\n--baseline bare measures the endpoint instead: --runs times, a bare node:http server and then gomall serve (alone, on CPU 0) each take --duration of POST /api/seckill from wrk on CPU 1 (the built-in engine when wrk is missing, labelled as such), every request a real reservation; consume then drains the backlog (the drain rate), and the invariants are checked per run. It prints each run and the medians (ratio gomall ÷ bare, p99, drain rate, server RSS); --compare FILE sets the medians against the last figures recorded in FILE.',
    'an invariant is broken (in any run of --baseline bare), or the run failed',
    {
      99: 'a threshold of the scenario failed (every invariant held)',
      [INTERRUPTED]: 'interrupted (Ctrl-C, SIGTERM); the servers it started are stopped',
    },
  );
  static override examples = [
    '<%= config.bin %> bench',
    '<%= config.bin %> bench --buyers 20000 --stock 1000 --workers 2 --report bench.html',
    '<%= config.bin %> bench --scenario multi-sale --products 5 --buyers 10000 --stock 200',
    '<%= config.bin %> bench --rate 2000 --duration 20s --vus 300',
    '<%= config.bin %> bench --target http://10.0.0.5:8080 --env prod --no-baselines',
    '<%= config.bin %> bench --buyers 50000 --stock 10000 --no-baselines --reuse-buyers',
    '<%= config.bin %> bench --buyers 300 --stock 50 --no-baselines --json',
    '<%= config.bin %> bench --baseline bare --buyers 10000',
    '<%= config.bin %> bench --baseline bare --runs 5 --duration 20s --node-options=--max-old-space-size=128',
    '<%= config.bin %> bench --baseline bare --buyers 10000 --compare docs/PERFORMANCE.md --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    scenario: Flags.string({
      description: `${SHIPPED_SCENARIOS.join(', ')}, or the path of a k6 script`,
      default: 'flash-sale',
    }),
    buyers: Flags.integer({
      description: 'Buyers to create (each sends one request in the seckill scenarios)',
      default: 5000,
      min: 1,
    }),
    'reuse-buyers': Flags.boolean({
      description:
        'Use the buyers an earlier run prepared for the same database, JWT settings and --buyers while their rows and tokens are good (else prepare new ones)',
      default: false,
    }),
    'anti-bot': Flags.string({
      options: ['none', 'path'],
      default: 'none',
      description:
        'Open the sales with anti-bot tokens: each buyer fetches a one-time token, then buys with it (seckill scenarios)',
    }),
    stock: Flags.integer({
      description: `Units on sale per product [default: ${DEFAULT_STOCK}; --baseline bare: ${BARE_STOCK.toLocaleString('en-US')}]`,
      min: 0,
    }),
    products: Flags.integer({
      description: 'Products (multi-sale, browse-and-buy) [default: 3; flash-sale: 1]',
      min: 1,
    }),
    vus: Flags.integer({
      description:
        "Virtual users (pre-allocated VUs with --rate; connections with --baseline bare) [default: the scenario's, 100]",
      min: 1,
    }),
    rate: Flags.integer({
      description:
        'Iterations per second (constant arrival rate) instead of every buyer as fast as the VUs go',
      min: 1,
    }),
    duration: Flags.string({
      description: `How long --rate runs, or constant VUs for this long ("30s", "1m"); each measured load of --baseline bare [default there: ${BARE_DURATION}]`,
    }),
    target: Flags.string({
      description:
        "Drive this running server instead of starting one (it must share this config's MySQL, Redis and jwt.secret)",
    }),
    workers: Flags.integer({
      description: 'serve --workers for the server the bench starts',
      default: 1,
      min: 1,
    }),
    engine: Flags.string({
      description: 'Load engine',
      options: ['auto', 'k6', 'builtin'],
      default: 'auto',
    }),
    report: Flags.string({
      description: 'Write a self-contained HTML report with charts to this file',
    }),
    'drain-timeout': Flags.string({
      description: 'Longest wait for the queue and the outbox to drain',
      default: '60s',
    }),
    'warm-up': Flags.string({
      description:
        'Before each measured load, run the scenario this long against a product without a sale ("0": none); with --baseline bare, the same load on the same sale',
      default: '2s',
    }),
    baselines: Flags.boolean({
      description: 'Measure the bare-express and naive-MySQL baselines in the same run',
      default: true,
      allowNo: true,
    }),
    baseline: Flags.string({
      description:
        'bare: measure POST /api/seckill against a bare node:http server instead (see the description)',
      options: ['bare'],
    }),
    runs: Flags.integer({
      description: `Runs of --baseline bare; the medians are reported [default: ${BARE_RUNS}]`,
      min: 1,
      dependsOn: ['baseline'],
    }),
    'load-tool': Flags.string({
      description:
        'Load tool of --baseline bare: wrk when installed (auto), or the built-in engine',
      options: ['auto', 'wrk', 'builtin'],
      default: 'auto',
    }),
    'node-options': Flags.string({
      description:
        'NODE_OPTIONS of the gomall serve the bench starts [default: --max-semi-space-size=8]',
    }),
    compare: Flags.string({
      description:
        'With --baseline bare: print the medians against the last figures recorded in this file (docs/PERFORMANCE.md)',
      dependsOn: ['baseline'],
    }),
  };

  async run(): Promise<BenchResult | EndpointBenchResult> {
    const f = this.flags;
    const drainTimeoutMs = parseDuration(f['drain-timeout'], '--drain-timeout');
    if (f.duration !== undefined) parseDuration(f.duration, '--duration');
    const warmUpMs = parseDuration(f['warm-up'], '--warm-up');
    const progress = new Progress(this.jsonEnabled());

    const controller = new AbortController();
    const interrupt = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    let result: BenchResult | EndpointBenchResult;
    try {
      if (f.baseline === 'bare') {
        for (const flag of NOT_WITH_BARE) {
          if (this.argv.some((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`)))
            throw new Error(`--${flag} does not apply with --baseline bare`);
        }
        result = await runEndpointBench({
          config: this.settings,
          env: f.env,
          configFile: f.config,
          runs: f.runs ?? BARE_RUNS,
          buyers: f.buyers,
          reuseBuyers: f['reuse-buyers'],
          stock: f.stock ?? BARE_STOCK,
          connections: f.vus ?? 100,
          durationSeconds: parseDuration(f.duration ?? BARE_DURATION, '--duration') / 1000,
          warmUpSeconds: warmUpMs / 1000,
          workers: f.workers,
          loadTool: f['load-tool'] as 'auto' | 'wrk' | 'builtin',
          nodeOptions: f['node-options'],
          drainTimeoutMs,
          compareWith: f.compare,
          progress,
          signal: controller.signal,
        });
      } else {
        result = await runBench({
          config: this.settings,
          env: f.env,
          configFile: f.config,
          ...this.flashSaleShape(),
          buyers: f.buyers,
          reuseBuyers: f['reuse-buyers'],
          antiBot: f['anti-bot'] as 'none' | 'path',
          stock: f.stock ?? DEFAULT_STOCK,
          vus: f.vus,
          rate: f.rate,
          duration: f.duration,
          target: f.target,
          workers: f.workers,
          nodeOptions: f['node-options'],
          engine: f.engine as 'auto' | 'k6' | 'builtin',
          reportFile: f.report,
          drainTimeoutMs,
          warmUp: f['warm-up'],
          baselines: f.baselines,
          progress,
          json: this.jsonEnabled(),
          signal: controller.signal,
        });
      }
    } catch (error) {
      if (controller.signal.aborted) {
        process.stderr.write('gomall: bench interrupted; the servers it started are stopped\n');
        this.exit(INTERRUPTED);
      }
      throw error;
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
    this.log('mode' in result ? endpointText(result) : benchText(result));
    if (result.exit_code !== 0) process.exitCode = result.exit_code;
    return result;
  }

  /** --scenario and --products of the flash-sale bench, checked against each other. */
  private flashSaleShape() {
    const f = this.flags;
    const scenario = resolveScenario(f.scenario);
    if (f.scenario === 'flash-sale' && f.products !== undefined && f.products !== 1) {
      throw new Error(
        '--products: flash-sale sells one product; use --scenario multi-sale for several',
      );
    }
    const products =
      f.products ?? (f.scenario === 'multi-sale' || f.scenario === 'browse-and-buy' ? 3 : 1);
    if (f.target !== undefined && !/^https?:\/\/[^/]+/.test(f.target))
      throw new Error(`--target: "${f.target}" is not an http(s) URL`);
    return { scenario, products };
  }
}
