import type { Redis } from '../infra/redis.js';
import { toCents } from '../money.js';
import { loadIntoRedis } from './activity.js';
import { activityKeys } from './keys.js';
import { orderMessage, parseMessage } from './message.js';
import { SETTLE_MS } from './settle.js';
import type { ActivityRow, SeckillRepository } from './repository.js';

export type DifferenceKind = 'mysql_stock' | 'not_loaded' | 'fenced' | 'meta' | 'stock' | 'buyers';

export interface Difference {
  product_id: number;
  what: DifferenceKind;
  detail: string;
  redis: string | number | null;
  mysql: string | number | null;
  fixed: boolean;
}

export interface ReconcileReport {
  activities: number;
  differences: Difference[];
  unfixed: number;
}

export interface ReconcileDeps {
  redis: Redis;
  keyPrefix: string;
  repository: SeckillRepository;
}

/**
 * `seckill reconcile`: compares each activity's Redis state with MySQL. MySQL is the record:
 * its stock must equal total_stock minus the units of orders not cancelled; Redis stock
 * must equal MySQL stock minus the units reserved but not yet orders (the pending outbox);
 * the Redis meta must match the row; no buyer's Redis slot may be below what MySQL and the
 * outbox show. A difference is reported only when a second look finds it too (so a batch
 * committing in between is not one); `fix` repairs Redis from MySQL, and MySQL stock from
 * its own orders.
 */
export async function reconcile(
  deps: ReconcileDeps,
  options: {
    fix: boolean;
    productId?: number;
    /** Called before each activity is checked: how many were done, of how many, and which. */
    onActivity?: (done: number, total: number, productId: number) => void;
  },
): Promise<ReconcileReport> {
  const rows = (await deps.repository.listActivities()).filter(
    (row) => options.productId === undefined || Number(row.product_id) === options.productId,
  );
  const differences: Difference[] = [];
  for (const [done, row] of rows.entries()) {
    options.onActivity?.(done, rows.length, Number(row.product_id));
    const first = await inspect(deps, row);
    if (first.length === 0) continue;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const fresh = (await deps.repository.findActivity(Number(row.product_id)))!;
    const second = await inspect(deps, fresh);
    const lasting = second.filter((d) =>
      first.some((f) => f.what === d.what && f.redis === d.redis && f.mysql === d.mysql),
    );
    if (options.fix)
      for (const difference of lasting) difference.fixed = await repair(deps, fresh, difference);
    differences.push(...lasting);
  }
  return {
    activities: rows.length,
    differences,
    unfixed: differences.filter((d) => !d.fixed).length,
  };
}

async function inspect(deps: ReconcileDeps, row: ActivityRow): Promise<Difference[]> {
  const productId = Number(row.product_id);
  const keys = activityKeys(deps.keyPrefix, productId);
  const out: Difference[] = [];
  const differ = (
    what: DifferenceKind,
    detail: string,
    redis: Difference['redis'],
    mysql: Difference['mysql'],
  ) => out.push({ product_id: productId, what, detail, redis, mysql, fixed: false });

  const sold = await deps.repository.soldUnits(row.id);
  if (row.stock + sold !== row.total_stock) {
    differ(
      'mysql_stock',
      `MySQL stock should be total_stock ${row.total_stock} - sold ${sold}`,
      null,
      row.stock,
    );
  }
  const mysqlStock = row.total_stock - sold;

  const [meta, stock, pendingBodies, buyers] = await Promise.all([
    deps.redis.hgetall(keys.meta),
    deps.redis.get(keys.stock),
    deps.redis.hgetall(keys.pending),
    deps.redis.hgetall(keys.buyers),
  ]);
  if (Object.keys(meta).length === 0) {
    differ('not_loaded', 'the activity is not in Redis', null, mysqlStock);
    return out;
  }
  if (meta['loading'] !== undefined) {
    // A re-init stopped between its fence and its load (a crash): the activity is not
    // selling; the fix loads it from MySQL, whichever round MySQL holds.
    differ(
      'fenced',
      'a re-init did not finish: the activity is fenced (not selling) until it is reloaded from MySQL',
      `loading=${meta['loading']}`,
      `generation=${row.generation}`,
    );
    return out;
  }
  const expectedMeta = metaOf(row);
  const wrong = Object.entries(expectedMeta).filter(([field, value]) => meta[field] !== value);
  if (wrong.length > 0) {
    differ(
      'meta',
      `Redis meta differs: ${wrong.map(([f]) => f).join(', ')}`,
      wrong.map(([f]) => `${f}=${meta[f] ?? ''}`).join(' '),
      wrong.map(([f, v]) => `${f}=${v}`).join(' '),
    );
  }

  // Reservations still in the outbox whose order row does not exist yet hold Redis units.
  const pending = Object.values(pendingBodies)
    .map((body) => parseMessage(orderMessage, Buffer.from(body)))
    .filter((m) => m !== null);
  const existing = await deps.repository.existingOrderNos(pending.map((m) => m.order_no));
  const inFlight = pending.filter((m) => !existing.has(m.order_no));
  const reserved = inFlight.reduce((sum, m) => sum + m.quantity, 0);
  const expectedStock = mysqlStock - reserved;
  if (Number(stock) !== expectedStock || stock === null) {
    differ(
      'stock',
      `Redis stock should be MySQL stock ${mysqlStock} - reserved ${reserved}`,
      stock === null ? null : Number(stock),
      expectedStock,
    );
  }

  const expectedSlots = new Map(await deps.repository.buyerSlots(row.id));
  for (const m of inFlight)
    expectedSlots.set(m.user_id, Math.max(expectedSlots.get(m.user_id) ?? 0, m.slot));
  const behind = [...expectedSlots].filter(
    ([user, slot]) => Number(buyers[String(user)] ?? 0) < slot,
  );
  if (behind.length > 0) {
    differ(
      'buyers',
      `${behind.length} buyer(s) hold more than Redis counts (users ${behind
        .slice(0, 5)
        .map(([u]) => u)
        .join(', ')}${behind.length > 5 ? ', ...' : ''})`,
      behind.length,
      0,
    );
  }
  return out;
}

function metaOf(row: ActivityRow): Record<string, string> {
  return {
    start_ms: String(new Date(row.start_at).getTime()),
    end_ms: String(new Date(row.end_at).getTime()),
    limit: String(row.limit_per_user),
    activity_id: String(row.id),
    product_id: String(row.product_id),
    price_cents: String(toCents(row.price)),
    generation: String(row.generation),
  };
}

async function repair(
  deps: ReconcileDeps,
  row: ActivityRow,
  difference: Difference,
): Promise<boolean> {
  const productId = Number(row.product_id);
  const keys = activityKeys(deps.keyPrefix, productId);
  switch (difference.what) {
    case 'mysql_stock': {
      const sold = await deps.repository.soldUnits(row.id);
      await deps.repository.setStock(row.id, row.total_stock - sold);
      return true;
    }
    case 'not_loaded': {
      await deps.redis.del(keys.buyersStaging);
      const slots = await deps.repository.buyerSlots(row.id);
      if (slots.length > 0) await deps.redis.hset(keys.buyersStaging, Object.fromEntries(slots));
      return (
        (await loadIntoRedis(deps.redis, deps.keyPrefix, row, Number(difference.mysql), {
          force: true,
        })) === 1
      );
    }
    case 'fenced': {
      await deps.redis.del(keys.buyersStaging);
      const slots = await deps.repository.buyerSlots(row.id);
      if (slots.length > 0) await deps.redis.hset(keys.buyersStaging, Object.fromEntries(slots));
      const stock = row.total_stock - (await deps.repository.soldUnits(row.id));
      return (await loadIntoRedis(deps.redis, deps.keyPrefix, row, stock, { force: true })) === 1;
    }
    case 'meta':
      await deps.redis.hset(keys.meta, metaOf(row));
      return true;
    case 'stock': {
      // Only if nobody reserved or gave back since the look: otherwise the figure is stale.
      await deps.redis.watch(keys.stock);
      const now = await deps.redis.get(keys.stock);
      if ((now === null ? null : Number(now)) !== difference.redis) {
        await deps.redis.unwatch();
        return false;
      }
      return (await deps.redis.multi().set(keys.stock, String(difference.mysql)).exec()) !== null;
    }
    case 'buyers': {
      const slots = await deps.repository.buyerSlots(row.id);
      const current = await deps.redis.hgetall(keys.buyers);
      const raise = slots.filter(([user, slot]) => Number(current[String(user)] ?? 0) < slot);
      if (raise.length > 0) await deps.redis.hset(keys.buyers, Object.fromEntries(raise));
      return true;
    }
  }
}
