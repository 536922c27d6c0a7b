// ESLint (flat config): typescript-eslint, import-x (cycles, the layering), prettier stays the
// formatter (`npm run lint` runs `prettier --check` after eslint; no formatting rules here).
//
// The layering, "imports only go downward":
//   src/core      the pure engine: no other src layer, no vscode, no network, fs, process or clock
//   src/runtime   Node-only helpers of the engine (regex time budget, lazy bundles): core only
//   src/kube      talks to clusters: core and runtime
//   src/service   the policy shared by every front end: core, runtime, kube
//   front ends    src/cli, src/server, src/client: everything below, never each
//                 other (the VS Code client starts the server's bundle by path, it does not import it)
// Cycles, type-only imports included, are checked by dependency-cruiser (.dependency-cruiser.cjs),
// because import-x's no-cycle skips `import type` by design; import-x/no-cycle still reports the
// value-import cycles here, in the editor.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const FRONT_ENDS = ['cli', 'server', 'client', 'editor'];
const src = (layer) => `./src/${layer}`;

/** Node modules that reach the network, the disk, other processes, the clock or the process. */
const IMPURE_NODE_MODULES = [
  'child_process',
  'cluster',
  'dgram',
  'dns',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'inspector',
  'net',
  'os',
  'perf_hooks',
  'process',
  'readline',
  'timers',
  'timers/promises',
  'tls',
  'vm',
  'worker_threads',
];

/** A zone of import-x/no-restricted-paths: files in `target` may not import from `from`. */
const zone = (target, from, message) => ({ target: src(target), from: from.map(src), message });

const layering = [
  zone('core', ['runtime', 'kube', 'service', ...FRONT_ENDS], 'src/core is the pure engine: it imports no other layer.'),
  zone('runtime', ['kube', 'service', ...FRONT_ENDS], 'src/runtime sits just above the engine: it imports only src/core.'),
  zone('kube', ['service', ...FRONT_ENDS], 'src/kube imports only src/core and src/runtime (imports go downward).'),
  zone('service', FRONT_ENDS, 'src/service is shared by every front end and imports none of them.'),
  ...FRONT_ENDS.map((frontEnd) =>
    zone(
      frontEnd,
      FRONT_ENDS.filter((other) => other !== frontEnd),
      'Front ends (cli, server, client/editor) do not import each other: share code through src/service.',
    ),
  ),
];

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'packages/cli/dist/',
      'packages/cli/bin/',
      'out/',
      '.vscode-test/',
      'test-results/',
      '.tmp/',
      'test/fixtures/',
      'demo/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      // Type-aware rules that catch real bugs in async code and are cheap enough here.
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's describe/it return promises that the runner itself awaits.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-for-in-array': 'error',
      // Kubernetes objects, kubeconfigs and parsed configs are untyped JSON: `any` is read with guards.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // Type-only imports say so (the lazily loaded bundles must not be pulled in by a type), and no
      // `typeof import('...')`: the layering rule sees only import declarations.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // `import x = require('x')` is TypeScript's typed CommonJS import, not a bare require().
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': ['error', { zones: layering }],
    },
  },
  {
    // Only the VS Code client talks to VS Code (src/core's own list below includes vscode too).
    files: ['src/**/*.ts'],
    ignores: ['src/client/**', 'src/editor/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only the VS Code client (src/client, src/editor) imports vscode.' }] }],
    },
  },
  {
    // The engine: no vscode and no Node module that reaches the outside world.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['vscode', ...IMPURE_NODE_MODULES.flatMap((name) => [name, `node:${name}`])].map((name) => ({
            name,
            message: 'src/core is pure: no vscode, network, fs, child processes, timers or clock.',
          })),
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'fetch', 'process', 'performance'].map((name) => ({
          name,
          message: 'src/core has no clock, timers, network or process: pass what it needs in.',
        })),
      ],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'src/core has no clock: pass the time in.' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // Tests assert with `!` on values the test itself just set up.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
