import express, { type Express } from 'express';
import { cartRoutes } from '../cart/routes.js';
import { healthRoutes } from '../health/routes.js';
import { adminOrderRoutes } from '../order/admin-routes.js';
import { paymentRoutes } from '../payment/routes.js';
import { PaymentService } from '../payment/service.js';
import { orderRoutes } from '../order/routes.js';
import { createOrderService } from '../order/module.js';
import { createProductCache } from '../product/cache.js';
import { productRoutes } from '../product/routes.js';
import {
  apiLimit,
  globalLimit,
  loginLimit,
  loginUserLimit,
  registerLimit,
} from '../ratelimit/middleware.js';
import { RateLimits } from '../ratelimit/rate-limits.js';
import { userRoutes } from '../user/routes.js';
import { authenticate } from './auth.js';
import type { AppDeps } from './deps.js';
import { errorHandler, unknownRoute } from './error-handler.js';
import { MOUNTS } from './mounts.js';
import { requestLogging, requestMetrics } from './observe.js';
import { swaggerRoutes } from './swagger-routes.js';

/**
 * Builds the express app from its dependencies and nothing else, so a test can start it
 * on port 0 against the real services and serve can start it in every worker.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.server.trust_proxy);
  app.set('etag', false);

  app.use(requestLogging(deps.logger));
  app.use(requestMetrics(deps.metrics));
  app.use(healthRoutes(deps));
  // After the probes: an instance at its cap must still answer liveness and /metrics. Every
  // other path is limited, the client's own bucket first: a refused client spends nothing
  // of the instance's global budget.
  const rateLimits = new RateLimits(deps.config.ratelimit, deps.metrics.rateLimited);
  app.locals.rateLimits = rateLimits;
  app.use(authenticate(deps.jwt));
  app.use(apiLimit(rateLimits));
  app.post(`${MOUNTS.user}/login`, loginLimit(rateLimits));
  app.post(`${MOUNTS.user}/register`, registerLimit(rateLimits));
  app.use(globalLimit(rateLimits));
  app.use(MOUNTS.docs, swaggerRoutes());
  const productCache = createProductCache(deps);
  const orders = createOrderService({
    ...deps,
    invalidateProducts: (ids) => productCache.invalidate(ids),
  });
  // Before the JSON parser: a notification's signature is checked over its raw bytes.
  app.use(
    MOUNTS.payment,
    paymentRoutes(new PaymentService({ db: deps.db, orders }), {
      secret: deps.config.payment.secret,
      bodyLimit: deps.config.server.body_limit,
      logger: deps.logger,
    }),
  );
  app.use(express.json({ limit: deps.config.server.body_limit }));
  app.post(`${MOUNTS.user}/login`, loginUserLimit(rateLimits));
  app.use(MOUNTS.user, userRoutes(deps));
  app.use(MOUNTS.product, productRoutes(deps, productCache));
  app.use(MOUNTS.cart, cartRoutes(deps));
  app.use(MOUNTS.order, orderRoutes(orders, { simulatedPay: deps.config.payment.simulated_pay }));
  app.use(MOUNTS.admin, adminOrderRoutes(orders));
  if (deps.seckill) app.use(MOUNTS.seckill, deps.seckill.router);

  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
