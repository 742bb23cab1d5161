import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/infra/paths.js';

const ESC = '\x1b';
const hasScript = spawnSync('script', ['--version']).status === 0;

/** `gomall <args>` from source on a pseudo-terminal (util-linux script), as a user's shell runs it. */
function onTerminal(args: string[], extra: Record<string, string>): Promise<string> {
  const command = [
    process.execPath,
    '--import',
    'tsx',
    '--no-warnings',
    join(packageRoot(), 'bin/dev.js'),
    ...args,
  ].join(' ');
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', ...extra };
  delete env['FORCE_COLOR'];
  // supports-color turns colour off under CI=true (a CI without a known vendor).
  delete env['CI'];
  if (!('NO_COLOR' in extra)) delete env['NO_COLOR'];
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: packageRoot(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`exit ${code}: ${output}`)),
    );
  });
}

test(
  'NO_COLOR=1: help on a terminal has no escape code; without it, it is coloured',
  { skip: !hasScript && 'script (util-linux) is not installed' },
  async () => {
    const coloured = await onTerminal(['seckill', 'reconcile', '--help'], {});
    assert.ok(
      coloured.includes(ESC),
      'the check can fail: on a terminal, help is coloured by default',
    );
    const plain = await onTerminal(['seckill', 'reconcile', '--help'], { NO_COLOR: '1' });
    assert.ok(!plain.includes(ESC), `no escape code with NO_COLOR=1:\n${JSON.stringify(plain)}`);
    assert.match(plain, /Exit codes:/);
  },
);

test('every command lists its exit codes in --help', async () => {
  const commands = [
    'serve',
    'consume',
    'db migrate',
    'user create',
    'config show',
    'config reload',
    'seckill init',
    'seckill status',
    'seckill reconcile',
    'backup',
    'backup restore',
    'backup verify',
    'bench',
    'bench verify',
  ];
  for (const name of commands) {
    const res = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--no-warnings',
        join(packageRoot(), 'bin/dev.js'),
        ...name.split(' '),
        '--help',
      ],
      { cwd: packageRoot(), encoding: 'utf8' },
    );
    assert.equal(res.status, 0, `${name}: ${res.stderr}`);
    assert.match(
      res.stdout,
      /Exit codes:\n\s+0\s+success\n\s+1\s+\S[\s\S]*?\n\s+2\s+the config is invalid/,
      name,
    );
  }
});
