import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { textTable } from '../../src/cli/text-table.js';
import { withInfra } from '../../src/cli/with-infra.js';
import { withProgress } from '../../src/cli/progress.js';
import { SETTLE_MS } from '../../src/seckill/settle.js';
import { reconcile, type ReconcileReport } from '../../src/seckill/reconcile.js';
import { SeckillRepository } from '../../src/seckill/repository.js';

export default class SeckillReconcile extends BaseCommand<typeof SeckillReconcile> {
  static override summary =
    'Compare Redis with MySQL for every activity; --fix repairs the differences.';
  static override description = withExitCodes(
    `MySQL is the record. Checks: MySQL stock = total_stock - units of orders not cancelled; Redis stock = MySQL stock - units reserved but not yet orders; the Redis window, limit, price and generation match MySQL; no buyer's Redis slot is below what they hold. A difference counts only if a second look ${SETTLE_MS} ms later still shows it (a batch committing in between is not one).`,
    'a difference is left unfixed (the report is still printed), or a service is unreachable',
  );
  static override examples = [
    '<%= config.bin %> seckill reconcile',
    '<%= config.bin %> seckill reconcile --fix',
    '<%= config.bin %> seckill reconcile --product 42 --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    fix: Flags.boolean({
      description: 'Repair what differs (Redis from MySQL; MySQL stock from its orders)',
    }),
    product: Flags.integer({ char: 'p', min: 1, description: "Only this product's activity" }),
  };

  async run(): Promise<ReconcileReport> {
    const report = await withInfra(this.settings, (infra) =>
      withProgress((line) =>
        reconcile(
          {
            redis: infra.redis,
            keyPrefix: this.settings.redis.key_prefix,
            repository: new SeckillRepository(infra.db),
          },
          {
            fix: this.flags.fix,
            ...(this.flags.product === undefined ? {} : { productId: this.flags.product }),
            onActivity: (done, total, productId) =>
              line.update(
                `reconciling: ${done} of ${total} activities checked, now product ${productId}`,
              ),
          },
        ),
      ),
    );
    if (report.differences.length === 0) {
      this.log(
        `${report.activities} activit${report.activities === 1 ? 'y' : 'ies'}: Redis and MySQL agree`,
      );
    } else {
      const table = textTable(
        ['product', 'what', 'redis', 'mysql', 'fixed', 'detail'],
        ['right', 'left', 'right', 'right', 'left', 'left'],
      );
      for (const d of report.differences)
        table.push([
          d.product_id,
          d.what,
          d.redis ?? '-',
          d.mysql ?? '-',
          d.fixed ? 'yes' : 'no',
          d.detail,
        ]);
      this.log(table.toString());
    }
    // The report still goes out (as JSON with --json); the exit code tells scripts something is left.
    if (report.unfixed > 0) process.exitCode = 1;
    return report;
  }
}
