import type { Knex } from 'knex';
import * as initialSchema from './20261125000000_initial_schema.js';
import * as seckillIndexes from './20261126000000_seckill_indexes.js';
import * as orderLifecycle from './20261202000000_order_lifecycle.js';
import * as seckillAntiBot from './20261202100000_seckill_anti_bot.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/**
 * Migrations are imported, not discovered on disk: the same list works from src/ under
 * tsx, from dist/ after a build, and inside a bundle. Append new ones in order.
 */
const migrations: [string, Migration][] = [
  ['20261125000000_initial_schema', initialSchema],
  ['20261126000000_seckill_indexes', seckillIndexes],
  ['20261202000000_order_lifecycle', orderLifecycle],
  ['20261202100000_seckill_anti_bot', seckillAntiBot],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(migrations.map(([name]) => name)),
  getMigrationName: (name) => name,
  getMigration: (name) => Promise.resolve(migrations.find(([n]) => n === name)![1]),
};

/**
 * The same migrations, each announcing itself as its up() starts (`gomall db migrate`'s
 * progress): its name and its place (from 1) among the ones this run applies.
 */
export function reportingSource(
  onStart: (name: string, index: number) => void,
): Knex.MigrationSource<string> {
  let started = 0;
  return {
    ...migrationSource,
    getMigration: async (name) => {
      const migration = migrations.find(([n]) => n === name)![1];
      return {
        up: async (knex: Knex) => {
          started += 1;
          onStart(name, started);
          await migration.up(knex);
        },
        down: (knex: Knex) => migration.down(knex),
      };
    },
  };
}
