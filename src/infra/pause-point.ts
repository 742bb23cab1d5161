/**
 * Test-only crash points. When GOMALL_PAUSE_AT names this point, the process writes
 * `paused at <name>` to stderr and waits there for ever, so a test can SIGKILL it between two
 * writes (a crash at exactly that moment, no sleeps). Unset, which is always the case outside
 * tests, it costs one environment lookup.
 */
export async function pausePoint(name: string): Promise<void> {
  if (process.env['GOMALL_PAUSE_AT'] !== name) return;
  process.stderr.write(`paused at ${name}\n`);
  await new Promise<never>(() => {
    // A timer keeps the event loop, and so the process, alive while it waits to be killed.
    setInterval(() => undefined, 60_000);
  });
}
