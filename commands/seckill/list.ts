import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { textTable } from '../../src/cli/text-table.js';
import { withInfra } from '../../src/cli/with-infra.js';
import { ActivityAdmin, type ActivitySummary } from '../../src/seckill/admin.js';
import { SeckillRepository } from '../../src/seckill/repository.js';

export default class SeckillList extends BaseCommand<typeof SeckillList> {
  static override summary =
    'List every flash-sale activity: window, stock, sold, pending and status.';
  static override description = withExitCodes(
    "status is scheduled (before its start), live, sold_out (no unit left in Redis) or ended. stock is what Redis still sells (MySQL's figure when Redis does not hold the activity); warmed says whether Redis holds the current generation of it.",
  );
  static override examples = [
    '<%= config.bin %> seckill list',
    '<%= config.bin %> seckill list --json',
  ];
  static override enableJsonFlag = true;

  async run(): Promise<ActivitySummary[]> {
    const activities = await withInfra(this.settings, (infra) =>
      new ActivityAdmin({
        redis: infra.redis,
        keyPrefix: this.settings.redis.key_prefix,
        repository: new SeckillRepository(infra.db),
      }).list(),
    );
    if (activities.length === 0) {
      this.log('no seckill activity');
      return activities;
    }
    const table = textTable(
      ['product', 'status', 'start', 'end', 'total', 'stock', 'sold', 'pending', 'warmed'],
      ['right', 'left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
    );
    for (const a of activities)
      table.push([
        a.product_id,
        a.status,
        a.start_at,
        a.end_at,
        a.total_stock,
        a.stock,
        a.sold,
        a.pending,
        a.warmed ? 'yes' : 'no',
      ]);
    this.log(table.toString());
    return activities;
  }
}
