// constant-arrival-rate and ramping-arrival-rate: iterations start on the schedule's clock,
// whatever the response times, each on an idle VU. VUs are pre-allocated, more are added up to
// maxVUs when all are busy, and an iteration that finds no VU is dropped (dropped_iterations).
import type { EngineRuntime } from '../../runtime/runtime.js';
import type { VuState } from '../../runtime/vu.js';
import type { ScenarioRun } from '../scenario-run.js';
import type { ArrivalSchedule } from './arrival-schedule.js';

// Timers are not exact: wake a little early rather than late, and never busy-wait.
const MIN_SLEEP_MS = 1;

export function startArrivalRate(
  rt: EngineRuntime,
  run: ScenarioRun,
  schedule: ArrivalSchedule,
  preAllocatedVUs: number,
  maxVUs: number,
): void {
  const idle: VuState[] = [];
  let allocated = 0;
  const allocate = (): VuState => {
    allocated++;
    rt.instance.vusActive++;
    return run.newVu();
  };
  for (let i = 0; i < preAllocatedVUs; i++) idle.push(allocate());
  run.onStop(() => {
    clearTimeout(timer);
    rt.instance.vusActive -= allocated;
  });

  const begun = performance.now();
  let started = 0;
  let timer: NodeJS.Timeout | undefined;
  run.progress = () => Math.min(1, (performance.now() - begun) / schedule.totalMs);

  const tick = (): void => {
    if (run.stopping) return;
    const elapsed = performance.now() - begun;
    const due = schedule.dueBy(elapsed);
    while (started < due) {
      started++;
      const vu = idle.pop() ?? (allocated < maxVUs ? allocate() : undefined);
      if (vu === undefined) {
        rt.metrics.droppedIterations.sink.add(1);
        continue;
      }
      void run.startOn(vu).then(() => idle.push(vu));
    }
    if (elapsed >= schedule.totalMs || started >= schedule.total) {
      // The last iteration was started; in-flight ones get gracefulStop from the schedule's end.
      const left = Math.max(0, schedule.totalMs - elapsed);
      if (left === 0) run.stop(true);
      else timer = setTimeout(() => run.stop(true), left);
      return;
    }
    const wait = schedule.dueAt(started) - (performance.now() - begun);
    timer = setTimeout(tick, Math.max(MIN_SLEEP_MS, wait));
  };
  tick();
}
