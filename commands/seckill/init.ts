import { Flags } from '@oclif/core';
import { BaseCommand } from '../../src/cli/base-command.js';
import { withExitCodes } from '../../src/cli/exit-codes.js';
import { confirmOrRefuse } from '../../src/cli/confirm.js';
import { parseInput } from '../../src/validation/parse-input.js';
import { withInfra } from '../../src/cli/with-infra.js';
import { ActivityService, type ActivityView } from '../../src/seckill/activity.js';
import { SeckillRepository } from '../../src/seckill/repository.js';
import { ANTI_BOT_MODES, initInput } from '../../src/seckill/schemas.js';

export default class SeckillInit extends BaseCommand<typeof SeckillInit> {
  static override summary =
    'Create or re-initialise a flash-sale activity: MySQL row, then stock, window and limit in Redis.';
  static override description = withExitCodes(
    'A re-init is a new round of the same activity: --stock units go on sale, buyers keep what they bought (the per-user limit still counts it), and every server instance forgets its sold-out flag. Re-initialising an activity that already has sales asks for confirmation in a terminal and needs --yes otherwise. Refused while reservations are still being turned into orders.',
    'refused (sales without --yes, reservations still pending, bad input) or a service is unreachable',
  );
  static override examples = [
    '<%= config.bin %> seckill init --product 42 --stock 100',
    '<%= config.bin %> seckill init --product 42 --stock 500 --price 9.90 --start 2026-11-25T12:00:00Z --end 2026-11-25T13:00:00Z --limit-per-user 2',
    '<%= config.bin %> seckill init --product 42 --stock 100 --yes --json',
    '<%= config.bin %> seckill init --product 42 --stock 100 --anti-bot path',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    product: Flags.integer({ char: 'p', required: true, min: 1, description: 'Product id' }),
    stock: Flags.integer({ char: 's', required: true, min: 0, description: 'Units on sale' }),
    price: Flags.string({ description: 'Sale price ("9.90") [default: the product price]' }),
    start: Flags.string({ description: 'Start, ISO-8601 [default: now]' }),
    end: Flags.string({ description: 'End, ISO-8601 [default: start + 24 h]' }),
    'limit-per-user': Flags.integer({ min: 1, default: 1, description: 'Units one buyer may get' }),
    'anti-bot': Flags.string({
      options: [...ANTI_BOT_MODES],
      default: 'none',
      description:
        'Keep bots out: path = buyers fetch a one-time token first; captcha = the token needs a solved captcha',
    }),
    yes: Flags.boolean({
      char: 'y',
      description: 'Re-initialise an activity with sales without asking',
    }),
  };

  async run(): Promise<ActivityView> {
    const input = parseInput(initInput, {
      product_id: this.flags.product,
      stock: this.flags.stock,
      limit_per_user: this.flags['limit-per-user'],
      anti_bot: this.flags['anti-bot'],
      ...(this.flags.price === undefined ? {} : { price: this.flags.price }),
      ...(this.flags.start === undefined ? {} : { start_at: this.flags.start }),
      ...(this.flags.end === undefined ? {} : { end_at: this.flags.end }),
    });
    return withInfra(this.settings, async (infra) => {
      const activities = new ActivityService({
        db: infra.db,
        redis: infra.redis,
        keyPrefix: this.settings.redis.key_prefix,
        repository: new SeckillRepository(infra.db),
      });
      const sold = await activities.sales(input.product_id);
      if (sold > 0) {
        const proceed = await confirmOrRefuse({
          yes: this.flags.yes,
          refusal: `product ${input.product_id} has sold ${sold} unit(s); refusing to re-initialise without --yes`,
          question: `Product ${input.product_id} has already sold ${sold} unit(s). Start a new round of its sale?`,
        });
        if (!proceed) throw new Error('cancelled; the activity is unchanged');
      }
      const view = await activities.init(input);
      this.log(
        `product ${view.product_id}: ${view.remaining} on sale at ${view.price}, ${view.start_at} → ${view.end_at}, limit ${view.limit_per_user} per user, anti-bot ${view.anti_bot} (generation ${view.generation})`,
      );
      return view;
    });
  }
}
