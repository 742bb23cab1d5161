import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newOrderNo } from '../../src/order/order-no.js';

test('an order number is the UTC millisecond and 13 random base32 characters', () => {
  const orderNo = newOrderNo(new Date('2026-11-25T12:34:56.789Z'));
  assert.match(orderNo, /^20261125123456789[0-9A-HJKMNP-TV-Z]{13}$/);
  assert.ok(orderNo.length <= 32, 'fits orders.order_no');
});

test('order numbers sort by creation time', () => {
  const earlier = newOrderNo(new Date('2026-11-25T12:00:00.000Z'));
  const later = newOrderNo(new Date('2026-11-25T12:00:00.001Z'));
  assert.ok(earlier < later);
  const years = newOrderNo(new Date('2099-01-01T00:00:00.000Z'));
  assert.ok(later < years);
});

test('numbers made in one millisecond are unique and share no guessable pattern', () => {
  const now = new Date();
  const numbers = Array.from({ length: 20_000 }, () => newOrderNo(now));
  assert.equal(new Set(numbers).size, numbers.length);
  // Every base32 character shows up in every random position: nothing is a counter.
  for (let position = 17; position < 30; position += 1) {
    assert.equal(new Set(numbers.map((n) => n[position])).size, 32, `position ${position}`);
  }
});
