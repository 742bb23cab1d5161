import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCents, moneyInput, toCents } from '../../src/money.js';

test('amounts become integer cents without floating-point drift', () => {
  assert.equal(toCents('19.90'), 1990);
  assert.equal(toCents('19.9'), 1990);
  assert.equal(toCents(0.29), 29);
  assert.equal(toCents(1.005), null);
  assert.equal(moneyInput.parse('0.10'), 10);
  assert.equal(moneyInput.parse(19.99), 1999);
  assert.equal(moneyInput.safeParse('-1').success, false);
  assert.equal(moneyInput.safeParse('1.234').success, false);
  assert.equal(moneyInput.safeParse('abc').success, false);
});

test('cents format with two places', () => {
  assert.equal(formatCents(1990), '19.90');
  assert.equal(formatCents(5), '0.05');
  assert.equal(formatCents(0), '0.00');
  assert.equal(formatCents(123456789), '1234567.89');
});
