// What a load run gives back, whichever engine ran it.
import type { K6Summary, ScriptErrorCount, SecondBucket } from '../engine/index.js';

export type EngineName = 'builtin' | 'k6';

export interface LoadRequest {
  file: string;
  /** __ENV of the script: data file, summary file, load shape. */
  env: Record<string, string>;
  signal?: AbortSignal;
  /** About once a second: a short line (iterations, rate). */
  onProgress?: (line: string) => void;
  /** Ask k6 for no progress bars (no TTY, or --json). */
  quiet: boolean;
}

export interface LoadRun {
  engine: EngineName;
  summary: K6Summary;
  thresholdsFailed: boolean;
  /** Per second; the built-in engine only (k6 keeps no such series in its summary). */
  timeline: SecondBucket[] | null;
  scriptErrors: ScriptErrorCount[];
  aborted: boolean;
}

/**
 * __ENV of a run: the load shape, the data file and the summary file. BASE_URL is set to the
 * data file's own: the scenarios prefer it to the file's, and one inherited from the shell
 * must not send the load somewhere else.
 */
export function scenarioEnv(
  shape: Record<string, string>,
  files: { data: string; summary: string },
  baseUrl: string,
): Record<string, string> {
  return { ...shape, GOMALL_DATA: files.data, GOMALL_SUMMARY: files.summary, BASE_URL: baseUrl };
}
