import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Config } from '../../src/config/schema.js';
import { packageRoot } from '../../src/infra/paths.js';

/**
 * How long a child CLI may take to log a line a test waits for. A deadline, not a pause:
 * node + tsx start in ~1 s on a quiet machine but over 20 s with the suite saturating both cores.
 */
const CHILD_READY_MS = 60_000;

/** GOMALL_* variables that point a CLI child process at a test file's own database and prefixes. */
export function envFor(config: Config, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GOMALL_ENV: 'test',
    GOMALL_DATABASE__NAME: config.database.name,
    GOMALL_REDIS__KEY_PREFIX: config.redis.key_prefix,
    GOMALL_RABBITMQ__PREFIX: config.rabbitmq.prefix,
    ...extra,
  };
}

/** Runs `gomall <args>` from source (bin/dev.js through tsx), as a user would run it. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const root = packageRoot();
  return spawn(
    process.execPath,
    ['--import', 'tsx', '--no-warnings', join(root, 'bin/dev.js'), ...args],
    {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** Collects a child's JSON log lines from the moment it starts, so waits never miss one. */
export class LogWatcher {
  readonly lines: Record<string, unknown>[] = [];
  private stderr = '';
  private waiters = new Set<() => void>();

  constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        return;
      }
      for (const wake of this.waiters) wake();
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    child.on('exit', () => {
      for (const wake of this.waiters) wake();
    });
  }

  /** The first line (seen before or after this call) that `match` accepts. */
  waitFor(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs = CHILD_READY_MS,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.lines.find(match);
        if (found) return done(() => resolve(found));
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done(() =>
            reject(
              new Error(`exited ${this.child.exitCode}; stderr: ${this.stderr.slice(0, 500)}`),
            ),
          );
        }
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new Error(
                `log line not seen in ${timeoutMs} ms; stderr: ${this.stderr.slice(0, 500)}`,
              ),
            ),
          ),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }
}

/** Resolves with the first JSON log line of `child` that `match` accepts. */
export function waitForLog(
  child: ChildProcess,
  match: (line: Record<string, unknown>) => boolean,
  timeoutMs = CHILD_READY_MS,
): Promise<Record<string, unknown>> {
  return new LogWatcher(child).waitFor(match, timeoutMs);
}

/** Runs `gomall <args>` to the end: exit code and everything it printed. */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // 'close', not 'exit': the output pipes may still hold data when the process exits.
  await once(child, 'close');
  return { code: child.exitCode, stdout, stderr };
}

export async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}
