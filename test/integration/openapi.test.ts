import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Express } from 'express';
import { ZodType } from 'zod';
import { createApp } from '../../src/http/app.js';
import { MOUNTS } from '../../src/http/mounts.js';
import { buildRegistry } from '../../src/http/openapi/document.js';
import { ACCESS_EXTENSION } from '../../src/http/openapi/operation.js';
import { packageRoot } from '../../src/infra/paths.js';
import type { ApiResponse } from '../support/api.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
let doc: any;
const routes = buildRegistry()
  .definitions.filter((definition) => definition.type === 'route')
  .map((definition) => definition.route);

before(async () => {
  h = await startHarness();
  const served = await h.api.get('/swagger/openapi.json');
  assert.equal(served.status, 200);
  doc = served.body;
});
after(async () => {
  await h.close();
});

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  matchers: Array<(path: string) => unknown>;
}

/**
 * The prefix a nested router is mounted at, relative to its parent's. Express 5 keeps it
 * only as matchers, so the table app.ts mounts from (MOUNTS) is probed with them.
 */
function mountOf(layer: Layer, parent: string): string {
  const matches = (path: string) => layer.matchers.some((match) => Boolean(match(path)));
  if (matches('/')) return '';
  const candidate = Object.values(MOUNTS)
    .filter((mount) => mount.startsWith(`${parent}/`))
    .map((mount) => mount.slice(parent.length))
    .sort((a, b) => a.length - b.length)
    .find((mount) => matches(mount));
  assert.ok(
    candidate,
    `a router under "${parent || '/'}" is mounted at a path missing from MOUNTS`,
  );
  return candidate;
}

/** Every "METHOD /path" the app routes, in OpenAPI form (`:id` → `{id}`). */
function appRoutes(app: Express): string[] {
  const found = new Set<string>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = [layer.route.path].flat();
        for (const method of Object.keys(layer.route.methods)) {
          for (const path of paths) {
            assert.doesNotMatch(path, /[*{}]/, `${path}: wildcards are not described here`);
            const full = (prefix + (path === '/' ? '' : path)).replace(/:(\w+)/g, '{$1}');
            found.add(`${method.toUpperCase()} ${full || '/'}`);
          }
        }
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, prefix + mountOf(layer, prefix));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...found].sort();
}

function documentedRoutes(): string[] {
  return Object.entries(doc.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

function routeOf(method: string, path: string): RouteConfig {
  const route = routes.find((r) => r.method === method.toLowerCase() && r.path === path);
  assert.ok(route, `${method} ${path} is not documented`);
  return route;
}

/** The answer's status is documented for the route and its body parses with that schema. */
function assertDocumented(method: string, path: string, res: ApiResponse): void {
  const response = routeOf(method, path).responses[String(res.status)];
  assert.ok(
    response,
    `${method} ${path} answered ${res.status}, which the document does not list: ${res.text}`,
  );
  assert.ok(!('$ref' in response), 'responses are described in place');
  const schema = response.content?.['application/json']?.schema;
  assert.ok(schema instanceof ZodType, `${method} ${path} ${res.status} is not a JSON answer`);
  const parsed = schema.safeParse(res.body);
  assert.ok(
    parsed.success,
    `${method} ${path} ${res.status} differs from the document: ` +
      `${JSON.stringify(parsed.error?.issues)}\n${res.text}`,
  );
}

/** Where two documents differ: a path, a component schema, or another top-level key. */
function differences(a: any, b: any): string[] {
  const keys = (x: any, y: any) => [...new Set([...Object.keys(x ?? {}), ...Object.keys(y ?? {})])];
  const differs = (x: unknown, y: unknown) => JSON.stringify(x) !== JSON.stringify(y);
  const sections: Array<[string, any, any]> = [
    ['paths', a.paths, b.paths],
    ['components.schemas', a.components?.schemas, b.components?.schemas],
  ];
  const found = sections.flatMap(([name, x, y]) =>
    keys(x, y)
      .filter((key) => differs(x?.[key], y?.[key]))
      .map((key) => `${name}.${key}`),
  );
  const rest = (d: any) => ({
    ...d,
    paths: undefined,
    components: { ...d.components, schemas: undefined },
  });
  return keys(a, b)
    .filter((key) => differs(rest(a)[key], rest(b)[key]))
    .concat(found);
}

describe('the OpenAPI document', () => {
  test('docs/openapi.json is the document /swagger serves', () => {
    const file = JSON.parse(readFileSync(join(packageRoot(), 'docs', 'openapi.json'), 'utf8'));
    assert.deepEqual(
      differences(file, doc),
      [],
      'docs/openapi.json is stale: run `make swag` and commit it',
    );
  });

  test('documents exactly the routes the express app registers', () => {
    const registered = appRoutes(createApp(h.deps));
    const documented = documentedRoutes();
    assert.ok(registered.length > 20, `found only ${registered.length} routes in the app`);
    assert.deepEqual(
      registered.filter((route) => !documented.includes(route)),
      [],
      'routes missing from the document',
    );
    assert.deepEqual(
      documented.filter((route) => !registered.includes(route)),
      [],
      'documented routes the app does not have',
    );
  });

  test('documents POST /api/seckill, which the lean handler answers in front of express', async () => {
    const operation = doc.paths[MOUNTS.seckill]?.post;
    assert.ok(operation, 'POST /api/seckill is in the document');
    assert.ok(operation.responses['202'] && operation.responses['429'].headers['Retry-After']);
    assert.equal(h.config.seckill.hot_path, true, 'this test runs the lean handler');
    const res = await h.api.post(MOUNTS.seckill, { product_id: 1 });
    assert.equal(res.status, 401);
    assertDocumented('POST', MOUNTS.seckill, res);
  });

  test('the documented 400 example is what the API answers', async () => {
    const examples =
      doc.paths['/api/user/register'].post.responses['400'].content['application/json'].examples;
    const example = Object.values(examples as Record<string, { value: unknown }>)[0]!.value;
    const res = await h.api.post('/api/user/register', { username: 123, password: 'secret-pass' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, example);
  });

  test('the access each route documents is the one the app enforces', async () => {
    const user = await h.api.newUser('access');
    const samples: Record<string, string> = { id: '1', order_no: 'X1', product_id: '1' };
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
    for (const { path, method, op } of operations) {
      const url = path.replace(/\{(\w+)\}/g, (_, name: string) => samples[name]!);
      const body = method === 'get' ? undefined : {};
      const anonymous = await h.api.request(method.toUpperCase(), url, { body });
      const access = op[ACCESS_EXTENSION];
      const label = `${method.toUpperCase()} ${path} (${access})`;
      if (access === 'public') {
        assert.notEqual(anonymous.status, 401, `${label} answered 401 without a token`);
      } else {
        assert.equal(anonymous.status, 401, `${label} answered without a token`);
        assert.ok(op.security?.length, `${label} names its security scheme`);
      }
      assertDocumented(method, path, anonymous);
      if (access === 'admin') {
        const asUser = await h.api.request(method.toUpperCase(), url, { body, token: user.token });
        assert.equal(asUser.status, 403, `${label} answered a plain user`);
        assertDocumented(method, path, asUser);
      }
    }
  });

  test('real answers match the documented response schemas', async () => {
    const check = (method: string, path: string, res: ApiResponse, status: number) => {
      assert.equal(res.status, status, `${method} ${path}: ${res.text}`);
      assertDocumented(method, path, res);
    };
    check('GET', '/health', await h.api.get('/health'), 200);
    check('GET', '/ready', await h.api.get('/ready'), 200);

    const admin = await h.newAdmin();
    const asAdmin = { token: admin.token };
    const created = await h.api.post(
      '/api/product',
      { name: 'Doc lamp', price: '19.90', stock: 5, category: 'lamps' },
      asAdmin,
    );
    check('POST', '/api/product', created, 201);
    const productId: number = created.body.data.id;
    check('GET', '/api/product', await h.api.get('/api/product?keyword=lamp'), 200);
    check('GET', '/api/product/{id}', await h.api.get(`/api/product/${productId}`), 200);
    check('GET', '/api/product/{id}', await h.api.get('/api/product/999999999'), 404);
    check('GET', '/api/product/{id}', await h.api.get('/api/product/abc'), 400);
    const updated = await h.api.put(`/api/product/${productId}`, { description: null }, asAdmin);
    check('PUT', '/api/product/{id}', updated, 200);
    const spare = await h.api.post('/api/product', { name: 'Spare', price: 1, stock: 1 }, asAdmin);
    const deleted = await h.api.delete(`/api/product/${spare.body.data.id}`, undefined, asAdmin);
    check('DELETE', '/api/product/{id}', deleted, 200);

    const credentials = { username: `doc_${Date.now().toString(36)}`, password: 'doc-pass-123' };
    check('POST', '/api/user/register', await h.api.post('/api/user/register', credentials), 201);
    const login = await h.api.post('/api/user/login', credentials);
    check('POST', '/api/user/login', login, 200);
    const wrong = await h.api.post('/api/user/login', { ...credentials, password: 'nope-nope' });
    check('POST', '/api/user/login', wrong, 401);
    const asUser = { token: login.body.data.token as string };
    check('GET', '/api/user/profile', await h.api.get('/api/user/profile', asUser), 200);

    const line = { product_id: productId, quantity: 2 };
    check('POST', '/api/cart', await h.api.post('/api/cart', line, asUser), 200);
    check('PUT', '/api/cart', await h.api.put('/api/cart', line, asUser), 200);
    check('GET', '/api/cart', await h.api.get('/api/cart', asUser), 200);
    const notInCart = await h.api.delete('/api/cart', { product_id: 999999999 }, asUser);
    check('DELETE', '/api/cart', notInCart, 404);

    const order = await h.api.post('/api/order', { from_cart: true }, asUser);
    check('POST', '/api/order', order, 201);
    const emptyCart = await h.api.post('/api/order', { from_cart: true }, asUser);
    check('POST', '/api/order', emptyCart, 400);
    const tooMany = { items: [{ product_id: productId, quantity: 999 }] };
    check('POST', '/api/order', await h.api.post('/api/order', tooMany, asUser), 409);
    const orderNo: string = order.body.data.order_no;
    check('GET', '/api/order', await h.api.get('/api/order?status=pending', asUser), 200);
    check('GET', '/api/order/{order_no}', await h.api.get(`/api/order/${orderNo}`, asUser), 200);
    const pay = `/api/order/${orderNo}/pay`;
    check('POST', '/api/order/{order_no}/pay', await h.api.post(pay, undefined, asUser), 200);
    check('POST', '/api/order/{order_no}/pay', await h.api.post(pay, undefined, asUser), 409);
    const cancel = `/api/order/${orderNo}/cancel`;
    check('POST', '/api/order/{order_no}/cancel', await h.api.post(cancel, undefined, asUser), 409);
    check(
      'DELETE',
      '/api/cart/clear',
      await h.api.delete('/api/cart/clear', undefined, asUser),
      200,
    );

    const init = await h.api.post(
      '/api/seckill/init',
      { product_id: productId, stock: 2 },
      asAdmin,
    );
    check('POST', '/api/seckill/init', init, 201);
    check('GET', '/api/seckill/{product_id}', await h.api.get(`/api/seckill/${productId}`), 200);
    const reserve = { product_id: productId };
    check('POST', '/api/seckill', await h.api.post('/api/seckill', reserve, asUser), 202);
    check('POST', '/api/seckill', await h.api.post('/api/seckill', reserve, asUser), 409);
    const result = await h.api.get(`/api/seckill/result?product_id=${productId}`, asUser);
    check('GET', '/api/seckill/result', result, 200);
  });
});
