// When arrival-rate iterations are due. The rate (iterations per ms) is piecewise linear, so
// N(t), the number due by time t, is piecewise quadratic and can be inverted exactly: the
// scheduler sleeps until the next iteration is due instead of polling.
import type { Stage } from '../../options/scenario-config.js';

interface Segment {
  readonly startMs: number;
  readonly durationMs: number;
  /** Iterations per ms at the start and the end of the segment. */
  readonly fromRate: number;
  readonly toRate: number;
  /** Iterations due before the segment starts. */
  readonly before: number;
}

export class ArrivalSchedule {
  readonly totalMs: number;
  /** Iterations the whole schedule starts. */
  readonly total: number;
  private readonly segments: Segment[] = [];

  constructor(startRate: number, timeUnitMs: number, stages: readonly Stage[]) {
    let startMs = 0;
    let before = 0;
    let from = startRate / timeUnitMs;
    for (const stage of stages) {
      const to = stage.target / timeUnitMs;
      this.segments.push({
        startMs,
        durationMs: stage.durationMs,
        fromRate: from,
        toRate: to,
        before,
      });
      before += ((from + to) / 2) * stage.durationMs;
      startMs += stage.durationMs;
      from = to;
    }
    this.totalMs = startMs;
    // Iteration k (0-based) is due when N(t) reaches k, so the first starts at t = 0.
    this.total = Math.ceil(before - 1e-9);
  }

  static constant(rate: number, timeUnitMs: number, durationMs: number): ArrivalSchedule {
    return new ArrivalSchedule(rate, timeUnitMs, [{ durationMs, target: rate }]);
  }

  /** How many iterations are due at or before `elapsedMs`. */
  dueBy(elapsedMs: number): number {
    if (elapsedMs >= this.totalMs) return this.total;
    const n = Math.floor(this.expectedBy(elapsedMs) + 1e-9) + 1;
    return Math.min(this.total, n);
  }

  /** When iteration `k` (0-based) is due, in ms from the start; Infinity past the end. */
  dueAt(k: number): number {
    if (k >= this.total) return Infinity;
    for (const s of this.segments) {
      const inSegment = ((s.fromRate + s.toRate) / 2) * s.durationMs;
      if (k > s.before + inSegment) continue;
      const need = k - s.before;
      const slope = (s.toRate - s.fromRate) / s.durationMs;
      let tau: number;
      if (Math.abs(slope) < 1e-15) tau = s.fromRate > 0 ? need / s.fromRate : 0;
      else {
        // fromRate·τ + slope·τ²/2 = need
        const disc = s.fromRate * s.fromRate + 2 * slope * need;
        tau = (-s.fromRate + Math.sqrt(Math.max(0, disc))) / slope;
      }
      return s.startMs + Math.min(Math.max(tau, 0), s.durationMs);
    }
    return this.totalMs;
  }

  private expectedBy(elapsedMs: number): number {
    for (const s of this.segments) {
      if (elapsedMs > s.startMs + s.durationMs) continue;
      const tau = elapsedMs - s.startMs;
      const slope = (s.toRate - s.fromRate) / s.durationMs;
      return s.before + s.fromRate * tau + (slope * tau * tau) / 2;
    }
    return this.total;
  }
}
