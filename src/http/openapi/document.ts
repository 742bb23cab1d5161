import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { packageRoot } from '../../infra/paths.js';
import { BEARER_AUTH, PAYMENT_SIGNATURE } from './operation.js';
import { cartPaths } from './paths/cart.js';
import { docsPaths } from './paths/docs.js';
import { healthPaths } from './paths/health.js';
import { orderPaths } from './paths/order.js';
import { productPaths } from './paths/product.js';
import { seckillPaths } from './paths/seckill.js';
import { userPaths } from './paths/user.js';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

const TAGS = [
  { name: 'user', description: 'Accounts and login (JWT)' },
  { name: 'product', description: 'Catalog; writes are for admins' },
  { name: 'cart', description: 'The caller’s cart' },
  { name: 'order', description: 'Orders: place, list, pay, cancel' },
  { name: 'seckill', description: 'Flash sales' },
  { name: 'ops', description: 'Probes and metrics' },
  { name: 'docs', description: 'This document and its UI' },
];

const DESCRIPTION = `Every JSON answer is the envelope \`{code, msg, data}\`; errors add \`reason\`
(VALIDATION_ERROR, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, SOLD_OUT, ALREADY_PURCHASED,
NOT_STARTED, ENDED, RATE_LIMITED, BUSY, INTERNAL) and \`data\` is null; any route may answer
500 INTERNAL, one that needs Redis 503 BUSY at once while Redis is unreachable, and a path or method not listed here answers 404 NOT_FOUND (or 429 RATE_LIMITED once the client's limit is spent: every path counts against it). Money is a decimal string with two places ("19.90"); requests accept a number or
such a string. Every answer carries \`X-Request-Id\` (echoed when the client sent one).
Rate-limited answers are 429 with \`Retry-After\`.`;

/**
 * Every route, described from the zod schemas the modules validate with (imported from
 * their schemas.ts). Built on demand, so tests can read the zod schemas of the responses.
 */
export function buildRegistry(): OpenAPIRegistry {
  // Adds .openapi() to zod's prototypes, which registering a schema calls; the modules'
  // schemas are not changed (register returns a described copy).
  extendZodWithOpenApi(z);
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER_AUTH, {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The token of POST /api/user/login (HS256; claims sub, role, exp).',
  });
  registry.registerComponent('securitySchemes', PAYMENT_SIGNATURE, {
    type: 'apiKey',
    in: 'header',
    name: 'X-Signature',
    description:
      'The payment provider signs each notification: `sha256=<hex>`, the HMAC-SHA256 of the raw body under `payment.secret`.',
  });
  for (const describe of [
    userPaths,
    productPaths,
    cartPaths,
    orderPaths,
    seckillPaths,
    healthPaths,
    docsPaths,
  ]) {
    describe(registry);
  }
  return registry;
}

let built: OpenApiDocument | undefined;

/**
 * The document, generated once per process (it depends on the code only). OpenAPI 3.1, whose
 * schemas are JSON Schema: `data: null` is `type: 'null'`, which 3.0 cannot say (its
 * `nullable` needs a sibling type), so linters and validators can check every example.
 */
export function openApiDocument(): OpenApiDocument {
  built ??= generate();
  return built;
}

function generate(): OpenApiDocument {
  const manifest = packageManifest();
  return new OpenApiGeneratorV31(buildRegistry().definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'gomall API',
      version: manifest.version,
      description: DESCRIPTION,
      license: { name: manifest.license, identifier: manifest.license },
    },
    // Relative: the API is wherever this document was fetched from (Swagger UI's "Try it out").
    servers: [{ url: '/', description: 'The server that serves this document' }],
    tags: TAGS,
  });
}

function packageManifest(): { version: string; license: string } {
  return JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    version: string;
    license: string;
  };
}
