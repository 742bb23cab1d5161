import type { Config } from '../config/schema.js';
import { createDb, type Knex } from '../infra/db.js';
import { createLogger } from '../infra/logger.js';
import { openInfra, type Infra, type OpenInfraOptions } from '../runtime/infra.js';

/**
 * Opens MySQL, Redis and (only when asked: `waitForBroker: true`) RabbitMQ for one command,
 * runs `body` and always closes them, whether the body returns or throws.
 */
export async function withInfra<R>(
  config: Config,
  body: (infra: Infra) => Promise<R>,
  options: OpenInfraOptions = {},
): Promise<R> {
  const infra = await openInfra(config, createLogger({ level: 'silent' }), {
    waitForBroker: false,
    ...options,
  });
  try {
    return await body(infra);
  } finally {
    await infra.close();
  }
}

/** The same for a command that needs MySQL only. */
export async function withDb<R>(config: Config, body: (db: Knex) => Promise<R>): Promise<R> {
  const db = createDb(config.database);
  try {
    return await body(db);
  } finally {
    await db.destroy();
  }
}
