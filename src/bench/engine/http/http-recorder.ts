// Turns finished exchanges into k6's http_* metrics and the per-second latency of the timeline.
// Tags are only assembled when a threshold asked for a tagged sub-metric of an http metric.
import type { BuiltinMetrics } from '../metrics/builtin.js';
import type { LogHistogram } from '../metrics/histogram.js';
import type { Metric, TagSource } from '../metrics/registry.js';
import { payloadLength } from './request-body.js';
import type { Exchange, ExchangeSink } from './exchange.js';

// Request line ("GET /path HTTP/1.1\r\n") and status line overheads, for data_sent/data_received.
const REQUEST_LINE_EXTRA = 12;
const STATUS_LINE_BYTES = 17;

export class HttpRecorder implements ExchangeSink {
  private tagged = false;
  private readonly tags = new ExchangeTags();

  constructor(
    private readonly m: BuiltinMetrics,
    private readonly secondLatency: LogHistogram,
  ) {}

  /** Call once thresholds are known: tag filters on http metrics switch on tag matching. */
  refreshTagging(): void {
    const m = this.m;
    const extraSubs = (metric: Metric, builtinSubs: number): boolean =>
      metric.subs.length > builtinSubs;
    this.tagged =
      extraSubs(m.httpReqs, 0) ||
      extraSubs(m.httpReqDuration, 1) ||
      extraSubs(m.httpReqWaiting, 0) ||
      extraSubs(m.httpReqReceiving, 0) ||
      extraSubs(m.httpReqFailed, 0) ||
      extraSubs(m.dataSent, 0) ||
      extraSubs(m.dataReceived, 0);
  }

  record(x: Exchange): void {
    const m = this.m;
    const status = x.error === null ? x.status : 0;
    const expected = x.expected === null ? undefined : x.expected.has(status);
    const waiting = x.tHeaders - x.tSend;
    const receiving = x.tEnd - x.tHeaders;
    const duration = waiting + receiving;
    const sent =
      x.method.length +
      x.url.length +
      REQUEST_LINE_EXTRA +
      headerBytes(x.requestHeaders) +
      payloadLength(x.requestBody);
    const received = x.bytesIn + rawHeaderBytes(x.rawHeaders);
    this.secondLatency.add(duration);

    if (this.tagged) {
      const tags = this.tags.fill(x, status, expected);
      m.httpReqs.add(1, tags);
      m.httpReqDuration.add(duration, tags);
      m.httpReqWaiting.add(waiting, tags);
      m.httpReqReceiving.add(receiving, tags);
      if (expected !== undefined) m.httpReqFailed.add(expected ? 0 : 1, tags);
      m.dataSent.add(sent, tags);
      m.dataReceived.add(received, tags);
      return;
    }
    m.httpReqs.sink.add(1);
    m.httpReqDuration.sink.add(duration);
    if (expected === true) m.httpReqDurationExpected.sink.add(duration);
    m.httpReqWaiting.sink.add(waiting);
    m.httpReqReceiving.sink.add(receiving);
    if (expected !== undefined) m.httpReqFailed.sink.add(expected ? 0 : 1);
    m.dataSent.sink.add(sent);
    m.dataReceived.sink.add(received);
  }
}

/** k6's system tags of an http sample, reused from one request to the next. */
class ExchangeTags implements TagSource {
  private x: Exchange | undefined;
  private status = '';
  private expected = '';

  fill(x: Exchange, status: number, expected: boolean | undefined): this {
    this.x = x;
    this.status = String(status);
    this.expected = expected === undefined ? '' : String(expected);
    return this;
  }

  tag(key: string): string | undefined {
    const x = this.x;
    if (x === undefined) return undefined;
    const custom = x.tags?.[key];
    if (custom !== undefined) return custom;
    switch (key) {
      case 'method':
        return x.method;
      case 'status':
        return this.status;
      case 'url':
      case 'name':
        return x.url;
      case 'expected_response':
        return this.expected === '' ? undefined : this.expected;
      case 'group':
        return x.vu.group.path;
      case 'scenario':
        return x.vu.scenario?.name ?? 'default';
      default:
        return x.vu.scenario?.tags[key];
    }
  }
}

function headerBytes(headers: Record<string, string> | null): number {
  if (headers === null) return 0;
  let n = 0;
  for (const key in headers) n += key.length + String(headers[key]).length + 4;
  return n;
}

function rawHeaderBytes(raw: Buffer[] | null): number {
  if (raw === null) return 0;
  let n = STATUS_LINE_BYTES;
  for (let i = 0; i < raw.length; i++) n += (raw[i] as Buffer).length + 2;
  return n;
}
