// Runs all scenarios of a test side by side, each from its startTime, until every one has
// finished. An abort (signal, abortOnFail threshold, exec.test.abort()) stops them all
// gracefully; scenarios that had not started yet never start.
import type { ScenarioConfig } from '../options/scenario-config.js';
import type { EngineRuntime } from '../runtime/runtime.js';
import { startExecutor } from './executors/index.js';
import { ScenarioRun, type IterationFn } from './scenario-run.js';

export interface ScenariosOutcome {
  abortReason: string | undefined;
}

export async function runScenarios(
  rt: EngineRuntime,
  configs: readonly ScenarioConfig[],
  functions: (config: ScenarioConfig) => IterationFn,
  data: unknown,
  signal: AbortSignal | undefined,
): Promise<ScenariosOutcome> {
  const runs = configs.map((config) => new ScenarioRun(config, rt, functions(config), data));
  const startTimers: NodeJS.Timeout[] = [];
  let abortReason: string | undefined;

  const abortAll = (reason: string): void => {
    if (abortReason !== undefined) return;
    abortReason = reason;
    rt.log('warn', `stopping the test: ${reason}`);
    for (const timer of startTimers) clearTimeout(timer);
    for (const run of runs) run.stop(true);
  };
  rt.onAbort(abortAll);
  const onSignal = (): void => abortAll('aborted by the caller');
  if (signal?.aborted === true) onSignal();
  signal?.addEventListener('abort', onSignal, { once: true });

  try {
    for (const run of runs) {
      if (run.stopping) continue;
      const begin = (): void => {
        if (run.stopping) return;
        run.markStarted();
        startExecutor(rt, run);
      };
      if (run.config.startTimeMs > 0) startTimers.push(setTimeout(begin, run.config.startTimeMs));
      else begin();
    }
    await Promise.all(runs.map((run) => run.done));
  } finally {
    signal?.removeEventListener('abort', onSignal);
    rt.onAbort(() => {});
  }
  return { abortReason };
}
