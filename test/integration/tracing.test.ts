import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../../src/infra/tracing.js';

// Tracing must start before express, ioredis, mysql2 and amqplib load: everything that
// imports them is imported dynamically below, after startTracing.
const exporter = new InMemorySpanExporter();
const tracing = await startTracing(
  { enabled: true, endpoint: 'http://127.0.0.1:4318/v1/traces', service_name: 'gomall-test' },
  { exporter, simple: true },
);
const { startHarness } = await import('../support/harness.js');
const { makeProduct } = await import('../support/seckill.js');
const { waitFor } = await import('../support/wait.js');
const { startConsumer } = await import('../../src/seckill/consumer/start.js');
const { createLogger } = await import('../../src/infra/logger.js');

const scopeOf = (span: ReadableSpan) =>
  span.instrumentationScope.name.replace('@opentelemetry/instrumentation-', '');

test('one seckill request gives one trace: HTTP, Redis, publish, consume and MySQL spans', async () => {
  const h = await startHarness({ ratelimit: { enabled: false } });
  const consumer = await startConsumer(h.config, createLogger({ level: 'silent' }));
  try {
    const admin = await h.newAdmin();
    const productId = await makeProduct(h);
    const init = await h.api.post(
      '/api/seckill/init',
      { product_id: productId, stock: 5 },
      { token: admin.token },
    );
    assert.equal(init.status, 201, init.text);
    const buyer = await h.api.newUser('traced');
    exporter.reset();

    const answer = await h.api.post(
      '/api/seckill',
      { product_id: productId },
      { token: buyer.token },
    );
    assert.equal(answer.status, 202, answer.text);
    const orderNo = answer.body.data.order_no as string;
    await waitFor(
      () => h.infra.db('orders').where({ order_no: orderNo }).first(),
      10_000,
      'the order row',
    );

    const request = await waitFor(
      async () =>
        exporter
          .getFinishedSpans()
          .find((s) => s.name.startsWith('POST') && scopeOf(s) === 'http' && s.kind === 1),
      5000,
      'the server span',
    );
    const traceId = request.spanContext().traceId;
    const inTrace = () =>
      exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    // The consumer's spans end after the commit and the ack; give them a moment to arrive.
    const spans = await waitFor(
      async () => {
        const found = inTrace();
        return found.some((s) => scopeOf(s) === 'mysql2') &&
          found.some((s) => scopeOf(s) === 'amqplib' && s.kind === 4)
          ? found
          : null;
      },
      5000,
      'the consumer spans in the request trace',
    );
    const kinds = new Set(spans.map((s) => `${scopeOf(s)}:${s.kind}`));
    assert.ok(kinds.has('http:1'), 'HTTP server span');
    assert.ok(kinds.has('ioredis:2'), 'Redis span (the reservation script)');
    assert.ok(kinds.has('amqplib:3'), 'publish span');
    assert.ok(kinds.has('amqplib:4'), 'consume span');
    assert.ok(
      spans.some((s) => scopeOf(s) === 'mysql2' && /insert/i.test(s.name)),
      'MySQL insert span',
    );
  } finally {
    await consumer.stop();
    await h.close();
    await tracing.shutdown();
  }
});
