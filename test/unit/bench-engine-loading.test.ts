// Loading a scenario: unsupported k6 modules and other imports fail before any load, naming
// the module and the file; so do init-context errors and unusable options.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario, ScenarioLoadError } from '../../src/bench/engine/index.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../fixtures/scenarios/${name}`, import.meta.url));
const load = (name: string, options?: Record<string, unknown>) =>
  runScenario({
    file: fixture(name),
    systemEnv: false,
    log: () => {},
    ...(options === undefined ? {} : { options }),
  });

test('a scenario importing k6/ws fails at load, naming the module and the file', async () => {
  const shown = relative(process.cwd(), fixture('imports-ws.js'));
  await assert.rejects(load('imports-ws.js'), (err: unknown) => {
    assert.ok(err instanceof ScenarioLoadError);
    assert.equal(
      err.message,
      `unsupported k6 module "k6/ws" in ${shown} (supported: k6, k6/http, k6/metrics, k6/data, k6/execution)`,
    );
    return true;
  });
});

test('a scenario importing k6/browser fails at load', async () => {
  await assert.rejects(
    load('imports-browser.js'),
    /unsupported k6 module "k6\/browser" in .*imports-browser\.js/,
  );
});

test('a bare npm import fails at load', async () => {
  await assert.rejects(load('imports-npm.js'), /unsupported import "lodash" in .*imports-npm\.js/);
});

test('importing a k6 function outside the subset fails at load, naming it', async () => {
  await assert.rejects(load('imports-missing-export.js'), /"randomSeed" is not provided by "k6"/);
});

test('an error in the init context fails the load with its message', async () => {
  await assert.rejects(load('init-throws.js'), (err: unknown) => {
    assert.ok(err instanceof ScenarioLoadError);
    assert.match(err.message, /init-throws\.js failed in its init context: no data file here/);
    return true;
  });
});

test('a missing file and unusable options are load errors', async () => {
  await assert.rejects(load('does-not-exist.js'), /scenario file not found/);
  await assert.rejects(
    load('get-base.js', { scenarios: { s: { executor: 'externally-controlled' } } }),
    /executor "externally-controlled" is not supported/,
  );
  await assert.rejects(
    load('get-base.js', { thresholds: { no_such_metric: ['count>0'] } }),
    /no metric named "no_such_metric"/,
  );
  await assert.rejects(
    load('get-base.js', { scenarios: { s: { executor: 'shared-iterations', exec: 'nothing' } } }),
    /executes "nothing"/,
  );
});

test('iterations that throw are counted and their errors grouped', async () => {
  const result = await load('iteration-errors.js');
  assert.equal(result.summary.metrics['iterations']?.values['count'], 10);
  assert.equal(result.scriptErrors.length, 1);
  assert.equal(result.scriptErrors[0]?.count, 10);
  assert.match(result.scriptErrors[0]?.message ?? '', /Error: boom/);
});
