/**
 * dependency-cruiser: no import cycles, type-only imports included (`tsPreCompilationDeps`).
 * import-x/no-cycle (eslint.config.mjs) skips `import type` by design; a cycle through types still
 * ties two modules together, so `npm run lint` runs this check too. The layering rules live in
 * eslint.config.mjs.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Imports only go downward: a cycle, even through `import type`, means two modules cannot be understood apart.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|out|dist|\\.vscode-test)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['es6', 'cjs'],
  },
};
