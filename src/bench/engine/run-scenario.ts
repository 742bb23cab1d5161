// Runs one k6 scenario file from start to summary, in k6's order: init context (bundle import),
// options, setup(), the scenarios, teardown(), thresholds, handleSummary().
import { resolve } from 'node:path';
import { loadScenario, type LoadedScenario } from './bundle/load-scenario.js';
import { displayPath } from './bundle/k6-import-plugin.js';
import { ScenarioLoadError } from './errors.js';
import { runScenarios } from './execution/run-scenarios.js';
import type { IterationFn } from './execution/scenario-run.js';
import { createK6Modules } from './modules/index.js';
import { resolveScenarios, type ScenarioConfig } from './options/scenario-config.js';
import {
  maxVus,
  mergeOptions,
  trendStats,
  unsupportedOptionKeys,
} from './options/script-options.js';
import { EngineRuntime, type LogFn } from './runtime/runtime.js';
import { buildSummary } from './summary/build-summary.js';
import { evaluateThresholds } from './thresholds/evaluate.js';
import { parseThresholds, type MetricThresholds } from './thresholds/threshold.js';
import { RunMonitor } from './timeline/run-monitor.js';
import type { EngineResult, K6Summary, RunScenarioOptions } from './types.js';

const defaultLog: LogFn = (level, message) => {
  process.stderr.write(`[bench engine] ${level}: ${message}\n`);
};

interface Plan {
  scenarios: ScenarioConfig[];
  thresholds: MetricThresholds[];
  trendStats: string[];
}

export async function runScenario(opts: RunScenarioOptions): Promise<EngineResult> {
  const file = resolve(opts.file);
  const log = opts.log ?? defaultLog;
  const env = { ...(opts.systemEnv === false ? {} : systemEnv()), ...opts.env };
  const rt = new EngineRuntime(file, env, log);
  const modules = createK6Modules(rt);
  const script = await loadScenario(file, rt, modules);
  try {
    const options = mergeOptions(script.exports['options'], opts.options);
    const plan = planRun(file, script, options, rt);
    for (const key of unsupportedOptionKeys(options))
      log('warn', `option "${key}" is not supported by the engine and is ignored`);
    return await execute(rt, script, plan, opts);
  } finally {
    await rt.closeHttp();
    await script.dispose();
  }
}

/** Everything that can be wrong with the script's options is reported here, before any load. */
function planRun(
  file: string,
  script: LoadedScenario,
  options: Record<string, unknown>,
  rt: EngineRuntime,
): Plan {
  try {
    const scenarios = resolveScenarios(options);
    for (const s of scenarios) {
      if (typeof script.exports[s.exec] !== 'function') {
        throw new TypeError(
          s.exec === 'default'
            ? 'the script has no default function to run'
            : `scenario "${s.name}" executes "${s.exec}", which the script does not export as a function`,
        );
      }
    }
    const thresholds = parseThresholds(options['thresholds'], rt.registry);
    const stats = trendStats(options);
    rt.options = Object.freeze({ ...options });
    rt.defaultResponseType = options['discardResponseBodies'] === true ? 'none' : 'text';
    rt.recorder.refreshTagging();
    return { scenarios, thresholds, trendStats: stats };
  } catch (err) {
    throw new ScenarioLoadError(`${displayPath(file)}: ${(err as Error).message}`, { cause: err });
  }
}

async function execute(
  rt: EngineRuntime,
  script: LoadedScenario,
  plan: Plan,
  opts: RunScenarioOptions,
): Promise<EngineResult> {
  const exports = script.exports;
  rt.startHttp(maxVus(plan.scenarios));
  rt.startedAt = performance.now();

  rt.phase = 'setup';
  const setupData = await runLifecycle(rt, exports['setup'], undefined, 'setup()', true);

  rt.phase = 'run';
  const monitor = new RunMonitor(rt, plan.thresholds, opts.onProgress);
  monitor.start();
  const functions = (config: ScenarioConfig): IterationFn => exports[config.exec] as IterationFn;
  let outcome;
  try {
    outcome = await runScenarios(rt, plan.scenarios, functions, setupData, opts.signal);
  } finally {
    monitor.stop();
  }

  rt.phase = 'teardown';
  await runLifecycle(rt, exports['teardown'], setupData, 'teardown()', false);
  const testRunDurationMs = rt.elapsedMs();

  rt.phase = 'summary';
  const verdicts = evaluateThresholds(plan.thresholds, testRunDurationMs);
  const summary = buildSummary({
    registry: rt.registry,
    rootGroup: rt.rootGroup,
    verdicts,
    trendStats: plan.trendStats,
    testRunDurationMs,
    setupData,
  });
  const result: EngineResult = {
    summary,
    thresholdsFailed: verdicts.some((v) => !v.ok),
    aborted: outcome.abortReason !== undefined,
    markedFailed: rt.failMessages.length > 0,
    handleSummaryOutput: await runHandleSummary(rt, exports['handleSummary'], summary),
    timeline: monitor.timeline.buckets,
    scriptErrors: rt.errors.list(),
  };
  if (outcome.abortReason !== undefined) result.abortReason = outcome.abortReason;
  return result;
}

/**
 * setup() and teardown() run once, as VU 0. setup()'s result reaches every iteration as a
 * JSON copy, as in k6. A failing setup() fails the run; a failing teardown() is only reported.
 */
async function runLifecycle(
  rt: EngineRuntime,
  fn: unknown,
  data: unknown,
  name: string,
  fatal: boolean,
): Promise<unknown> {
  if (typeof fn !== 'function') return undefined;
  try {
    const value: unknown = await rt.als.run(rt.initVu, () => (fn as (d: unknown) => unknown)(data));
    return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
  } catch (err) {
    if (fatal) throw new Error(`${name} failed: ${(err as Error).message}`, { cause: err });
    rt.errors.report(err, name);
    return undefined;
  }
}

async function runHandleSummary(
  rt: EngineRuntime,
  fn: unknown,
  summary: K6Summary,
): Promise<Record<string, string> | undefined> {
  if (typeof fn !== 'function') return undefined;
  try {
    const output: unknown = await rt.als.run(rt.initVu, () =>
      (fn as (s: K6Summary) => unknown)(summary),
    );
    if (output === undefined || output === null) return undefined;
    if (typeof output !== 'object')
      throw new TypeError('handleSummary() must return an object of file name → content');
    const files: Record<string, string> = {};
    for (const [name, content] of Object.entries(output as Record<string, unknown>)) {
      files[name] =
        typeof content === 'string'
          ? content
          : content instanceof ArrayBuffer
            ? Buffer.from(content).toString('utf8')
            : JSON.stringify(content);
    }
    return files;
  } catch (err) {
    rt.errors.report(err, 'handleSummary()');
    return undefined;
  }
}

function systemEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return env;
}
