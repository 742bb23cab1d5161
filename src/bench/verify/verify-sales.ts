// Step e of the bench (and all of `gomall bench verify`): read the figures, check the rules.
import type { Knex } from '../../infra/db.js';
import type { Redis } from '../../infra/redis.js';
import {
  allHold,
  checkSaleInvariants,
  type InvariantResult,
  type RunEvidence,
} from './invariants.js';
import { saleFigures, type SaleFigures } from './sale-figures.js';

export interface SaleVerification {
  sales: SaleFigures[];
  invariants: InvariantResult[];
}

export interface VerifyOptions {
  evidence?: RunEvidence;
  /**
   * Look again after this many ms before reporting a broken invariant: a consumer committing
   * a batch between two reads moves units from one figure to another (a sale still running).
   */
  settleMs?: number;
}

export async function verifySales(
  db: Knex,
  redis: Redis,
  keyPrefix: string,
  productIds: number[],
  options: VerifyOptions = {},
): Promise<SaleVerification> {
  const look = async (): Promise<SaleVerification> => {
    const sales = await Promise.all(productIds.map((id) => saleFigures(db, redis, keyPrefix, id)));
    return { sales, invariants: checkSaleInvariants(sales, options.evidence) };
  };
  const first = await look();
  if (allHold(first.invariants) || !options.settleMs) return first;
  await new Promise((resolve) => setTimeout(resolve, options.settleMs));
  return look();
}
