// The bench engine's log-bucketed histogram: percentiles within 1 % of the exact (k6-style,
// linearly interpolated) value, and memory that does not grow with the number of samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogHistogram } from '../../src/bench/engine/index.js';

/** k6's percentile over sorted samples: linear interpolation between the closest ranks. */
function exactPercentile(sorted: number[], p: number): number {
  const rank = ((sorted.length - 1) * p) / 100;
  const lower = Math.floor(rank);
  const a = sorted[lower] as number;
  const b = sorted[Math.min(lower + 1, sorted.length - 1)] as number;
  return a + (b - a) * (rank - lower);
}

/** Deterministic PRNG (mulberry32), so the distributions are the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkAccuracy(samples: number[], tolerance: number): void {
  const h = new LogHistogram();
  for (const v of samples) h.add(v);
  const sorted = [...samples].sort((a, b) => a - b);
  for (const p of [1, 10, 25, 50, 75, 90, 95, 99, 99.9]) {
    const exact = exactPercentile(sorted, p);
    const estimate = h.percentile(p);
    const error = Math.abs(estimate - exact) / Math.abs(exact);
    assert.ok(
      error <= tolerance,
      `p(${p}): estimate ${estimate} vs exact ${exact} (error ${(error * 100).toFixed(3)} %)`,
    );
  }
  assert.equal(h.count, samples.length);
  assert.equal(h.min, sorted[0]);
  assert.equal(h.max, sorted[sorted.length - 1]);
  assert.ok(Math.abs(h.avg - samples.reduce((a, b) => a + b, 0) / samples.length) < 1e-6 * h.max);
}

test('percentiles of a log-normal latency distribution are within 1 %', () => {
  const next = random(42);
  const samples = Array.from({ length: 200_000 }, () => {
    const gaussian = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    return Math.exp(1.5 + 0.8 * gaussian); // median ≈ 4.5 ms, long right tail
  });
  checkAccuracy(samples, 0.01);
});

test('percentiles of a uniform distribution are within 1 %', () => {
  const next = random(7);
  checkAccuracy(
    Array.from({ length: 100_000 }, () => 1 + next() * 999),
    0.01,
  );
});

test('percentiles of integers 1..10000 are within 1 %', () => {
  checkAccuracy(
    Array.from({ length: 10_000 }, (_, i) => i + 1),
    0.01,
  );
});

test('p(0) and p(100) are the exact min and max; an empty histogram answers 0', () => {
  const h = new LogHistogram();
  assert.equal(h.percentile(50), 0);
  for (const v of [0.123, 5, 77.7, 1234.5]) h.add(v);
  assert.equal(h.percentile(0), 0.123);
  assert.equal(h.percentile(100), 1234.5);
});

test('zeros and negative values sort before positives', () => {
  const h = new LogHistogram();
  const samples = [-50, -10, -1, 0, 0, 1, 10, 50];
  for (const v of samples) h.add(v);
  assert.ok(Math.abs(h.percentile(0) + 50) < 1e-9);
  assert.ok(Math.abs(h.percentile(50) - 0) < 1e-9);
  const p25 = h.percentile(25); // between -10 and -1 in exact terms: rank 1.75
  assert.ok(p25 < -1 && p25 > -10, `p25 = ${p25}`);
  assert.ok(Math.abs(h.percentile(100) - 50) < 1e-9);
});

test('a million samples cost the same memory as a thousand', () => {
  const next = random(1);
  const small = new LogHistogram();
  const large = new LogHistogram();
  for (let i = 0; i < 1_000; i++) small.add(1 + next() * 499);
  for (let i = 0; i < 1_000_000; i++) large.add(1 + next() * 499);
  assert.equal(large.count, 1_000_000);
  assert.equal(large.bucketBytes, small.bucketBytes);
  assert.ok(large.bucketBytes < 16 * 1024, `${large.bucketBytes} bytes`);
});

test('reset forgets the samples and keeps working', () => {
  const h = new LogHistogram();
  for (let i = 1; i <= 100; i++) h.add(i);
  h.reset();
  assert.equal(h.count, 0);
  assert.equal(h.percentile(99), 0);
  h.add(42);
  assert.ok(Math.abs(h.percentile(50) - 42) < 1e-9);
});
