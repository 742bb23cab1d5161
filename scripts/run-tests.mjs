#!/usr/bin/env node
// Runs the test files with node's own runner (through tsx), file-parallel.
// `node scripts/run-tests.mjs [unit|integration] [extra node --test flags]`.
// Node 20's --test does not expand globs itself, so the files are listed here.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

const suites = ['unit', 'integration'];
const args = process.argv.slice(2);
const chosen = suites.includes(args[0] ?? '') ? [args.shift()] : suites;
const files = chosen.flatMap((suite) =>
  readdirSync(join('test', suite))
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => join('test', suite, name)),
);
// Integration files mostly wait on MariaDB/Redis/RabbitMQ, so more files than cores run at once.
const concurrency = process.env.TEST_CONCURRENCY ?? String(Math.max(2, availableParallelism() * 2));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...args, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
