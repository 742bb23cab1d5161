import { Router } from 'express';
import { caller, requireAdmin, requireUser } from '../http/auth.js';
import { send } from '../http/envelope.js';
import { idParam } from '../validation/id-param.js';
import { parseInput } from '../validation/parse-input.js';
import type { ActivityService } from './activity.js';
import type { AntiBotService } from './anti-bot.js';
import type { ActivityAdmin } from './admin.js';
import { handleReserve, type ReserveRouteDeps } from './handle-reserve.js';
import { initInput, resultQuery, tokenInput } from './schemas.js';

export interface SeckillRouteDeps extends ReserveRouteDeps {
  activities: ActivityService;
  antiBot: AntiBotService;
  admin: ActivityAdmin;
}

/**
 * /api/seckill. POST / is normally answered by the lean handler in front of express
 * (hot-path.ts) before it gets here; this route serves it when seckill.hot_path is off.
 */
export function seckillRoutes(deps: SeckillRouteDeps): Router {
  const { activities, antiBot, admin } = deps;
  const router = Router();

  router.post('/init', requireAdmin, async (req, res) => {
    send(res, 201, await activities.init(parseInput(initInput, req.body)), 'activity loaded');
  });

  router.post('/', requireUser, async (req, res) => {
    const reservation = await handleReserve(deps, {
      userId: caller(req).id,
      body: req.body,
      headers: req.headers,
      address: req.ip ?? 'unknown',
    });
    send(res, 202, reservation, 'queued');
  });

  router.get('/', requireAdmin, async (_req, res) => {
    send(res, 200, await admin.list());
  });

  router.post('/:product_id/end', requireAdmin, async (req, res) => {
    const productId = parseInput(idParam, req.params.product_id, 'product_id');
    send(res, 200, await admin.end(productId), 'activity ended');
  });

  router.get('/result', requireUser, async (req, res) => {
    const { product_id } = parseInput(resultQuery, req.query, 'query');
    send(res, 200, await activities.result(caller(req).id, product_id));
  });

  router.get('/:product_id/captcha', requireUser, async (req, res) => {
    const productId = parseInput(idParam, req.params.product_id, 'product_id');
    send(res, 200, await antiBot.captcha(caller(req).id, productId));
  });

  router.post('/:product_id/token', requireUser, async (req, res) => {
    const productId = parseInput(idParam, req.params.product_id, 'product_id');
    const input = parseInput(tokenInput, req.body ?? {});
    send(res, 201, await antiBot.token(caller(req).id, productId, input), 'token issued');
  });

  router.get('/:product_id', async (req, res) => {
    const productId = parseInput(idParam, req.params.product_id, 'product_id');
    send(res, 200, await activities.info(productId));
  });

  return router;
}
