// esbuild plugin that decides what a scenario may import: the supported k6 modules become
// virtual modules re-exporting the engine's implementation (see runtime/facade.ts), relative
// files are bundled as usual, and anything else fails the load naming the module and the file.
import { relative } from 'node:path';
import type { Plugin } from 'esbuild';
import { isSupportedK6Module, SUPPORTED_K6_MODULES } from '../modules/index.js';
import { virtualModuleSource } from '../runtime/facade.js';

export const K6_NAMESPACE = 'gomall-k6';

export function k6ImportPlugin(exportNames: (specifier: string) => readonly string[]): Plugin {
  const supported = SUPPORTED_K6_MODULES.join(', ');
  return {
    name: 'gomall-k6-imports',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point' || args.namespace === K6_NAMESPACE) return undefined;
        const spec = args.path;
        if (spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/'))
          return undefined;
        const where = displayPath(args.importer);
        if (spec === 'k6' || spec.startsWith('k6/')) {
          if (isSupportedK6Module(spec)) return { path: spec, namespace: K6_NAMESPACE };
          return {
            errors: [
              { text: `unsupported k6 module "${spec}" in ${where} (supported: ${supported})` },
            ],
          };
        }
        return {
          errors: [
            {
              text: `unsupported import "${spec}" in ${where}: a scenario may import relative files and the k6 modules ${supported}`,
            },
          ],
        };
      });
      build.onLoad({ filter: /.*/, namespace: K6_NAMESPACE }, (args) => ({
        contents: virtualModuleSource(args.path, exportNames(args.path)),
        loader: 'js',
      }));
    },
  };
}

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') ? file : rel;
}
