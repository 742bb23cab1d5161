import { z } from 'zod';

/** ?page&page_size of every listing. */
export const pagination = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});

/** One page of a listing, as every listing answers. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}
