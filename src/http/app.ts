import express, { type Express } from 'express';
import { healthRoutes } from '../health/routes.js';
import { userRoutes } from '../user/routes.js';
import { authenticate } from './auth.js';
import type { AppDeps } from './deps.js';
import { errorHandler, unknownRoute } from './error-handler.js';
import { requestLogging, requestMetrics } from './observe.js';

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
  app.use(express.json({ limit: deps.config.server.body_limit }));
  app.use('/api', authenticate(deps.jwt));
  app.use('/api/user', userRoutes(deps));

  app.use(unknownRoute);
  app.use(errorHandler);
  return app;
}
