import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Config } from '../../src/config/schema.js';
import { packageRoot } from '../../src/infra/paths.js';

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

/** Resolves with the first JSON log line of `child` that `match` accepts. */
export async function waitForLog(
  child: ChildProcess,
  match: (line: Record<string, unknown>) => boolean,
  timeoutMs = 20_000,
): Promise<Record<string, unknown>> {
  const lines = createInterface({ input: child.stdout! });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => lines.close(), timeoutMs);
  try {
    for await (const line of lines) {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (match(parsed)) return parsed;
      } catch {
        // Not a log line.
      }
    }
  } finally {
    clearTimeout(timer);
  }
  throw new Error(`log line not seen; exit ${child.exitCode}; stderr: ${stderr.slice(0, 500)}`);
}

export async function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}
