import { invalid, notFound } from '../errors/domain-error.js';
import { formatCents, toCents } from '../money.js';
import type { ProductRepository } from '../product/repository.js';
import type { CartLineRow, CartRepository } from './repository.js';
import { MAX_LINE_QUANTITY, type CartLine } from './schemas.js';

export interface CartLineView {
  product_id: number;
  name: string;
  unit_price: string;
  quantity: number;
  subtotal: string;
  /** So the page can warn before the order fails. */
  stock: number;
}

export interface CartView {
  items: CartLineView[];
  total: string;
}

function cartView(rows: CartLineRow[]): CartView {
  let total = 0;
  const items = rows.map((row) => {
    const subtotal = toCents(row.price)! * row.quantity;
    total += subtotal;
    return {
      product_id: row.product_id,
      name: row.name,
      unit_price: row.price,
      quantity: row.quantity,
      subtotal: formatCents(subtotal),
      stock: row.stock,
    };
  });
  return { items, total: formatCents(total) };
}

/** Each mutation answers with the whole cart, as the page shows it next. */
export class CartService {
  constructor(
    private readonly carts: CartRepository,
    private readonly products: ProductRepository,
  ) {}

  async view(userId: number): Promise<CartView> {
    return cartView(await this.carts.lines(userId));
  }

  async add(userId: number, line: CartLine): Promise<CartView> {
    await this.mustExist(line.product_id);
    const quantity = await this.carts.add(
      userId,
      line.product_id,
      line.quantity,
      MAX_LINE_QUANTITY,
    );
    if (quantity === null) {
      throw invalid(`quantity: a cart line holds at most ${MAX_LINE_QUANTITY} units`);
    }
    return this.view(userId);
  }

  async set(userId: number, line: CartLine): Promise<CartView> {
    await this.mustExist(line.product_id);
    await this.carts.set(userId, line.product_id, line.quantity);
    return this.view(userId);
  }

  async remove(userId: number, productId: number): Promise<CartView> {
    if ((await this.carts.remove(userId, productId)) === 0) {
      throw notFound(`product ${productId} is not in the cart`);
    }
    return this.view(userId);
  }

  async clear(userId: number): Promise<{ removed: number }> {
    return { removed: await this.carts.clear(userId) };
  }

  private async mustExist(productId: number): Promise<void> {
    if (!(await this.products.findById(productId)))
      throw notFound(`product ${productId} not found`);
  }
}
