import { readFileSync } from 'node:fs';

/** CPU ms the main thread (the event loop; its tid is the pid) has used, from Linux's /proc. */
function mainThreadCpuMs(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return ticks * 10; // USER_HZ is 100 on Linux
}

/**
 * CPU time the event loop's thread spent while `work` ran. Tests run the server in their own
 * process, so a handler that computes on the main thread shows here in full; work handed to
 * other threads (libuv's pool) does not, and neither does time the process waited for a CPU
 * on a loaded machine, so the figure does not depend on the machine's load.
 */
export async function mainThreadCpu<T>(
  work: () => Promise<T>,
): Promise<{ result: T; cpuMs: number }> {
  const before = mainThreadCpuMs();
  const result = await work();
  return { result, cpuMs: mainThreadCpuMs() - before };
}
