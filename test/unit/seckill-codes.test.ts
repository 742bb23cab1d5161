import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { statusOf } from '../../src/http/error-answer.js';
import { packageRoot } from '../../src/infra/paths.js';
import { readLuaScripts } from '../../src/infra/redis.js';
import {
  GiveBackCode,
  LoadCode,
  REFUSALS,
  ReserveCode,
  UndoCode,
} from '../../src/seckill/codes.js';
import { parseBytes } from '../../src/seckill/hot-path.js';

/** The "Output:" lines of a script header that start with an integer code. */
function headerCodes(file: string): number[] {
  const text = readFileSync(join(packageRoot(), 'lua', file), 'utf8');
  const header = text.slice(text.indexOf('Output:'), text.indexOf(']]'));
  return [...header.matchAll(/^\s+(-?\d+)[ ,]/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

const values = (e: object) =>
  Object.values(e)
    .filter((v): v is number => typeof v === 'number')
    .sort((a, b) => a - b);

test('every return code in a seckill script header is in its TypeScript enum, and back', () => {
  assert.deepEqual(headerCodes('seckillReserve-8.lua'), values(ReserveCode));
  assert.deepEqual(headerCodes('seckillUndo-6.lua'), values(UndoCode));
  assert.deepEqual(headerCodes('seckillGiveBack-3.lua'), values(GiveBackCode));
  assert.deepEqual(headerCodes('seckillLoad-5.lua'), values(LoadCode));
});

test('every refusal code has an answer; only the outbox bound is a 503', () => {
  // RateLimited carries its Retry-After and is answered by the limiter.
  const refusals = values(ReserveCode).filter((c) => c < 0 && c !== ReserveCode.RateLimited);
  assert.deepEqual(
    Object.keys(REFUSALS)
      .map(Number)
      .sort((a, b) => a - b),
    refusals,
  );
  assert.equal(statusOf(REFUSALS[ReserveCode.OutboxFull].reason), 503);
  for (const [code, refusal] of Object.entries(REFUSALS))
    if (Number(code) !== ReserveCode.OutboxFull) assert.notEqual(statusOf(refusal.reason), 503);
  assert.equal(REFUSALS[ReserveCode.SoldOut].reason, 'SOLD_OUT');
  assert.equal(REFUSALS[ReserveCode.LimitReached].reason, 'ALREADY_PURCHASED');
});

test('every script declares its KEYS in its name and header', () => {
  for (const script of readLuaScripts()) {
    const declared = [...script.lua.matchAll(/KEYS\[(\d+)\]\s+\w+/g)].map((m) => Number(m[1]));
    assert.equal(
      Math.max(...declared),
      script.numberOfKeys,
      `${script.name}: header lists ${Math.max(...declared)} keys`,
    );
    assert.match(script.lua, /Output:/, `${script.name}: no Output section`);
  }
});

test('server.body_limit is read as express reads it', () => {
  assert.equal(parseBytes('64kb'), 65_536);
  assert.equal(parseBytes('1mb'), 1_048_576);
  assert.equal(parseBytes('100'), 100);
  assert.throws(() => parseBytes('lots'), /body_limit/);
});
