// Peak resident memory of the processes under test, read from /proc/<pid>/status (VmRSS)
// several times a second. serve --workers N forks node:cluster workers: they are found as the
// node children of serve (/proc/<pid>/task/*/children) and each is held to the server limit;
// the primary only relays signals. Linux only: elsewhere nothing is sampled.
import { existsSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import type { MemoryFigures, ProcessMemory } from '../types.js';

/** docs/PERFORMANCE.md, Memory: one server process stays under this under sustained load. */
export const SERVER_RSS_LIMIT_MB = 256;
const INTERVAL_MS = 250;

export interface WatchedProcess {
  role: 'serve' | 'consume';
  pid: number;
}

interface Peak {
  role: string;
  server: boolean;
  kb: number;
}

export class RssSampler {
  private readonly peaks = new Map<number, Peak>();
  private timer: NodeJS.Timeout | undefined;
  private readonly node = realpathSync(process.execPath);

  constructor(private readonly watched: WatchedProcess[]) {}

  static supported(): boolean {
    return existsSync('/proc/self/status');
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), INTERVAL_MS);
    this.timer.unref();
  }

  /** Stops sampling; the peaks so far, the bench's own process included. */
  stop(): MemoryFigures {
    clearInterval(this.timer);
    this.sample();
    const processes: ProcessMemory[] = [...this.peaks].map(([pid, peak]) => {
      const mb = Math.round((peak.kb / 1024) * 10) / 10;
      return {
        role: peak.role,
        pid,
        peak_rss_mb: mb,
        over_limit: peak.server ? mb > SERVER_RSS_LIMIT_MB : null,
      };
    });
    processes.push({
      role: 'bench (this process)',
      pid: process.pid,
      peak_rss_mb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
      over_limit: null,
    });
    return { limit_mb: SERVER_RSS_LIMIT_MB, processes };
  }

  private sample(): void {
    for (const { role, pid } of this.watched) {
      if (role === 'consume') {
        this.note(pid, 'consume', false);
        continue;
      }
      const workers = this.nodeChildren(pid);
      this.note(pid, workers.length > 0 ? 'serve (primary)' : 'serve', workers.length === 0);
      for (const worker of workers) this.note(worker, 'serve worker', true);
    }
  }

  private note(pid: number, role: string, server: boolean): void {
    const kb = vmRssKb(pid);
    if (kb === null) return;
    const peak = this.peaks.get(pid);
    // A process seen alone before its workers forked is re-labelled once they appear.
    if (!peak) this.peaks.set(pid, { role, server, kb });
    else Object.assign(peak, { role, server, kb: Math.max(peak.kb, kb) });
  }

  /** Child processes running this node binary (tsx's esbuild service is a child too, and not a worker). */
  private nodeChildren(pid: number): number[] {
    const out: number[] = [];
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      return out;
    }
    for (const task of tasks) {
      let children: string;
      try {
        children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(' ').filter(Boolean).map(Number)) {
        try {
          if (readlinkSync(`/proc/${child}/exe`) === this.node) out.push(child);
        } catch {
          // gone already
        }
      }
    }
    return out;
  }
}

function vmRssKb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
