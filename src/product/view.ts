import type { ProductRow } from './repository.js';

/** A product as the API shows it (and as the cache holds it): the row, times as ISO strings. */
export type ProductView = Omit<ProductRow, 'created_at' | 'updated_at'> & {
  created_at: string;
  updated_at: string;
};

export function productView(row: ProductRow): ProductView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    price: row.price,
    stock: row.stock,
    category: row.category,
    image_url: row.image_url,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
