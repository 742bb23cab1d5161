// The fallback load tool of `npm run bench:seckill` when wrk is not installed: `connections`
// keep-alive connections (undici Pool), each sending the next request as soon as the last
// answer is in, for `seconds`. Latencies go into node's HDR histogram, not an array, so a
// long run costs no more memory than a short one. Prints one JSON line.
// node --import tsx scripts/bench-seckill-load.ts <url> <seconds> <connections> <product> [tokens-file]
import { readFileSync } from 'node:fs';
import { createHistogram } from 'node:perf_hooks';
import { Pool } from 'undici';

const [url, seconds = '10', connections = '100', product = '1', tokensFile] = process.argv.slice(2);
if (!url)
  throw new Error(
    'usage: bench-seckill-load.ts <url> <seconds> <connections> <product> [tokens-file]',
  );
const tokens = tokensFile ? readFileSync(tokensFile, 'utf8').split('\n').filter(Boolean) : [];
const target = new URL(url);
const pool = new Pool(target.origin, { connections: Number(connections), pipelining: 1 });
const histogram = createHistogram();
const body = JSON.stringify({ product_id: Number(product) });
const deadline = Date.now() + Number(seconds) * 1000;
let sent = 0;
let non2xx = 0;
let errors = 0;

async function loop(): Promise<void> {
  while (Date.now() < deadline) {
    const token = tokens.length > 0 ? tokens[sent % tokens.length] : undefined;
    sent++;
    const started = process.hrtime.bigint();
    try {
      const res = await pool.request({
        method: 'POST',
        path: target.pathname,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body,
      });
      await res.body.dump();
      if (res.statusCode >= 300) non2xx++;
      histogram.record(Number(process.hrtime.bigint() - started) || 1);
    } catch {
      errors++;
    }
  }
}

const started = Date.now();
await Promise.all(Array.from({ length: Number(connections) }, loop));
const elapsed = (Date.now() - started) / 1000;
await pool.close();
process.stdout.write(
  JSON.stringify({
    requests: histogram.count,
    rps: histogram.count / elapsed,
    p50_ms: histogram.percentile(50) / 1e6,
    p99_ms: histogram.percentile(99) / 1e6,
    non2xx,
    errors,
  }) + '\n',
);
