/**
 * Bundle sizes from a production build and the .vsix, made in a temporary copy of the checkout
 * (node_modules symlinked) so that the shared dist/ of the other engineers is never overwritten.
 * Runs the project's own scripts: `node scripts/package-vsix.mjs` (production build + vsce).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface BundleResult {
  main_kb: number;
  kube_kb: number;
  /** dist/languageClient.js: vscode-languageclient, loaded when the first mirrord config opens. */
  client_kb: number | null;
  /** dist/server.js + dist/serverWorker.js: the language server and its engine threads (a separate process). */
  server_kb: number | null;
  cli_kb: number | null;
  vsix_kb: number | null;
  /** Why the vsix size is null, when it is. */
  vsix_error?: string;
  /** True when dist/extension.js contains none of client-node. */
  main_without_client_node: boolean;
  /** The production build's folder (kept until the run ends, for the activation benchmark). */
  dir: string;
}

const COPIED = [
  'package.json',
  'package.nls.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  '.vscodeignore',
  'src',
  'scripts',
  'schemas',
  'syntaxes',
  'l10n',
  'images',
];

export function repoRoot(): string {
  return resolve(__dirname, '..', '..');
}

export function runBundleBench(log: (line: string) => void): BundleResult {
  const root = repoRoot();
  const dir = mkdtempSync(join(tmpdir(), 'probe-guard-bench-build-'));
  for (const entry of COPIED) if (existsSync(join(root, entry))) cpSync(join(root, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const kb = (file: string): number => Math.round((statSync(file).size / 1024) * 10) / 10;
  let vsixKb: number | null = null;
  let vsixError: string | undefined;
  const vsix = join(dir, 'bench.vsix');
  try {
    execFileSync(process.execPath, [join(dir, 'scripts', 'package-vsix.mjs'), '--out', vsix], { cwd: dir, stdio: 'pipe', timeout: 300_000 });
    vsixKb = kb(vsix);
  } catch (error) {
    const e = error as { stderr?: Buffer; message?: string };
    vsixError = (e.stderr?.toString() || e.message || String(error)).trim().split('\n').slice(-3).join(' ');
    log(`  packaging failed: ${vsixError}`);
    // Sizes still come from a production build.
    execFileSync(process.execPath, [join(dir, 'scripts', 'build.mjs'), '--production'], { cwd: dir, stdio: 'pipe' });
  }
  const main = join(dir, 'dist', 'extension.js');
  const text = readFileSync(main, 'utf8');
  const result: BundleResult = {
    main_kb: kb(main),
    kube_kb: kb(join(dir, 'dist', 'kube.js')),
    client_kb: existsSync(join(dir, 'dist', 'languageClient.js')) ? kb(join(dir, 'dist', 'languageClient.js')) : null,
    server_kb: existsSync(join(dir, 'dist', 'server.js')) ? kb(join(dir, 'dist', 'server.js')) + kb(join(dir, 'dist', 'serverWorker.js')) : null,
    cli_kb: existsSync(join(dir, 'dist', 'cli.js')) ? kb(join(dir, 'dist', 'cli.js')) : null,
    vsix_kb: vsixKb,
    main_without_client_node: !/@kubernetes\/client-node|class KubeConfig|loadFromDefault/.test(text),
    dir,
  };
  if (vsixError) result.vsix_error = vsixError;
  log(
    `  bundle: extension.js ${result.main_kb} KB, languageClient.js ${result.client_kb} KB (loaded when a config opens), server ${result.server_kb} KB (its own process), kube.js ${result.kube_kb} KB, cli.js ${result.cli_kb} KB, vsix ${result.vsix_kb ?? 'n/a'} KB`,
  );
  return result;
}

export function removeBundleDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
