/**
 * Run in a fresh process per sample: times `require(dist/extension.js)` + `activate()` with the
 * stub `vscode` injected, and reports whether client-node (or dist/kube.js) got loaded.
 *   node out/bench/activationProbe.js <path/to/extension.js>
 * Prints one JSON line: {"ms": number, "requireMs": number, "kubeLoaded": boolean, "clientLoaded": boolean, "featuresLoaded": boolean, "modules": number}
 */
import Module = require('node:module');
import { createVscodeStub } from './vscodeStub';

const STUB_ID = '\0probe-guard-bench-vscode-stub';

function injectVscode(): void {
  const stub = new Module(STUB_ID);
  stub.exports = createVscodeStub();
  stub.loaded = true;
  require.cache[STUB_ID] = stub;
  const mod = Module as unknown as { _resolveFilename(request: string, ...rest: unknown[]): string };
  const original = mod._resolveFilename;
  mod._resolveFilename = function (request: string, ...rest: unknown[]): string {
    return request === 'vscode' ? STUB_ID : original.call(this, request, ...rest);
  };
}

async function main(): Promise<void> {
  const file = process.argv[2];
  injectVscode();
  const context = {
    subscriptions: [] as { dispose(): unknown }[],
    extensionUri: undefined,
    extensionPath: '',
    globalState: undefined,
    workspaceState: undefined,
  };
  const t0 = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle under test is a path known only at run time.
  const extension = require(file) as { activate(c: unknown): unknown };
  const t1 = performance.now();
  await extension.activate(context);
  const t2 = performance.now();
  const loaded = Object.keys(require.cache);
  const kubeLoaded = loaded.some((p) => p.includes('@kubernetes/client-node') || /[\\/]kube\.js$/.test(p));
  // Activation must load neither the language client library nor the server (it starts later).
  const clientLoaded = loaded.some((p) => /[\\/](languageClient|server|serverWorker)\.js$/.test(p) || p.includes('vscode-languageclient'));
  // Nor the commands, debug guard, countdown and launch.json CodeLens (loaded on first use).
  const featuresLoaded = loaded.some((p) => /[\\/]clientFeatures\.js$/.test(p));
  process.stdout.write(`${JSON.stringify({ ms: t2 - t0, requireMs: t1 - t0, kubeLoaded, clientLoaded, featuresLoaded, modules: loaded.length })}\n`);
  for (const d of context.subscriptions) d.dispose();
}

main().catch((error) => {
  process.stderr.write(`activation failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
