/**
 * The import rules `npm run lint:deps` enforces (ARCHITECTURE.md, "Rules the checks enforce").
 * Type-only imports count: a cycle through `import type` is still a cycle for a reader.
 */
const DOMAIN = '^src/(user|product|cart|order|seckill)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules import each other (type-only imports included): cut the cycle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-not-http',
      severity: 'error',
      comment:
        'Domain code does not import src/http/ or commands/: only routes.ts, *-routes.ts and src/seckill/hot-path.ts may.',
      from: {
        path: DOMAIN,
        pathNot: ['(^|/)routes\\.ts$', '-routes\\.ts$', '^src/seckill/hot-path\\.ts$'],
      },
      to: { path: ['^src/http/', '^commands/'] },
    },
    {
      name: 'src-not-commands',
      severity: 'error',
      comment: 'Commands use src/, never the other way round.',
      from: { path: '^src/' },
      to: { path: '^commands/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
