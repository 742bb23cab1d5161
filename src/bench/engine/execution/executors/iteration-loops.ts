// The shape both iteration-count executors share: `vus` VUs looping while their claim gives
// them an iteration, stopped hard at maxDuration and cleanly once every loop ran dry.
import type { ScenarioRun } from '../scenario-run.js';

export function runIterationLoops(
  run: ScenarioRun,
  vus: number,
  maxDurationMs: number,
  claimFor: () => () => boolean,
): void {
  run.after(maxDurationMs, () => run.stop(true));
  const loops = Array.from({ length: vus }, () => run.loop(run.newVu(), claimFor()));
  void Promise.all(loops).then(() => run.stop(false));
}
