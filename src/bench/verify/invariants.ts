// The invariants of docs/API.md as pure checks over figures read from MySQL and Redis, so each rule
// is tested on hand-made figures. Each result is PASS, FAIL or SKIP (the evidence to decide is
// missing) with the figures that decided it.
import type { CatalogFigures } from './catalog-figures.js';
import type { SaleFigures } from './sale-figures.js';

export type InvariantId =
  | 'no_oversell'
  | 'no_undersell'
  | 'nothing_lost'
  | 'no_duplicate'
  | 'redis_conserved'
  | 'mysql_stock'
  | 'catalog_conserved'
  | 'all_accepted';

export type InvariantStatus = 'PASS' | 'FAIL' | 'SKIP';

export interface InvariantResult {
  id: InvariantId;
  title: string;
  status: InvariantStatus;
  detail: string;
}

/** What a bench run knows beyond the stores: its answers and its demand. */
export interface RunEvidence {
  /** 202 answers the run received. */
  queued: number;
  /** Units buyers asked for, per product id; a product missing here has unknown demand. */
  demand: Map<number, number>;
}

const TITLES: Record<InvariantId, string> = {
  no_oversell: 'no oversell: sold ≤ stock',
  no_undersell: 'no undersell: sold = stock when demand ≥ stock, once drained',
  nothing_lost: 'nothing lost: every 202 has exactly one order row',
  no_duplicate: 'no duplicate: no buyer over limit_per_user, no order_no twice',
  redis_conserved: 'Redis stock + sold + pending = initial stock',
  mysql_stock: 'MySQL stock = initial stock - sold',
  catalog_conserved: 'product stock + ordered = initial stock',
  all_accepted: 'every answer a 202',
};

/** A product's verdict: true/false, or null when it cannot be decided for this product. */
interface Verdict {
  ok: boolean | null;
  detail: string;
}

const sum = <T>(items: T[], pick: (item: T) => number) =>
  items.reduce((total, item) => total + pick(item), 0);
const MAX_LISTED = 3;

/**
 * Folds per-product verdicts into one result: FAIL names the failing products, PASS shows
 * the totals (`passing`), SKIP says why nothing could be decided.
 */
function fold(
  id: InvariantId,
  sales: Array<{ product_id: number }>,
  verdicts: Verdict[],
  passing: string,
): InvariantResult {
  const failed = verdicts
    .map((v, i) => ({ v, product: sales[i]!.product_id }))
    .filter(({ v }) => v.ok === false);
  const many = sales.length > 1;
  if (failed.length > 0) {
    const listed = failed
      .slice(0, MAX_LISTED)
      .map(({ v, product }) => (many ? `product ${product}: ${v.detail}` : v.detail));
    const more =
      failed.length > MAX_LISTED ? `; and ${failed.length - MAX_LISTED} more product(s)` : '';
    return { id, title: TITLES[id], status: 'FAIL', detail: listed.join('; ') + more };
  }
  if (verdicts.every((v) => v.ok === null)) {
    return { id, title: TITLES[id], status: 'SKIP', detail: verdicts[0]?.detail ?? 'no activity' };
  }
  return {
    id,
    title: TITLES[id],
    status: 'PASS',
    detail: passing + (many ? ` (${sales.length} products)` : ''),
  };
}

/**
 * The seckill invariants of `sales`. With `evidence` (a bench run that has drained), undersell
 * is judged on the run's demand and the 202s are matched with order rows; without it (`bench
 * verify` on a sale that ran elsewhere) a sold-out activity counts as demand ≥ stock, pending
 * reservations count as sold, and the 202 check is skipped.
 */
export function checkSaleInvariants(
  sales: SaleFigures[],
  evidence?: RunEvidence,
): InvariantResult[] {
  const total = (pick: (s: SaleFigures) => number) => sum(sales, pick);
  return [
    fold(
      'no_oversell',
      sales,
      sales.map((s) => {
        if (s.sold > s.initial_stock)
          return { ok: false, detail: `sold ${s.sold} > stock ${s.initial_stock}` };
        if (s.redis_stock !== null && s.redis_stock < 0)
          return { ok: false, detail: `Redis stock is ${s.redis_stock}` };
        return { ok: true, detail: '' };
      }),
      `sold ${total((s) => s.sold)} ≤ stock ${total((s) => s.initial_stock)}`,
    ),
    fold(
      'no_undersell',
      sales,
      sales.map((s) => undersold(s, evidence)),
      `sold ${total((s) => s.sold)} = stock ${total((s) => s.initial_stock)}`,
    ),
    nothingLost(sales, evidence),
    fold(
      'no_duplicate',
      sales,
      sales.map((s) => {
        const problems: string[] = [];
        if (s.users_over_limit > 0) {
          const who = s.over_limit_sample.join(', ');
          problems.push(
            `${s.users_over_limit} buyer(s) over limit ${s.limit_per_user} (most: ${s.max_units_per_user} units; user ${who})`,
          );
        }
        if (s.duplicate_order_nos > 0)
          problems.push(`${s.duplicate_order_nos} order_no duplicated`);
        return problems.length > 0
          ? { ok: false, detail: problems.join(', ') }
          : { ok: true, detail: '' };
      }),
      `at most ${Math.max(0, ...sales.map((s) => s.max_units_per_user))} unit(s) per buyer, limit ${Math.min(...sales.map((s) => s.limit_per_user))}; ${total((s) => s.order_rows)} order_no distinct`,
    ),
    fold(
      'redis_conserved',
      sales,
      sales.map((s) => {
        if (s.redis_stock === null)
          return { ok: false, detail: 'the activity is not loaded in Redis' };
        const seen = s.redis_stock + s.sold + s.pending_units;
        return seen === s.initial_stock
          ? { ok: true, detail: '' }
          : {
              ok: false,
              detail: `Redis stock ${s.redis_stock} + sold ${s.sold} + pending ${s.pending_units} = ${seen} ≠ ${s.initial_stock}`,
            };
      }),
      `${total((s) => s.redis_stock ?? 0)} + ${total((s) => s.sold)} + ${total((s) => s.pending_units)} = ${total((s) => s.initial_stock)}`,
    ),
    fold(
      'mysql_stock',
      sales,
      sales.map((s) =>
        s.mysql_stock + s.sold === s.initial_stock
          ? { ok: true, detail: '' }
          : {
              ok: false,
              detail: `MySQL stock ${s.mysql_stock} ≠ ${s.initial_stock} - sold ${s.sold}`,
            },
      ),
      `${total((s) => s.mysql_stock)} = ${total((s) => s.initial_stock)} - ${total((s) => s.sold)}`,
    ),
  ];
}

function undersold(s: SaleFigures, evidence: RunEvidence | undefined): Verdict {
  if (evidence) {
    const demand = evidence.demand.get(s.product_id);
    if (demand === undefined)
      return { ok: null, detail: 'demand per product unknown for this scenario' };
    if (demand < s.initial_stock)
      return { ok: null, detail: `demand ${demand} < stock ${s.initial_stock}` };
    // More than the stock is an oversell, reported as one.
    if (s.sold >= s.initial_stock) return { ok: true, detail: '' };
    const stuck = s.pending_units > 0 ? `, ${s.pending_units} still pending (not drained)` : '';
    return {
      ok: false,
      detail: `sold ${s.sold} < stock ${s.initial_stock} with demand ${demand}${stuck}`,
    };
  }
  // Outside a run the demand is unknown, but a sale that sold out had demand ≥ stock.
  if (s.redis_stock !== 0)
    return { ok: null, detail: 'demand unknown and the sale has not sold out' };
  const held = s.sold + s.pending_units;
  return held >= s.initial_stock
    ? { ok: true, detail: '' }
    : {
        ok: false,
        detail: `sold out, yet sold ${s.sold} + pending ${s.pending_units} = ${held} < stock ${s.initial_stock}`,
      };
}

function nothingLost(sales: SaleFigures[], evidence: RunEvidence | undefined): InvariantResult {
  const id = 'nothing_lost';
  if (!evidence)
    return {
      id,
      title: TITLES[id],
      status: 'SKIP',
      detail: 'no count of 202 answers outside a bench run',
    };
  const rows = sum(sales, (s) => s.order_rows);
  const pending = sum(sales, (s) => s.pending);
  if (rows === evidence.queued) {
    return {
      id,
      title: TITLES[id],
      status: 'PASS',
      detail: `202 answers ${evidence.queued} = order rows ${rows}`,
    };
  }
  const why = pending > 0 ? ` (${pending} reservation(s) still pending)` : '';
  return {
    id,
    title: TITLES[id],
    status: 'FAIL',
    detail: `202 answers ${evidence.queued} ≠ order rows ${rows}${why}`,
  };
}

/** browse-and-buy: ordinary orders take products.stock; none may take more than there was. */
export function checkCatalogInvariants(products: CatalogFigures[]): InvariantResult[] {
  const total = (pick: (p: CatalogFigures) => number) => sum(products, pick);
  return [
    fold(
      'no_oversell',
      products,
      products.map((p) =>
        p.ordered <= p.initial_stock
          ? { ok: true, detail: '' }
          : { ok: false, detail: `ordered ${p.ordered} > stock ${p.initial_stock}` },
      ),
      `ordered ${total((p) => p.ordered)} ≤ stock ${total((p) => p.initial_stock)}`,
    ),
    fold(
      'catalog_conserved',
      products,
      products.map((p) =>
        p.stock + p.ordered === p.initial_stock
          ? { ok: true, detail: '' }
          : { ok: false, detail: `stock ${p.stock} + ordered ${p.ordered} ≠ ${p.initial_stock}` },
      ),
      `${total((p) => p.stock)} + ${total((p) => p.ordered)} = ${total((p) => p.initial_stock)}`,
    ),
  ];
}

export const allHold = (results: InvariantResult[]) => results.every((r) => r.status !== 'FAIL');
