import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Config } from '../config/schema.js';

export interface Tracing {
  /** Flushes spans still buffered and stops the exporter. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Replaces the OTLP exporter (tests pass an in-memory one). */
  exporter?: SpanExporter;
  /** Export each span as it ends instead of in batches (tests). */
  simple?: boolean;
}

/**
 * Starts OpenTelemetry with instrumentation for http/express, ioredis, mysql2 and amqplib.
 *
 * It must run before those libraries are imported: gomall is ESM, so they are patched by
 * import-in-the-middle's loader hook, registered here at run time. That is why `serve` and
 * `consume` import their runtime only after this resolves.
 */
export async function startTracing(
  settings: Config['tracing'],
  options: TracingOptions = {},
): Promise<Tracing> {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const [
    { NodeTracerProvider },
    { BatchSpanProcessor, SimpleSpanProcessor },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { registerInstrumentations },
    { HttpInstrumentation },
    { ExpressInstrumentation },
    { IORedisInstrumentation },
    { MySQL2Instrumentation },
    { AmqplibInstrumentation },
  ] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-express'),
    import('@opentelemetry/instrumentation-ioredis'),
    import('@opentelemetry/instrumentation-mysql2'),
    import('@opentelemetry/instrumentation-amqplib'),
  ]);

  const exporter = options.exporter ?? new OTLPTraceExporter({ url: settings.endpoint });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': settings.service_name }),
    spanProcessors: [
      options.simple ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter),
    ],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation(),
      new ExpressInstrumentation(),
      new IORedisInstrumentation(),
      new MySQL2Instrumentation(),
      new AmqplibInstrumentation(),
    ],
  });
  await waitForAllMessagesAcknowledged();
  return { shutdown: () => provider.shutdown() };
}
