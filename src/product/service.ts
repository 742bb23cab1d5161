import { CartRepository } from '../cart/repository.js';
import { notFound } from '../errors/domain-error.js';
import type { Knex } from '../infra/db.js';
import type { Page } from '../validation/page.js';
import type { ProductCache } from './cache.js';
import { ProductRepository } from './repository.js';
import type { ProductCreate, ProductQuery, ProductUpdate } from './schemas.js';
import { productView, type ProductView } from './view.js';

const missing = (id: number) => notFound(`product ${id} not found`);

/** The catalog: public reads (detail through the cache), admin writes that invalidate it. */
export class ProductService {
  private readonly products: ProductRepository;

  constructor(
    private readonly db: Knex,
    private readonly cache: ProductCache,
  ) {
    this.products = new ProductRepository(db);
  }

  async list(query: ProductQuery): Promise<Page<ProductView>> {
    const { rows, total } = await this.products.list(query);
    return { items: rows.map(productView), total, page: query.page, page_size: query.page_size };
  }

  async detail(id: number): Promise<ProductView> {
    const product = await this.cache.get(id);
    if (!product) throw missing(id);
    return product;
  }

  async create(input: ProductCreate): Promise<ProductView> {
    const id = await this.products.insert(input);
    // An earlier request for this id, before it existed, may have cached "no such product".
    await this.cache.invalidate([id]);
    return this.fresh(id);
  }

  async update(id: number, input: ProductUpdate): Promise<ProductView> {
    if (!(await this.products.update(id, input))) throw missing(id);
    await this.cache.invalidate([id]);
    return this.fresh(id);
  }

  /**
   * The product also leaves every cart, in the same transaction: a cart line nobody can
   * see or order would only be in the way.
   */
  async remove(id: number): Promise<void> {
    const deleted = await this.db.transaction(async (trx) => {
      // Cart rows before the product row: the order an order-from-cart locks them in.
      await new CartRepository(trx).removeProductFromEveryCart(id);
      return new ProductRepository(trx).softDelete(id);
    });
    if (!deleted) throw missing(id);
    await this.cache.invalidate([id]);
  }

  private async fresh(id: number): Promise<ProductView> {
    const row = await this.products.findById(id);
    if (!row) throw missing(id);
    return productView(row);
  }
}
