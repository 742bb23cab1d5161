// The k6 modules a scenario may import, and their implementations for one run.
import type { EngineRuntime } from '../runtime/runtime.js';
import { createK6Module } from './k6-core.js';
import { createDataModule } from './k6-data.js';
import { createExecutionModule } from './k6-execution.js';
import { createHttpModule } from './k6-http.js';
import { createMetricsModule } from './k6-metrics.js';

export const SUPPORTED_K6_MODULES = [
  'k6',
  'k6/http',
  'k6/metrics',
  'k6/data',
  'k6/execution',
] as const;

export type SupportedK6Module = (typeof SUPPORTED_K6_MODULES)[number];

export type K6Modules = Record<SupportedK6Module, Readonly<Record<string, unknown>>>;

export function isSupportedK6Module(specifier: string): specifier is SupportedK6Module {
  return (SUPPORTED_K6_MODULES as readonly string[]).includes(specifier);
}

export function createK6Modules(rt: EngineRuntime): K6Modules {
  return {
    k6: createK6Module(rt),
    'k6/http': createHttpModule(rt),
    'k6/metrics': createMetricsModule(rt),
    'k6/data': createDataModule(rt),
    'k6/execution': createExecutionModule(rt),
  };
}
