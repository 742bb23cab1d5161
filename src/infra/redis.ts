import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Config } from '../config/schema.js';
import { packageRoot } from './paths.js';

export { Redis };

/** `lua/<name>-<numberOfKeys>.lua`, as BullMQ names its scripts. */
const SCRIPT_FILE = /^([a-zA-Z][\w]*)-(\d+)\.lua$/;

export interface LuaScript {
  name: string;
  numberOfKeys: number;
  lua: string;
}

export function readLuaScripts(dir = join(packageRoot(), 'lua')): LuaScript[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.lua'))
    .map((file) => {
      const match = SCRIPT_FILE.exec(file);
      if (!match) throw new Error(`lua/${file}: name must be <command>-<numberOfKeys>.lua`);
      return {
        name: match[1]!,
        numberOfKeys: Number(match[2]),
        lua: readFileSync(join(dir, file), 'utf8'),
      };
    });
}

export interface RedisOptions {
  /** Fail commands at once while disconnected instead of queueing them (readiness, hot path). */
  failFast?: boolean;
}

/**
 * An ioredis client with every script of lua/ defined as a command: ioredis sends
 * EVALSHA and falls back to EVAL once when the script cache is empty.
 */
export function createRedis(redis: Config['redis'], options: RedisOptions = {}): Redis {
  const client = new Redis({
    host: redis.host,
    port: redis.port,
    password: redis.password || undefined,
    db: redis.db,
    lazyConnect: false,
    maxRetriesPerRequest: options.failFast ? 0 : 3,
    enableOfflineQueue: !options.failFast,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  for (const script of readLuaScripts()) {
    client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
  return client;
}

type ScriptCall = (...keysThenArgs: (string | number)[]) => Promise<unknown>;

/** Calls a command defined from lua/ by name; the caller types the reply. */
export function runScript<T>(
  client: Redis,
  name: string,
  keys: string[],
  args: (string | number)[],
): Promise<T> {
  const call = (client as unknown as Record<string, ScriptCall | undefined>)[name];
  if (!call) throw new Error(`no Lua script named ${name} in lua/`);
  return call.call(client, ...keys, ...args) as Promise<T>;
}
