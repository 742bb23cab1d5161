// The `k6/data` module. A SharedArray is built once per name (its callback runs once, in the
// init context) and handed back frozen, since VUs share it and k6 forbids changing it.
import type { EngineRuntime } from '../runtime/runtime.js';

export function createDataModule(rt: EngineRuntime): Record<string, unknown> {
  // A function rather than a class: `new SharedArray(...)` must evaluate to the array itself.
  const SharedArray = function SharedArray(name: unknown, build: unknown): unknown[] {
    rt.requireInit('new SharedArray()');
    if (typeof name !== 'string' || name === '')
      throw new TypeError('SharedArray: the first argument must be a non-empty name');
    const existing = rt.sharedArrays.get(name);
    if (existing !== undefined) return existing;
    if (typeof build !== 'function')
      throw new TypeError(`SharedArray "${name}": the second argument must be a function`);
    const data: unknown = build();
    if (!Array.isArray(data))
      throw new TypeError(`SharedArray "${name}": the function must return an array`);
    deepFreeze(data);
    rt.sharedArrays.set(name, data);
    return data;
  };
  return { SharedArray };
}

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
}
