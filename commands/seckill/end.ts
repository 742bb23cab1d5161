import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { withInfra } from '../../src/cli/with-infra.js';
import { ActivityAdmin, type ActivitySummary } from '../../src/seckill/admin.js';
import { SeckillRepository } from '../../src/seckill/repository.js';

export default class SeckillEnd extends BaseCommand<typeof SeckillEnd> {
  static override summary = 'End a flash-sale activity now.';
  static override description = withExitCodes(
    'Closes its window in MySQL and in Redis: no buy is accepted once this returns. Reservations already made still become orders. Ending an ended activity changes nothing; a product without an activity exits 1.',
    'the product has no activity, or it failed (one line on stderr)',
  );
  static override examples = [
    '<%= config.bin %> seckill end --product 42',
    '<%= config.bin %> seckill end --product 42 --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    product: Flags.integer({ char: 'p', required: true, min: 1, description: 'Product id' }),
  };

  async run(): Promise<ActivitySummary> {
    const ended = await withInfra(this.settings, (infra) =>
      new ActivityAdmin({
        redis: infra.redis,
        keyPrefix: this.settings.redis.key_prefix,
        repository: new SeckillRepository(infra.db),
      }).end(this.flags.product),
    );
    this.log(
      `product ${ended.product_id}: ended at ${ended.end_at} (${ended.sold} sold, ${ended.stock} left, ${ended.pending} pending)`,
    );
    return ended;
  }
}
