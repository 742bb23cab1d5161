// The text output of `gomall bench --baseline bare`: what ran, one row per run and the
// medians, the invariants that broke (if any), and the comparison with a record (--compare).
import Table from 'cli-table3';
import type { Comparison, EndpointBenchResult, EndpointLoad } from '../endpoint/types.js';
import { int, mb, ms } from './format.js';
import { phasesLine } from './tables.js';

const plain = { head: [] as string[], border: [] as string[] };

const rps = (load: EndpointLoad) => int(load.rate);

export function runsTable(r: EndpointBenchResult): string {
  const table = new Table({
    head: [
      'run',
      'bare req/s',
      'bare p99',
      'gomall req/s',
      'gomall p99',
      'ratio',
      'drain orders/s',
      'server RSS',
      'invariants',
    ],
    style: plain,
  });
  for (const run of r.runs) {
    table.push([
      String(run.run),
      rps(run.bare),
      ms(run.bare.p99_ms),
      rps(run.gomall),
      ms(run.gomall.p99_ms),
      run.ratio.toFixed(3),
      run.drain.drained ? int(run.drain.per_s) : `NOT drained (${int(run.drain.orders)})`,
      run.server_rss_mb === null ? 'n/a' : mb(run.server_rss_mb),
      run.hold ? 'hold' : 'BROKEN',
    ]);
  }
  const m = r.median;
  table.push([
    'median',
    int(m.bare_rps),
    ms(m.bare_p99_ms),
    int(m.gomall_rps),
    ms(m.gomall_p99_ms),
    m.ratio.toFixed(3),
    int(m.drain_per_s),
    m.server_rss_mb === null ? 'n/a' : mb(m.server_rss_mb),
    '',
  ]);
  return table.toString();
}

const signed = (change: number | null) =>
  change === null ? 'n/a' : `${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)} %`;
const figure = (n: number | null) =>
  n === null ? 'n/a' : Math.abs(n) < 10 ? n.toFixed(3) : int(n);

export function comparisonTable(c: Comparison): string {
  const table = new Table({ head: ['median', 'recorded', 'now', 'change'], style: plain });
  for (const d of c.deltas)
    table.push([d.figure, figure(d.recorded), figure(d.now), signed(d.change)]);
  return table.toString();
}

export function endpointText(r: EndpointBenchResult): string {
  const lines = [
    `POST /api/seckill against a bare node:http server: ${r.runs.length} run(s) × ${r.duration} (warm-up ${r.warm_up}), ${r.connections} connections, ${int(r.buyers)} buyers${r.buyers_reused ? ' (reused)' : ''}, stock ${int(r.stock)}, limit ${r.limit_per_user} per buyer`,
    `load tool: ${r.load_tool_note}; ${r.pinning}; server NODE_OPTIONS=${r.server_node_options || '(none)'}; load average ${r.load_average.join(', ')}`,
    runsTable(r),
  ];
  for (const run of r.runs.filter((x) => !x.hold)) {
    const broken = run.invariants.filter((i) => i.status === 'FAIL');
    lines.push(`run ${run.run}: ${broken.map((i) => `${i.id}: ${i.detail}`).join('; ')}`);
  }
  if (r.comparison) {
    lines.push(
      `against the record in ${r.comparison.file} (${r.comparison.recorded_at ?? 'undated'}, ${r.comparison.recorded_load_tool ?? 'tool unknown'}):`,
      comparisonTable(r.comparison),
    );
  }
  lines.push(`${phasesLine(r.phases)}; bench process peak RSS ${mb(r.bench_rss_mb)}`);
  lines.push(
    `${r.exit_code === 0 ? 'PASS: every invariant held in every run' : 'FAIL: an invariant broke'} (${r.elapsed_seconds.toFixed(1)} s in all)`,
  );
  return lines.join('\n');
}
