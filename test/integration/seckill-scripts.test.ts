import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createRedis, type Redis } from '../../src/infra/redis.js';
import { newOrderNo } from '../../src/order/order-no.js';
import { ClaimCode, ReserveCode, UndoCode } from '../../src/seckill/codes.js';
import { activityKeys, type ActivityKeys } from '../../src/seckill/keys.js';
import { scriptsOn, type ReserveParams } from '../../src/seckill/scripts.js';
import { deleteKeys } from '../support/cleanup.js';
import { testConfig } from '../support/config.js';
import { waitFor } from '../support/wait.js';

// The scripts on the real Redis, without the app around them: what a resend or a second
// consumer does is hard to time through the API, and easy to do here exactly.
const config = testConfig();
const prefix = config.redis.key_prefix;
let redis: Redis;
let nextProduct = 1;

before(() => {
  redis = createRedis(config.redis);
});
after(async () => {
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

/** An activity loaded straight into Redis: open now, `stock` units, `limit` per buyer. */
async function activity(stock: number, limit: number): Promise<ActivityKeys> {
  const productId = nextProduct++;
  const keys = activityKeys(prefix, productId);
  const now = Date.now();
  await scriptsOn(redis).load({
    keys,
    startMs: now - 1000,
    endMs: now + 3_600_000,
    limitPerUser: limit,
    activityId: productId,
    productId,
    priceCents: 990,
    generation: 1,
    stock,
  });
  return keys;
}

const reservation = (keys: ActivityKeys, userId: number, orderNo: string): ReserveParams => ({
  keys,
  userId,
  orderNo,
  quantity: 1,
  nowMs: Date.now(),
  outboxLimit: 100,
  pendingMaxAgeMs: 60_000,
  idempotencyTtlSeconds: 0,
  bucketRate: 0,
  bucketBurst: 0,
});

/**
 * A TCP proxy to Redis that, once armed, cuts the client's connection when the next reply
 * comes back instead of passing it on: the command ran, its answer is lost, and ioredis
 * resends it on the new connection (autoResendUnfulfilledCommands).
 */
async function replyDroppingProxy(): Promise<{
  port: number;
  arm(): void;
  dropped(): number;
  close(): Promise<void>;
}> {
  let armed = false;
  let dropped = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(config.redis.port, config.redis.host);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      // A NOSCRIPT error means the script did not run (ioredis then sends EVAL): pass it on.
      if (armed && !chunk.toString().startsWith('-NOSCRIPT')) {
        armed = false;
        dropped++;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    arm: () => (armed = true),
    dropped: () => dropped,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('the reservation script', () => {
  test('a resend after a lost reply answers the same reservation instead of making a second', async () => {
    const keys = await activity(5, 3);
    const proxy = await replyDroppingProxy();
    const client = createRedis({ ...config.redis, host: '127.0.0.1', port: proxy.port });
    try {
      await client.ping();
      const orderNo = newOrderNo();
      proxy.arm();
      const reply = await scriptsOn(client).reserve(reservation(keys, 7, orderNo));
      assert.equal(proxy.dropped(), 1, 'the first reply was lost and the call resent');
      assert.equal(reply.code, ReserveCode.Reserved);
      const message = JSON.parse((reply as { message: string }).message) as Record<string, unknown>;
      assert.equal(message['order_no'], orderNo);
      assert.equal(message['slot'], 1);
      assert.equal(await redis.get(keys.stock), '4', 'one unit taken, not two');
      assert.equal(await redis.hget(keys.buyers, '7'), '1');
      assert.deepEqual(await redis.hkeys(keys.pending), [orderNo]);
    } finally {
      client.disconnect();
      await proxy.close();
    }
  });

  test('a resend of a reservation that is already an order answers its order number', async () => {
    const keys = await activity(5, 3);
    const orderNo = newOrderNo();
    const scripts = scriptsOn(redis);
    assert.equal((await scripts.reserve(reservation(keys, 8, orderNo))).code, ReserveCode.Reserved);
    await scripts.done({ keys, orders: [{ orderNo, userId: 8 }] });
    const again = await scripts.reserve(reservation(keys, 8, orderNo));
    assert.deepEqual(again, { code: ReserveCode.Replayed, orderNo });
    assert.equal(await redis.get(keys.stock), '4');
    assert.equal(await redis.hget(keys.buyers, '8'), '1');
  });
});

describe('claims and undo', () => {
  async function reserved(keys: ActivityKeys, userId: number): Promise<string> {
    const orderNo = newOrderNo();
    const reply = await scriptsOn(redis).reserve(reservation(keys, userId, orderNo));
    assert.equal(reply.code, ReserveCode.Reserved);
    return orderNo;
  }
  const undoOf = (keys: ActivityKeys, orderNo: string, userId: number, token: string) =>
    scriptsOn(redis).undo({ keys, orderNo, userId, quantity: 1, slot: 1, token });

  test('an undo leaves alone a reservation another batch has claimed, until that claim is dropped', async () => {
    const keys = await activity(3, 1);
    const orderNo = await reserved(keys, 11);
    const scripts = scriptsOn(redis);
    const claim = (token: string) =>
      scripts.claim({ keys, token, leaseMs: 60_000, orderNos: [orderNo] });
    assert.deepEqual(await claim('batch-a'), [ClaimCode.Claimed]);
    assert.deepEqual(await claim('batch-b'), [ClaimCode.Claimed]);

    // Batch b failed and gives up, but batch a may be committing the row right now.
    assert.equal(await scripts.unclaim({ keys, token: 'batch-b', orderNos: [orderNo] }), 1);
    assert.equal(await undoOf(keys, orderNo, 11, 'batch-b'), UndoCode.ClaimedElsewhere);
    assert.equal(await redis.get(keys.stock), '2', 'the unit is still reserved');
    assert.ok(await redis.hexists(keys.pending, orderNo));
    assert.equal(await redis.sismember(keys.released, orderNo), 0);

    // Batch a's own claim does not hold its undo back.
    assert.equal(await undoOf(keys, orderNo, 11, 'batch-a'), UndoCode.Released);
    assert.equal(await redis.get(keys.stock), '3');
    assert.equal(await redis.hexists(keys.pending, orderNo), 0);
    assert.equal(await redis.hexists(keys.claims, orderNo), 0);
    assert.equal(await redis.hget(keys.result, '11'), `failed:${orderNo}`);
    // The tombstone: no copy of the message may become an order now.
    assert.deepEqual(await claim('batch-c'), [ClaimCode.Released]);
    assert.equal(await undoOf(keys, orderNo, 11, 'batch-c'), UndoCode.AlreadyReleased);
  });

  test('a claim whose batch died holds an undo back only until its lease ends', async () => {
    const keys = await activity(3, 1);
    const orderNo = await reserved(keys, 12);
    await scriptsOn(redis).claim({ keys, token: 'crashed', leaseMs: 150, orderNos: [orderNo] });
    assert.equal(await undoOf(keys, orderNo, 12, 'other'), UndoCode.ClaimedElsewhere);
    await waitFor(
      async () => (await undoOf(keys, orderNo, 12, 'other')) === UndoCode.Released,
      5000,
      'the lease to end',
    );
    assert.equal(await redis.get(keys.stock), '3');
  });

  test('a message whose pending record is gone is "not pending", not released', async () => {
    const keys = await activity(3, 1);
    const orderNo = await reserved(keys, 13);
    await redis.hdel(keys.pending, orderNo);
    assert.deepEqual(
      await scriptsOn(redis).claim({ keys, token: 't', leaseMs: 60_000, orderNos: [orderNo] }),
      [ClaimCode.NotPending],
    );
  });
});
