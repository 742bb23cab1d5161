// Child processes of a bench run (serve, consume, the baseline servers): output to a log
// file in the run's folder (read back for an error line), SIGTERM to stop, SIGKILL after a
// bound, and never left behind: whatever is still running when the bench exits is killed.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface ChildHandle {
  name: string;
  pid: number;
  logFile: string;
  running(): boolean;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<number | null>;
  /** The last thing the process logged, as one line (the message of a JSON log line). */
  lastWords(): string;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Runs `node <the bench's own node flags> <entry> ...args`: the same interpreter and the same
 * loader (tsx under bin/dev.js, none under bin/run.js) as the process running the bench.
 * With `cpus`, through `taskset -c <cpus>` (which execs node: the pid is node's); `nodeArgs`
 * replaces the node flags (the chaos suite runs the built CLI without its own tsx loader).
 */
export function spawnNode(
  name: string,
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  cpus?: string,
  nodeArgs: string[] = process.execArgv,
): ChildHandle {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const child of live) child.kill('SIGKILL');
    });
  }
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    const command = [process.execPath, ...nodeArgs, entry, ...args];
    const argv = cpus === undefined ? command : ['taskset', '-c', cpus, ...command];
    child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) throw new Error(`${name}: could not start ${process.execPath}`);
  live.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      live.delete(child);
      resolve(code);
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    pid: child.pid,
    logFile,
    running,
    exited,
    async stop(graceMs = 15_000) {
      if (!running()) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    lastWords: () => lastLogLine(logFile),
  };
}

/** `gomall <args>` through the entry running now (bin/run.js or bin/dev.js). */
export function spawnGomall(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  cpus?: string,
): ChildHandle {
  const entry = process.argv[1];
  if (!entry)
    throw new Error('cannot tell which gomall entry is running (process.argv[1] is empty)');
  return spawnNode(name, entry, args, env, logFile, cpus);
}

function lastLogLine(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').slice(-16_384);
  } catch {
    return '(no output)';
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const last = lines.at(-1);
  if (last === undefined) return '(no output)';
  try {
    const entry = JSON.parse(last) as { msg?: unknown; err?: { message?: unknown } | string };
    const err = typeof entry.err === 'string' ? entry.err : entry.err?.message;
    return (
      [entry.msg, err].filter((part) => typeof part === 'string' && part !== '').join(': ') || last
    );
  } catch {
    return last;
  }
}
