// How long each phase of a bench run took, in the order they started, for the result and the
// text output (where a slow run spends its time: preparing, starting, loading, draining...).
import type { PhaseTiming } from './types.js';

export class PhaseClock {
  private readonly timings: PhaseTiming[] = [];

  async time<T>(phase: string, body: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const timing: PhaseTiming = { phase, seconds: 0 };
    this.timings.push(timing);
    try {
      return await body();
    } finally {
      timing.seconds = Math.round(performance.now() - started) / 1000;
    }
  }

  list(): PhaseTiming[] {
    return this.timings.map((t) => ({ ...t }));
  }
}
