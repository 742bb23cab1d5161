import { Router } from 'express';
import { requireAdmin } from '../http/auth.js';
import type { AppDeps } from '../http/deps.js';
import { send } from '../http/envelope.js';
import { idParam } from '../validation/id-param.js';
import { parseInput } from '../validation/parse-input.js';
import type { ProductCache } from './cache.js';
import { productCreate, productQuery, productUpdate } from './schemas.js';
import { ProductService } from './service.js';

export function productRoutes({ db }: AppDeps, cache: ProductCache): Router {
  const service = new ProductService(db, cache);
  const router = Router();

  router.get('/', async (req, res) => {
    send(res, 200, await service.list(parseInput(productQuery, req.query, 'query')));
  });

  router.get('/:id', async (req, res) => {
    send(res, 200, await service.detail(parseInput(idParam, req.params.id, 'id')));
  });

  router.post('/', requireAdmin, async (req, res) => {
    send(res, 201, await service.create(parseInput(productCreate, req.body)), 'created');
  });

  router.put('/:id', requireAdmin, async (req, res) => {
    const id = parseInput(idParam, req.params.id, 'id');
    send(res, 200, await service.update(id, parseInput(productUpdate, req.body)));
  });

  router.delete('/:id', requireAdmin, async (req, res) => {
    const id = parseInput(idParam, req.params.id, 'id');
    await service.remove(id);
    send(res, 200, { id, deleted: true }, 'deleted');
  });

  return router;
}
