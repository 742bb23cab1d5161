import type { Knex } from 'knex';

/**
 * How a sale keeps bots out: `none` (any logged-in buyer), `path` (a one-time token from
 * POST /api/seckill/:product_id/token first) or `captcha` (the token needs a solved captcha).
 * Existing activities keep selling as before: `none`.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('seckill_activities', (t) => {
    t.string('anti_bot', 8).notNullable().defaultTo('none');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('seckill_activities', (t) => {
    t.dropColumn('anti_bot');
  });
}
