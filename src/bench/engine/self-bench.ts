// Micro benchmark of the engine itself: a bare node:http JSON server in a child process (so the
// engine and the server do not share a thread), driven by a constant-vus k6 script.
//
//   npx tsx src/bench/engine/self-bench.ts [--vus 100] [--duration 10s] [--runs 3]
//
// Prints req/s and http_req_duration p50/p99 of each run, then the medians. Compare with a
// generic load tool against the same kind of server to see the engine's overhead.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runScenario } from './run-scenario.js';

const SERVER_SOURCE = `
const http = require('node:http');
const body = JSON.stringify({ code: 200, msg: 'ok', data: { id: 1, name: 'bench' } });
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
`;

const SCENARIO_SOURCE = `
import http from 'k6/http';
import { check } from 'k6';

const url = __ENV.TARGET;
export const options = {
  scenarios: {
    self_bench: { executor: 'constant-vus', vus: Number(__ENV.VUS), duration: __ENV.DURATION, gracefulStop: '5s' },
  },
};

export default async function () {
  const res = await http.asyncRequest('GET', url);
  check(res, { 'status is 200': (r) => r.status === 200 });
}
`;

interface RunFigures {
  rps: number;
  p50: number;
  p99: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      vus: { type: 'string', default: '100' },
      duration: { type: 'string', default: '10s' },
      runs: { type: 'string', default: '3' },
    },
  });
  const runs = Number(values.runs);
  const dir = await mkdtemp(join(tmpdir(), 'gomall-self-bench-'));
  const file = join(dir, 'self-bench.js');
  await writeFile(file, SCENARIO_SOURCE);
  const { child, port } = await startServer();
  try {
    const figures: RunFigures[] = [];
    for (let i = 1; i <= runs; i++) {
      const result = await runScenario({
        file,
        systemEnv: false,
        env: {
          TARGET: `http://127.0.0.1:${port}/api/product/1`,
          VUS: String(values.vus),
          DURATION: String(values.duration),
        },
      });
      const m = result.summary.metrics;
      const run: RunFigures = {
        rps: m['http_reqs']?.values['rate'] ?? 0,
        p50: m['http_req_duration']?.values['med'] ?? 0,
        p99: m['http_req_duration']?.values['p(99)'] ?? 0,
      };
      figures.push(run);
      const failed = m['http_req_failed']?.values['passes'] ?? 0;
      say(
        `run ${i}: ${format(run)}  (${m['http_reqs']?.values['count'] ?? 0} requests, ${failed} failed)`,
      );
    }
    const median = (pick: (f: RunFigures) => number): number => {
      const sorted = figures.map(pick).sort((a, b) => a - b);
      return sorted[Math.floor(sorted.length / 2)] ?? 0;
    };
    say(
      `median of ${runs}: ${format({ rps: median((f) => f.rps), p50: median((f) => f.p50), p99: median((f) => f.p99) })}`,
    );
  } finally {
    child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function format(f: RunFigures): string {
  return `${Math.round(f.rps)} req/s  p50 ${f.p50.toFixed(2)} ms  p99 ${f.p99.toFixed(2)} ms`;
}

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', SERVER_SOURCE], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.once('error', reject);
    child.stdout?.once('data', (chunk: Buffer) =>
      resolve({ child, port: Number(chunk.toString().trim()) }),
    );
  });
}

await main();
