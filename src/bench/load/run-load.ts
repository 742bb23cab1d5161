import type { EngineName, LoadRequest, LoadRun } from './load-run.js';
import { runBuiltin } from './run-builtin.js';
import { findK6, runK6 } from './run-k6.js';

export type EngineChoice = 'auto' | EngineName;

export interface SelectedEngine {
  engine: EngineName;
  /** The k6 binary when k6 runs the load. */
  k6: string | null;
}

/** auto: k6 when it is on PATH, else the built-in engine. */
export function pickEngine(choice: EngineChoice): SelectedEngine {
  const k6 = choice === 'builtin' ? null : findK6();
  if (choice === 'k6' && k6 === null)
    throw new Error(
      '--engine k6: k6 is not on PATH (--engine builtin runs the same scenario without it)',
    );
  return { engine: k6 ? 'k6' : 'builtin', k6 };
}

export function runLoad(engine: SelectedEngine, request: LoadRequest): Promise<LoadRun> {
  return engine.engine === 'k6' && engine.k6 ? runK6(engine.k6, request) : runBuiltin(request);
}
