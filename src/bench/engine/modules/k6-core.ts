// The `k6` module: check, group, sleep, fail.
//
// sleep() cannot block the thread here the way it blocks a k6 VU, so it returns a promise:
// `await sleep(1)` pauses the VU (and is harmless under real k6, where sleep returns undefined).
// A sleep that is not awaited still delays the iteration's end, so the common trailing
// `sleep(1)` keeps its pacing.
import { SampleTags } from '../runtime/sample-tags.js';
import { isThenable } from '../runtime/thenable.js';
import type { EngineRuntime } from '../runtime/runtime.js';

type Checkers = Record<string, unknown>;

export function createK6Module(rt: EngineRuntime): Record<string, unknown> {
  const checksMetric = rt.metrics.checks;
  const groupDuration = rt.metrics.groupDuration;

  function check(value: unknown, sets: Checkers, tags?: Record<string, string>): boolean {
    if (isThenable(value)) {
      throw new TypeError(
        "check() received a Promise: in gomall's engine http.get/post/... return promises, write `const res = await http.get(...)`",
      );
    }
    const vu = rt.currentVu();
    let all = true;
    for (const name in sets) {
      const checker = sets[name];
      const ok =
        typeof checker === 'function'
          ? Boolean((checker as (v: unknown) => unknown)(value))
          : Boolean(checker);
      const entry = vu.group.check(name);
      if (ok) entry.passes++;
      else {
        entry.fails++;
        all = false;
      }
      checksMetric.add(
        ok ? 1 : 0,
        checksMetric.subs.length === 0 ? undefined : new SampleTags(vu, tags, 'check', name),
      );
    }
    return all;
  }

  function group<T>(name: string, fn: () => T): T {
    if (typeof fn !== 'function')
      throw new TypeError(`group("${name}"): the second argument must be a function`);
    const vu = rt.currentVu();
    const parent = vu.group;
    const node = parent.child(name);
    const started = performance.now();
    const end = (): void => {
      vu.group = parent;
      groupDuration.add(
        performance.now() - started,
        groupDuration.subs.length === 0 ? undefined : new SampleTags(vu, { group: node.path }),
      );
    };
    vu.group = node;
    let result: T;
    try {
      result = fn();
    } catch (err) {
      end();
      throw err;
    }
    if (!isThenable(result)) {
      end();
      return result;
    }
    // Unlike k6, an async group body is awaited, so its checks and requests land in the group.
    return result.then(
      (v) => {
        end();
        return v;
      },
      (err: unknown) => {
        end();
        throw err;
      },
    ) as T;
  }

  function sleep(seconds: number): Promise<void> {
    const ms = Number(seconds) * 1000;
    if (!(ms >= 0))
      throw new TypeError(`sleep(): expected a number of seconds, got ${String(seconds)}`);
    const vu = rt.currentVu();
    const pause = vu.sleep(ms);
    vu.pendingSleep = pause;
    return pause;
  }

  function fail(message?: string): never {
    throw new Error(message ?? 'fail() called');
  }

  return { check, group, sleep, fail };
}
