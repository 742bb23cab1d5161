import { notFound } from '../errors/domain-error.js';
import type { Page } from '../validation/page.js';
import type { ProductCache } from './cache.js';
import type { ProductRepository } from './repository.js';
import type { ProductCreate, ProductQuery, ProductUpdate } from './schemas.js';
import { productView, type ProductView } from './view.js';

const missing = (id: number) => notFound(`product ${id} not found`);

/** The catalog: public reads (detail through the cache), admin writes that invalidate it. */
export class ProductService {
  constructor(
    private readonly products: ProductRepository,
    private readonly cache: ProductCache,
  ) {}

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

  async remove(id: number): Promise<void> {
    if (!(await this.products.softDelete(id))) throw missing(id);
    await this.cache.invalidate([id]);
  }

  private async fresh(id: number): Promise<ProductView> {
    const row = await this.products.findById(id);
    if (!row) throw missing(id);
    return productView(row);
  }
}
