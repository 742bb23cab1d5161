import type { Server } from 'node:http';
import { createJwtCodec, type JwtCodec } from '../../src/auth/jwt.js';
import type { DeepPartial } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { createApp } from '../../src/http/app.js';
import type { AppDeps } from '../../src/http/deps.js';
import { dropDatabase, migrate } from '../../src/infra/db.js';
import { createLogger } from '../../src/infra/logger.js';
import { createMetrics } from '../../src/infra/metrics.js';
import { openInfra, type Infra } from '../../src/runtime/infra.js';
import { createSeckill } from '../../src/seckill/module.js';
import { seckillTopology } from '../../src/seckill/topology.js';
import { listen, portOf, shutdown } from '../../src/runtime/http-server.js';
import { UserRepository } from '../../src/user/repository.js';
import { UserService } from '../../src/user/service.js';
import { Api } from './api.js';
import { deleteKeys } from './cleanup.js';
import { testConfig } from './config.js';
import { deleteBrokerNames } from './rabbit.js';

export interface Harness {
  config: Config;
  infra: Infra;
  deps: AppDeps;
  jwt: JwtCodec;
  api: Api;
  server: Server;
  /** Builds a second app instance on the same services (for cross-instance checks). */
  secondInstance(): Promise<{ api: Api; close(): Promise<void> }>;
  /** Creates an admin straight in the database and returns its token. */
  newAdmin(): Promise<{ id: number; token: string }>;
  close(): Promise<void>;
}

/**
 * The real app on port 0 against the real MariaDB, Redis and RabbitMQ, in a database, key
 * prefix and queue prefix of its own. close() drops all three.
 */
export async function startHarness(overrides: DeepPartial<Config> = {}): Promise<Harness> {
  const config = testConfig(overrides);
  await migrate(config.database);
  const logger = createLogger({ level: config.log.level });
  const infra = await openInfra(config, logger, { topology: seckillTopology(config) });
  const jwt = createJwtCodec(config.jwt);
  const extra: Array<() => Promise<void>> = [];
  // Each instance has its own seckill module (sold-out flags, confirm window), as in serve.
  const build = async (): Promise<AppDeps> => {
    const base = { ...infra, config, logger, metrics: createMetrics(), jwt };
    const seckill = await createSeckill(base);
    extra.push(() => seckill.close());
    return { ...base, seckill };
  };
  const serve = (deps: AppDeps) => listen(deps.seckill!.front(createApp(deps)), '127.0.0.1', 0);
  const deps = await build();
  const server = await serve(deps);

  return {
    config,
    infra,
    deps,
    jwt,
    server,
    api: new Api(`http://127.0.0.1:${portOf(server)}`),
    async secondInstance() {
      const second = await serve(await build());
      const close = async () => {
        await shutdown(second, 1000);
      };
      extra.unshift(close);
      return { api: new Api(`http://127.0.0.1:${portOf(second)}`), close };
    },
    async newAdmin() {
      const users = new UserService(new UserRepository(infra.db), jwt);
      const admin = await users.register(
        {
          username: `admin_${Math.random().toString(36).slice(2, 10)}`,
          password: 'admin-pass-123',
        },
        'admin',
      );
      return { id: admin.id, token: jwt.sign({ id: admin.id, role: 'admin' }).token };
    },
    async close() {
      await shutdown(server, 1000);
      for (const closeExtra of extra) await closeExtra();
      await deleteKeys(infra.redis, config.redis.key_prefix);
      await infra.close();
      await deleteBrokerNames(config);
      await dropDatabase(config.database);
    },
  };
}
