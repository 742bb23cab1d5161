import express, { Router } from 'express';
import { invalid, unauthorized } from '../errors/domain-error.js';
import { send } from '../http/envelope.js';
import type { Logger } from '../infra/logger.js';
import { parseInput } from '../validation/parse-input.js';
import { paymentNotification } from './schemas.js';
import type { PaymentService } from './service.js';
import { SIGNATURE_HEADER, signatureMatches } from './signature.js';

export interface PaymentRouteOptions {
  /** payment.secret: the HMAC key shared with the provider. */
  secret: string;
  bodyLimit: string;
  logger: Logger;
}

/**
 * Mounted at /api/payment before the app's JSON parser: the body is read raw (any media
 * type), the signature is checked over those exact bytes, and only then is it parsed.
 */
export function paymentRoutes(service: PaymentService, options: PaymentRouteOptions): Router {
  const router = Router();
  router.post(
    '/notify',
    express.raw({ type: () => true, limit: options.bodyLimit }),
    async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!signatureMatches(options.secret, raw, req.get(SIGNATURE_HEADER))) {
        // Never the secret, nor the body: where it came from and what it claimed to be.
        options.logger.warn(
          {
            ip: req.ip,
            signature: req.get(SIGNATURE_HEADER)?.slice(0, 80) ?? null,
            bytes: raw.length,
          },
          'payment notification refused: bad signature',
        );
        throw unauthorized('bad signature');
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw invalid('body: not valid JSON');
      }
      send(res, 200, await service.notify(parseInput(paymentNotification, body)));
    },
  );
  return router;
}
