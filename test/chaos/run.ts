// `make chaos` / `npm run chaos`: every fault case as a real sale, one after the other, then
// the table (docs/RELIABILITY.md). Exits 1 when a case lost, oversold or duplicated anything,
// did not drain or did not recover.
//   node --import tsx test/chaos/run.ts [--buyers 5000] [--stock 2000] [--rate 1000]
//     [--connections 100] [--fault-at 1000] [--cases redis,broker]
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { textTable } from '../../src/cli/text-table.js';
import { CASES } from './cases.js';
import { runCase, type CaseResult } from './sale.js';

const { values } = parseArgs({
  options: {
    buyers: { type: 'string', default: '5000' },
    stock: { type: 'string', default: '2000' },
    rate: { type: 'string', default: '1000' },
    connections: { type: 'string', default: '100' },
    'fault-at': { type: 'string', default: '1000' },
    cases: { type: 'string' },
    'keep-logs': { type: 'boolean', default: false },
  },
});

const chosen = values.cases
  ? CASES.filter((c) =>
      values.cases!.split(',').some((word) => c.name.toLowerCase().includes(word.toLowerCase())),
    )
  : CASES;
if (chosen.length === 0) {
  console.error(
    `no case matches --cases ${values.cases}; cases: ${CASES.map((c) => c.name).join(', ')}`,
  );
  process.exit(2);
}

const log = (line: string) =>
  console.error(`[chaos ${new Date().toISOString().slice(11, 19)}] ${line}`);
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
log(`load average ${load()} at the start`);
const started = Date.now();
const results: CaseResult[] = [];
for (const fault of chosen) {
  try {
    const result = await runCase(fault, {
      buyers: Number(values.buyers),
      stock: Number(values.stock),
      rate: Number(values.rate),
      connections: Number(values.connections),
      faultAtMs: Number(values['fault-at']),
      drainTimeoutMs: 120_000,
      log,
    });
    results.push(result);
    log(
      `${fault.name}: ${result.failures.length === 0 ? 'PASS' : `FAIL: ${result.failures.join('; ')}`}`,
    );
    if (result.failures.length === 0 && !values['keep-logs'])
      await rm(result.dir, { recursive: true, force: true });
  } catch (error) {
    log(`${fault.name}: could not run: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  }
}

const table = textTable(
  [
    'case',
    '202s',
    'order rows',
    'oversell',
    'lost',
    'duplicates',
    '5xx (500s)',
    'no answer',
    'recovered in s',
    'result',
  ],
  ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
);
for (const r of results)
  table.push([
    r.name,
    r.accepted,
    r.orderRows,
    r.oversell,
    r.lost,
    r.duplicates,
    `${r.fiveXx} (${r.internal})`,
    r.unanswered,
    r.recoveredSeconds === null ? '-' : r.recoveredSeconds.toFixed(1),
    r.failures.length === 0 ? 'PASS' : 'FAIL',
  ]);
console.log(table.toString());
console.log(
  `${values.buyers} buyers (every ${10}th twice), ${values.stock} units, ${values.connections} connections, ${values.rate} req/s, fault at ${values['fault-at']} ms; ${Math.round((Date.now() - started) / 1000)} s; load average ${load()}`,
);
for (const r of results.filter((r) => r.failures.length > 0))
  console.log(`${r.name}: ${r.failures.join('; ')} (logs: ${r.dir})`);
if (results.some((r) => r.failures.length > 0) || results.length < chosen.length)
  process.exitCode = 1;
