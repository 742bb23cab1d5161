// --report FILE.html: one self-contained page (inline CSS and SVG, no script, no external
// file or URL) with the run's figures and charts: throughput and latency over time (the
// engine's per-second timeline), answers by reason, stock and orders over time (sampled from
// Redis and MySQL during the load and the drain), and the baselines.
import type { SecondBucket } from '../engine/index.js';
import { int, mb, ms, rate, ratio } from '../output/format.js';
import type { BenchResult, SaleSample } from '../types.js';
import { barChart, columnChart, lineChart, type Bar } from './charts.js';
import { esc } from './escape.js';

export interface ReportInput {
  result: BenchResult;
  /** Per second, from the built-in engine; null under k6. */
  timeline: SecondBucket[] | null;
  samples: SaleSample[];
  generatedAt: Date;
}

const COLORS = {
  blue: '#1f77b4',
  orange: '#ff7f0e',
  green: '#2ca02c',
  red: '#d62728',
  grey: '#7f7f7f',
  purple: '#9467bd',
};

const REASON_COLORS: Record<string, string> = {
  queued: COLORS.green,
  sold_out: COLORS.blue,
  already_purchased: COLORS.purple,
  rate_limited: COLORS.orange,
  busy: COLORS.red,
  other: COLORS.grey,
};

const SHORT_NAMES = { express: 'bare express route', naive_mysql: 'naive MySQL sale' } as const;

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:820px;color:#222}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
table{border-collapse:collapse;margin:6px 0 12px;width:100%}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f6f6}.PASS{color:#1a7f37;font-weight:600}.FAIL{color:#c62828;font-weight:600}.SKIP{color:#777}
.banner{padding:8px 12px;border-radius:4px;font-weight:600;margin:12px 0}.ok{background:#e6f4ea}.bad{background:#fdecea}
figure{margin:16px 0}figcaption{font-weight:600;margin-bottom:4px}svg text{font-size:11px;fill:#444}
.grid{stroke:#eee}.axis{stroke:#999}.axis-label{font-size:12px;fill:#222}.note{color:#777;fill:#777}
.legend span{margin-right:14px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;vertical-align:middle}
.muted{color:#666}`;

export function renderReport(input: ReportInput): string {
  const r = input.result;
  const ok = r.exit_code === 0;
  const body = [
    `<h1>gomall bench: ${esc(r.scenario)}</h1>`,
    `<p class="muted">run ${esc(r.run_id)} · ${esc(input.generatedAt.toISOString())} · engine ${esc(r.engine)} · target ${esc(r.target)}${r.managed ? ` (serve --workers ${esc(r.workers)} + consume, started by the bench)` : ''}</p>`,
    `<p>${esc(int(r.buyers))} buyers · stock ${esc(int(r.stock))} × ${esc(r.products.length)} product(s) · ${esc(r.limits.text)}</p>`,
    `<div class="banner ${ok ? 'ok' : 'bad'}">${esc(verdict(r))}</div>`,
    '<h2>Invariants</h2>',
    table(
      ['invariant', 'result', 'figures'],
      r.invariants.map((i) => [
        esc(i.title),
        `<span class="${esc(i.status)}">${esc(i.status)}</span>`,
        esc(i.detail),
      ]),
    ),
    '<h2>Load</h2>',
    loadSection(r),
    '<h2>Over time</h2>',
    timelineCharts(input.timeline),
    answersChart(r),
    stockChart(input.samples, r.drain.seconds),
    baselinesSection(r),
    memorySection(r),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gomall bench ${esc(r.scenario)} ${esc(r.run_id)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}

function verdict(r: BenchResult): string {
  const broken = r.invariants.filter((i) => i.status === 'FAIL').map((i) => i.title);
  if (broken.length > 0) return `FAIL: ${broken.join('; ')}`;
  if (r.exit_code === 99) return 'FAIL: a threshold of the scenario failed (every invariant holds)';
  return 'PASS: every invariant holds';
}

function table(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const trs = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>`;
}

function loadSection(r: BenchResult): string {
  const l = r.load;
  const counts = (c: Record<string, number>) =>
    Object.entries(c)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k}: ${int(n)}`)
      .join(' · ') || 'n/a';
  const rows = [
    [
      'requests',
      `${int(l.requests)} (${int(l.iterations)} iterations, ${int(l.failed_requests)} failed)`,
    ],
    ['duration', `${l.duration_seconds.toFixed(2)} s`],
    ['rate', rate(l.rate)],
    [
      'latency',
      `p50 ${ms(l.latency_ms.p50)} · p95 ${ms(l.latency_ms.p95)} · p99 ${ms(l.latency_ms.p99)} · max ${ms(l.latency_ms.max)}`,
    ],
    ['answers by status', counts(l.by_status)],
    ['answers by reason', counts(l.by_reason)],
    [
      'thresholds',
      l.thresholds
        .map((t) => `${t.metric} ${t.expression}: ${t.ok ? 'held' : 'FAILED'}`)
        .join(' · ') || 'none',
    ],
    [
      'drain',
      r.drain.drained
        ? `drained in ${r.drain.seconds.toFixed(1)} s`
        : `not drained after ${r.drain.seconds.toFixed(1)} s (${int(r.drain.pending_left)} pending, ${int(r.drain.queued_left)} queued)`,
    ],
    ...l.script_errors.map((e) => ['script error', `${e.message} (×${int(e.count)})`]),
  ];
  return table(
    ['figure', 'value'],
    rows.map(([k, v]) => [esc(k), esc(v)]),
  );
}

function timelineCharts(timeline: SecondBucket[] | null): string {
  if (timeline === null) {
    return '<p class="note">Throughput and latency over time come from the built-in engine\'s per-second timeline; this run used k6.</p>';
  }
  const throughput = columnChart({
    title: 'Throughput (requests completed in each second; the last second may be partial)',
    xLabel: 'second of the run',
    yLabel: 'requests / s',
    columns: timeline.map((b) => ({ total: b.requests, part: b.errors })),
    names: ['requests', 'failed'],
    colors: [COLORS.blue, COLORS.red],
  });
  // A second's latency drawn at its middle.
  const latency = lineChart({
    title: 'Latency of the requests completed in each second',
    xLabel: 'second of the run',
    yLabel: 'ms',
    xMax: timeline.length,
    series: [
      {
        name: 'p50',
        color: COLORS.green,
        points: timeline.filter((b) => b.requests > 0).map((b) => [b.second - 0.5, b.p50]),
      },
      {
        name: 'p99',
        color: COLORS.orange,
        points: timeline.filter((b) => b.requests > 0).map((b) => [b.second - 0.5, b.p99]),
      },
    ],
  });
  return throughput + latency;
}

function answersChart(r: BenchResult): string {
  const bars: Bar[] = Object.entries(r.load.by_reason).map(([reason, value]) => ({
    label: reason,
    value,
    color: REASON_COLORS[reason] ?? COLORS.grey,
  }));
  return barChart('Answers by reason', bars, 'answers');
}

function stockChart(samples: SaleSample[], drainSeconds: number): string {
  const firstDrain = samples.find((s) => s.phase === 'drain');
  return lineChart({
    title: 'Stock and orders',
    xLabel: 'seconds since the load started',
    yLabel: 'units / orders',
    series: [
      {
        name: 'stock left (Redis, or products.stock)',
        color: COLORS.blue,
        points: samples.map((s) => [s.t, s.stock]),
      },
      {
        name: 'order rows (MySQL)',
        color: COLORS.green,
        points: samples.map((s) => [s.t, s.orders]),
      },
    ],
    ...(firstDrain
      ? { shade: { from: firstDrain.t, label: `drain (${drainSeconds.toFixed(1)} s)` } }
      : {}),
  });
}

function baselinesSection(r: BenchResult): string {
  if (!r.baselines)
    return r.baselines_note ? `<h2>Baselines</h2><p class="note">${esc(r.baselines_note)}</p>` : '';
  const b = r.baselines;
  const rows = [
    [esc('gomall POST /api/seckill'), esc(rate(r.load.rate)), esc(ms(r.load.latency_ms.p99)), ''],
    ...b.runs.map((run) => [
      esc(run.description),
      esc(rate(run.load.rate)),
      esc(ms(run.load.latency_ms.p99)),
      esc(ratio(b.ratios[run.name])),
    ]),
  ];
  const bars: Bar[] = [
    { label: 'gomall POST /api/seckill', value: Math.round(r.load.rate), color: COLORS.green },
    ...b.runs.map((run) => ({
      label: SHORT_NAMES[run.name],
      value: Math.round(run.load.rate),
      color: run.name === 'express' ? COLORS.grey : COLORS.orange,
    })),
  ];
  return (
    '<h2>Baselines (same load, same run)</h2>' +
    table(['server', 'rate', 'p99', 'gomall ÷ this'], rows) +
    barChart('Rate', bars, 'req/s')
  );
}

function memorySection(r: BenchResult): string {
  if (!r.memory) return '';
  const limit = r.memory.limit_mb;
  const rows = r.memory.processes.map((p) => [
    esc(p.role),
    esc(p.pid),
    esc(mb(p.peak_rss_mb)),
    p.over_limit === null
      ? '-'
      : p.over_limit
        ? '<span class="FAIL">OVER</span>'
        : '<span class="PASS">under</span>',
  ]);
  return `<h2>Peak memory</h2>${table(['process', 'pid', 'peak RSS', `server limit ${limit} MB`], rows)}`;
}
