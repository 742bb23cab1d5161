import { z } from 'zod';
import { pagination } from '../validation/page.js';
import { moneyInput } from '../money.js';

/** The stock column is an unsigned INT; a billion units is more than any shop holds. */
export const MAX_STOCK = 1_000_000_000;

const name = z.string().trim().min(1).max(200);
const description = z.string().max(10_000);
const category = z.string().trim().min(1).max(64);
const imageUrl = z.string().url().max(512);
const stock = z.number().int().min(0).max(MAX_STOCK);

export const productCreate = z.object({
  name,
  description: description.optional(),
  price: moneyInput,
  stock,
  category: category.optional(),
  image_url: imageUrl.optional(),
});

/** Any subset; null clears an optional field. */
export const productUpdate = z
  .object({
    name,
    description: description.nullable(),
    price: moneyInput,
    stock,
    category: category.nullable(),
    image_url: imageUrl.nullable(),
  })
  .partial()
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: 'give at least one field to change',
  });

export const productQuery = pagination.extend({
  keyword: z.string().trim().max(100).optional(),
});

export type ProductCreate = z.infer<typeof productCreate>;
export type ProductUpdate = z.infer<typeof productUpdate>;
export type ProductQuery = z.infer<typeof productQuery>;
