import type { Knex } from 'knex';

/**
 * The seckill sweeper's backstop looks for unpaid seckill orders past their deadline (their
 * timeout message was lost); without this index that is a scan of every order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.index(['kind', 'status', 'expires_at'], 'idx_orders_kind_status_expires');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.dropIndex(['kind', 'status', 'expires_at'], 'idx_orders_kind_status_expires');
  });
}
