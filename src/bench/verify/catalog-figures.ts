// What the catalog invariants need about one product the bench put on sale by plain orders
// (browse-and-buy): the stock it started with, what is left, and what orders hold.
import type { Knex } from '../../infra/db.js';

export interface CatalogFigures {
  product_id: number;
  initial_stock: number;
  stock: number;
  /** Units in ordinary orders that are not cancelled. */
  ordered: number;
}

export async function catalogFigures(
  db: Knex,
  productId: number,
  initialStock: number,
): Promise<CatalogFigures> {
  const [product, ordered] = await Promise.all([
    db('products').select('stock').where({ id: productId }).first() as Promise<
      { stock: number } | undefined
    >,
    db('order_items as i')
      .join('orders as o', 'o.id', 'i.order_id')
      .where('i.product_id', productId)
      .where('o.kind', 'normal')
      .whereNot('o.status', 'cancelled')
      .sum({ units: 'i.quantity' })
      .first() as Promise<{ units: number | string | null } | undefined>,
  ]);
  if (!product) throw new Error(`product ${productId} does not exist`);
  return {
    product_id: productId,
    initial_stock: initialStock,
    stock: Number(product.stock),
    ordered: Number(ordered?.units ?? 0),
  };
}
