import type { ErrorRequestHandler, RequestHandler } from 'express';
import { busy, DomainError, notFound } from '../errors/domain-error.js';
import { isRedisUnavailable } from '../infra/redis.js';
import { Reason } from '../errors/reason.js';
import { errorEnvelope } from './envelope.js';
import { answerOf } from './error-answer.js';

export const unknownRoute: RequestHandler = (req) => {
  throw notFound(`no route ${req.method} ${req.path}`);
};

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
}

/**
 * Turns every error into the envelope. DomainErrors go out as their reason says; body-parser errors
 * (bad JSON, too large) keep their 4xx; anything else is a logged 500 with no details.
 */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  if (error instanceof DomainError) {
    const answer = answerOf(error);
    res.set(answer.headers).status(answer.status).json(answer.body);
    return;
  }
  if (isRedisUnavailable(error)) {
    const answer = answerOf(busy('busy: a backing store is unavailable; try again shortly'));
    res.set(answer.headers).status(answer.status).json(answer.body);
    return;
  }
  const httpish = (error ?? {}) as HttpishError;
  const status = httpish.status ?? httpish.statusCode;
  if (status && status >= 400 && status < 500 && httpish.expose !== false) {
    const message =
      httpish.type === 'entity.parse.failed'
        ? 'body: not valid JSON'
        : httpish.type === 'entity.too.large'
          ? 'body: too large'
          : httpish.type === 'encoding.unsupported' || httpish.type === 'charset.unsupported'
            ? 'body: unsupported encoding'
            : 'bad request';
    res.status(status).json(errorEnvelope(status, Reason.ValidationError, message));
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  res.status(500).json(errorEnvelope(500, Reason.Internal, 'internal error'));
};
