import type { Config } from './schema.js';

const SECRET_KEYS = new Set(['password', 'secret']);

/** The config as it may be shown or logged: every password and secret replaced. */
export function maskSecrets(config: Config): Config {
  return mask(config) as Config;
}

function mask(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) => [
      key,
      SECRET_KEYS.has(key) ? (value === '' ? '' : '********') : mask(value),
    ]),
  );
}
