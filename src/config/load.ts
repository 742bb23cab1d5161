import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ZodError } from 'zod';
import { packageRoot } from '../infra/paths.js';
import { configSchema, DEFAULT_JWT_SECRET, DEFAULT_PAYMENT_SECRET, type Config } from './schema.js';

/** A config that cannot be used: one line naming the key and the rule broken. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadConfigOptions {
  /** Overlay conf/config-<env>.yaml. */
  env?: string;
  /** Folder holding config.yaml and its overlays; defaults to the package's conf/. */
  dir?: string;
  /** An extra file applied after the env overlay (the --config flag). */
  file?: string;
  /** Environment to read GOMALL_* overrides from. */
  environ?: NodeJS.ProcessEnv;
  /** Last layer, used by tests and the bench to set values in code. */
  overrides?: DeepPartial<Config>;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

type Tree = Record<string, unknown>;

const ENV_PREFIX = 'GOMALL_';

/**
 * Layers, later wins: conf/config.yaml → conf/config-<env>.yaml → --config file →
 * GOMALL_SECTION__KEY variables → overrides. Validated once, here, so the rest of the
 * code can trust every value.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const dir = options.dir ?? join(packageRoot(), 'conf');
  const env = options.env ?? 'dev';
  let tree = readYaml(join(dir, 'config.yaml'));
  // A misspelt --env must not start a server on the defaults, so its overlay must exist.
  tree = merge(tree, readYaml(join(dir, `config-${env}.yaml`)));
  if (options.file) tree = merge(tree, readYaml(options.file));
  tree = merge(tree, fromEnvironment(options.environ ?? process.env));
  if (options.overrides) tree = merge(tree, options.overrides as Tree);
  const config = validate(tree);
  if (!DEFAULT_SECRET_ALLOWED.has(env)) refuseDevOnly(config, env);
  return config;
}

/** What only dev and test may run with: the published default secrets, simulated payment. */
function refuseDevOnly(config: Config, env: string): void {
  if (config.jwt.secret === DEFAULT_JWT_SECRET) {
    throw new ConfigError(
      `jwt.secret: the ${env} environment refuses the default secret; set GOMALL_JWT__SECRET`,
    );
  }
  if (config.payment.secret === DEFAULT_PAYMENT_SECRET) {
    throw new ConfigError(
      `payment.secret: the ${env} environment refuses the default secret; set GOMALL_PAYMENT__SECRET`,
    );
  }
  if (config.payment.simulated_pay) {
    throw new ConfigError(
      `payment.simulated_pay: the ${env} environment refuses simulated payment; payments arrive at POST /api/payment/notify`,
    );
  }
}

/** The environments that may run on the published default secrets and simulated payment. */
const DEFAULT_SECRET_ALLOWED = new Set(['dev', 'test']);

function readYaml(path: string): Tree {
  if (!existsSync(path)) throw new ConfigError(`config file not found: ${path}`);
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ConfigError(`${path}: not valid YAML (${reason})`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`${path}: the top level must be a mapping of sections`);
  }
  return parsed as Tree;
}

/** GOMALL_DATABASE__HOST=x → { database: { host: 'x' } }; values are parsed as YAML scalars. */
function fromEnvironment(environ: NodeJS.ProcessEnv): Tree {
  const tree: Tree = {};
  for (const [name, raw] of Object.entries(environ)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const path = name.slice(ENV_PREFIX.length).toLowerCase().split('__');
    if (path.length < 2 || path.some((part) => part === '')) continue;
    let node = tree;
    for (const part of path.slice(0, -1)) {
      node = (node[part] ??= {}) as Tree;
    }
    node[path[path.length - 1]!] = scalar(raw);
  }
  return tree;
}

function scalar(raw: string): unknown {
  if (raw === '') return '';
  try {
    const value: unknown = parseYaml(raw);
    return typeof value === 'object' && value !== null ? raw : value;
  } catch {
    return raw;
  }
}

function merge(base: Tree, overlay: Tree): Tree {
  const out: Tree = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = out[key];
    out[key] = isTree(value) && isTree(current) ? merge(current, value) : value;
  }
  return out;
}

function isTree(value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validate(tree: Tree): Config {
  try {
    return configSchema.parse(tree);
  } catch (error) {
    if (error instanceof ZodError) {
      const issue = error.issues[0]!;
      const key = issue.path.join('.') || '(root)';
      const rule =
        issue.code === 'unrecognized_keys' ? `unknown key ${issue.keys.join(', ')}` : issue.message;
      throw new ConfigError(`${key}: ${rule}`);
    }
    throw error;
  }
}
