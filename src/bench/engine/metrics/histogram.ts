// A log-linear histogram in the spirit of HdrHistogram: every power of two ("octave") is cut
// into SUB equal buckets, so a bucket is at most 1/SUB (0.78 %) of its value wide whatever the
// magnitude. Memory depends on how many octaves the values span (at most OCTAVES × SUB
// counters), never on how many values were added: a million latencies cost what a thousand do.
//
// The bucket of a value is read straight from its IEEE-754 bits (exponent = octave, top
// mantissa bits = bucket), which is exact at bucket edges and cheaper than Math.log2.

const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
const SUB_MASK = SUB - 1;
// Octaves kept: 2^-64 .. 2^64 around 1. Values outside are clamped into the edge octaves; their
// exact min/max are still tracked, so p(0)/p(100) stay exact.
const MIN_EXP = 1023 - 64;
const OCTAVES = 128;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
// Index of the 32-bit word holding sign, exponent and the top of the mantissa.
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

export class LogHistogram {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  private zeros = 0;
  // Negative values are rare (custom Trends only); they live in a mirror histogram of -v.
  private negatives: LogHistogram | undefined;
  private readonly octaves: (Float64Array | undefined)[] = new Array<Float64Array | undefined>(
    OCTAVES,
  );
  private readonly octaveTotals = new Float64Array(OCTAVES);

  add(value: number): void {
    if (value !== value) return; // NaN carries no information and would poison sum/min/max
    this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (value > 0) this.addPositive(value);
    else if (value === 0) this.zeros++;
    else (this.negatives ??= new LogHistogram()).add(-value);
  }

  private addPositive(value: number): void {
    scratch[0] = value;
    const high = scratchWords[HIGH_WORD] as number;
    let octave = (high >>> 20) - MIN_EXP;
    let sub = (high >>> (20 - SUB_BITS)) & SUB_MASK;
    if (octave < 0) {
      octave = 0;
      sub = 0;
    } else if (octave >= OCTAVES) {
      octave = OCTAVES - 1;
      sub = SUB_MASK;
    }
    let buckets = this.octaves[octave];
    if (buckets === undefined) {
      buckets = new Float64Array(SUB);
      this.octaves[octave] = buckets;
    }
    buckets[sub] = (buckets[sub] as number) + 1;
    this.octaveTotals[octave] = (this.octaveTotals[octave] as number) + 1;
  }

  get avg(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /**
   * The p-th percentile (0..100) with k6's definition: linear interpolation between the two
   * closest ranks of the sorted samples. Within a bucket, samples are assumed evenly spread,
   * so the error stays below one bucket width (< 1 %). An empty histogram answers 0, as k6 does.
   */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    if (p <= 0) return this.min;
    if (p >= 100) return this.max;
    const rank = ((this.count - 1) * p) / 100;
    const lower = Math.floor(rank);
    const a = this.valueAtRank(lower);
    if (lower === rank) return a;
    const b = this.valueAtRank(lower + 1);
    return a + (b - a) * (rank - lower);
  }

  /** Estimated value of the sample with 0-based rank r in sorted order. */
  private valueAtRank(rank: number): number {
    let value: number;
    const negativeCount = this.negatives?.count ?? 0;
    if (rank < negativeCount && this.negatives !== undefined) {
      // Sorted ascending, negatives come first with the largest magnitude first.
      value = -this.negatives.positiveAtRank(negativeCount - 1 - rank);
    } else if (rank < negativeCount + this.zeros) {
      value = 0;
    } else {
      value = this.positiveAtRank(rank - negativeCount - this.zeros);
    }
    return value < this.min ? this.min : value > this.max ? this.max : value;
  }

  private positiveAtRank(rank: number): number {
    let seen = 0;
    for (let octave = 0; octave < OCTAVES; octave++) {
      const total = this.octaveTotals[octave] as number;
      if (seen + total <= rank) {
        seen += total;
        continue;
      }
      const buckets = this.octaves[octave] as Float64Array;
      for (let sub = 0; sub < SUB; sub++) {
        const n = buckets[sub] as number;
        if (seen + n > rank) {
          const low = bucketLowerBound(octave, sub);
          const width = bucketLowerBound(octave, sub + 1) - low;
          // Spread the bucket's n samples evenly: the i-th sits at the middle of its 1/n slice.
          return low + (width * (rank - seen + 0.5)) / n;
        }
        seen += n;
      }
    }
    return this.max;
  }

  /** Forgets every sample but keeps the allocated octaves, for per-second reuse. */
  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.zeros = 0;
    this.negatives?.reset();
    for (let octave = 0; octave < OCTAVES; octave++) {
      if ((this.octaveTotals[octave] as number) === 0) continue;
      this.octaves[octave]?.fill(0);
      this.octaveTotals[octave] = 0;
    }
  }

  /** Bytes held by bucket counters: grows with the range of values, not with their number. */
  get bucketBytes(): number {
    let bytes = this.octaveTotals.byteLength;
    for (const buckets of this.octaves) if (buckets !== undefined) bytes += buckets.byteLength;
    return bytes + (this.negatives?.bucketBytes ?? 0);
  }
}

function bucketLowerBound(octave: number, sub: number): number {
  return 2 ** (octave + MIN_EXP - 1023) * (1 + sub / SUB);
}
