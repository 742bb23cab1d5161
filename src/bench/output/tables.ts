// The text output of `gomall bench`: a few lines and cli-table3 tables (load, invariants,
// memory, baselines). Every sentence the command prints lives here.
import Table from 'cli-table3';
import type { InvariantResult } from '../verify/invariants.js';
import type {
  BaselineFigures,
  BenchResult,
  LoadFigures,
  MemoryFigures,
  PhaseTiming,
} from '../types.js';
import { int, mb, ms, rate, ratio } from './format.js';

const plain = { head: [] as string[], border: [] as string[] };

const joinCounts = (counts: Record<string, number>, keepZero: boolean) =>
  Object.entries(counts)
    .filter(([, n]) => keepZero || n > 0)
    .map(([key, n]) => `${key}: ${int(n)}`)
    .join(' · ') || 'n/a';

export function loadTable(load: LoadFigures): string {
  const table = new Table({ head: ['load', ''], style: plain });
  const failedThresholds = load.thresholds.filter((t) => !t.ok);
  table.push(
    [
      'requests',
      `${int(load.requests)} (${int(load.iterations)} iterations, ${int(load.failed_requests)} failed)`,
    ],
    ['duration', `${load.duration_seconds.toFixed(2)} s${load.aborted ? ' (aborted)' : ''}`],
    ['rate', rate(load.rate)],
    [
      'latency',
      `p50 ${ms(load.latency_ms.p50)} · p95 ${ms(load.latency_ms.p95)} · p99 ${ms(load.latency_ms.p99)} · max ${ms(load.latency_ms.max)}`,
    ],
    ['answers by status', joinCounts(load.by_status, false)],
    ['answers by reason', joinCounts(load.by_reason, false)],
    [
      'thresholds',
      failedThresholds.length === 0
        ? `${load.thresholds.length} held`
        : failedThresholds.map((t) => `${t.metric} ${t.expression} FAILED`).join('; '),
    ],
  );
  for (const error of load.script_errors)
    table.push(['script error', `${error.message} (×${int(error.count)})`]);
  return table.toString();
}

export function invariantsTable(invariants: InvariantResult[]): string {
  const table = new Table({
    head: ['invariant', 'result', 'figures'],
    style: plain,
    wordWrap: true,
    colWidths: [null, null, 60],
  });
  for (const inv of invariants) table.push([inv.title, inv.status, inv.detail]);
  return table.toString();
}

export function memoryTable(memory: MemoryFigures): string {
  const table = new Table({
    head: ['process', 'pid', 'peak RSS', `server limit ${memory.limit_mb} MB`],
    style: plain,
  });
  for (const p of memory.processes) {
    table.push([
      p.role,
      p.pid,
      mb(p.peak_rss_mb),
      p.over_limit === null ? '-' : p.over_limit ? 'OVER' : 'under',
    ]);
  }
  return table.toString();
}

export function baselinesTable(gomall: LoadFigures, baselines: BaselineFigures): string {
  const table = new Table({
    head: ['same load against', 'rate', 'p50', 'p99', 'gomall ÷ this'],
    style: plain,
  });
  table.push([
    'gomall POST /api/seckill',
    rate(gomall.rate),
    ms(gomall.latency_ms.p50),
    ms(gomall.latency_ms.p99),
    '',
  ]);
  for (const run of baselines.runs) {
    const orders = run.orders === null ? '' : ` (${int(run.orders)} orders)`;
    table.push([
      `${run.description}${orders}`,
      rate(run.load.rate),
      ms(run.load.latency_ms.p50),
      ms(run.load.latency_ms.p99),
      ratio(baselines.ratios[run.name]),
    ]);
  }
  return table.toString();
}

export function benchText(r: BenchResult): string {
  const lines: string[] = [];
  const server = r.managed
    ? `gomall serve --workers ${r.workers} + consume (started by the bench)`
    : r.target;
  lines.push(
    `${r.scenario}: ${int(r.buyers)} buyers, stock ${int(r.stock)} × ${r.products.length} product(s) [${r.products.join(', ')}]${r.anti_bot === 'path' ? ', anti-bot tokens' : ''}, engine ${r.engine}, against ${server}`,
  );
  if (Object.keys(r.shape).length > 0)
    lines.push(
      `shape: ${Object.entries(r.shape)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
    );
  if (r.warm_up)
    lines.push(
      `warm-up: ${r.warm_up} of the same load on a product without a sale before each measured run (not counted)`,
    );
  lines.push(r.limits.text, loadTable(r.load));
  lines.push(
    r.kind === 'catalog'
      ? 'drain: none needed (plain orders are written before they are answered)'
      : r.drain.drained
        ? `drain: every reservation became an order in ${r.drain.seconds.toFixed(1)} s`
        : `drain: NOT finished after ${r.drain.seconds.toFixed(1)} s (${int(r.drain.pending_left)} pending, ${int(r.drain.queued_left)} in the orders queue)`,
  );
  lines.push(invariantsTable(r.invariants));
  if (r.memory) lines.push(memoryTable(r.memory));
  else if (!r.managed) lines.push('memory: not sampled (--target runs elsewhere)');
  if (r.baselines) lines.push(baselinesTable(r.load, r.baselines));
  else if (r.baselines_note) lines.push(`baselines: ${r.baselines_note}`);
  if (r.report_file) lines.push(`report: ${r.report_file}`);
  const again =
    r.kind === 'seckill' ? ` (gomall bench verify --product ${r.products[0]} checks again)` : '';
  lines.push(
    `data: run ${r.run_id}, products ${r.products.join(', ')} and buyers ${r.buyers_prefix}* ${r.buyers_reused ? '(reused) ' : ''}stay in the database${again}`,
  );
  lines.push(phasesLine(r.phases, ' (prepare and start overlap)'));
  lines.push(`${verdict(r)} (${r.elapsed_seconds.toFixed(1)} s in all)`);
  return lines.join('\n');
}

/** "phases: prepare 1.2 s · start 2.0 s · …". */
export function phasesLine(phases: PhaseTiming[], note = ''): string {
  return `phases: ${phases.map((p) => `${p.phase} ${p.seconds.toFixed(1)} s`).join(' · ')}${note}`;
}

function verdict(r: BenchResult): string {
  if (r.exit_code === 1)
    return `FAIL: ${r.invariants
      .filter((i) => i.status === 'FAIL')
      .map((i) => i.id)
      .join(', ')} broken`;
  if (r.exit_code === 99) return 'FAIL: a threshold of the scenario failed; every invariant holds';
  return 'PASS: every invariant holds';
}
