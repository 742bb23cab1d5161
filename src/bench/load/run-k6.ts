// The scenario under a real k6 (≥ 0.57 runs TypeScript as it is). The summary comes from the
// scenario's handleSummary(), which writes GOMALL_SUMMARY; k6's own output goes to stderr so
// stdout stays the bench's (and JSON with --json). Exit 99 is k6's "a threshold failed".
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { K6Summary } from '../engine/index.js';
import { findOnPath } from '../../infra/find-on-path.js';
import type { LoadRequest, LoadRun } from './load-run.js';

const THRESHOLDS_FAILED = 99;

/** The k6 binary on PATH, or null. */
export const findK6 = (path?: string) => findOnPath('k6', path);

export async function runK6(binary: string, request: LoadRequest): Promise<LoadRun> {
  const summaryFile = request.env['GOMALL_SUMMARY'];
  if (!summaryFile) throw new Error('GOMALL_SUMMARY must name the summary file');
  const args = ['run', ...(request.quiet ? ['--quiet', '--no-color'] : [])];
  for (const [key, value] of Object.entries(request.env)) args.push('-e', `${key}=${value}`);
  args.push(request.file);
  const child = spawn(binary, args, { stdio: ['ignore', 2, 2] });
  // k6 stops gracefully on SIGINT and still writes its summary.
  const onAbort = () => child.kill('SIGINT');
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  }).finally(() => request.signal?.removeEventListener('abort', onAbort));
  if (code !== 0 && code !== THRESHOLDS_FAILED && !request.signal?.aborted) {
    throw new Error(`k6 exited with code ${code ?? 'signal'} (its output is above)`);
  }
  let summary: K6Summary;
  try {
    summary = JSON.parse(await readFile(summaryFile, 'utf8')) as K6Summary;
  } catch {
    throw new Error(
      `k6 wrote no summary to ${summaryFile}: does the scenario's handleSummary() write GOMALL_SUMMARY?`,
    );
  }
  return {
    engine: 'k6',
    summary,
    thresholdsFailed: code === THRESHOLDS_FAILED,
    timeline: null,
    scriptErrors: [],
    aborted: request.signal?.aborted ?? false,
  };
}
