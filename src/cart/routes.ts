import { Router } from 'express';
import { caller, requireUser } from '../http/auth.js';
import type { AppDeps } from '../http/deps.js';
import { send } from '../http/envelope.js';
import { parseInput } from '../validation/parse-input.js';
import { ProductRepository } from '../product/repository.js';
import { CartRepository } from './repository.js';
import { cartLine, cartRemoval } from './schemas.js';
import { CartService } from './service.js';

export function cartRoutes({ db }: AppDeps): Router {
  const service = new CartService(new CartRepository(db), new ProductRepository(db));
  const router = Router();
  router.use(requireUser);

  router.get('/', async (req, res) => {
    send(res, 200, await service.view(caller(req).id));
  });

  router.post('/', async (req, res) => {
    send(res, 200, await service.add(caller(req).id, parseInput(cartLine, req.body)));
  });

  router.put('/', async (req, res) => {
    send(res, 200, await service.set(caller(req).id, parseInput(cartLine, req.body)));
  });

  router.delete('/clear', async (req, res) => {
    send(res, 200, await service.clear(caller(req).id));
  });

  router.delete('/', async (req, res) => {
    const { product_id } = parseInput(cartRemoval, req.body);
    send(res, 200, await service.remove(caller(req).id, product_id));
  });

  return router;
}
