import type { Knex } from 'knex';

/**
 * The order lifecycle (docs/API.md, Orders): pending → paid → shipped → completed, pending →
 * cancelled, paid → refunded. Adds the statuses, a timestamp per transition, the payment
 * provider's reference (unique: one payment pays one order) and an index for the admins'
 * list by status ((status, created_at), not (status, id): with the latter MariaDB may run a
 * compare-and-set `WHERE id = ? AND status = ?` on that index instead of the primary key,
 * and two transitions racing on one order deadlock). Normal orders now expire like seckill ones: unpaid normal orders that
 * exist when this runs get the default payment window (30 minutes) from now, so the
 * sweeper cancels them and gives their stock back instead of holding it for ever.
 */
const EXISTING_ORDER_WINDOW_MINUTES = 30;

const NEW_STATUSES = "'pending','paid','shipped','completed','cancelled','refunded'";
const OLD_STATUSES = "'pending','paid','cancelled'";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE orders MODIFY status ENUM(${NEW_STATUSES}) NOT NULL DEFAULT 'pending'`,
  );
  await knex.schema.alterTable('orders', (t) => {
    t.datetime('shipped_at', { precision: 3 }).nullable();
    t.datetime('completed_at', { precision: 3 }).nullable();
    t.datetime('refunded_at', { precision: 3 }).nullable();
    t.string('payment_ref', 64).nullable().unique({ indexName: 'uk_orders_payment_ref' });
    t.index(['status', 'created_at'], 'idx_orders_status_created');
  });
  await knex('orders')
    .where({ kind: 'normal', status: 'pending' })
    .whereNull('expires_at')
    .update({
      expires_at: knex.raw('DATE_ADD(NOW(3), INTERVAL ? MINUTE)', [EXISTING_ORDER_WINDOW_MINUTES]),
    });
}

/**
 * Back to three statuses: shipped and completed orders were paid, refunded ones end as
 * cancelled (the stock a refund gave back stays given back). Normal orders lose their
 * expiry again: the code before this migration never cancels them, and would refuse to pay
 * an expired one for ever.
 */
export async function down(knex: Knex): Promise<void> {
  await knex('orders').whereIn('status', ['shipped', 'completed']).update({ status: 'paid' });
  await knex('orders')
    .where({ status: 'refunded' })
    .update({ status: 'cancelled', cancelled_at: knex.raw('refunded_at') });
  await knex('orders').where({ kind: 'normal' }).update({ expires_at: null });
  await knex.schema.alterTable('orders', (t) => {
    t.dropIndex(['status', 'created_at'], 'idx_orders_status_created');
    t.dropUnique(['payment_ref'], 'uk_orders_payment_ref');
    t.dropColumns('shipped_at', 'completed_at', 'refunded_at', 'payment_ref');
  });
  await knex.raw(
    `ALTER TABLE orders MODIFY status ENUM(${OLD_STATUSES}) NOT NULL DEFAULT 'pending'`,
  );
}
