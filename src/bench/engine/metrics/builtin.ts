// k6's built-in metrics that this engine measures, held as direct references so the hot path
// never looks a metric up by name.
import type { Metric, MetricRegistry, SubMetric } from './registry.js';

export interface BuiltinMetrics {
  readonly httpReqs: Metric;
  readonly httpReqDuration: Metric;
  /** k6's `http_req_duration{expected_response:true}`, always present like in k6. */
  readonly httpReqDurationExpected: SubMetric;
  readonly httpReqWaiting: Metric;
  readonly httpReqReceiving: Metric;
  readonly httpReqFailed: Metric;
  readonly dataSent: Metric;
  readonly dataReceived: Metric;
  readonly iterations: Metric;
  readonly iterationDuration: Metric;
  readonly droppedIterations: Metric;
  readonly checks: Metric;
  readonly groupDuration: Metric;
  readonly vus: Metric;
  readonly vusMax: Metric;
}

export function defineBuiltinMetrics(registry: MetricRegistry): BuiltinMetrics {
  const httpReqDuration = registry.define('http_req_duration', 'trend', 'time', true);
  return {
    httpReqs: registry.define('http_reqs', 'counter', 'default', true),
    httpReqDuration,
    httpReqDurationExpected: registry.submetric('http_req_duration{expected_response:true}'),
    httpReqWaiting: registry.define('http_req_waiting', 'trend', 'time', true),
    httpReqReceiving: registry.define('http_req_receiving', 'trend', 'time', true),
    httpReqFailed: registry.define('http_req_failed', 'rate', 'default', true),
    dataSent: registry.define('data_sent', 'counter', 'data', true),
    dataReceived: registry.define('data_received', 'counter', 'data', true),
    iterations: registry.define('iterations', 'counter', 'default', true),
    iterationDuration: registry.define('iteration_duration', 'trend', 'time', true),
    droppedIterations: registry.define('dropped_iterations', 'counter', 'default', true),
    checks: registry.define('checks', 'rate', 'default', true),
    groupDuration: registry.define('group_duration', 'trend', 'time', true),
    vus: registry.define('vus', 'gauge', 'default', true),
    vusMax: registry.define('vus_max', 'gauge', 'default', true),
  };
}
