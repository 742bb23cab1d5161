import type { Knex } from '../infra/db.js';

export interface CartLineRow {
  product_id: number;
  name: string;
  /** DECIMAL, read as a string ("19.90"). */
  price: string;
  stock: number;
  quantity: number;
}

/** One row per (user, product), enforced by uk_cart_user_product. */
export class CartRepository {
  constructor(private readonly db: Knex) {}

  /** The user's lines whose product is still in the catalog, oldest first. */
  lines(userId: number): Promise<CartLineRow[]> {
    return this.db('cart_items as c')
      .join('products as p', 'p.id', 'c.product_id')
      .whereNull('p.deleted_at')
      .where('c.user_id', userId)
      .orderBy('c.id')
      .select('c.product_id', 'p.name', 'p.price', 'p.stock', 'c.quantity');
  }

  /**
   * Adds to the line (creating it), atomically; resolves to the new quantity, or to null
   * (and changes nothing) when it would exceed `max`.
   */
  add(userId: number, productId: number, quantity: number, max: number): Promise<number | null> {
    return this.db
      .transaction(async (trx) => {
        await trx.raw(
          `INSERT INTO cart_items (user_id, product_id, quantity) VALUES (?, ?, ?)
           ON DUPLICATE KEY UPDATE quantity = quantity + VALUES(quantity), updated_at = CURRENT_TIMESTAMP(3)`,
          [userId, productId, quantity],
        );
        // The upsert holds the row's lock, so this reads what this transaction made.
        const row = (await trx('cart_items')
          .where({ user_id: userId, product_id: productId })
          .first('quantity')) as {
          quantity: number;
        };
        if (row.quantity > max) throw new LineTooLarge();
        return row.quantity;
      })
      .catch((error: unknown) => {
        if (error instanceof LineTooLarge) return null;
        throw error;
      });
  }

  async set(userId: number, productId: number, quantity: number): Promise<void> {
    await this.db('cart_items')
      .insert({ user_id: userId, product_id: productId, quantity })
      .onConflict(['user_id', 'product_id'])
      .merge({ quantity, updated_at: new Date() });
  }

  /**
   * The user's lines, locked until the transaction ends, so two orders from one cart
   * cannot both take it: the second finds it empty.
   */
  lockLines(userId: number): Promise<{ product_id: number; quantity: number }[]> {
    return this.db('cart_items')
      .where({ user_id: userId })
      .orderBy('product_id')
      .forUpdate()
      .select('product_id', 'quantity');
  }

  async removeProducts(userId: number, productIds: number[]): Promise<void> {
    await this.db('cart_items')
      .where({ user_id: userId })
      .whereIn('product_id', productIds)
      .delete();
  }

  /** Number of lines removed (0 or 1). */
  remove(userId: number, productId: number): Promise<number> {
    return this.db('cart_items').where({ user_id: userId, product_id: productId }).delete();
  }

  /** A product leaving the catalog leaves every cart. */
  async removeProductFromEveryCart(productId: number): Promise<void> {
    await this.db('cart_items').where({ product_id: productId }).delete();
  }

  clear(userId: number): Promise<number> {
    return this.db('cart_items').where({ user_id: userId }).delete();
  }
}

/** Rolls back an add that went over the bound. */
class LineTooLarge extends Error {}
