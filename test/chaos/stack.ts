// One chaos case's system: its own redis-server (AOF on), its own RabbitMQ node when the
// case stops the broker (else the shared one under a prefix of its own), its own database on
// the shared MariaDB, and `gomall serve` + `gomall consume` as child processes of the real
// CLI (bin/run.js, built), logs in the case's folder. The runner plays the supervisor: it
// restarts a process a case killed, nothing else.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { dropDatabase, migrate } from '../../src/infra/db.js';
import { packageRoot } from '../../src/infra/paths.js';
import { spawnNode, type ChildHandle } from '../../src/bench/stack/child.js';
import { freePort } from '../../src/bench/stack/free-port.js';
import { liftedLimitsEnv } from '../../src/bench/stack/limits.js';
import { answers200, waitReady } from '../../src/bench/stack/wait-ready.js';
import { QueueProbe } from '../../src/bench/drain/queue-probe.js';
import { OwnRabbit } from '../support/own-rabbit.js';
import { OwnRedis } from '../support/own-redis.js';
import { deleteBrokerNames } from '../support/rabbit.js';

const START_TIMEOUT_MS = 120_000;

/** The orders queue's depth and consumers, reconnecting after the broker went away. */
export class Probe {
  private probe: QueueProbe | null = null;
  constructor(private readonly config: Config) {}

  async read(): Promise<{ messages: number; consumers: number } | null> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        this.probe ??= await QueueProbe.open(this.config);
        const reading = await this.probe.read();
        if (reading) return reading;
      } catch {
        // the broker is away
      }
      await this.probe?.close();
      this.probe = null;
    }
    return null;
  }

  async close(): Promise<void> {
    await this.probe?.close();
  }
}

export class ChaosStack {
  serve!: ChildHandle;
  consume!: ChildHandle;
  readonly probe: Probe;
  private serveStarts = 0;
  private consumeStarts = 0;

  private constructor(
    readonly id: string,
    readonly dir: string,
    readonly config: Config,
    readonly redis: OwnRedis,
    readonly rabbit: OwnRabbit | null,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.probe = new Probe(config);
  }

  static async create(options: { ownRabbit: boolean }): Promise<ChaosStack> {
    const id = `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 7)}`;
    const dir = await mkdtemp(join(tmpdir(), 'gomall-chaos-'));
    const redis = await OwnRedis.start();
    let rabbit: OwnRabbit | null = null;
    try {
      rabbit = options.ownRabbit ? await OwnRabbit.start() : null;
    } catch (error) {
      await redis.stop();
      throw error;
    }
    const vars: Record<string, string> = {
      GOMALL_DATABASE__NAME: `gomall_chaos_${id}`,
      GOMALL_REDIS__PORT: String(redis.port),
      GOMALL_REDIS__KEY_PREFIX: `gomall-chaos-${id}:`,
      GOMALL_RABBITMQ__PREFIX: `gomall-chaos-${id}`,
      ...(rabbit ? { GOMALL_RABBITMQ__PORT: String(rabbit.port) } : {}),
      GOMALL_LOG__LEVEL: 'info',
      GOMALL_SERVER__PID_FILE: join(dir, 'serve.pid'),
      ...liftedLimitsEnv(),
    };
    const config = loadConfig({ env: 'dev', environ: vars });
    await migrate(config.database);
    const stack = new ChaosStack(id, dir, config, redis, rabbit, await freePort(), {
      ...process.env,
      ...vars,
    });
    return stack;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts serve (on the stack's port) and waits for /ready. */
  async startServe(): Promise<void> {
    this.serve = this.spawn('serve', ['serve', '--env', 'dev', '--port', String(this.port)]);
    await waitReady(
      this.serve,
      'ready',
      () => answers200(`${this.baseUrl}/ready`),
      START_TIMEOUT_MS,
    );
  }

  /** Starts consume and waits until it consumes the orders queue. */
  async startConsume(): Promise<void> {
    this.consume = this.spawn('consume', ['consume', '--env', 'dev']);
    await waitReady(
      this.consume,
      'consuming',
      async () => ((await this.probe.read())?.consumers ?? 0) > 0,
      START_TIMEOUT_MS,
    );
  }

  private spawn(name: 'serve' | 'consume', args: string[]): ChildHandle {
    const n = name === 'serve' ? ++this.serveStarts : ++this.consumeStarts;
    // The built CLI, without the runner's tsx loader: what an operator runs.
    const entry = join(packageRoot(), 'bin', 'run.js');
    return spawnNode(
      name,
      entry,
      args,
      this.env,
      join(this.dir, `${name}-${n}.log`),
      undefined,
      [],
    );
  }

  /** SIGKILL to serve or consume, and wait for its exit. */
  async kill(which: 'serve' | 'consume'): Promise<void> {
    const child = this[which];
    if (!child.running()) return;
    process.kill(child.pid, 'SIGKILL');
    await child.exited;
  }

  async close(): Promise<void> {
    await Promise.all([this.serve?.stop(), this.consume?.stop()]);
    await this.probe.close();
    await this.redis.stop();
    if (this.rabbit) await this.rabbit.stop();
    else await deleteBrokerNames(this.config).catch(() => undefined);
    await dropDatabase(this.config.database);
  }
}
