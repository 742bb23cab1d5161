// per-vu-iterations: each of `vus` VUs runs exactly `iterations` iterations (or until maxDuration).
import type { ScenarioRun } from '../scenario-run.js';
import { runIterationLoops } from './iteration-loops.js';

export function startPerVuIterations(
  run: ScenarioRun,
  vus: number,
  iterations: number,
  maxDurationMs: number,
): void {
  let claimed = 0;
  run.progress = () => Math.min(1, claimed / (vus * iterations));
  runIterationLoops(run, vus, maxDurationMs, () => {
    let mine = 0;
    return () => (mine < iterations ? (mine++, claimed++, true) : false);
  });
}
