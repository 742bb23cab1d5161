// ramping-vus: the number of looping VUs follows the stages linearly from startVUs. VUs above
// the target finish their iteration and park (k6 would interrupt them after gracefulRampDown;
// here they simply end the iteration they are in); parked VUs resume when the target rises.
import type { Stage } from '../../options/scenario-config.js';
import type { VuState } from '../../runtime/vu.js';
import type { ScenarioRun } from '../scenario-run.js';

const CONTROL_INTERVAL_MS = 100;

export function startRampingVus(
  run: ScenarioRun,
  startVUs: number,
  stages: readonly Stage[],
): void {
  const totalMs = stages.reduce((sum, s) => sum + s.durationMs, 0);
  const begun = performance.now();
  // Like k6, every VU the stages can need is initialized up front (vus_max).
  const peak = Math.max(startVUs, ...stages.map((s) => s.target));
  const vus: VuState[] = Array.from({ length: peak }, () => run.newVu());
  const looping: boolean[] = [];
  let target = startVUs;

  const ensureLoops = (): void => {
    for (let i = 0; i < target; i++) {
      if (looping[i] === true) continue;
      const vu = vus[i] as VuState;
      looping[i] = true;
      void run
        .loop(vu, () => i < target)
        .then(() => {
          looping[i] = false;
        });
    }
  };

  const control = setInterval(() => {
    target = vusAt(startVUs, stages, performance.now() - begun);
    if (!run.stopping) ensureLoops();
  }, CONTROL_INTERVAL_MS);
  run.onStop(() => clearInterval(control));
  run.progress = () => Math.min(1, (performance.now() - begun) / totalMs);
  run.after(totalMs, () => run.stop(true));
  ensureLoops();
}

/** Target VU count at `elapsedMs`, interpolated within the current stage. */
export function vusAt(startVUs: number, stages: readonly Stage[], elapsedMs: number): number {
  let from = startVUs;
  let t = elapsedMs;
  for (const stage of stages) {
    if (t < stage.durationMs)
      return Math.round(from + ((stage.target - from) * t) / stage.durationMs);
    t -= stage.durationMs;
    from = stage.target;
  }
  return from;
}
