import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export interface ToolStreams {
  /** Feeds the tool's stdin; resolves when everything is written. */
  stdin?: (into: Writable) => Promise<void>;
  /** Drains the tool's stdout; resolves when everything is consumed. */
  stdout?: (from: Readable) => Promise<void>;
}

/** Kept from the tool's stderr for the error message; the rest is dropped, so memory stays flat. */
const STDERR_KEEP = 8 * 1024;

/**
 * Runs a client tool with its stdin/stdout wired to streams and resolves once both the tool
 * and the streams are done. A tool that fails is reported by its own error line; a stream
 * that fails (bad gzip, disk full) stops the tool and is reported instead.
 */
export async function runTool(bin: string, args: string[], streams: ToolStreams): Promise<void> {
  const child = spawn(bin, args, {
    stdio: [streams.stdin ? 'pipe' : 'ignore', streams.stdout ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEEP);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve({ code, signal }));
    },
  );
  let streamError: unknown;
  const piped = Promise.all([streams.stdin?.(child.stdin!), streams.stdout?.(child.stdout!)]).catch(
    (error: unknown) => {
      streamError = error;
      child.kill();
    },
  );
  const [{ code, signal }] = await Promise.all([exited, piped]);
  // A non-zero exit code is the tool's own failure (ours ends it with a signal instead).
  if (code !== null && code !== 0) {
    throw new Error(`${basename(bin)}: ${errorLine(stderr) ?? `exited with code ${code}`}`);
  }
  if (streamError !== undefined) throw streamError;
  if (signal !== null) throw new Error(`${basename(bin)}: killed by ${signal}`);
}

/** The line that says what went wrong: the first naming an error, else the last one. */
function errorLine(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.find((line) => /error/i.test(line)) ?? lines.at(-1);
}
