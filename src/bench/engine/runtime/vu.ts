// The state of one virtual user. Iterations of one VU run one after another, so this object
// is what `__VU`, `__ITER`, `k6/execution` and group() read, found through AsyncLocalStorage
// even after the script's awaits.
import type { GroupNode } from '../checks/group-tree.js';

/** What a running scenario exposes to `exec.scenario` and to its VUs. */
export interface ScenarioInfo {
  readonly name: string;
  readonly executor: string;
  /** Epoch ms at which the scenario started. */
  readonly startTime: number;
  readonly env: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** 0..1 */
  progress(): number;
}

export class VuState {
  iterationInInstance = 0;
  iterationInScenario = 0;
  /** Scenario-wide index of the iteration running now (exec.scenario.iterationInTest). */
  iterationInTest = 0;
  /** Set when the VU was interrupted (gracefulStop ran out): its requests and sleeps then never settle. */
  dead = false;
  /** A sleep() the script did not await: the iteration waits for it before it counts as done. */
  pendingSleep: Promise<void> | null = null;
  /** Environment seen by __ENV: the run's, overlaid with the scenario's `env`. */
  env: Record<string, string>;
  readonly tags: Record<string, string | number | boolean> = {};
  /** Timers of this VU's pending sleeps, cleared if the VU is interrupted. */
  private timers: Set<NodeJS.Timeout> | null = null;

  constructor(
    readonly idInTest: number,
    public group: GroupNode,
    public scenario: ScenarioInfo | undefined,
    baseEnv: Record<string, string>,
  ) {
    this.env =
      scenario === undefined || Object.keys(scenario.env).length === 0
        ? baseEnv
        : { ...baseEnv, ...scenario.env };
  }

  /** A promise that settles after ms, unless the VU is interrupted first (then it never settles). */
  sleep(ms: number): Promise<void> {
    if (this.dead) return new Promise<void>(() => {});
    const timers = (this.timers ??= new Set());
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  }

  /** Interrupts the VU: whatever it awaits from the engine (requests, sleeps) never settles. */
  kill(): void {
    this.dead = true;
    if (this.timers === null) return;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
