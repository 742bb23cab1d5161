import type { ChildHandle } from './child.js';

const POLL_MS = 100;

/**
 * Polls `probe` until it answers true. Fails as soon as `child` exits (with its last log
 * line), after `timeoutMs`, or when `signal` aborts.
 */
export async function waitReady(
  child: ChildHandle,
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    signal?.throwIfAborted();
    if (!child.running()) {
      const code = await child.exited;
      throw new Error(
        `${child.name} exited (code ${code ?? 'signal'}) before ${what}: ${child.lastWords()} (log: ${child.logFile})`,
      );
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${child.name}: not ${what} after ${Math.round(timeoutMs / 1000)} s: ${child.lastWords()} (log: ${child.logFile})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** true once GET `url` answers 200. */
export async function answers200(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await res.body?.cancel();
  return res.status === 200;
}
