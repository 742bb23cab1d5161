// Bundles a scenario and imports it, which runs its init context (top-level code) once. The
// bundle is written to a temporary .mjs file rather than a data: URL so stack traces name a
// file and source maps can point back at the scenario; the file lives until dispose().
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ScenarioLoadError } from '../errors.js';
import type { K6Modules } from '../modules/index.js';
import { registerFacade } from '../runtime/facade.js';
import type { EngineRuntime } from '../runtime/runtime.js';
import { bundleScenario } from './bundle-scenario.js';
import { displayPath } from './k6-import-plugin.js';

export interface LoadedScenario {
  readonly exports: Readonly<Record<string, unknown>>;
  dispose(): Promise<void>;
}

export async function loadScenario(
  file: string,
  rt: EngineRuntime,
  modules: K6Modules,
): Promise<LoadedScenario> {
  const exportNames = (spec: string): string[] =>
    Object.keys(modules[spec as keyof K6Modules] ?? {});
  const dir = await mkdtemp(join(tmpdir(), 'gomall-k6-'));
  const dispose = () => rm(dir, { recursive: true, force: true });
  const bundlePath = join(dir, `${basename(file).replace(/\.[cm]?[jt]s$/, '')}.bundle.mjs`);
  let code: string;
  try {
    code = await bundleScenario(file, bundlePath, rt.id, exportNames);
  } catch (err) {
    await dispose();
    throw err;
  }
  const unregister = registerFacade(rt.id, rt.facade(modules));
  try {
    await writeFile(bundlePath, code);
    const exports = (await rt.als.run(
      rt.initVu,
      () => import(pathToFileURL(bundlePath).href),
    )) as Record<string, unknown>;
    return { exports, dispose };
  } catch (err) {
    await dispose();
    const message = err instanceof Error ? err.message : String(err);
    throw new ScenarioLoadError(`${displayPath(file)} failed in its init context: ${message}`, {
      cause: err,
    });
  } finally {
    unregister();
  }
}
