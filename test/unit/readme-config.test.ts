import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { configSchema } from '../../src/config/schema.js';
import { packageRoot } from '../../src/infra/paths.js';

/** Dotted paths of every leaf of a zod object schema: server.port, ratelimit.api.rate, … */
function schemaKeys(schema: z.ZodTypeAny, prefix = ''): string[] {
  // A refined object (a rule across its keys) is still an object of keys.
  if (schema instanceof z.ZodEffects) return schemaKeys(schema.innerType() as z.ZodTypeAny, prefix);
  if (!(schema instanceof z.ZodObject)) return [prefix];
  return Object.entries(schema.shape as Record<string, z.ZodTypeAny>).flatMap(([key, child]) =>
    schemaKeys(child, prefix ? `${prefix}.${key}` : key),
  );
}

function valueAt(tree: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], tree);
}

/** The README's config table: key → default, as written in its first two columns. */
function readmeTable(): Map<string, string> {
  const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'));
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `([a-z_.]+)` +\| `([^`]*)` +\|/gm)) {
    assert.ok(!rows.has(match[1]!), `${match[1]} is listed twice`);
    rows.set(match[1]!, match[2]!);
  }
  return rows;
}

test("the README's config table lists every key of the schema with conf/config.yaml's default", () => {
  const keys = schemaKeys(configSchema);
  const table = readmeTable();
  assert.ok(keys.length > 20 && table.size > 0, 'schema and table were both read');
  assert.deepEqual(
    [...table.keys()].sort(),
    [...keys].sort(),
    'README keys (actual) differ from the schema (expected)',
  );
  const defaults: unknown = parseYaml(
    readFileSync(join(packageRoot(), 'conf/config.yaml'), 'utf8'),
  );
  for (const key of keys) {
    const value = valueAt(defaults, key);
    assert.notEqual(value, undefined, `${key} has no default in conf/config.yaml`);
    const shown = value === '' ? "''" : String(value);
    assert.equal(table.get(key), shown, `README default of ${key}`);
  }
});
