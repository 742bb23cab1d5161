// One k6 scenario built from environment variables, so `gomall bench` (or a person running k6)
// picks the load shape without editing scripts:
//   EXECUTOR   shared-iterations | per-vu-iterations | constant-vus | constant-arrival-rate | ramping-arrival-rate
//   VUS        VUs (pre-allocated VUs for the arrival-rate executors); MAX_VUS caps those
//   ITERATIONS total (shared-iterations) or per VU (per-vu-iterations)
//   RATE       iterations per second (arrival-rate executors)
//   DURATION   how long duration-based executors run; RAMP_UP for ramping-arrival-rate
import type { Scenario } from 'k6/options';

export interface ScenarioDefaults {
  executor: Scenario['executor'];
  vus: number;
  /** Total iterations for shared-iterations. */
  iterations: number;
  duration: string;
  rate: number;
}

export function scenarioFromEnv(defaults: ScenarioDefaults): Scenario {
  const executor = __ENV.EXECUTOR || defaults.executor;
  const vus = positiveInt('VUS', defaults.vus);
  const duration = __ENV.DURATION || defaults.duration;
  const rate = positiveInt('RATE', defaults.rate);
  const maxVUs = Math.max(vus, positiveInt('MAX_VUS', vus * 2));
  switch (executor) {
    case 'shared-iterations': {
      const iterations = positiveInt('ITERATIONS', defaults.iterations);
      return {
        executor,
        vus: Math.min(vus, iterations),
        iterations,
        maxDuration: __ENV.MAX_DURATION || '10m',
      };
    }
    case 'per-vu-iterations': {
      const perVu = positiveInt('ITERATIONS', Math.ceil(defaults.iterations / vus));
      return { executor, vus, iterations: perVu, maxDuration: __ENV.MAX_DURATION || '10m' };
    }
    case 'constant-vus':
      return { executor, vus, duration };
    case 'constant-arrival-rate':
      return { executor, rate, timeUnit: '1s', duration, preAllocatedVUs: vus, maxVUs };
    case 'ramping-arrival-rate':
      return {
        executor,
        startRate: 0,
        timeUnit: '1s',
        preAllocatedVUs: vus,
        maxVUs,
        stages: [
          { target: rate, duration: __ENV.RAMP_UP || '5s' },
          { target: rate, duration },
        ],
      };
    default:
      throw new Error(
        `EXECUTOR="${executor}" is not one of shared-iterations, per-vu-iterations, constant-vus, constant-arrival-rate, ramping-arrival-rate`,
      );
  }
}

function positiveInt(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}="${raw}" must be a positive integer`);
  return n;
}
