// constant-vus: `vus` VUs loop over iterations for `duration`.
import type { ScenarioRun } from '../scenario-run.js';

export function startConstantVus(run: ScenarioRun, vus: number, durationMs: number): void {
  const begun = performance.now();
  run.progress = () => Math.min(1, (performance.now() - begun) / durationMs);
  run.after(durationMs, () => run.stop(true));
  for (let i = 0; i < vus; i++) void run.loop(run.newVu(), () => true);
}
