import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { productCreate, productQuery, productUpdate } from '../../../product/schemas.js';
import { Reason } from '../../../errors/reason.js';
import { MOUNTS } from '../../mounts.js';
import { idParam } from '../../../validation/id-param.js';
import { id, money, page, timestamp } from '../fields.js';
import { json, registerOperation, type Failure } from '../operation.js';

/** ProductView of src/product/view.ts. */
const product = z
  .object({
    id,
    name: z.string(),
    description: z.string().nullable(),
    price: money,
    stock: z.number().int().min(0).describe('Live stock'),
    category: z.string().nullable(),
    image_url: z.string().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .strict();

const missing: Failure = {
  status: 404,
  reasons: [Reason.NotFound],
  when: 'No such product (or it was deleted)',
  msg: 'product 42 not found',
};

export function productPaths(registry: OpenAPIRegistry): void {
  const Product = registry.register('Product', product);
  const params = z.object({ id: idParam });
  const byId = `${MOUNTS.product}/{id}`;

  registerOperation(registry, {
    method: 'get',
    path: MOUNTS.product,
    tag: 'product',
    summary: 'List products (paged, optional keyword)',
    access: 'public',
    request: { query: productQuery },
    invalid: 'page_size: Number must be less than or equal to 100',
    ok: { status: 200, description: 'One page of products', data: page(Product) },
  });

  registerOperation(registry, {
    method: 'get',
    path: byId,
    tag: 'product',
    summary: 'Product detail (cached; stock is live)',
    access: 'public',
    request: { params },
    invalid: 'id: must be a positive integer',
    ok: { status: 200, description: 'The product', data: Product },
    failures: [missing],
  });

  registerOperation(registry, {
    method: 'post',
    path: MOUNTS.product,
    tag: 'product',
    summary: 'Create a product',
    access: 'admin',
    request: { body: json(registry.register('ProductCreate', productCreate)) },
    invalid: 'price: must look like "19.90"',
    ok: { status: 201, description: 'Created', data: Product },
  });

  registerOperation(registry, {
    method: 'put',
    path: byId,
    tag: 'product',
    summary: 'Update a product (any subset of fields; null clears an optional one)',
    access: 'admin',
    request: { params, body: json(registry.register('ProductUpdate', productUpdate)) },
    invalid: 'body: give at least one field to change',
    ok: { status: 200, description: 'Updated', data: Product },
    failures: [missing],
  });

  registerOperation(registry, {
    method: 'delete',
    path: byId,
    tag: 'product',
    summary: 'Delete a product',
    access: 'admin',
    request: { params },
    invalid: 'id: must be a positive integer',
    ok: {
      status: 200,
      description: 'Deleted',
      data: z.object({ id, deleted: z.literal(true) }).strict(),
    },
    failures: [missing],
  });
}
