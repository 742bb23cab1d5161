import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createLogger } from '../../src/infra/logger.js';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { envFor, runCli } from '../support/cli.js';
import { startHarness, type Harness } from '../support/harness.js';
import { drained, makeBuyers, makeProduct, redisStock } from '../support/seckill.js';

let h: Harness;
let consumer: RunningConsumer;
let admin: { token: string };

before(async () => {
  h = await startHarness({ ratelimit: { enabled: false } });
  consumer = await startConsumer(h.config, createLogger({ level: 'silent' }));
  admin = await h.newAdmin();
});
after(async () => {
  await consumer?.stop();
  await h?.close();
});

const run = (args: string[]) => runCli(args, envFor(h.config));

async function init(body: Record<string, unknown>): Promise<void> {
  const res = await h.api.post('/api/seckill/init', body, { token: admin.token });
  assert.equal(res.status, 201, res.text);
}

test('admins list activities with their status and end one now, idempotently', async () => {
  const [live, scheduled, soldOut] = await Promise.all([
    makeProduct(h),
    makeProduct(h),
    makeProduct(h),
  ]);
  const later = Date.now() + 3600_000;
  await init({ product_id: live, stock: 5 });
  await init({
    product_id: scheduled,
    stock: 3,
    start_at: new Date(later).toISOString(),
    end_at: new Date(later + 3600_000).toISOString(),
  });
  await init({ product_id: soldOut, stock: 1 });
  const [buyer] = await makeBuyers(h, 1);
  for (const productId of [live, soldOut]) {
    const res = await h.api.post('/api/seckill', { product_id: productId }, buyer);
    assert.equal(res.status, 202, res.text);
    await drained(h, productId);
  }

  const [user] = await makeBuyers(h, 1);
  assert.equal((await h.api.get('/api/seckill', user)).status, 403);
  const listed = await h.api.get('/api/seckill', { token: admin.token });
  assert.equal(listed.status, 200, listed.text);
  const byProduct = new Map(
    (listed.body.data as Array<Record<string, unknown>>).map((a) => [a['product_id'], a]),
  );
  const pick = (a: Record<string, unknown> | undefined) => ({
    status: a?.['status'],
    stock: a?.['stock'],
    sold: a?.['sold'],
    pending: a?.['pending'],
    warmed: a?.['warmed'],
  });
  assert.deepEqual(pick(byProduct.get(live)), {
    status: 'live',
    stock: 4,
    sold: 1,
    pending: 0,
    warmed: true,
  });
  assert.deepEqual(pick(byProduct.get(scheduled)), {
    status: 'scheduled',
    stock: 3,
    sold: 0,
    pending: 0,
    warmed: true,
  });
  assert.deepEqual(pick(byProduct.get(soldOut)), {
    status: 'sold_out',
    stock: 0,
    sold: 1,
    pending: 0,
    warmed: true,
  });

  // End the live sale: no buy afterwards, the stock stays; a second end changes nothing.
  const ended = await h.api.post(`/api/seckill/${live}/end`, undefined, { token: admin.token });
  assert.equal(ended.status, 200, ended.text);
  assert.equal(ended.body.data.status, 'ended');
  assert.ok(Date.parse(ended.body.data.end_at) <= Date.now());
  const [late] = await makeBuyers(h, 1);
  const refused = await h.api.post('/api/seckill', { product_id: live }, late);
  assert.equal(refused.status, 409);
  assert.equal(refused.body.reason, 'ENDED');
  assert.equal(await redisStock(h, live), 4);
  const again = await h.api.post(`/api/seckill/${live}/end`, undefined, { token: admin.token });
  assert.equal(again.status, 200);
  assert.equal(again.body.data.end_at, ended.body.data.end_at);

  // A scheduled sale ended before its start never opens.
  const endedEarly = await run(['seckill', 'end', '--product', String(scheduled), '--json']);
  assert.equal(endedEarly.code, 0, endedEarly.stderr);
  const early = JSON.parse(endedEarly.stdout);
  assert.equal(early.status, 'ended');
  assert.equal(early.start_at, early.end_at);

  assert.equal(
    (await h.api.post('/api/seckill/999999999/end', undefined, { token: admin.token })).status,
    404,
  );
  const unknown = await run(['seckill', 'end', '--product', '999999999']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^gomall: product 999999999 has no seckill activity/);

  const list = await run(['seckill', 'list', '--json']);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(
    (JSON.parse(list.stdout) as Array<{ product_id: number; status: string }>)
      .filter((a) => [live, scheduled, soldOut].includes(a.product_id))
      .map((a) => a.status),
    ['ended', 'ended', 'sold_out'],
  );
  const text = await run(['seckill', 'list']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /sold_out/);
});
