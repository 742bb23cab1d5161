import type { Knex } from '../infra/db.js';
import { formatCents } from '../money.js';
import type { ProductCreate, ProductQuery, ProductUpdate } from './schemas.js';

export interface ProductRow {
  id: number;
  name: string;
  description: string | null;
  /** DECIMAL, read as a string ("19.90"). */
  price: string;
  stock: number;
  category: string | null;
  image_url: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = [
  'id',
  'name',
  'description',
  'price',
  'stock',
  'category',
  'image_url',
  'created_at',
  'updated_at',
] as const;

/**
 * LIKE treats % and _ as wildcards; a keyword is matched literally. '!' is the escape
 * character, not the backslash, whose meaning depends on the server's sql_mode.
 */
const likeLiteral = (text: string) => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** Products in the catalog; soft-deleted ones are invisible here. */
export class ProductRepository {
  constructor(private readonly db: Knex) {}

  private live() {
    return this.db<ProductRow>('products').whereNull('deleted_at');
  }

  findById(id: number): Promise<ProductRow | undefined> {
    return this.live()
      .select(...COLUMNS)
      .where({ id })
      .first();
  }

  findByIds(ids: number[]): Promise<ProductRow[]> {
    return this.live()
      .select(...COLUMNS)
      .whereIn('id', ids);
  }

  async list(query: ProductQuery): Promise<{ rows: ProductRow[]; total: number }> {
    const filtered = () => {
      const builder = this.live();
      if (query.keyword) builder.whereRaw("name LIKE ? ESCAPE '!'", [likeLiteral(query.keyword)]);
      return builder;
    };
    const [rows, counted] = await Promise.all([
      filtered()
        .select(...COLUMNS)
        .orderBy('id', 'desc')
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size),
      filtered().count({ total: '*' }).first(),
    ]);
    return { rows, total: Number(counted?.total ?? 0) };
  }

  async insert(input: ProductCreate): Promise<number> {
    const [id] = await this.db('products').insert({
      name: input.name,
      description: input.description ?? null,
      price: formatCents(input.price),
      stock: input.stock,
      category: input.category ?? null,
      image_url: input.image_url ?? null,
    });
    return Number(id);
  }

  /** True when a live product was changed. */
  async update(id: number, input: ProductUpdate): Promise<boolean> {
    const { price, ...rest } = input;
    const changes = Object.fromEntries(
      Object.entries(rest).filter(([, value]) => value !== undefined),
    );
    const count = await this.live()
      .where({ id })
      .update({
        ...changes,
        ...(price === undefined ? {} : { price: formatCents(price) }),
        updated_at: new Date(),
      });
    return count > 0;
  }

  /**
   * Takes `quantity` units when that many are left, in one conditional UPDATE (never
   * read-then-write), which also locks the row until the caller's transaction ends.
   */
  async takeStock(id: number, quantity: number): Promise<boolean> {
    const count = await this.live()
      .where({ id })
      .where('stock', '>=', quantity)
      .decrement('stock', quantity);
    return count > 0;
  }

  /** Gives units back, also to a product deleted meanwhile (it may be restored). */
  async restoreStock(id: number, quantity: number): Promise<void> {
    await this.db('products').where({ id }).increment('stock', quantity);
  }

  /** Soft delete, so past orders keep their product. True when a live product was deleted. */
  async softDelete(id: number): Promise<boolean> {
    const count = await this.db('products')
      .where({ id })
      .whereNull('deleted_at')
      .update({ deleted_at: new Date() });
    return count > 0;
  }
}
