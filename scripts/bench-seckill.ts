// npm run bench:seckill — POST /api/seckill against a bare node:http JSON server, same run,
// same load tool, same request; then the consumer's drain rate; then the invariants.
//
//   npm run bench:seckill -- [--runs 3] [--duration 10] [--connections 100] [--buyers 10000]
//                            [--node-options=--max-semi-space-size=8] [--no-build]
//
// gomall runs built (npm run build first, as in production: bin/run.js), with NODE_OPTIONS
// from --node-options. Each server is pinned to core 0 and the load tool to core 1 (taskset);
// MariaDB, Redis and RabbitMQ are not pinned and share both cores. The load tool is wrk when
// installed (`apt-get install -y wrk`), else scripts/bench-seckill-load.ts (undici). The
// gomall server runs with the dev config, its own database and prefixes, info logs (to a pipe,
// dropped) and the global and per-client API caps lifted (the per-user seckill limit stays
// on: 10,000 buyers each send ~1 request a second). Everything the bench made is removed at
// the end. Exits 1 when an invariant is broken.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import amqp from 'amqplib';
import { createJwtCodec } from '../src/auth/jwt.js';
import { loadConfig } from '../src/config/load.js';
import { dropDatabase, migrate } from '../src/infra/db.js';
import { createLogger } from '../src/infra/logger.js';
import { amqpUrl } from '../src/infra/mq.js';
import { packageRoot } from '../src/infra/paths.js';
import { openInfra } from '../src/runtime/infra.js';
import { ActivityService } from '../src/seckill/activity.js';
import { startConsumer } from '../src/seckill/consumer/start.js';
import { activityKeys } from '../src/seckill/keys.js';
import { SeckillRepository } from '../src/seckill/repository.js';
import { seckillNames } from '../src/seckill/topology.js';
import { SERVER_NODE_OPTIONS } from '../src/runtime/node-options.js';

const { values: flags } = parseArgs({
  allowNegative: true,
  options: {
    runs: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '100' },
    buyers: { type: 'string', default: '10000' },
    build: { type: 'boolean', default: true },
    // Young generation at 8 MB a semi-space: see docs/PERFORMANCE.md, Memory.
    'node-options': { type: 'string', default: SERVER_NODE_OPTIONS },
  },
});
const RUNS = Number(flags.runs);
const SECONDS = Number(flags.duration);
const CONNECTIONS = Number(flags.connections);
const BUYERS = Number(flags.buyers);
// NODE_OPTIONS for the gomall server (e.g. heap settings; docs/PERFORMANCE.md, Memory).
const NODE_OPTIONS = flags['node-options'];
const BARE_PORT = 18_081;
const GOMALL_PORT = 18_080;
const root = packageRoot();

const overrides = {
  database: { name: 'gomall_bench' },
  redis: { key_prefix: 'gomall-bench:' },
  rabbitmq: { prefix: 'gomall-bench' },
  ratelimit: {
    global: { rate: 1_000_000, burst: 1_000_000 },
    api: { rate: 1_000_000, burst: 1_000_000 },
  },
  log: { level: 'info' as const },
  server: { port: GOMALL_PORT, pid_file: 'run/bench-seckill.pid' },
};
const environment: Record<string, string> = {
  GOMALL_DATABASE__NAME: 'gomall_bench',
  GOMALL_REDIS__KEY_PREFIX: 'gomall-bench:',
  GOMALL_RABBITMQ__PREFIX: 'gomall-bench',
  GOMALL_RATELIMIT__GLOBAL__RATE: '1000000',
  GOMALL_RATELIMIT__GLOBAL__BURST: '1000000',
  GOMALL_RATELIMIT__API__RATE: '1000000',
  GOMALL_RATELIMIT__API__BURST: '1000000',
  GOMALL_LOG__LEVEL: 'info',
  GOMALL_SERVER__PORT: String(GOMALL_PORT),
  GOMALL_SERVER__PID_FILE: 'run/bench-seckill.pid',
};
const config = loadConfig({ env: 'dev', environ: {}, overrides });
// The consumer of the drain runs in this process with the default seckill settings.
const consumerConfig = { ...config, log: { level: 'warn' as const } };
const has = (tool: string) => {
  try {
    execFileSync('which', [tool], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const pinned = has('taskset');
const useWrk = has('wrk');
const pin = (core: number, command: string[]) =>
  pinned ? ['taskset', '-c', String(core), ...command] : command;

interface Load {
  rps: number;
  p99_ms: number;
  non2xx: number;
}

function start(command: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  return spawn(command[0]!, command.slice(1), {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${url}: server exited with ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url}: no answer`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

function run(command: string[], env: NodeJS.ProcessEnv = process.env): string {
  return execFileSync(command[0]!, command.slice(1), { env, encoding: 'utf8' });
}

async function drive(url: string, seconds: number, product: number, tokens: string): Promise<Load> {
  if (useWrk) {
    const script = join(root, 'scripts/bench-seckill-wrk.lua');
    const out = run(
      pin(1, ['wrk', '-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency', '-s', script, url]),
      {
        ...process.env,
        BENCH_TOKENS: tokens,
        BENCH_PRODUCT: String(product),
      },
    );
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)$/m.exec(out);
    const scale = { us: 0.001, ms: 1, s: 1000 }[(p99?.[2] ?? 'ms') as 'ms'];
    return {
      rps,
      p99_ms: Number(p99?.[1]) * scale,
      non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    };
  }
  const loop = join(root, 'scripts/bench-seckill-load.ts');
  const args = [url, String(seconds), String(CONNECTIONS), String(product), tokens];
  return JSON.parse(run(pin(1, [process.execPath, '--import', 'tsx', loop, ...args]))) as Load;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The bench's Redis keys and queues: emptied before the runs and removed after them. */
async function purge(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await infra.redis.scan(
      cursor,
      'MATCH',
      `${config.redis.key_prefix}*`,
      'COUNT',
      10_000,
    );
    if (keys.length > 0) await infra.redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  const connection = await amqp.connect(amqpUrl(config.rabbitmq));
  const channel = await connection.createChannel();
  const names = seckillNames(config);
  for (const queue of [names.orders, names.dead, names.delay, names.timeouts])
    await channel.deleteQueue(queue);
  for (const exchange of [names.exchange, names.deadLetterExchange])
    await channel.deleteExchange(exchange);
  await connection.close();
}

// --- setup: the build, a database, prefixes and queues of the bench's own, buyers with tokens -------------
if (flags.build) {
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  } catch {
    if (!existsSync(join(root, 'dist/commands/serve.js')))
      throw new Error('npm run build failed and there is no dist/');
    console.warn('bench:seckill: npm run build reported errors; measuring the dist/ it wrote');
  }
}
const logger = createLogger({ level: 'warn' });
await dropDatabase(config.database);
await migrate(config.database);
const infra = await openInfra(config, logger, { waitForBroker: false });
await purge();
const jwt = createJwtCodec(config.jwt);
const users = Array.from({ length: BUYERS }, (_, i) => ({
  username: `bench_${i}`,
  password_hash: 'x',
  role: 'user',
}));
for (let i = 0; i < users.length; i += 2000)
  await infra.db('users').insert(users.slice(i, i + 2000));
const ids = ((await infra.db('users').select('id').orderBy('id')) as Array<{ id: number }>).map(
  (r) => Number(r.id),
);
const tokensFile = join(tmpdir(), `gomall-bench-tokens-${process.pid}.txt`);
writeFileSync(tokensFile, ids.map((id) => jwt.sign({ id, role: 'user' }).token).join('\n') + '\n');
const activities = new ActivityService({
  db: infra.db,
  redis: infra.redis,
  keyPrefix: config.redis.key_prefix,
  repository: new SeckillRepository(infra.db),
});

console.log(
  `bench:seckill — ${RUNS} runs × ${SECONDS}s, ${CONNECTIONS} connections, ${BUYERS} buyers, server NODE_OPTIONS=${NODE_OPTIONS || '(none)'}, load tool: ${useWrk ? 'wrk -t1' : 'undici loop (wrk not installed)'}, ${pinned ? 'servers on core 0, load on core 1' : 'not pinned (taskset missing)'}`,
);

interface Row {
  bare: Load;
  gomall: Load;
  ratio: number;
  queued: number;
  drainPerSecond: number;
  rssMb: number;
  invariants: string[];
}
const rows: Row[] = [];

for (let round = 1; round <= RUNS; round++) {
  const bare = start(
    pin(0, [process.execPath, join(root, 'scripts/bench-seckill-bare.mjs'), String(BARE_PORT)]),
  );
  await waitForHttp(`http://127.0.0.1:${BARE_PORT}/`, bare);
  await drive(`http://127.0.0.1:${BARE_PORT}/api/seckill`, 2, 1, tokensFile);
  const bareLoad = await drive(`http://127.0.0.1:${BARE_PORT}/api/seckill`, SECONDS, 1, tokensFile);
  await stop(bare);

  // A fresh activity per run: enough stock and per-user limit that every request reserves.
  const [productId] = await infra
    .db('products')
    .insert({ name: `bench run ${round}`, price: '9.90', stock: 0 });
  const initial = 10_000_000;
  await activities.init({ product_id: Number(productId), stock: initial, limit_per_user: 1000 });
  const server = start(
    pin(0, [process.execPath, '--no-warnings', join(root, 'bin/run.js'), 'serve']),
    {
      ...process.env,
      ...environment,
      ...(NODE_OPTIONS ? { NODE_OPTIONS } : {}),
    },
  );
  server.stdout!.resume(); // access logs: written, then dropped
  await waitForHttp(`http://127.0.0.1:${GOMALL_PORT}/health`, server);
  await drive(`http://127.0.0.1:${GOMALL_PORT}/api/seckill`, 2, Number(productId), tokensFile);
  const gomallLoad = await drive(
    `http://127.0.0.1:${GOMALL_PORT}/api/seckill`,
    SECONDS,
    Number(productId),
    tokensFile,
  );
  const metrics = await (await fetch(`http://127.0.0.1:${GOMALL_PORT}/metrics`)).text();
  const rssMb =
    Number(/^process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1] ?? 0) / 1024 / 1024;
  const queued = Number(
    /^seckill_attempts_total\{result="queued"\} (\d+)/m.exec(metrics)?.[1] ?? 0,
  );
  await stop(server);

  // The drain: the orders of this run (and its warm-up) are waiting in the queue.
  const keys = activityKeys(config.redis.key_prefix, Number(productId));
  const pendingAtStart = await infra.redis.hlen(keys.pending);
  const consumer = await startConsumer(consumerConfig, logger);
  const drainStart = Date.now();
  while ((await infra.redis.hlen(keys.pending)) > 0)
    await new Promise((resolve) => setTimeout(resolve, 20));
  const drainSeconds = (Date.now() - drainStart) / 1000;
  await consumer.stop();

  const stock = Number(await infra.redis.get(keys.stock));
  const activity = (await infra
    .db('seckill_activities')
    .where({ product_id: productId })
    .first()) as { id: number; stock: number; total_stock: number };
  const orders = Number(
    (
      (await infra.db('orders').where({ activity_id: activity.id }).count({ n: '*' }).first()) as {
        n: number;
      }
    ).n,
  );
  const top = (await infra
    .db('orders')
    .where({ activity_id: activity.id })
    .select('user_id')
    .count({ n: '*' })
    .groupBy('user_id')
    .orderBy('n', 'desc')
    .first()) as { n: number } | undefined;
  const broken: string[] = [];
  if (orders !== initial - stock) broken.push(`orders ${orders} ≠ reserved ${initial - stock}`);
  if (stock + orders !== initial) broken.push(`Redis stock + sold ${stock + orders} ≠ ${initial}`);
  if (activity.stock !== initial - orders)
    broken.push(`MySQL stock ${activity.stock} ≠ ${initial - orders}`);
  if (Number(top?.n ?? 0) > 1000) broken.push(`a buyer holds ${top?.n} > limit 1000`);
  if (gomallLoad.non2xx > 0) broken.push(`${gomallLoad.non2xx} answers were not 202`);
  if (stock > initial) broken.push('oversold');
  rows.push({
    bare: bareLoad,
    gomall: gomallLoad,
    ratio: gomallLoad.rps / bareLoad.rps,
    queued,
    drainPerSecond: pendingAtStart / drainSeconds,
    rssMb,
    invariants: broken,
  });
  console.log(
    `run ${round}: bare ${fmt(bareLoad.rps)} req/s p99 ${fmt(bareLoad.p99_ms, 2)} ms | gomall ${fmt(gomallLoad.rps)} req/s p99 ${fmt(gomallLoad.p99_ms, 2)} ms | ratio ${fmt(gomallLoad.rps / bareLoad.rps, 3)} | 202s ${fmt(queued)} | drain ${fmt(pendingAtStart)} orders in ${fmt(drainSeconds, 2)} s = ${fmt(pendingAtStart / drainSeconds)}/s | server RSS ${fmt(rssMb)} MB | invariants ${broken.length === 0 ? 'hold' : broken.join('; ')}`,
  );
}

// The machine is shared: nothing of the bench stays behind.
await purge();
await infra.close();
await dropDatabase(config.database);
rmSync(tokensFile, { force: true });
console.log(
  `median: bare ${fmt(median(rows.map((r) => r.bare.rps)))} req/s (p99 ${fmt(median(rows.map((r) => r.bare.p99_ms)), 2)} ms), gomall POST /api/seckill ${fmt(median(rows.map((r) => r.gomall.rps)))} req/s (p99 ${fmt(median(rows.map((r) => r.gomall.p99_ms)), 2)} ms), ratio ${fmt(median(rows.map((r) => r.ratio)), 3)} (target ≥ 0.15, p99 ≤ 25 ms); consumer drain ${fmt(median(rows.map((r) => r.drainPerSecond)))} orders/s (target ≥ 20,000)`,
);
if (rows.some((r) => r.invariants.length > 0)) {
  console.error('bench:seckill: an invariant is broken');
  process.exit(1);
}
