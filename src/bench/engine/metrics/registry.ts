// Every metric of a run, built-in or declared by the script, by name. A sub-metric
// ("http_req_duration{status:200}") is a second sink fed with the parent's samples whose tags
// match; sub-metrics exist only where a threshold asked for one (plus k6's own
// `http_req_duration{expected_response:true}`), so untagged runs pay nothing for tags.
import { createSink, type MetricType, type Sink } from './sinks.js';

export type Contains = 'default' | 'time' | 'data';

/** Tags of one sample, looked up only when the metric has sub-metrics to match. */
export interface TagSource {
  tag(key: string): string | undefined;
}

const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,127}$/;

export class SubMetric {
  readonly sink: Sink;

  constructor(
    readonly name: string,
    readonly parent: Metric,
    private readonly filter: ReadonlyArray<readonly [string, string]>,
  ) {
    this.sink = createSink(parent.type);
  }

  matches(tags: TagSource): boolean {
    for (const [key, value] of this.filter) if (tags.tag(key) !== value) return false;
    return true;
  }
}

export class Metric {
  readonly sink: Sink;
  readonly subs: SubMetric[] = [];

  constructor(
    readonly name: string,
    readonly type: MetricType,
    readonly contains: Contains,
    readonly builtin: boolean,
  ) {
    this.sink = createSink(type);
  }

  add(value: number, tags?: TagSource): void {
    this.sink.add(value);
    const subs = this.subs;
    if (subs.length === 0 || tags === undefined) return;
    for (let i = 0; i < subs.length; i++) {
      const sub = subs[i] as SubMetric;
      if (sub.matches(tags)) sub.sink.add(value);
    }
  }
}

export class MetricRegistry {
  private readonly metrics = new Map<string, Metric>();
  private readonly subsByKey = new Map<string, SubMetric>();

  define(name: string, type: MetricType, contains: Contains, builtin = false): Metric {
    if (!METRIC_NAME.test(name)) {
      throw new TypeError(
        `invalid metric name "${name}": use letters, digits and underscores, starting with a letter or underscore`,
      );
    }
    const existing = this.metrics.get(name);
    if (existing !== undefined) {
      if (existing.type !== type) {
        throw new TypeError(
          `metric "${name}" already exists as a ${existing.type}, cannot redeclare it as a ${type}`,
        );
      }
      return existing;
    }
    const metric = new Metric(name, type, contains, builtin);
    this.metrics.set(name, metric);
    return metric;
  }

  get(name: string): Metric | undefined {
    return this.metrics.get(name);
  }

  /** Finds or creates the sub-metric named like `name{tag:value,other:value}`. */
  submetric(key: string): SubMetric {
    const { name, filter } = parseSubmetricKey(key);
    const parent = this.metrics.get(name);
    if (parent === undefined) throw new TypeError(`no metric named "${name}" (in "${key}")`);
    const canonical = `${name}{${filter.map(([k, v]) => `${k}:${v}`).join(',')}}`;
    let sub = this.subsByKey.get(canonical);
    if (sub === undefined) {
      sub = new SubMetric(key, parent, filter);
      parent.subs.push(sub);
      this.subsByKey.set(canonical, sub);
    }
    return sub;
  }

  all(): IterableIterator<Metric> {
    return this.metrics.values();
  }

  customCounters(): Metric[] {
    return [...this.metrics.values()].filter((m) => !m.builtin && m.type === 'counter');
  }
}

/** "http_req_duration{status:200, name:\"x\"}" → name + [[status,"200"],[name,"x"]]. */
export function parseSubmetricKey(key: string): { name: string; filter: Array<[string, string]> } {
  const open = key.indexOf('{');
  if (open === -1) return { name: key.trim(), filter: [] };
  if (!key.trimEnd().endsWith('}')) throw new TypeError(`"${key}": a tag filter must end with "}"`);
  const name = key.slice(0, open).trim();
  const body = key.slice(open + 1, key.lastIndexOf('}'));
  const filter: Array<[string, string]> = [];
  for (const part of body.split(',')) {
    if (part.trim() === '') continue;
    const colon = part.indexOf(':');
    if (colon === -1)
      throw new TypeError(`"${key}": tag filter "${part.trim()}" must look like tag:value`);
    const tag = part.slice(0, colon).trim();
    const value = part
      .slice(colon + 1)
      .trim()
      .replace(/^(["'])(.*)\1$/, '$2');
    filter.push([tag, value]);
  }
  return { name, filter };
}
