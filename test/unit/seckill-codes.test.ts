import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusOf } from '../../src/http/error-answer.js';
import { REFUSALS, ReserveCode } from '../../src/seckill/codes.js';
import { parseBytes } from '../../src/seckill/hot-path.js';
import { readLuaScripts, SCRIPT_CODES } from '../../src/seckill/scripts.js';

/** The "Output:" lines of a script header that start with an integer code. */
function headerCodes(lua: string): number[] {
  const header = lua.slice(lua.indexOf('Output:'), lua.indexOf(']]'));
  return [...header.matchAll(/^\s+(-?\d+)[ ,]/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

const values = (e: object) =>
  Object.values(e)
    .filter((v): v is number => typeof v === 'number')
    .sort((a, b) => a - b);

test('every return code in a seckill script header is in its TypeScript enum, and back', () => {
  const scripts = readLuaScripts();
  assert.ok(scripts.length >= 6, 'lua/ holds the seckill scripts');
  for (const script of scripts) {
    const codes = SCRIPT_CODES[script.name];
    // A script without an enum returns a count: its header lists no code.
    assert.deepEqual(headerCodes(script.lua), codes ? values(codes) : [], script.name);
  }
  assert.ok(Object.keys(SCRIPT_CODES).every((name) => scripts.some((s) => s.name === name)));
});

test('every refusal code has an answer; only the outbox bound and a re-init fence are a 503', () => {
  // RateLimited carries its Retry-After and is answered by the limiter.
  const refusals = values(ReserveCode).filter((c) => c < 0 && c !== ReserveCode.RateLimited);
  assert.deepEqual(
    Object.keys(REFUSALS)
      .map(Number)
      .sort((a, b) => a - b),
    refusals,
  );
  const busy: Array<keyof typeof REFUSALS> = [ReserveCode.OutboxFull, ReserveCode.Reloading];
  for (const code of busy) assert.equal(statusOf(REFUSALS[code].reason), 503);
  for (const [code, refusal] of Object.entries(REFUSALS))
    if (!busy.includes(Number(code) as keyof typeof REFUSALS))
      assert.notEqual(statusOf(refusal.reason), 503);
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
