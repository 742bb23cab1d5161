import { Router } from 'express';
import { notFound } from '../errors/domain-error.js';
import { caller, requireAdmin, requireUser } from '../http/auth.js';
import { send } from '../http/envelope.js';
import { parseInput } from '../validation/parse-input.js';
import { orderCreate, orderNoParam, orderQuery } from './schemas.js';
import type { OrderService } from './service.js';

export interface OrderRouteOptions {
  /** payment.simulated_pay: POST /:order_no/pay pays without a provider (dev and test). */
  simulatedPay: boolean;
}

export function orderRoutes(service: OrderService, options: OrderRouteOptions): Router {
  const router = Router();
  router.use(requireUser);
  const orderNo = (params: { order_no?: unknown }) =>
    parseInput(orderNoParam, params.order_no, 'order_no');

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
    send(res, 200, await service.detail(orderNo(req.params), caller(req).id));
  });

  // Outside dev and test payments arrive only as signed notifications (POST /api/payment/notify):
  // there the simulated route answers 404, as if it did not exist.
  router.post('/:order_no/pay', async (req, res) => {
    const no = orderNo(req.params);
    if (!options.simulatedPay)
      throw notFound('simulated payment is off here (payment.simulated_pay)');
    send(res, 200, await service.pay(no, caller(req).id));
  });

  router.post('/:order_no/cancel', async (req, res) => {
    send(res, 200, await service.cancel(orderNo(req.params), caller(req).id));
  });

  router.post('/:order_no/ship', requireAdmin, async (req, res) => {
    send(res, 200, await service.ship(orderNo(req.params)));
  });

  router.post('/:order_no/confirm', async (req, res) => {
    send(res, 200, await service.confirm(orderNo(req.params), caller(req).id));
  });

  router.post('/:order_no/refund', async (req, res) => {
    send(res, 200, await service.refund(orderNo(req.params), caller(req)));
  });

  return router;
}
