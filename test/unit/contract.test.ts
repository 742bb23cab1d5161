import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkAnswer, type Answer } from '../support/contract.js';

/** What GET /api/product/42 answers, as the API words it. */
const product = {
  id: 42,
  name: 'Desk lamp',
  description: null,
  price: '19.90',
  stock: 5,
  category: 'lamps',
  image_url: null,
  created_at: '2026-11-25T12:00:00.000Z',
  updated_at: '2026-11-25T12:00:00.000Z',
};

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return {
    method: 'GET',
    url: '/api/product/42?fresh=1',
    status,
    headers: new Headers({ 'content-type': 'application/json; charset=utf-8', ...headers }),
    text: JSON.stringify(body),
    json: body,
  };
}

const ok = (data: unknown) => answer(200, { code: 200, msg: 'ok', data });
const violation = (pattern: RegExp) => ({ name: 'ContractViolation', message: pattern });

describe('the contract check of the test client', () => {
  test('passes an answer the document describes', () => {
    checkAnswer(ok(product));
    checkAnswer(answer(404, { code: 404, msg: 'no', data: null, reason: 'NOT_FOUND' }));
  });

  test('names the route, the status and the field that differs', () => {
    assert.throws(
      () => checkAnswer(ok({ ...product, price: 19.9 })),
      violation(/^GET \/api\/product\/\{id\} answered 200: \/data\/price must be string/),
    );
    assert.throws(
      () => checkAnswer(ok({ ...product, sku: 'L-1' })),
      violation(/\/data must NOT have additional properties "sku"/),
    );
    const { stock: _stock, ...withoutStock } = product;
    assert.throws(
      () => checkAnswer(ok(withoutStock)),
      violation(/\/data must have required property 'stock'/),
    );
    assert.throws(
      () => checkAnswer(answer(404, { code: 404, msg: 'no', data: null, reason: 'GONE' })),
      violation(/answered 404: \/reason must be equal to one of the allowed values/),
    );
  });

  test('fails a status the document does not list for the route', () => {
    assert.throws(
      () => checkAnswer(answer(409, { code: 409, msg: 'x', data: null, reason: 'CONFLICT' })),
      violation(/^GET \/api\/product\/\{id\} answered 409: the document lists only 200, 400,/),
    );
  });

  test('a route the document does not have may only be 404 NOT_FOUND or 429 RATE_LIMITED; media types are checked', () => {
    assert.throws(
      () => checkAnswer({ ...ok(product), method: 'PATCH' }),
      violation(/^PATCH \/api\/product\/42 answered 200: the route is not in the OpenAPI document/),
    );
    const unknown = { code: 404, msg: 'no route PATCH /api/product/42', data: null };
    checkAnswer({ ...answer(404, { ...unknown, reason: 'NOT_FOUND' }), method: 'PATCH' });
    assert.throws(
      () => checkAnswer({ ...answer(404, { ...unknown, reason: 'GONE' }), method: 'PATCH' }),
      violation(/only a 404 NOT_FOUND or 429 RATE_LIMITED envelope may answer/),
    );
    const limited = { code: 429, msg: 'too many requests', data: null, reason: 'RATE_LIMITED' };
    checkAnswer({ ...answer(429, limited), method: 'PATCH' });
    assert.throws(
      () => checkAnswer({ ...answer(429, { ...limited, reason: 'NOT_FOUND' }), method: 'PATCH' }),
      violation(/only a 404 NOT_FOUND or 429 RATE_LIMITED envelope may answer/),
    );
    assert.throws(
      () => checkAnswer(answer(200, product, { 'content-type': 'text/html' })),
      violation(/content-type "text\/html", documented: application\/json/),
    );
  });

  test('checks the documented headers: 429 needs a whole number of seconds in Retry-After', () => {
    const limited = { code: 429, msg: 'slow down', data: null, reason: 'RATE_LIMITED' };
    checkAnswer(answer(429, limited, { 'retry-after': '3' }));
    assert.throws(
      () => checkAnswer(answer(429, limited)),
      violation(/answered 429: header Retry-After is missing/),
    );
    assert.throws(
      () => checkAnswer(answer(429, limited, { 'retry-after': 'soon' })),
      violation(/header Retry-After: "soon" must be integer/),
    );
  });
});
