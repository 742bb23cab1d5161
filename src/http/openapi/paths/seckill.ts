import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { REFUSALS } from '../../../seckill/codes.js';
import {
  ANTI_BOT_MODES,
  IDEMPOTENCY_KEY,
  initInput,
  reserveInput,
  resultQuery,
  tokenInput,
} from '../../../seckill/schemas.js';
import { Reason } from '../../../errors/reason.js';
import { statusOf } from '../../error-answer.js';
import { MOUNTS } from '../../mounts.js';
import { idParam } from '../../../validation/id-param.js';
import { id, money, timestamp } from '../fields.js';
import { json, registerOperation, type Failure } from '../operation.js';

/** ActivityView of src/seckill/activity.ts. */
const activity = z
  .object({
    activity_id: id,
    product_id: id,
    price: money,
    total_stock: z.number().int().min(0),
    remaining: z.number().int().min(0).describe('Units still for sale (live, from Redis)'),
    limit_per_user: z.number().int().min(1),
    start_at: timestamp,
    end_at: timestamp,
    status: z.enum(['upcoming', 'active', 'ended']),
    generation: z.number().int().min(1).describe('Goes up with every re-init'),
    anti_bot: z
      .enum(ANTI_BOT_MODES)
      .describe(
        '`path`: buy with a one-time token (`POST .../{product_id}/token`); `captcha`: the token needs a solved captcha',
      ),
  })
  .strict();

/** ActivitySummary of src/seckill/admin.ts. */
const summary = z
  .object({
    product_id: id,
    activity_id: id,
    price: money,
    start_at: timestamp,
    end_at: timestamp,
    limit_per_user: z.number().int().min(1),
    generation: z.number().int().min(1),
    total_stock: z.number().int().min(0),
    stock: z
      .number()
      .int()
      .min(0)
      .describe('Units for sale now (Redis; MySQL when Redis does not hold the activity)'),
    sold: z.number().int().min(0).describe('Units in orders that are not cancelled'),
    pending: z.number().int().min(0).describe('Reservations not yet order rows (the outbox)'),
    warmed: z.boolean().describe('Redis holds this generation of the activity'),
    status: z.enum(['scheduled', 'live', 'sold_out', 'ended']),
  })
  .strict();

/** The reservation's refusals, worded as src/seckill/codes.ts words them. */
const refusals: Failure[] = Object.values(REFUSALS).map((refusal) => ({
  status: statusOf(refusal.reason),
  reasons: [refusal.reason],
  when: `${refusal.label.charAt(0).toUpperCase()}${refusal.label.slice(1).replaceAll('_', ' ')}`,
  msg: refusal.message,
}));

export function seckillPaths(registry: OpenAPIRegistry): void {
  const Activity = registry.register('SeckillActivity', activity);
  const productParams = z.object({ product_id: idParam });
  const Summary = registry.register('SeckillActivitySummary', summary);

  registerOperation(registry, {
    method: 'get',
    path: MOUNTS.seckill,
    tag: 'seckill',
    summary: 'Every flash sale with its window, stock, sales and status (admin)',
    access: 'admin',
    ok: { status: 200, description: 'The activities, by product id', data: z.array(Summary) },
  });

  registerOperation(registry, {
    method: 'post',
    path: `${MOUNTS.seckill}/{product_id}/end`,
    tag: 'seckill',
    summary: 'End a flash sale now (admin)',
    description:
      'Closes the window in MySQL and Redis: no buy is accepted once this answers. Ending an ended sale changes nothing.',
    access: 'admin',
    request: { params: productParams },
    invalid: 'product_id: must be a positive integer',
    ok: { status: 200, description: 'The activity, ended', data: Summary },
    failures: [
      {
        status: 404,
        reasons: [Reason.NotFound],
        when: 'The product has no flash sale',
        msg: 'product 42 has no seckill activity',
      },
    ],
  });

  registerOperation(registry, {
    method: 'post',
    path: MOUNTS.seckill,
    tag: 'seckill',
    summary: 'Buy in a flash sale: reserve a unit, the order follows',
    description: [
      'Answers 202 with the order number the order will have, once the reservation cannot be',
      'lost; the order row appears when the queue is consumed (poll `GET /api/seckill/result`).',
      'A retry with the same `Idempotency-Key` gets the first answer. Served by a lean handler',
      'in front of express when `seckill.hot_path` is on, with the same behaviour.',
      'A sale initialised with `anti_bot` `path` or `captcha` also needs `X-Seckill-Token`, a',
      'one-time token of this buyer for this product; it is spent by the attempt, whatever its answer.',
    ].join(' '),
    access: 'user',
    request: {
      body: json(registry.register('SeckillReserve', reserveInput)),
      headers: z.object({
        'Idempotency-Key': z.string().regex(IDEMPOTENCY_KEY).optional(),
        'X-Seckill-Token': z
          .string()
          .optional()
          .describe('The token of POST /api/seckill/{product_id}/token (anti-bot sales only)'),
      }),
    },
    invalid: 'product_id: Required',
    ok: {
      status: 202,
      description: 'Queued: the order will be created',
      data: z.object({ status: z.literal('queued'), order_no: z.string() }).strict(),
    },
    failures: [
      ...refusals,
      {
        status: 429,
        reasons: [Reason.RateLimited],
        when: 'Over the per-user (or, when set, the per-address) seckill limit, shared by all instances',
        msg: 'too many requests (seckill limit)',
      },
      {
        status: 503,
        reasons: [Reason.Busy],
        when: 'The reservation store is unavailable',
        msg: 'busy: the reservation store is unavailable; try again shortly',
      },
    ],
  });

  registerOperation(registry, {
    method: 'get',
    path: `${MOUNTS.seckill}/result`,
    tag: 'seckill',
    summary: 'The caller’s result in a flash sale',
    access: 'user',
    request: { query: resultQuery },
    invalid: 'product_id: Required',
    ok: {
      status: 200,
      description: '`none` when the caller has not bought',
      data: z
        .object({
          status: z.enum(['queued', 'success', 'failed', 'none']),
          order_no: z.string().optional(),
        })
        .strict(),
    },
  });

  registerOperation(registry, {
    method: 'get',
    path: `${MOUNTS.seckill}/{product_id}`,
    tag: 'seckill',
    summary: 'A product’s flash sale: window and remaining stock',
    access: 'public',
    request: { params: productParams },
    invalid: 'product_id: must be a positive integer',
    ok: { status: 200, description: 'The activity', data: Activity },
    failures: [
      {
        status: 404,
        reasons: [Reason.NotFound],
        when: 'The product has no flash sale',
        msg: 'product 42 has no seckill activity',
      },
    ],
  });

  const windowFailures: Failure[] = [
    {
      status: 404,
      reasons: [Reason.NotFound],
      when: 'The product has no flash sale, or (captcha) the sale has no captcha',
      msg: 'product_id: no seckill activity for this product',
    },
    {
      status: 409,
      reasons: [Reason.NotStarted, Reason.Ended],
      when: 'Outside the sale’s window: no token before start_at',
      msg: 'the sale has not started',
    },
  ];

  registerOperation(registry, {
    method: 'get',
    path: `${MOUNTS.seckill}/{product_id}/captcha`,
    tag: 'seckill',
    summary: 'A captcha for an anti-bot sale (`anti_bot: captcha`)',
    description:
      'Its answer goes with `captcha_id` to the token route, which checks it once: a wrong answer spends the captcha.',
    access: 'user',
    request: { params: productParams },
    invalid: 'product_id: must be a positive integer',
    ok: {
      status: 200,
      description: 'The captcha as an SVG image',
      data: z.object({ captcha_id: z.string(), svg: z.string() }).strict(),
    },
    failures: windowFailures,
  });

  registerOperation(registry, {
    method: 'post',
    path: `${MOUNTS.seckill}/{product_id}/token`,
    tag: 'seckill',
    summary: 'A one-time buying token for an anti-bot sale',
    description:
      'Only inside the sale’s window. Bound to the caller and the product, valid for `seckill.token_ttl_seconds`, good for one buy attempt (`X-Seckill-Token`). A `captcha` sale needs `captcha_id` and `answer`.',
    access: 'user',
    request: {
      params: productParams,
      body: json(registry.register('SeckillTokenRequest', tokenInput)),
    },
    invalid: 'captcha_id: required for this sale',
    ok: {
      status: 201,
      description: 'Issued',
      data: z.object({ token: z.string(), expires_at: timestamp }).strict(),
    },
    failures: [
      ...windowFailures,
      {
        status: 403,
        reasons: [Reason.BadToken],
        when: 'The captcha answer is wrong, expired or already tried',
        msg: 'answer: wrong, expired or already tried; get a new captcha from GET /api/seckill/{product_id}/captcha',
      },
    ],
  });

  registerOperation(registry, {
    method: 'post',
    path: `${MOUNTS.seckill}/init`,
    tag: 'seckill',
    summary: 'Load a flash sale: stock, price, window, per-user limit',
    description:
      'Writes the activity to MySQL and loads it into Redis. A re-init starts a new round.',
    access: 'admin',
    request: { body: json(registry.register('SeckillInit', initInput)) },
    invalid: 'end_at: must be after start_at',
    ok: { status: 201, description: 'Loaded', data: Activity },
    failures: [
      {
        status: 404,
        reasons: [Reason.NotFound],
        when: 'No such product',
        msg: 'product_id: no product 42',
      },
      {
        status: 409,
        reasons: [Reason.Conflict],
        when: 'Reservations of the previous round are still pending',
        msg: 'product_id 42: reservations are still being turned into orders; retry once the queue drains',
      },
    ],
  });
}
