// shared-iterations: `iterations` in total, taken from one counter by `vus` VUs, each as soon
// as it is free; the scenario ends when the counter is exhausted (or after maxDuration).
import type { ScenarioRun } from '../scenario-run.js';
import { runIterationLoops } from './iteration-loops.js';

export function startSharedIterations(
  run: ScenarioRun,
  vus: number,
  iterations: number,
  maxDurationMs: number,
): void {
  let claimed = 0;
  const claim = (): boolean => (claimed < iterations ? (claimed++, true) : false);
  run.progress = () => Math.min(1, claimed / iterations);
  runIterationLoops(run, vus, maxDurationMs, () => claim);
}
