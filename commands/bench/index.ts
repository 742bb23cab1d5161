import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { parseDuration } from '../../src/bench/engine/options/duration.js';
import { resolveScenario, SHIPPED_SCENARIOS } from '../../src/bench/load/scenario.js';
import { Progress } from '../../src/bench/output/progress.js';
import { benchText } from '../../src/bench/output/tables.js';
import { runBench } from '../../src/bench/run-bench.js';
import type { BenchResult } from '../../src/bench/types.js';

/** Exit code for a run stopped by Ctrl-C (128 + SIGINT), as shells report it. */
const INTERRUPTED = 130;

export default class Bench extends BaseCommand<typeof Bench> {
  static override summary = 'Load-test a flash sale end to end and verify its invariants.';
  static override description =
    'Creates --buyers buyers (one shared password hash, tokens minted here) and --products products with --stock units each, opens their flash sales, starts serve --workers N and consume (or drives --target), runs a k6 scenario (k6 when installed, else the built-in engine), waits for the orders queue and the outbox to drain, then checks every invariant of DESIGN §3 in MySQL and Redis: no oversell, no undersell, every 202 one order row, no buyer over the limit, Redis stock + sold + pending = stock, MySQL stock consistent. The global and per-client API caps of the servers it starts are lifted for the measurement (it says so); the per-user seckill limit stays. The same load then runs against a bare express route and a naive MySQL-only sale, for comparison. Exit 0 when every invariant holds, 1 when one is broken, 99 when a threshold of the scenario failed.';
  static override examples = [
    '<%= config.bin %> bench',
    '<%= config.bin %> bench --buyers 20000 --stock 1000 --workers 2 --report bench.html',
    '<%= config.bin %> bench --scenario multi-sale --products 5 --buyers 10000 --stock 200',
    '<%= config.bin %> bench --rate 2000 --duration 20s --vus 300',
    '<%= config.bin %> bench --target http://10.0.0.5:8080 --env prod --no-baselines',
    '<%= config.bin %> bench --buyers 300 --stock 50 --no-baselines --json',
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
    stock: Flags.integer({ description: 'Units on sale per product', default: 500, min: 0 }),
    products: Flags.integer({
      description: 'Products (multi-sale, browse-and-buy) [default: 3; flash-sale: 1]',
      min: 1,
    }),
    vus: Flags.integer({
      description: "Virtual users (pre-allocated VUs with --rate) [default: the scenario's, 100]",
      min: 1,
    }),
    rate: Flags.integer({
      description:
        'Iterations per second (constant arrival rate) instead of every buyer as fast as the VUs go',
      min: 1,
    }),
    duration: Flags.string({
      description: 'How long --rate runs, or constant VUs for this long ("30s", "1m")',
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
        'Before each measured load, run the scenario this long against a product without a sale ("0": none)',
      default: '2s',
    }),
    baselines: Flags.boolean({
      description: 'Measure the bare-express and naive-MySQL baselines in the same run',
      default: true,
      allowNo: true,
    }),
  };

  async run(): Promise<BenchResult> {
    const f = this.flags;
    const scenario = resolveScenario(f.scenario);
    if (f.scenario === 'flash-sale' && f.products !== undefined && f.products !== 1) {
      throw new Error(
        '--products: flash-sale sells one product; use --scenario multi-sale for several',
      );
    }
    const products =
      f.products ?? (f.scenario === 'multi-sale' || f.scenario === 'browse-and-buy' ? 3 : 1);
    const drainTimeoutMs = parseDuration(f['drain-timeout'], '--drain-timeout');
    if (f.duration !== undefined) parseDuration(f.duration, '--duration');
    parseDuration(f['warm-up'], '--warm-up');
    if (f.target !== undefined && !/^https?:\/\/[^/]+/.test(f.target))
      throw new Error(`--target: "${f.target}" is not an http(s) URL`);

    const controller = new AbortController();
    const interrupt = () => controller.abort(new Error('interrupted'));
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    let result: BenchResult;
    try {
      result = await runBench({
        config: this.settings,
        env: f.env,
        configFile: f.config,
        scenario,
        buyers: f.buyers,
        stock: f.stock,
        products,
        vus: f.vus,
        rate: f.rate,
        duration: f.duration,
        target: f.target,
        workers: f.workers,
        engine: f.engine as 'auto' | 'k6' | 'builtin',
        reportFile: f.report,
        drainTimeoutMs,
        warmUp: f['warm-up'],
        baselines: f.baselines,
        progress: new Progress(this.jsonEnabled()),
        json: this.jsonEnabled(),
        signal: controller.signal,
      });
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
    this.log(benchText(result));
    if (result.exit_code !== 0) process.exitCode = result.exit_code;
    return result;
  }
}
