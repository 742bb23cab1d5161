import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLogger } from '../../src/infra/logger.js';
import { AntiBotTokens } from '../../src/seckill/anti-bot-token.js';
import { startConsumer, type RunningConsumer } from '../../src/seckill/consumer/start.js';
import { activityKeys } from '../../src/seckill/keys.js';
import { startHarness, type Harness } from '../support/harness.js';
import { drained, makeBuyers, makeProduct, redisStock, seckillOrders } from '../support/seckill.js';

// Anti-bot sales (docs/API.md): `path` needs a one-time token per buy attempt, `captcha` a
// solved captcha to get one; ratelimit.seckill_ip limits one address across many accounts.
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

async function sale(body: Record<string, unknown>): Promise<number> {
  const productId = await makeProduct(h);
  const res = await h.api.post(
    '/api/seckill/init',
    { product_id: productId, ...body },
    { token: admin.token },
  );
  assert.equal(res.status, 201, res.text);
  return productId;
}

async function tokenFor(productId: number, buyer: { token: string }, body: unknown = {}) {
  const res = await h.api.post(`/api/seckill/${productId}/token`, body, { token: buyer.token });
  assert.equal(res.status, 201, res.text);
  return res.body.data.token as string;
}

const buy = (productId: number, buyer: { token: string }, seckillToken?: string) =>
  h.api.post(
    '/api/seckill',
    { product_id: productId },
    {
      token: buyer.token,
      ...(seckillToken ? { headers: { 'x-seckill-token': seckillToken } } : {}),
    },
  );

describe('anti_bot: path', () => {
  test('bots without a token get 403 BAD_TOKEN and buy nothing while people with tokens buy', async () => {
    const productId = await sale({ stock: 10, anti_bot: 'path' });
    const info = await h.api.get(`/api/seckill/${productId}`);
    assert.equal(info.body.data.anti_bot, 'path');
    const bots = await makeBuyers(h, 30, 'bot');
    const people = await makeBuyers(h, 20, 'person');
    const tokens = await Promise.all(people.map((p) => tokenFor(productId, p)));
    const [botAnswers, peopleAnswers] = await Promise.all([
      Promise.all(bots.map((b) => buy(productId, b))),
      Promise.all(people.map((p, i) => buy(productId, p, tokens[i]))),
    ]);
    for (const answer of botAnswers) {
      assert.equal(answer.status, 403);
      assert.equal(answer.body.reason, 'BAD_TOKEN');
    }
    const queued = peopleAnswers.filter((a) => a.status === 202);
    assert.equal(queued.length, 10);
    for (const a of peopleAnswers.filter((x) => x.status !== 202))
      assert.equal(a.body.reason, 'SOLD_OUT');

    await drained(h, productId);
    const orders = await seckillOrders(h, productId);
    assert.equal(orders.length, 10);
    const peopleIds = new Set(people.map((p) => p.id));
    assert.ok(
      orders.every((o) => peopleIds.has(Number(o.user_id))),
      'only people bought',
    );
    assert.equal(await redisStock(h, productId), 0);
  });

  test('a token is spent by one attempt, and only its own buyer and product can use it', async () => {
    const productId = await sale({ stock: 10, anti_bot: 'path', limit_per_user: 3 });
    const otherSale = await sale({ stock: 10, anti_bot: 'path' });
    const [buyer, thief] = await makeBuyers(h, 2);
    const token = await tokenFor(productId, buyer!);

    const stolen = await buy(productId, thief!, token);
    assert.equal(stolen.status, 403);
    assert.equal(stolen.body.reason, 'BAD_TOKEN');
    assert.equal((await buy(otherSale, buyer!, token)).status, 403, 'bound to its product');

    assert.equal((await buy(productId, buyer!, token)).status, 202);
    const reused = await buy(productId, buyer!, token);
    assert.equal(reused.status, 403, 'one attempt per token');
    assert.equal(reused.body.reason, 'BAD_TOKEN');

    const forged = token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA');
    assert.equal((await buy(productId, buyer!, forged)).status, 403);
    const expired = new AntiBotTokens(h.config.jwt.secret, 30).issue(
      productId,
      buyer!.id,
      Date.now() - 60_000,
    ).token;
    assert.equal((await buy(productId, buyer!, expired)).status, 403);

    assert.equal((await buy(productId, buyer!, await tokenFor(productId, buyer!))).status, 202);
    await drained(h, productId);
    assert.equal((await seckillOrders(h, productId)).length, 2);
  });

  test('no token before start_at; a sale without anti-bot needs none', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const upcoming = await sale({ stock: 5, anti_bot: 'path', start_at: later });
    const [buyer] = await makeBuyers(h, 1);
    const early = await h.api.post(`/api/seckill/${upcoming}/token`, {}, { token: buyer!.token });
    assert.equal(early.status, 409);
    assert.equal(early.body.reason, 'NOT_STARTED');

    const plain = await sale({ stock: 5 });
    assert.equal((await buy(plain, buyer!)).status, 202);
  });
});

describe('anti_bot: captcha', () => {
  test('the token needs the captcha solved, checked once and only for its user', async () => {
    const productId = await sale({ stock: 5, anti_bot: 'captcha' });
    const [buyer, other] = await makeBuyers(h, 2);
    const answerOf = async (captchaId: string) => {
      const stored = await h.infra.redis.get(
        activityKeys(h.config.redis.key_prefix, productId).captcha(captchaId),
      );
      return stored!.slice(stored!.indexOf(':') + 1);
    };
    const captcha = async (who: { token: string }) => {
      const res = await h.api.get(`/api/seckill/${productId}/captcha`, { token: who.token });
      assert.equal(res.status, 200, res.text);
      assert.match(res.body.data.svg, /^<svg/);
      return res.body.data.captcha_id as string;
    };

    const none = await h.api.post(`/api/seckill/${productId}/token`, {}, { token: buyer!.token });
    assert.equal(none.status, 400);
    assert.match(none.body.msg, /^captcha_id:/);

    const first = await captcha(buyer!);
    const wrong = await h.api.post(
      `/api/seckill/${productId}/token`,
      { captcha_id: first, answer: 'nope' },
      { token: buyer!.token },
    );
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.reason, 'BAD_TOKEN');
    const spent = await h.api.post(
      `/api/seckill/${productId}/token`,
      { captcha_id: first, answer: 'whatever' },
      { token: buyer!.token },
    );
    assert.equal(spent.status, 403, 'a captcha is tried once');

    const second = await captcha(buyer!);
    const answer = await answerOf(second);
    const borrowed = await h.api.post(
      `/api/seckill/${productId}/token`,
      { captcha_id: second, answer },
      { token: other!.token },
    );
    assert.equal(borrowed.status, 403, 'bound to the user it was shown to');

    const third = await captcha(buyer!);
    const token = await tokenFor(productId, buyer!, {
      captcha_id: third,
      answer: (await answerOf(third)).toUpperCase(),
    });
    assert.equal((await buy(productId, buyer!)).status, 403);
    assert.equal((await buy(productId, buyer!, token)).status, 202);
    await drained(h, productId);
    assert.equal((await seckillOrders(h, productId)).length, 1);
  });
});

describe('ratelimit.seckill_ip', () => {
  test('many accounts from one address share its bucket; off by default', async () => {
    const limited = await startHarness({
      ratelimit: { enabled: true, seckill_ip: { rate: 0.001, burst: 3 } },
    });
    try {
      const adminOf = await limited.newAdmin();
      const productId = await makeProduct(limited);
      await limited.api.post(
        '/api/seckill/init',
        { product_id: productId, stock: 100 },
        { token: adminOf.token },
      );
      const accounts = await makeBuyers(limited, 6);
      const answers = [];
      for (const account of accounts)
        answers.push(
          await limited.api.post(
            '/api/seckill',
            { product_id: productId },
            { token: account.token },
          ),
        );
      assert.deepEqual(
        answers.map((a) => a.status),
        [202, 202, 202, 429, 429, 429],
      );
      assert.equal(answers[3]!.body.reason, 'RATE_LIMITED');
      assert.ok(Number(answers[3]!.headers.get('retry-after')) > 0);
    } finally {
      await limited.close();
    }
    // This file's own sale ran with the default (off): 6 accounts, one address, all served.
    const productId = await sale({ stock: 100 });
    const accounts = await makeBuyers(h, 6);
    for (const account of accounts) assert.equal((await buy(productId, account)).status, 202);
  });
});
