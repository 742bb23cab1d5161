// Starts the executor a scenario names.
import type { EngineRuntime } from '../../runtime/runtime.js';
import type { ScenarioRun } from '../scenario-run.js';
import { startArrivalRate } from './arrival-rate.js';
import { ArrivalSchedule } from './arrival-schedule.js';
import { startConstantVus } from './constant-vus.js';
import { startPerVuIterations } from './per-vu-iterations.js';
import { startRampingVus } from './ramping-vus.js';
import { startSharedIterations } from './shared-iterations.js';

export function startExecutor(rt: EngineRuntime, run: ScenarioRun): void {
  const c = run.config;
  switch (c.executor) {
    case 'shared-iterations':
      return startSharedIterations(run, c.vus, c.iterations, c.maxDurationMs);
    case 'per-vu-iterations':
      return startPerVuIterations(run, c.vus, c.iterations, c.maxDurationMs);
    case 'constant-vus':
      return startConstantVus(run, c.vus, c.durationMs);
    case 'ramping-vus':
      return startRampingVus(run, c.startVUs, c.stages);
    case 'constant-arrival-rate':
      return startArrivalRate(
        rt,
        run,
        ArrivalSchedule.constant(c.rate, c.timeUnitMs, c.durationMs),
        c.preAllocatedVUs,
        c.maxVUs,
      );
    case 'ramping-arrival-rate':
      return startArrivalRate(
        rt,
        run,
        new ArrivalSchedule(c.startRate, c.timeUnitMs, c.stages),
        c.preAllocatedVUs,
        c.maxVUs,
      );
  }
}
