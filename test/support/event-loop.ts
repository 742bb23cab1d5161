import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The longest this process's event loop was held, in ms, while `work` ran. Tests run the
 * server in their own process, so a handler that computes on the main thread shows here as
 * one long hold; work handed to other threads does not.
 */
export async function longestHoldMs<T>(
  work: () => Promise<T>,
): Promise<{ result: T; holdMs: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  try {
    const result = await work();
    return { result, holdMs: delay.max / 1e6 };
  } finally {
    delay.disable();
  }
}
