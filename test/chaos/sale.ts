// One chaos case: a real sale on a stack of its own, one fault ~1 s into the load, then,
// once the queue drains, the checks from the client's answers and the stores.
import { createDb } from '../../src/infra/db.js';
import { Redis } from '../../src/infra/redis.js';
import { tokenMinter } from '../../src/bench/prepare/token-minter.js';
import { waitForDrain } from '../../src/bench/drain/wait-for-drain.js';
import { saleFigures } from '../../src/bench/verify/sale-figures.js';
import { checkSaleInvariants, type InvariantResult } from '../../src/bench/verify/invariants.js';
import { ActivityService } from '../../src/seckill/activity.js';
import { activityKeys } from '../../src/seckill/keys.js';
import { SeckillRepository } from '../../src/seckill/repository.js';
import type { FaultCase } from './cases.js';
import { runLoad, type Answer } from './load.js';
import { ChaosStack } from './stack.js';

export interface SaleOptions {
  buyers: number;
  stock: number;
  connections: number;
  rate: number;
  /** When the fault is injected, ms after the load's start. */
  faultAtMs: number;
  drainTimeoutMs: number;
  log: (line: string) => void;
}

export interface CaseResult {
  name: string;
  requests: number;
  accepted: number;
  orderRows: number;
  oversell: number;
  lost: number;
  duplicates: number;
  fiveXx: number;
  /** 500s among them (never expected: 503 BUSY is the answer for a dependency away). */
  internal: number;
  /** Requests with no HTTP answer (the server was killed under them). */
  unanswered: number;
  /** From the fault's start until serve is ready, consume consumes and the sale is loaded. */
  recoveredSeconds: number | null;
  drained: boolean;
  invariants: InvariantResult[];
  /** Checks that failed, as sentences (empty when the case passed). */
  failures: string[];
  dir: string;
}

/** Buyers whose id % REPEAT_EVERY is 0 try a second time: the per-user limit must hold. */
const REPEAT_EVERY = 10;

export async function runCase(fault: FaultCase, o: SaleOptions): Promise<CaseResult> {
  const stack = await ChaosStack.create({ ownRabbit: fault.ownRabbit });
  const db = createDb(stack.config.database);
  const redis = new Redis({
    host: '127.0.0.1',
    port: stack.redis.port,
    maxRetriesPerRequest: null,
  });
  redis.on('error', () => undefined);
  try {
    // The sale: a product, its activity (limit 1 a buyer), the buyers and their tokens.
    const [productId] = (await db('products').insert({
      name: `chaos ${fault.name}`,
      price: '9.90',
      stock: 0,
    })) as number[];
    await new ActivityService({
      db,
      redis,
      keyPrefix: stack.config.redis.key_prefix,
      repository: new SeckillRepository(db),
    }).init({ product_id: productId!, stock: o.stock, limit_per_user: 1 });
    const users = await insertBuyers(db, stack.id, o.buyers);
    const mint = tokenMinter(stack.config.jwt);
    const requests: Array<[number, string]> = users.map((id) => [id, mint(id)]);
    for (const id of users.filter((id) => id % REPEAT_EVERY === 0))
      requests.splice(Math.floor(Math.random() * requests.length), 0, [id, mint(id)]);

    await Promise.all([stack.startServe(), stack.startConsume()]);
    o.log(`${fault.name}: ${requests.length} requests, ${o.stock} units (logs: ${stack.dir})`);

    const loadDone = runLoad({
      baseUrl: stack.baseUrl,
      productId: productId!,
      requests,
      connections: o.connections,
      rate: o.rate,
      timeoutMs: 15_000,
    });
    await new Promise((resolve) => setTimeout(resolve, o.faultAtMs));
    const faultAt = Date.now();
    o.log(`${fault.name}: injecting`);
    await fault.inject(stack);
    const recovered = await recoveredAfter(stack, redis, productId!, 90_000);
    const recoveredSeconds = recovered === null ? null : (recovered - faultAt) / 1000;
    const answers = await loadDone;
    o.log(`${fault.name}: load done, recovered in ${recoveredSeconds ?? '-'} s; draining`);

    const drain = await waitForDrain({
      redis,
      keyPrefix: stack.config.redis.key_prefix,
      productIds: [productId!],
      probe: stack.probe,
      timeoutMs: o.drainTimeoutMs,
    });
    // The outbox and queue are empty; a batch in hand may still be committing.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return await check(
      fault,
      stack,
      db,
      redis,
      productId!,
      answers,
      recoveredSeconds,
      drain.drained,
    );
  } finally {
    redis.disconnect();
    await db.destroy();
    await stack.close();
  }
}

async function insertBuyers(
  db: ReturnType<typeof createDb>,
  id: string,
  n: number,
): Promise<number[]> {
  const rows = Array.from({ length: n }, (_, i) => ({
    username: `chaos_${id}_${i}`,
    password_hash: 'x',
    role: 'user' as const,
  }));
  for (let i = 0; i < rows.length; i += 2000) await db('users').insert(rows.slice(i, i + 2000));
  const found = (await db('users')
    .select('id')
    .where('username', 'like', `chaos\\_${id}\\_%`)) as Array<{
    id: number;
  }>;
  return found.map((row) => Number(row.id));
}

/**
 * When the system is whole again, polled every 100 ms: serve answers /ready 200, the orders
 * queue has a consumer and the activity is loaded in Redis. null if not within `timeoutMs`.
 */
async function recoveredAfter(
  stack: ChaosStack,
  redis: Redis,
  productId: number,
  timeoutMs: number,
): Promise<number | null> {
  const meta = activityKeys(stack.config.redis.key_prefix, productId).meta;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [ready, reading, loaded] = await Promise.all([
      fetch(`${stack.baseUrl}/ready`, { signal: AbortSignal.timeout(2000) })
        .then((res) => res.status === 200)
        .catch(() => false),
      stack.probe.read(),
      redis.exists(meta).catch(() => 0),
    ]);
    if (ready && (reading?.consumers ?? 0) > 0 && loaded === 1) return Date.now();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

async function check(
  fault: FaultCase,
  stack: ChaosStack,
  db: ReturnType<typeof createDb>,
  redis: Redis,
  productId: number,
  answers: Answer[],
  recoveredSeconds: number | null,
  drained: boolean,
): Promise<CaseResult> {
  const figures = await saleFigures(db, redis, stack.config.redis.key_prefix, productId);
  const rows = (await db('orders')
    .select('order_no', 'user_id')
    .where('activity_id', figures.activity_id)) as Array<{ order_no: string; user_id: number }>;
  const rowsByNo = new Map<string, number>();
  for (const row of rows) rowsByNo.set(row.order_no, (rowsByNo.get(row.order_no) ?? 0) + 1);
  const accepted = answers.filter((a) => a.status === 202 && a.orderNo);
  const lost = accepted.filter((a) => !rowsByNo.has(a.orderNo!)).length;
  const twice = accepted.filter((a) => (rowsByNo.get(a.orderNo!) ?? 0) > 1).length;
  const duplicates = figures.duplicate_order_nos + figures.users_over_limit + twice;
  const oversell =
    Math.max(0, figures.sold - figures.initial_stock) + Math.max(0, -(figures.redis_stock ?? 0));
  // The bench's nothing_lost compares counts; here each 202 is matched with its row (lost),
  // and a row without a 202 must be a request that got no 202 back: the server killed after
  // the reservation, or a 503 whose reservation was made (an order the buyer was not told).
  const invariants = checkSaleInvariants([figures], {
    queued: accepted.length,
    demand: new Map([[productId, new Set(answers.map((a) => a.user)).size]]),
  }).filter((r) =>
    ['no_oversell', 'no_duplicate', 'redis_conserved', 'mysql_stock'].includes(r.id),
  );
  const acceptedNos = new Set(accepted.map((a) => a.orderNo!));
  const unconfirmedUsers = new Set(
    answers.filter((a) => a.status === 0 || a.status >= 500).map((a) => a.user),
  );
  const strays = rows.filter(
    (row) => !acceptedNos.has(row.order_no) && !unconfirmedUsers.has(Number(row.user_id)),
  ).length;
  const failures: string[] = [];
  if (!drained) failures.push('the queue did not drain');
  if (lost > 0) failures.push(`${lost} 202s without an order row`);
  if (strays > 0) failures.push(`${strays} order rows of buyers who were refused`);
  if (oversell > 0) failures.push(`oversold by ${oversell}`);
  if (duplicates > 0) failures.push(`${duplicates} duplicates or buyers over the limit`);
  if (recoveredSeconds === null) failures.push('did not recover');
  if (!stack.serve.running() || !stack.consume.running()) failures.push('a process died');
  for (const r of invariants) if (r.status === 'FAIL') failures.push(`${r.title}: ${r.detail}`);
  const fiveXx = answers.filter((a) => a.status >= 500);
  return {
    name: fault.name,
    requests: answers.length,
    accepted: accepted.length,
    orderRows: rows.length,
    oversell,
    lost,
    duplicates,
    fiveXx: fiveXx.length,
    internal: fiveXx.filter((a) => a.status === 500).length,
    unanswered: answers.filter((a) => a.status === 0).length,
    recoveredSeconds,
    drained,
    invariants,
    failures,
    dir: stack.dir,
  };
}
