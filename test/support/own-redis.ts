import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../../src/bench/stack/free-port.js';
import { waitFor } from './wait.js';

/**
 * A redis-server of a test's own, on a free port with its data in a temp dir and the AOF on
 * (`appendonly yes`, `appendfsync everysec`, as the services script runs the shared one), so
 * a test can kill it, restart it from its AOF or restart it empty without touching the
 * shared Redis on 6379. Every process is stopped by its pid.
 */
export class OwnRedis {
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(): Promise<OwnRedis> {
    const own = new OwnRedis(await freePort(), await mkdtemp(join(tmpdir(), 'gomall-redis-')));
    await own.up();
    return own;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the server (reloading its AOF, if any) and waits until it answers PING. */
  async up(): Promise<void> {
    if (this.child) return;
    const child = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--protected-mode',
        'no',
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    const probe = new Redis({
      port: this.port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      await waitFor(
        async () => {
          try {
            if (probe.status !== 'ready') await probe.connect();
            return (await probe.ping()) === 'PONG';
          } catch {
            probe.disconnect();
            return false;
          }
        },
        15_000,
        `redis-server on ${this.port}`,
      );
    } finally {
      probe.disconnect();
    }
  }

  /** Kills the server with `signal` (SIGKILL: no shutdown, no last save) and waits for its exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  }

  /** SIGSTOP: the server keeps its connections open but answers nothing (a hung Redis). */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Deletes its data (AOF and all): the next up() starts empty. Only while it is down. */
  async wipe(): Promise<void> {
    if (this.child) throw new Error('wipe() while redis-server runs');
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
  }

  async stop(): Promise<void> {
    this.resume();
    await this.kill('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}
