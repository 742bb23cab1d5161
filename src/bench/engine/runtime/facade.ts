// How a bundled scenario reaches its run. The bundle starts with a banner that fetches this
// run's facade from a registry on globalThis (keyed by run id, so runs in one process stay
// apart), and esbuild's `define` rewrites the k6 globals (__ENV, __VU, __ITER, open) into
// property reads on it. The k6 modules are virtual modules that re-export facade.modules[...].
export interface ScriptFacade {
  readonly modules: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly env: Record<string, string>;
  readonly vu: number;
  readonly iter: number;
  open(path: string, mode?: string): string | ArrayBuffer;
}

const REGISTRY_KEY = 'gomall.bench.k6.runtimes';
export const FACADE_BINDING = '__gomall_k6';

function registry(): Map<string, ScriptFacade> {
  const holder = globalThis as unknown as Record<symbol, Map<string, ScriptFacade> | undefined>;
  const key = Symbol.for(REGISTRY_KEY);
  return (holder[key] ??= new Map());
}

/** Makes the facade reachable by the bundle while it is imported; returns the unregister step. */
export function registerFacade(id: string, facade: ScriptFacade): () => void {
  registry().set(id, facade);
  return () => registry().delete(id);
}

export function facadeBanner(id: string): string {
  return `const ${FACADE_BINDING} = globalThis[Symbol.for(${JSON.stringify(REGISTRY_KEY)})].get(${JSON.stringify(id)});`;
}

/** esbuild `define` entries turning k6's globals into facade reads. */
export const FACADE_DEFINES: Readonly<Record<string, string>> = {
  __ENV: `${FACADE_BINDING}.env`,
  __VU: `${FACADE_BINDING}.vu`,
  __ITER: `${FACADE_BINDING}.iter`,
  open: `${FACADE_BINDING}.open`,
};

/** Source of the virtual module standing for `k6/...`: its default export and named exports. */
export function virtualModuleSource(specifier: string, exportNames: readonly string[]): string {
  const lines = [
    `const m = ${FACADE_BINDING}.modules[${JSON.stringify(specifier)}];`,
    'export default m;',
  ];
  for (const name of exportNames)
    if (name !== 'default') lines.push(`export const ${name} = m.${name};`);
  return lines.join('\n');
}
