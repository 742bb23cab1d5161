import { runScenario } from '../engine/index.js';
import type { LoadRequest, LoadRun } from './load-run.js';

/** The scenario on gomall's own engine (src/bench/engine), in this process. */
export async function runBuiltin(request: LoadRequest): Promise<LoadRun> {
  const result = await runScenario({
    file: request.file,
    env: request.env,
    ...(request.signal ? { signal: request.signal } : {}),
    onProgress: (p) =>
      request.onProgress?.(
        `${p.iterations} iterations, ${p.rps} req/s${p.failedRequests > 0 ? `, ${p.failedRequests} failed` : ''}, ${p.vusActive} VUs active`,
      ),
  });
  return {
    engine: 'builtin',
    summary: result.summary,
    thresholdsFailed: result.thresholdsFailed,
    timeline: result.timeline,
    scriptErrors: result.scriptErrors,
    aborted: result.aborted,
  };
}
