import type { Knex } from 'knex';

/**
 * The whole mall. Money is DECIMAL(12,2) (shown as "19.90"); services compute in integer
 * cents. Stock columns are unsigned and CHECKed so a bug can never store a negative.
 */
export async function up(knex: Knex): Promise<void> {
  const now = knex.raw('CURRENT_TIMESTAMP(3)');

  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.string('username', 64).notNullable().unique('uk_users_username');
    t.string('email', 255).nullable();
    t.string('password_hash', 100).notNullable();
    t.enum('role', ['user', 'admin']).notNullable().defaultTo('user');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(now);
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(now);
  });

  await knex.schema.createTable('products', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.string('name', 200).notNullable();
    t.text('description').nullable();
    t.decimal('price', 12, 2).notNullable();
    t.integer('stock').unsigned().notNullable().defaultTo(0);
    t.string('category', 64).nullable().index('idx_products_category');
    t.string('image_url', 512).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(now);
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    // Soft delete: orders keep pointing at products that left the catalog.
    t.datetime('deleted_at', { precision: 3 }).nullable();
    t.index(['deleted_at', 'id'], 'idx_products_listing');
  });
  await knex.raw('ALTER TABLE products ADD CONSTRAINT chk_products_stock CHECK (stock >= 0)');

  await knex.schema.createTable('cart_items', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.bigInteger('product_id').unsigned().notNullable().references('products.id');
    t.integer('quantity').unsigned().notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(now);
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    t.unique(['user_id', 'product_id'], { indexName: 'uk_cart_user_product' });
  });

  await knex.schema.createTable('seckill_activities', (t) => {
    t.bigIncrements('id').unsigned().primary();
    // One activity per product: the Redis keys and the routes are keyed by product id.
    t.bigInteger('product_id').unsigned().notNullable().unique('uk_seckill_product');
    t.foreign('product_id').references('products.id');
    t.decimal('price', 12, 2).notNullable();
    t.integer('total_stock').unsigned().notNullable();
    // Units not yet turned into orders in MySQL; the consumer takes from it, cancels give back.
    t.integer('stock').unsigned().notNullable();
    t.integer('limit_per_user').unsigned().notNullable().defaultTo(1);
    t.datetime('start_at', { precision: 3 }).notNullable();
    t.datetime('end_at', { precision: 3 }).notNullable();
    // Bumped by every (re-)initialisation, so instances can tell their cached state is stale.
    t.integer('generation').unsigned().notNullable().defaultTo(1);
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(now);
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(now);
  });
  await knex.raw(
    'ALTER TABLE seckill_activities ADD CONSTRAINT chk_seckill_stock CHECK (stock >= 0 AND stock <= total_stock)',
  );

  await knex.schema.createTable('orders', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.string('order_no', 32).notNullable().unique('uk_orders_order_no');
    t.bigInteger('user_id').unsigned().notNullable().references('users.id');
    t.enum('kind', ['normal', 'seckill']).notNullable().defaultTo('normal');
    t.enum('status', ['pending', 'paid', 'cancelled']).notNullable().defaultTo('pending');
    t.decimal('total_amount', 12, 2).notNullable();
    // Seckill orders only (NULL otherwise, and NULLs never collide in a unique key).
    t.bigInteger('activity_id').unsigned().nullable().references('seckill_activities.id');
    // The buyer's n-th unit of this activity, handed out by the reservation script: with the
    // unique key below, a redelivered or re-published reservation can never make a second row.
    t.integer('buyer_slot').unsigned().nullable();
    t.datetime('expires_at', { precision: 3 }).nullable();
    t.datetime('paid_at', { precision: 3 }).nullable();
    t.datetime('cancelled_at', { precision: 3 }).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(now);
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    t.unique(['activity_id', 'user_id', 'buyer_slot'], { indexName: 'uk_orders_activity_buyer' });
    t.index(['user_id', 'status', 'id'], 'idx_orders_user_status');
  });

  await knex.schema.createTable('order_items', (t) => {
    t.bigIncrements('id').unsigned().primary();
    t.bigInteger('order_id').unsigned().notNullable().references('orders.id').onDelete('CASCADE');
    t.bigInteger('product_id').unsigned().notNullable().references('products.id');
    t.string('product_name', 200).notNullable();
    t.decimal('unit_price', 12, 2).notNullable();
    t.integer('quantity').unsigned().notNullable();
    t.decimal('subtotal', 12, 2).notNullable();
    t.index(['order_id'], 'idx_order_items_order');
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'order_items',
    'orders',
    'seckill_activities',
    'cart_items',
    'products',
    'users',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
