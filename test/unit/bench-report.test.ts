import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { esc } from '../../src/bench/report/escape.js';
import { renderReport, type ReportInput } from '../../src/bench/report/render-report.js';
import type { BenchResult, LoadFigures } from '../../src/bench/types.js';

const EVIL = '<script>alert("x")</script> & \'quoted\'';

function load(rate: number): LoadFigures {
  return {
    requests: 5000,
    iterations: 5000,
    failed_requests: 0,
    duration_seconds: 2.5,
    rate,
    latency_ms: { avg: 5, p50: 4, p95: 9, p99: 14, max: 40 },
    by_status: { '202': 500, '409': 4500 },
    by_reason: {
      queued: 500,
      sold_out: 4500,
      already_purchased: 0,
      rate_limited: 0,
      busy: 0,
      other: 0,
    },
    thresholds: [{ metric: 'http_req_duration', expression: 'p(99)<500', ok: true }],
    thresholds_failed: false,
    script_errors: [{ message: EVIL, count: 3 }],
    aborted: false,
  };
}

function input(
  overrides: Partial<BenchResult> = {},
  timeline: ReportInput['timeline'] = undefined as never,
): ReportInput {
  const result: BenchResult = {
    run_id: 'abcd1234',
    scenario: `scenarios/${EVIL}.ts`,
    kind: 'seckill',
    engine: 'builtin',
    target: 'http://127.0.0.1:8080',
    managed: true,
    workers: 1,
    buyers: 5000,
    buyers_prefix: 'bench_abcd1234_',
    buyers_reused: false,
    stock: 500,
    anti_bot: 'none',
    products: [42],
    shape: {},
    warm_up: '2s',
    limits: { lifted: ['global', 'api'], kept: ['seckill'], text: `limits: ${EVIL}` },
    load: load(8000),
    drain: { drained: true, seconds: 0.4, pending_left: 0, queued_left: 0 },
    invariants: [
      {
        id: 'no_oversell',
        title: 'no oversell: sold ≤ stock',
        status: 'PASS',
        detail: 'sold 500 ≤ stock 500',
      },
      { id: 'no_duplicate', title: 'no duplicate', status: 'FAIL', detail: `user ${EVIL}` },
    ],
    sales: [],
    catalog: [],
    memory: {
      limit_mb: 256,
      processes: [{ role: `serve ${EVIL}`, pid: 10, peak_rss_mb: 120, over_limit: false }],
    },
    baselines: {
      runs: [
        { name: 'express', description: `bare ${EVIL}`, load: load(6000), orders: null },
        { name: 'naive_mysql', description: 'naive', load: load(2000), orders: 500 },
      ],
      ratios: { express: 8000 / 6000, naive_mysql: 4 },
    },
    baselines_note: null,
    report_file: '/tmp/r.html',
    phases: [{ phase: 'prepare', seconds: 1.5 }],
    elapsed_seconds: 12,
    exit_code: 1,
    ...overrides,
  };
  return {
    result,
    timeline:
      timeline === undefined
        ? [
            {
              second: 1,
              requests: 3000,
              errors: 0,
              iterations: 3000,
              p50: 4,
              p99: 12,
              counters: {},
            },
            {
              second: 2,
              requests: 2000,
              errors: 5,
              iterations: 2000,
              p50: 5,
              p99: 15,
              counters: {},
            },
          ]
        : timeline,
    samples: [
      { t: 0, phase: 'load', stock: 500, orders: 0 },
      { t: 1, phase: 'load', stock: 200, orders: 250 },
      { t: 2.5, phase: 'drain', stock: 0, orders: 480 },
      { t: 2.9, phase: 'drain', stock: 0, orders: 500 },
    ],
    generatedAt: new Date('2026-11-26T00:00:00Z'),
  };
}

describe('HTML report', () => {
  test('is self-contained: no script, no stylesheet or image from anywhere, no URL in src or href', () => {
    const html = renderReport(input());
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<link\b/i);
    assert.doesNotMatch(html, /<img\b|<iframe\b|<object\b|<embed\b/i);
    assert.doesNotMatch(html, /\b(src|href|xlink:href)\s*=/i);
    assert.doesNotMatch(html, /@import|url\(/i);
    assert.doesNotMatch(html, /(src|href)\s*=\s*["']?\s*https?:/i);
    assert.match(html, /^<!doctype html>/);
  });

  test('escapes every string it embeds', () => {
    const html = renderReport(input());
    assert.ok(!html.includes(EVIL), 'a raw outside string made it into the page');
    const escaped = esc(EVIL);
    for (const where of [
      'scenario',
      'limits',
      'invariant detail',
      'script error',
      'process role',
      'baseline',
    ]) {
      assert.ok(html.includes(escaped), `escaped text missing (${where})`);
    }
    assert.equal(
      esc(`<a href="x">'&'</a>`),
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });

  test('draws throughput, latency, answers by reason, stock and orders, and the baselines', () => {
    const html = renderReport(input());
    for (const title of [
      'Throughput',
      'Latency',
      'Answers by reason',
      'Stock and orders',
      'Rate',
    ]) {
      assert.match(html, new RegExp(`<figcaption>${title}`), `no ${title} chart`);
    }
    assert.ok((html.match(/<svg /g) ?? []).length >= 5);
    assert.match(html, /<polyline /);
    assert.match(html, /drain \(0\.4 s\)/);
    assert.match(html, /class="FAIL">FAIL/);
  });

  test('under k6 (no per-second timeline) says why the time charts are missing', () => {
    const html = renderReport(input({ engine: 'k6' }, null));
    assert.match(html, /this run used k6/);
    assert.match(html, /<figcaption>Stock and orders/);
  });

  test('without baselines it gives the reason', () => {
    const html = renderReport(
      input({ baselines: null, baselines_note: 'skipped (--no-baselines)' }),
    );
    assert.match(html, /skipped \(--no-baselines\)/);
    assert.doesNotMatch(html, /<figcaption>Rate/);
  });
});
