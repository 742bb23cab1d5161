// Bundles a k6 scenario (TypeScript or JavaScript, with its relative imports) into one ES module
// whose k6 imports and globals point at one run's runtime.
import { existsSync } from 'node:fs';
import { build, type BuildFailure, type Message } from 'esbuild';
import { ScenarioLoadError } from '../errors.js';
import { SUPPORTED_K6_MODULES } from '../modules/index.js';
import { FACADE_DEFINES, facadeBanner } from '../runtime/facade.js';
import { displayPath, K6_NAMESPACE, k6ImportPlugin } from './k6-import-plugin.js';

/** `outfile` is where the caller will write the bundle: source map paths are made relative to it. */
export async function bundleScenario(
  file: string,
  outfile: string,
  runtimeId: string,
  exportNames: (specifier: string) => readonly string[],
): Promise<string> {
  if (!existsSync(file)) throw new ScenarioLoadError(`scenario file not found: ${file}`);
  try {
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      outfile,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      mainFields: [],
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      define: { ...FACADE_DEFINES },
      banner: { js: facadeBanner(runtimeId) },
      plugins: [k6ImportPlugin(exportNames)],
    });
    const output = result.outputFiles[0];
    if (output === undefined)
      throw new ScenarioLoadError(`bundling ${displayPath(file)} produced no output`);
    return output.text;
  } catch (err) {
    if (isBuildFailure(err)) throw new ScenarioLoadError(describeFailure(err, file));
    throw err;
  }
}

function isBuildFailure(err: unknown): err is BuildFailure {
  return err instanceof Error && Array.isArray((err as Partial<BuildFailure>).errors);
}

function describeFailure(failure: BuildFailure, file: string): string {
  const first = failure.errors[0];
  if (first === undefined) return `cannot bundle ${displayPath(file)}: ${failure.message}`;
  const more = failure.errors.length > 1 ? ` (and ${failure.errors.length - 1} more error(s))` : '';
  return `${describeMessage(first)}${more}`;
}

function describeMessage(message: Message): string {
  // Our plugin's messages already name the module and the file.
  if (message.pluginName === 'gomall-k6-imports') return message.text;
  const missing = new RegExp(
    `No matching export in "${K6_NAMESPACE}:([^"]+)" for import "([^"]+)"`,
  ).exec(message.text);
  const where =
    message.location === null
      ? ''
      : `${displayPath(message.location.file)}:${message.location.line}:${message.location.column}: `;
  if (missing !== null) {
    return `${where}"${missing[2]}" is not provided by "${missing[1]}" in gomall's k6 engine (supported modules: ${SUPPORTED_K6_MODULES.join(', ')}; see docs/BENCH.md for their functions)`;
  }
  return `${where}${message.text}`;
}
