// Units buyers asked for, per product, for the undersell check ("when demand ≥ stock"). The
// bench's sales sell one unit per buyer, and the n-th iteration is the n-th buyer (buyers
// repeat after the last), so the first min(attempts, buyers) iterations are distinct buyers:
// a lower bound of the demand. Only a demand known to reach the stock makes an undersell a
// failure.
import type { ScenarioChoice } from '../load/scenario.js';

/** How many n in [0, total) have n mod count = k. */
const share = (total: number, count: number, k: number) =>
  Math.floor(total / count) + (k < total % count ? 1 : 0);

export function demandByProduct(
  spread: ScenarioChoice['spread'],
  products: number[],
  attempts: number,
  buyers: number,
): Map<number, number> {
  const distinct = Math.min(attempts, buyers);
  const demand = new Map<number, number>();
  if (spread === 'first' || (spread === 'unknown' && products.length === 1)) {
    if (products[0] !== undefined) demand.set(products[0], distinct);
  } else if (spread === 'round-robin') {
    products.forEach((id, k) => demand.set(id, share(distinct, products.length, k)));
  }
  return demand;
}
