import { Router } from 'express';
import { requireAdmin } from '../http/auth.js';
import { send } from '../http/envelope.js';
import { parseInput } from '../validation/parse-input.js';
import { orderQuery } from './schemas.js';
import type { OrderService } from './service.js';

/** Mounted at /api/admin: everyone's orders, e.g. `GET /api/admin/orders?status=paid` to ship. */
export function adminOrderRoutes(service: OrderService): Router {
  const router = Router();
  router.get('/orders', requireAdmin, async (req, res) => {
    send(res, 200, await service.list(undefined, parseInput(orderQuery, req.query, 'query')));
  });
  return router;
}
