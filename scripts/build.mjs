// Bundles the extension, the lazily loaded cluster layer, the CLI and the language server with esbuild.
// The extension is a thin client: dist/extension.js (activation) loads dist/clientFeatures.js (commands,
// debug guard, countdown, launch.json CodeLens) on first use and dist/languageClient.js
// (vscode-languageclient) when the first config opens, which starts dist/server.js; the engine runs
// in dist/serverWorker.js; the cluster layer is dist/kube.js (see src/kube/lazyKube.ts) and client-node
// lives only in dist/kubeClientNode.js, which kube.js loads for auth-provider users and proxied clusters.
//   node scripts/build.mjs [--production] [--watch] [--outdir DIR] [--only cli,kube,...] [--metafile FILE]
// (--outdir, --only and --metafile are for scripts/build-cli-package.mjs: the npm package's bundles.)
import * as esbuild from 'esbuild';
import { existsSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const argValue = (flag) => (process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined);
const outdir = argValue('--outdir') ?? 'dist';
const only = argValue('--only')?.split(',');
const metafileOut = argValue('--metafile');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's UMD build hides its requires from esbuild; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
  // ESM builds (fdir, under tinyglobby) call createRequire(import.meta.url): give them the bundle's URL.
  define: { 'import.meta.url': '__probeGuardModuleUrl' },
  banner: { js: "const __probeGuardModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
};

/**
 * client-node's package.json does not say `"sideEffects": false`, so esbuild kept every module it
 * re-exports (the generated API clients and models, websockets, tar, ...: two thirds of kube.js)
 * although the cluster layer uses only KubeConfig. Its ESM modules have no import-for-effect
 * (`import './x.js'`) and no top-level effect the KubeConfig path needs, so they are marked
 * side-effect free here and esbuild drops what nothing references: kube.js loads in about a third
 * less time on every cold lookup (bench: lookup.cli_vs_kubectl).
 */
const clientNodeSideEffectFree = {
  name: 'client-node-side-effect-free',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      const inClientNode = /[\\/]node_modules[\\/]@kubernetes[\\/]client-node[\\/]/;
      if (args.pluginData?.resolvedByPlugin || !(inClientNode.test(args.importer) || /^@kubernetes\/client-node(\/|$)/.test(args.path))) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: { resolvedByPlugin: true },
      });
      if (resolved.errors.length > 0 || !inClientNode.test(resolved.path)) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/**
 * The CLI's lazily loaded packages: dist/cli.js holds a stand-in for each (exports that load the
 * package's own bundle, dist/cli-<name>.js, on first use), so a `check` loads only the parsers and
 * file-discovery code its inputs need (a JSON config named on the command line against a cluster:
 * none of them). The stand-in's exports are the package's own names, read here at build time.
 */
const CLI_LAZY_PACKAGES = ['yaml', 'toml-eslint-parser', 'tinyglobby', 'ignore', 'dotenv'];
const lazyBundleName = (pkg) => `cli-${pkg}.js`;

async function lazyPackagesPlugin() {
  const names = Object.fromEntries(await Promise.all(CLI_LAZY_PACKAGES.map(async (pkg) => [pkg, Object.keys(await import(pkg))])));
  return {
    name: 'cli-lazy-packages',
    setup(build) {
      const filter = new RegExp(`^(${CLI_LAZY_PACKAGES.join('|')})$`);
      build.onResolve({ filter }, (args) => (/[\\/]node_modules[\\/]/.test(args.importer) ? undefined : { path: args.path, namespace: 'cli-lazy-package' }));
      build.onLoad({ filter: /.*/, namespace: 'cli-lazy-package' }, (args) => ({
        loader: 'js',
        resolveDir: process.cwd(),
        contents: [
          `// Stand-in for ${args.path}: its bundle is required on the first use of an export.`,
          `const dynamicRequire = require;`,
          `let loaded;`,
          `const load = () => (loaded ??= dynamicRequire(require('node:path').join(__dirname, ${JSON.stringify(lazyBundleName(args.path))})));`,
          `Object.defineProperty(exports, '__esModule', { value: true });`,
          `for (const name of ${JSON.stringify(names[args.path])}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
        ].join('\n'),
      }));
    },
  };
}

const entries = [
  { entryPoints: ['src/client/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The commands, debug guard, breakpoint countdown and launch.json CodeLens, loaded on first use (src/client/lazyFeatures.ts).
  { entryPoints: ['src/client/features.ts'], outfile: 'dist/clientFeatures.js', external: ['vscode'] },
  { entryPoints: ['src/client/languageClient.ts'], outfile: 'dist/languageClient.js', external: ['vscode'] },
  { entryPoints: ['src/kube/index.ts'], outfile: 'dist/kube.js', external: ['vscode'] },
  // client-node, loaded by kube.js only for auth-provider users and proxied clusters (src/kube/directAuth.ts).
  { entryPoints: ['src/kube/clientNodeAuth.ts'], outfile: 'dist/kubeClientNode.js', plugins: [clientNodeSideEffectFree] },
  // The code cache bin/probe-guard.js sets up before it loads dist/cli.js.
  { entryPoints: ['src/runtime/compileCache.ts'], outfile: 'dist/compileCache.js', partOf: 'cli' },
  { entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', external: ['./kube.js'], plugins: [await lazyPackagesPlugin()] },
  // The packages dist/cli.js loads on first use (see lazyPackagesPlugin).
  ...CLI_LAZY_PACKAGES.map((pkg) => ({
    stdin: { contents: `module.exports = require(${JSON.stringify(pkg)});`, resolveDir: process.cwd(), sourcefile: `${pkg}.cjs` },
    outfile: `dist/${lazyBundleName(pkg)}`,
    partOf: 'cli',
  })),
  // The language server (bin/probe-guard-language-server.js, and the extension's server) and the
  // worker threads it runs the engine in.
  { entryPoints: ['src/server/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['src/server/analysisWorker.ts'], outfile: 'dist/serverWorker.js' },
]
  .filter((e) => e.stdin || existsSync(e.entryPoints[0]))
  // --only cli also builds the CLI's lazily loaded package bundles.
  .filter((e) => !only || only.includes(basename(e.outfile, '.js')) || only.includes(e.partOf))
  .map((e) => {
    const options = { ...e, outfile: join(outdir, basename(e.outfile)) };
    delete options.partOf;
    return options;
  });

if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
} else {
  const results = await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e, metafile: true })));
  if (metafileOut) {
    const inputs = Object.assign({}, ...results.map((r) => r.metafile.inputs));
    const outputs = Object.assign({}, ...results.map((r) => r.metafile.outputs));
    writeFileSync(metafileOut, JSON.stringify({ inputs, outputs }));
  }
}
