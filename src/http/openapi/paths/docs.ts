import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { MOUNTS } from '../../mounts.js';
import { registerOperation } from '../operation.js';

/** src/http/swagger-routes.ts. */
export function docsPaths(registry: OpenAPIRegistry): void {
  registerOperation(registry, {
    method: 'get',
    path: MOUNTS.docs,
    tag: 'docs',
    summary: 'Redirect to the Swagger UI',
    description: `Also \`${MOUNTS.docs}/\`.`,
    access: 'public',
    ok: {
      status: 302,
      description: 'To the Swagger UI',
      headers: {
        Location: {
          required: true,
          schema: { type: 'string', example: `${MOUNTS.docs}/index.html` },
        },
      },
    },
  });

  registerOperation(registry, {
    method: 'get',
    path: `${MOUNTS.docs}/index.html`,
    tag: 'docs',
    summary: 'Swagger UI over this document',
    access: 'public',
    ok: {
      status: 200,
      description: 'The Swagger UI page',
      content: { 'text/html': { schema: { type: 'string' } } },
    },
  });

  registerOperation(registry, {
    method: 'get',
    path: `${MOUNTS.docs}/openapi.json`,
    tag: 'docs',
    summary: 'This OpenAPI document',
    access: 'public',
    ok: {
      status: 200,
      description: 'OpenAPI 3.1 document',
      content: { 'application/json': { schema: { type: 'object' } } },
    },
  });
}
