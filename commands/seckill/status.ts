import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { textTable } from '../../src/cli/text-table.js';
import { withInfra } from '../../src/cli/with-infra.js';
import { SeckillRepository } from '../../src/seckill/repository.js';
import { seckillStatus, type SeckillStatus } from '../../src/seckill/status.js';

export default class SeckillStatusCommand extends BaseCommand<typeof SeckillStatusCommand> {
  static override summary =
    'Show each activity: stock, sold, pending reservations; and the queue depths.';
  static override description = withExitCodes(
    'warmed says whether Redis holds the current generation of the activity (init loads it; consume warms a scheduled one Redis lacks before its start). stock is what Redis still sells; mysql stock is what MySQL has not yet turned into orders; pending are reservations in the outbox. The queues are the orders queue, the payment timeouts waiting and due, and the dead-letter queue.',
  );
  static override examples = [
    '<%= config.bin %> seckill status',
    '<%= config.bin %> seckill status --product 42 --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    product: Flags.integer({ char: 'p', min: 1, description: "Only this product's activity" }),
  };

  async run(): Promise<SeckillStatus> {
    const status = await withInfra(this.settings, (infra) =>
      seckillStatus(
        this.settings,
        infra.redis,
        new SeckillRepository(infra.db),
        this.flags.product,
      ),
    );
    const table = textTable(
      ['product', 'window', 'gen', 'warmed', 'total', 'stock', 'mysql stock', 'sold', 'pending'],
      ['right', 'left', 'right', 'left', 'right', 'right', 'right', 'right', 'right'],
    );
    for (const a of status.activities) {
      table.push([
        a.product_id,
        a.window,
        a.generation,
        a.warmed ? 'yes' : 'no',
        a.total_stock,
        a.stock ?? '-',
        a.mysql_stock,
        a.sold,
        a.pending,
      ]);
    }
    this.log(status.activities.length === 0 ? 'no seckill activity' : table.toString());
    const q = status.queues;
    this.log(
      q
        ? `queues (messages): orders ${q.orders}, timeouts due ${q.timeouts}, timeouts waiting ${q.delayed}, dead-lettered ${q.dead}`
        : 'queues: broker unreachable',
    );
    return status;
  }
}
