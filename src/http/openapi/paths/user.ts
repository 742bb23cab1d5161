import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { credentials, registration } from '../../../user/schemas.js';
import { Reason } from '../../../errors/reason.js';
import { MOUNTS } from '../../mounts.js';
import { id, timestamp } from '../fields.js';
import { json, registerOperation } from '../operation.js';

/** PublicUser of src/user/service.ts. */
const user = z
  .object({
    id,
    username: z.string(),
    email: z.string().nullable(),
    role: z.enum(['user', 'admin']),
    created_at: timestamp,
  })
  .strict();

export function userPaths(registry: OpenAPIRegistry): void {
  const User = registry.register('User', user);

  registerOperation(registry, {
    method: 'post',
    path: `${MOUNTS.user}/register`,
    tag: 'user',
    summary: 'Register a user',
    access: 'public',
    request: { body: json(registry.register('Registration', registration)) },
    invalid: 'username: Expected string, received number',
    ok: {
      status: 201,
      description: 'Registered',
      data: z.object({ id, username: z.string() }).strict(),
    },
    failures: [
      {
        status: 409,
        reasons: [Reason.Conflict],
        when: 'The username is taken',
        msg: 'username: "alice" is taken',
      },
      {
        status: 429,
        reasons: [Reason.RateLimited],
        when: 'Over the register limit (per IP), or too many password hashes in flight',
        msg: 'too many requests (register limit)',
      },
    ],
  });

  registerOperation(registry, {
    method: 'post',
    path: `${MOUNTS.user}/login`,
    tag: 'user',
    summary: 'Log in: a bearer token (JWT)',
    description: 'Send the token as `Authorization: Bearer <token>` (the Authorize button).',
    access: 'public',
    request: { body: json(registry.register('Credentials', credentials)) },
    invalid: 'password: Required',
    ok: {
      status: 200,
      description: 'Logged in',
      data: z.object({ token: z.string(), expires_at: timestamp, user: User }).strict(),
    },
    failures: [
      {
        status: 401,
        reasons: [Reason.Unauthorized],
        when: 'Wrong username or password',
        msg: 'wrong username or password',
      },
      {
        status: 429,
        reasons: [Reason.RateLimited],
        when: 'Over the login limit (per IP or per username), or too many password hashes in flight',
        msg: 'too many requests (login limit)',
      },
    ],
  });

  registerOperation(registry, {
    method: 'get',
    path: `${MOUNTS.user}/profile`,
    tag: 'user',
    summary: 'The caller’s profile',
    access: 'user',
    ok: { status: 200, description: 'The caller', data: User },
    failures: [
      {
        status: 404,
        reasons: [Reason.NotFound],
        when: 'The user no longer exists',
        msg: 'user not found',
      },
    ],
  });
}
