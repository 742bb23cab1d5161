import type {
  OpenAPIRegistry,
  ResponseConfig,
  RouteConfig,
  ZodContentObject,
} from '@asteasolutions/zod-to-openapi';
import type { ZodTypeAny } from 'zod';
import { Reason } from '../../errors/reason.js';
import { errorEnvelope, okEnvelope } from './envelope.js';

/** Who may call a route: anyone, the holder of a user token, or of an admin token. */
/** `signature`: no token, the body signed with `payment.secret` (`X-Signature`). */
export type Access = 'public' | 'user' | 'admin' | 'signature';

/** Operation extension naming the Access, for machines (the OpenAPI test checks it). */
export const ACCESS_EXTENSION = 'x-gomall-access';

export const BEARER_AUTH = 'bearerAuth';

export const PAYMENT_SIGNATURE = 'paymentSignature';

/** One error answer of a route. */
export interface Failure {
  status: number;
  reasons: [Reason, ...Reason[]];
  /** When it happens, for the reader. */
  when: string;
  /** An example `msg`, as the API words it. */
  msg: string;
  /** `data` when it is not null (GET /ready's 503 names the checks): its shape and an example. */
  data?: { schema: ZodTypeAny; example: unknown };
}

type ResponseHeaders = NonNullable<ResponseConfig['headers']>;

type Success =
  | { status: number; description: string; data: ZodTypeAny }
  /** An answer outside the envelope: /metrics, the Swagger page, a redirect. */
  | {
      status: number;
      description: string;
      content?: ZodContentObject;
      headers?: ResponseHeaders;
    };

export interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** In OpenAPI form: `/api/product/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** The module's own zod schemas, the ones its routes parse with. */
  request?: NonNullable<RouteConfig['request']>;
  /** The `msg` of a typical 400 for this route's input. */
  invalid?: string;
  ok: Success;
  /** The route's own error answers; those every route of its kind gives are added here. */
  failures?: Failure[];
}

/** A JSON request body. */
export function json(schema: ZodTypeAny) {
  return { required: true, content: { 'application/json': { schema } } };
}

const ACCESS_TEXT: Record<Access, string> = {
  public: '',
  user: '**Requires a bearer token** (any user).',
  admin: '**Requires an admin bearer token**; a plain user gets 403.',
  signature:
    '**Requires `X-Signature: sha256=<hex>`**, the HMAC-SHA256 of the raw body under `payment.secret`; a missing or wrong one is 401.',
};

/** Registers one route with the answers docs/API.md gives every route of its kind. */
export function registerOperation(registry: OpenAPIRegistry, op: Operation): void {
  const failures = [...commonFailures(op), ...(op.failures ?? [])];
  const statuses = [...new Set(failures.map((failure) => failure.status))].sort((a, b) => a - b);
  const description = [ACCESS_TEXT[op.access], op.description].filter(Boolean).join('\n\n');
  registry.registerPath({
    method: op.method,
    path: op.path,
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    ...(description ? { description } : {}),
    // An empty list says "no token needed" (omitted, a reader cannot tell it from forgotten).
    security:
      op.access === 'public'
        ? []
        : [{ [op.access === 'signature' ? PAYMENT_SIGNATURE : BEARER_AUTH]: [] }],
    [ACCESS_EXTENSION]: op.access,
    ...(op.request ? { request: op.request } : {}),
    responses: {
      [op.ok.status]: successResponse(op.ok),
      ...Object.fromEntries(
        statuses.map((status) => [
          status,
          failureResponse(failures.filter((failure) => failure.status === status)),
        ]),
      ),
    },
  });
}

/**
 * What createApp adds around every route: authenticate and the global and API limits are
 * mounted on /api (the probes and /swagger come before them); express.json answers 400/413.
 */
function commonFailures(op: Operation): Failure[] {
  const api = op.path.startsWith('/api/');
  const failures: Failure[] = [];
  if (op.request) {
    failures.push({
      status: 400,
      reasons: [Reason.ValidationError],
      when:
        'Bad input: `msg` names the field' + (op.request.body ? ' (or the body is not JSON)' : ''),
      msg: op.invalid ?? 'body: not valid JSON',
    });
  }
  if (op.request?.body) {
    failures.push({
      status: 413,
      reasons: [Reason.ValidationError],
      when: 'The body is larger than `server.body_limit`',
      msg: 'body: too large',
    });
  }
  // A public route ignores a bad token, so only routes that need a user answer 401.
  if (api && op.access === 'signature') {
    failures.push({
      status: 401,
      reasons: [Reason.Unauthorized],
      when: 'No X-Signature, or not the HMAC-SHA256 of the body (logged, nothing changed)',
      msg: 'bad signature',
    });
  } else if (api && op.access !== 'public') {
    failures.push({
      status: 401,
      reasons: [Reason.Unauthorized],
      when: 'No bearer token, or a malformed, invalid or expired one',
      msg: 'authentication required',
    });
  }
  if (op.access === 'admin') {
    failures.push({
      status: 403,
      reasons: [Reason.Forbidden],
      when: 'The token is not an admin’s',
      msg: 'admin role required',
    });
  }
  if (api) {
    failures.push({
      status: 429,
      reasons: [Reason.RateLimited],
      when: 'Over the instance’s global limit or the per-client API limit (the user, else the IP)',
      msg: 'too many requests (api limit)',
    });
  }
  return failures;
}

function successResponse(ok: Success): ResponseConfig {
  if (!('data' in ok)) {
    const { status: _status, ...response } = ok;
    return response;
  }
  return {
    description: ok.description,
    content: { 'application/json': { schema: okEnvelope(ok.status, ok.data) } },
  };
}

/** One response for all the failures of one status; each is an example. */
function failureResponse(failures: Failure[]): ResponseConfig {
  const first = failures[0]!;
  const reasons = [
    ...new Set(failures.flatMap((failure) => failure.reasons)),
  ] as Failure['reasons'];
  const data = failures.find((failure) => failure.data)?.data?.schema;
  const examples = Object.fromEntries(
    failures.map((failure, index) => [
      `${failure.reasons[0].toLowerCase()}_${index + 1}`,
      {
        summary: failure.when,
        value: {
          code: first.status,
          msg: failure.msg,
          data: failure.data?.example ?? null,
          reason: failure.reasons[0],
        },
      },
    ]),
  );
  return {
    description:
      failures.length === 1
        ? first.when
        : failures.map((failure) => `- ${failure.when}`).join('\n'),
    ...(first.status === 429 ? { headers: RETRY_AFTER } : {}),
    content: {
      'application/json': { schema: errorEnvelope(first.status, reasons, data), examples },
    },
  };
}

const RETRY_AFTER: ResponseHeaders = {
  'Retry-After': {
    description: 'Seconds to wait before trying again (rounded up)',
    required: true,
    schema: { type: 'integer', minimum: 1 },
  },
};

/** `post /api/order/{order_no}/pay` → `post_api_order_by_order_no_pay`. */
function operationId(op: Operation): string {
  const words = op.path
    .split('/')
    .filter(Boolean)
    .map((segment) => (segment.startsWith('{') ? `by_${segment.slice(1, -1)}` : segment));
  return [op.method, ...words].join('_').replace(/\W/g, '_');
}
