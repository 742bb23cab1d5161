import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { invariantsTable } from '../../src/bench/output/tables.js';
import { SETTLE_MS } from '../../src/seckill/settle.js';
import { allHold } from '../../src/bench/verify/invariants.js';
import { verifySales, type SaleVerification } from '../../src/bench/verify/verify-sales.js';
import { withInfra } from '../../src/cli/with-infra.js';

export default class BenchVerify extends BaseCommand<typeof BenchVerify> {
  static override summary = 'Check the flash-sale invariants of one activity in MySQL and Redis.';
  static override description = withExitCodes(
    `The verification step of \`gomall bench\`, for a sale that ran elsewhere: no oversell (sold ≤ stock), no undersell (a sold-out sale sold its whole stock, pending reservations included), no buyer over limit_per_user and no order_no twice, Redis stock + sold + pending = initial stock, MySQL stock = initial stock - sold. Without the run's answers, "every 202 has one order row" is skipped. A broken invariant is reported only if a second look ${SETTLE_MS} ms later still shows it. Run it once the orders queue has drained for the undersell check to be final.`,
    'an invariant is broken (the report is still printed), or MySQL/Redis cannot be read',
  );
  static override examples = [
    '<%= config.bin %> bench verify --product 42',
    '<%= config.bin %> bench verify --product 42 --env prod --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    product: Flags.integer({
      char: 'p',
      required: true,
      min: 1,
      description: 'Product id of the activity',
    }),
  };

  async run(): Promise<SaleVerification> {
    const verification = await withInfra(this.settings, (infra) =>
      verifySales(infra.db, infra.redis, this.settings.redis.key_prefix, [this.flags.product], {
        settleMs: SETTLE_MS,
      }),
    );
    const sale = verification.sales[0]!;
    this.log(
      `product ${sale.product_id} (activity ${sale.activity_id}): stock ${sale.initial_stock}, sold ${sale.sold} in ${sale.order_rows} order row(s), Redis stock ${sale.redis_stock ?? 'not loaded'}, pending ${sale.pending}, limit ${sale.limit_per_user} per buyer`,
    );
    this.log(invariantsTable(verification.invariants));
    const ok = allHold(verification.invariants);
    this.log(
      ok
        ? 'PASS: every invariant that can be checked holds'
        : `FAIL: ${verification.invariants
            .filter((i) => i.status === 'FAIL')
            .map((i) => i.id)
            .join(', ')} broken`,
    );
    if (!ok) process.exitCode = 1;
    return verification;
  }
}
