import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import amqp from 'amqplib';
import { freePort } from '../../src/bench/stack/free-port.js';
import { waitFor } from './wait.js';

const run = promisify(execFile);

/**
 * A RabbitMQ node of a test's own (a second node on this machine: its own node name, AMQP
 * and distribution ports, and data, log and config files in a temp dir owned by the
 * `rabbitmq` user the server drops to), so a test can drop its connections or stop its app
 * without disturbing the shared broker on 5672. Boots in several seconds; stopped by
 * `rabbitmqctl stop` and then by its pid.
 */
export class OwnRabbit {
  private child: ChildProcess | null = null;

  private constructor(
    readonly node: string,
    readonly port: number,
    private readonly distPort: number,
    readonly dir: string,
  ) {}

  static async start(): Promise<OwnRabbit> {
    const dir = await mkdtemp(join(tmpdir(), 'gomall-rabbit-'));
    const [port, distPort] = [await freePort(), await freePort()];
    const node = `gomall${process.pid}x${port}@localhost`;
    const own = new OwnRabbit(node, port, distPort, dir);
    await own.boot();
    return own;
  }

  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.port}/`;
  }

  private async boot(): Promise<void> {
    await mkdir(join(this.dir, 'mnesia'), { recursive: true });
    await mkdir(join(this.dir, 'log'), { recursive: true });
    await writeFile(
      join(this.dir, 'rabbitmq.conf'),
      `listeners.tcp.default = 127.0.0.1:${this.port}\n`,
    );
    await writeFile(join(this.dir, 'enabled_plugins'), '[].\n');
    const { stdout } = await run('id', ['-u', 'rabbitmq']);
    const { stdout: gid } = await run('id', ['-g', 'rabbitmq']);
    for (const path of ['', 'mnesia', 'log', 'rabbitmq.conf', 'enabled_plugins'])
      await chown(join(this.dir, path), Number(stdout.trim()), Number(gid.trim()));
    const child = spawn('rabbitmq-server', [], {
      stdio: 'ignore',
      detached: true,
      env: {
        ...process.env,
        RABBITMQ_NODENAME: this.node,
        RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
        RABBITMQ_NODE_PORT: String(this.port),
        RABBITMQ_DIST_PORT: String(this.distPort),
        RABBITMQ_MNESIA_BASE: join(this.dir, 'mnesia'),
        RABBITMQ_LOG_BASE: join(this.dir, 'log'),
        RABBITMQ_FEATURE_FLAGS_FILE: join(this.dir, 'feature_flags'),
        RABBITMQ_ENABLED_PLUGINS_FILE: join(this.dir, 'enabled_plugins'),
        RABBITMQ_CONFIG_FILE: join(this.dir, 'rabbitmq.conf'),
      },
    });
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    await this.whenServing(90_000);
  }

  /** Waits until an AMQP connection opens (the app is running). */
  async whenServing(timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        if (!this.child) throw new Error(`rabbitmq node ${this.node} exited; see ${this.dir}/log`);
        try {
          const connection = await amqp.connect(this.url, { timeout: 1000 });
          await connection.close();
          return true;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200));
          return false;
        }
      },
      timeoutMs,
      `rabbitmq node ${this.node}`,
    );
  }

  /** `rabbitmqctl -n <node> <args>`. */
  async ctl(...args: string[]): Promise<string> {
    const { stdout } = await run('rabbitmqctl', ['-n', this.node, ...args], { timeout: 60_000 });
    return stdout;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      await this.ctl('stop').catch(() => undefined);
      const timer = setTimeout(() => {
        // rabbitmq-server is a shell wrapper: its group holds the Erlang VM too.
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 20_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
