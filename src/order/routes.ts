import { Router } from 'express';
import { caller, requireUser } from '../http/auth.js';
import { send } from '../http/envelope.js';
import { parseInput } from '../validation/parse-input.js';
import { orderCreate, orderNoParam, orderQuery } from './schemas.js';
import type { OrderService } from './service.js';

export function orderRoutes(service: OrderService): Router {
  const router = Router();
  router.use(requireUser);

  router.post('/', async (req, res) => {
    send(
      res,
      201,
      await service.create(caller(req).id, parseInput(orderCreate, req.body)),
      'created',
    );
  });

  router.get('/', async (req, res) => {
    send(res, 200, await service.list(caller(req).id, parseInput(orderQuery, req.query, 'query')));
  });

  router.get('/:order_no', async (req, res) => {
    send(
      res,
      200,
      await service.detail(
        parseInput(orderNoParam, req.params.order_no, 'order_no'),
        caller(req).id,
      ),
    );
  });

  router.post('/:order_no/pay', async (req, res) => {
    send(
      res,
      200,
      await service.pay(parseInput(orderNoParam, req.params.order_no, 'order_no'), caller(req).id),
    );
  });

  router.post('/:order_no/cancel', async (req, res) => {
    send(
      res,
      200,
      await service.cancel(
        parseInput(orderNoParam, req.params.order_no, 'order_no'),
        caller(req).id,
      ),
    );
  });

  return router;
}
