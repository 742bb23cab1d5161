// per-vu-iterations: each of `vus` VUs runs exactly `iterations` iterations (or until maxDuration).
import type { ScenarioRun } from '../scenario-run.js';

export function startPerVuIterations(
  run: ScenarioRun,
  vus: number,
  iterations: number,
  maxDurationMs: number,
): void {
  let claimed = 0;
  run.progress = () => Math.min(1, claimed / (vus * iterations));
  run.after(maxDurationMs, () => run.stop(true));
  const loops = Array.from({ length: vus }, () => {
    let mine = 0;
    return run.loop(run.newVu(), () => (mine < iterations ? (mine++, claimed++, true) : false));
  });
  void Promise.all(loops).then(() => run.stop(false));
}
