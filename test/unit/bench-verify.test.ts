import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { demandByProduct } from '../../src/bench/verify/demand.js';
import {
  checkCatalogInvariants,
  checkSaleInvariants,
  type InvariantId,
  type InvariantResult,
} from '../../src/bench/verify/invariants.js';
import type { SaleFigures } from '../../src/bench/verify/sale-figures.js';

/** A drained sale of 50 units, sold out to 50 buyers: every invariant holds. */
function sale(overrides: Partial<SaleFigures> = {}): SaleFigures {
  return {
    product_id: 7,
    activity_id: 3,
    initial_stock: 50,
    limit_per_user: 1,
    mysql_stock: 0,
    redis_stock: 0,
    sold: 50,
    order_rows: 50,
    duplicate_order_nos: 0,
    pending: 0,
    pending_units: 0,
    max_units_per_user: 1,
    users_over_limit: 0,
    over_limit_sample: [],
    ...overrides,
  };
}

const run = (queued = 50, demand = 300, product = 7) => ({
  queued,
  demand: new Map([[product, demand]]),
});

const byId = (results: InvariantResult[], id: InvariantId) => {
  const found = results.find((r) => r.id === id);
  assert.ok(found, `no result for ${id}`);
  return found;
};

const statuses = (results: InvariantResult[]) =>
  Object.fromEntries(results.map((r) => [r.id, r.status]));

describe('seckill invariants after a bench run', () => {
  test('a clean sold-out sale passes every invariant, with its figures', () => {
    const results = checkSaleInvariants([sale()], run());
    assert.deepEqual(statuses(results), {
      no_oversell: 'PASS',
      no_undersell: 'PASS',
      nothing_lost: 'PASS',
      no_duplicate: 'PASS',
      redis_conserved: 'PASS',
      mysql_stock: 'PASS',
    });
    assert.equal(byId(results, 'no_oversell').detail, 'sold 50 ≤ stock 50');
    assert.equal(byId(results, 'nothing_lost').detail, '202 answers 50 = order rows 50');
    assert.equal(byId(results, 'redis_conserved').detail, '0 + 50 + 0 = 50');
  });

  test('an order beyond the stock is an oversell, and breaks both stock balances', () => {
    const results = checkSaleInvariants([sale({ sold: 51, order_rows: 51 })], run(50));
    assert.equal(byId(results, 'no_oversell').status, 'FAIL');
    assert.equal(byId(results, 'no_oversell').detail, 'sold 51 > stock 50');
    assert.equal(
      byId(results, 'no_undersell').status,
      'PASS',
      'an oversell is not also an undersell',
    );
    assert.equal(byId(results, 'redis_conserved').status, 'FAIL');
    assert.equal(byId(results, 'mysql_stock').status, 'FAIL');
    assert.equal(byId(results, 'nothing_lost').status, 'FAIL');
  });

  test('a negative Redis stock is an oversell even when MySQL looks right', () => {
    assert.equal(
      byId(checkSaleInvariants([sale({ redis_stock: -1 })], run()), 'no_oversell').status,
      'FAIL',
    );
  });

  test('a buyer over the limit is a duplicate, named with the user', () => {
    const results = checkSaleInvariants(
      [sale({ users_over_limit: 1, max_units_per_user: 2, over_limit_sample: [123] })],
      run(),
    );
    const dup = byId(results, 'no_duplicate');
    assert.equal(dup.status, 'FAIL');
    assert.match(dup.detail, /1 buyer\(s\) over limit 1/);
    assert.match(dup.detail, /user 123/);
  });

  test('a duplicated order_no is a duplicate', () => {
    assert.match(
      byId(checkSaleInvariants([sale({ duplicate_order_nos: 2 })], run()), 'no_duplicate').detail,
      /2 order_no duplicated/,
    );
  });

  test('a 202 without its order row is a lost order', () => {
    const lost = byId(
      checkSaleInvariants(
        [
          sale({
            sold: 49,
            order_rows: 49,
            redis_stock: 0,
            mysql_stock: 1,
            pending: 1,
            pending_units: 1,
          }),
        ],
        run(50),
      ),
      'nothing_lost',
    );
    assert.equal(lost.status, 'FAIL');
    assert.equal(lost.detail, '202 answers 50 ≠ order rows 49 (1 reservation(s) still pending)');
  });

  test('stock left while demand reached it is an undersell; below the stock it cannot be judged', () => {
    const left = sale({ sold: 45, order_rows: 45, redis_stock: 5, mysql_stock: 5 });
    assert.equal(byId(checkSaleInvariants([left], run(45, 300)), 'no_undersell').status, 'FAIL');
    assert.match(
      byId(checkSaleInvariants([left], run(45, 300)), 'no_undersell').detail,
      /sold 45 < stock 50 with demand 300/,
    );
    const small = byId(checkSaleInvariants([left], run(45, 45)), 'no_undersell');
    assert.equal(small.status, 'SKIP');
    assert.equal(small.detail, 'demand 45 < stock 50');
  });

  test('Redis and MySQL balances name their figures', () => {
    const results = checkSaleInvariants([sale({ redis_stock: 2 })], run());
    assert.equal(
      byId(results, 'redis_conserved').detail,
      'Redis stock 2 + sold 50 + pending 0 = 52 ≠ 50',
    );
    assert.equal(
      byId(checkSaleInvariants([sale({ mysql_stock: 3 })], run()), 'mysql_stock').detail,
      'MySQL stock 3 ≠ 50 - sold 50',
    );
    assert.equal(
      byId(checkSaleInvariants([sale({ redis_stock: null })], run()), 'redis_conserved').detail,
      'the activity is not loaded in Redis',
    );
  });

  test('several products: totals when all pass, the failing product named when one does not', () => {
    const a = sale({ product_id: 1 });
    const b = sale({ product_id: 2, sold: 51, order_rows: 51 });
    const passing = checkSaleInvariants([a, sale({ product_id: 2 })], {
      queued: 100,
      demand: new Map([
        [1, 60],
        [2, 60],
      ]),
    });
    assert.equal(byId(passing, 'no_oversell').detail, 'sold 100 ≤ stock 100 (2 products)');
    const failing = byId(
      checkSaleInvariants([a, b], { queued: 101, demand: new Map() }),
      'no_oversell',
    );
    assert.equal(failing.status, 'FAIL');
    assert.equal(failing.detail, 'product 2: sold 51 > stock 50');
  });
});

describe('seckill invariants without a run (bench verify)', () => {
  test('the 202 check is skipped; a sale not sold out cannot be judged for undersell', () => {
    const results = checkSaleInvariants([
      sale({ sold: 10, order_rows: 10, redis_stock: 40, mysql_stock: 40 }),
    ]);
    assert.equal(byId(results, 'nothing_lost').status, 'SKIP');
    assert.equal(byId(results, 'no_undersell').status, 'SKIP');
    assert.equal(byId(results, 'redis_conserved').status, 'PASS');
  });

  test('a sold-out sale counts pending reservations as sold', () => {
    const draining = sale({
      sold: 48,
      order_rows: 48,
      mysql_stock: 2,
      pending: 2,
      pending_units: 2,
    });
    assert.equal(byId(checkSaleInvariants([draining]), 'no_undersell').status, 'PASS');
    const lost = sale({ sold: 48, order_rows: 48, mysql_stock: 2 });
    assert.match(
      byId(checkSaleInvariants([lost]), 'no_undersell').detail,
      /sold out, yet sold 48 \+ pending 0 = 48 < stock 50/,
    );
  });
});

describe('catalog invariants (browse-and-buy)', () => {
  test('ordered within stock and stock conserved pass; more ordered than stocked fails both', () => {
    const ok = checkCatalogInvariants([
      { product_id: 1, initial_stock: 20, stock: 15, ordered: 5 },
    ]);
    assert.deepEqual(statuses(ok), { no_oversell: 'PASS', catalog_conserved: 'PASS' });
    const bad = checkCatalogInvariants([
      { product_id: 1, initial_stock: 20, stock: 0, ordered: 21 },
    ]);
    assert.deepEqual(statuses(bad), { no_oversell: 'FAIL', catalog_conserved: 'FAIL' });
  });
});

describe('demand per product', () => {
  test('flash-sale: distinct buyers who tried, on the one product', () => {
    assert.deepEqual([...demandByProduct('first', [9], 300, 300)], [[9, 300]]);
    // Buyers repeat after the last: 500 iterations over 300 buyers are 300 distinct buyers.
    assert.deepEqual([...demandByProduct('first', [9], 500, 300)], [[9, 300]]);
  });

  test('multi-sale: the n-th buyer on product n mod count', () => {
    assert.deepEqual(
      [...demandByProduct('round-robin', [1, 2, 3], 10, 10)],
      [
        [1, 4],
        [2, 3],
        [3, 3],
      ],
    );
  });

  test('an unknown script over several products has unknown demand', () => {
    assert.equal(demandByProduct('unknown', [1, 2], 100, 100).size, 0);
    assert.deepEqual([...demandByProduct('unknown', [5], 80, 100)], [[5, 80]]);
  });
});
