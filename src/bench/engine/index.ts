// gomall's built-in load engine: runs k6 scenario files without k6. See docs/BENCH.md.
export { runScenario } from './run-scenario.js';
export { ScenarioLoadError } from './errors.js';
export { SUPPORTED_K6_MODULES } from './modules/index.js';
export { SUPPORTED_EXECUTORS } from './options/scenario-config.js';
export { LogHistogram } from './metrics/histogram.js';
export type {
  EngineLogLevel,
  EngineResult,
  K6Summary,
  K6SummaryCheck,
  K6SummaryGroup,
  K6SummaryMetric,
  ProgressSnapshot,
  RunScenarioOptions,
  ScriptErrorCount,
  SecondBucket,
} from './types.js';
