// The endpoint bench's load tool when installed: wrk, one thread, N connections, each request
// POST /api/seckill {"product_id":…} with the next buyer's token. The Lua script is written to
// the run's folder; it reads the buyers file (one JSON object a line) and, when wrk is done,
// prints its figures as one JSON line, so nothing depends on wrk's text layout.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EndpointLoad } from './types.js';

const run = promisify(execFile);
/** wrk's default (2 s) turns a busy machine's slow answers into errors; they are latencies. */
const TIMEOUT = '10s';

const SCRIPT = `-- written by gomall bench --baseline bare
local tokens = {}
for line in io.lines(os.getenv('GOMALL_BENCH_BUYERS')) do
  local token = line:match('"token":"([^"]+)"')
  if token then tokens[#tokens + 1] = token end
end
local body = '{"product_id":' .. os.getenv('GOMALL_BENCH_PRODUCT') .. '}'
local n = 0

request = function()
  n = n + 1
  return wrk.format('POST', '/api/seckill', {
    ['Content-Type'] = 'application/json',
    ['Authorization'] = 'Bearer ' .. tokens[(n % #tokens) + 1],
  }, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%.0f,"p99_us":%.0f,"status_errors":%d,"socket_errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
`;

interface WrkFigures {
  requests: number;
  duration_us: number;
  p50_us: number;
  p99_us: number;
  status_errors: number;
  socket_errors: number;
}

export interface WrkLoad {
  wrk: string;
  /** The run's folder, for the script. */
  dir: string;
  baseUrl: string;
  buyersFile: string;
  productId: number;
  connections: number;
  seconds: number;
  /** taskset -c for wrk. */
  cpus: string | undefined;
}

export async function runWrk(o: WrkLoad): Promise<EndpointLoad> {
  const script = join(o.dir, 'seckill.lua');
  await writeFile(script, SCRIPT);
  const wrk = [
    o.wrk,
    '-t1',
    `-c${o.connections}`,
    `-d${o.seconds}s`,
    `--timeout`,
    TIMEOUT,
    '-s',
    script,
    o.baseUrl,
  ];
  const argv = o.cpus === undefined ? wrk : ['taskset', '-c', o.cpus, ...wrk];
  const { stdout } = await run(argv[0]!, argv.slice(1), {
    env: {
      ...process.env,
      GOMALL_BENCH_BUYERS: o.buyersFile,
      GOMALL_BENCH_PRODUCT: String(o.productId),
    },
    maxBuffer: 1 << 20,
  });
  const line = stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (!line) throw new Error(`wrk printed no figures: ${stdout.trim().split('\n').at(-1) ?? ''}`);
  const f = JSON.parse(line) as WrkFigures;
  return {
    requests: f.requests,
    rate: f.duration_us > 0 ? f.requests / (f.duration_us / 1e6) : 0,
    p50_ms: f.p50_us / 1000,
    p99_ms: f.p99_us / 1000,
    // wrk counts statuses ≥ 400; the bare server and gomall answer 202 or an error status.
    non_202: f.status_errors,
    transport_errors: f.socket_errors,
  };
}
