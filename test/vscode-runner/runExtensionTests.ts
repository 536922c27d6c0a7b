/**
 * Runs extension-host test suites (mocha inside the real VS Code extension host) in code-server,
 * driven by Debian chromium through playwright-core.
 *
 *   node out/test/vscode-runner/runExtensionTests.js [--workspace DIR] [--workspace-file FILE] [--tests DIR|FILE]
 *        [--trust trusted|untrusted] [--env KEY=VALUE]... [--setup MODULE] [--grep RE]
 *        [--no-copy] [--timeout SECONDS]
 *   node out/test/vscode-runner/runExtensionTests.js --all      # every suite in test/vscode-runner/suites.json
 *
 * One run = one fresh code-server (own temp state) + one browser. The workspace is copied to a
 * temp folder first (tests may edit files) unless --no-copy. `--workspace-file` (relative to the
 * workspace folder) opens a `.code-workspace` in it instead: a multi-root workspace. The extension under test is the repo
 * root (`extensionDevelopmentPath`), the test module is `out/test/vscode/index.js`
 * (`extensionTestsPath`); it gets the list of test files to load through the environment variable
 * PROBE_GUARD_TEST_FILES (JSON array), and `--grep` through PROBE_GUARD_TEST_GREP.
 * `--setup MODULE` (path to a compiled JS module) may export
 *   setup(ctx: { workspace: string; stateDir: string }): Promise<{ env?: Record<string,string>; teardown?(): Promise<void> }>
 * e.g. to start a fake Kubernetes API server and hand its KUBECONFIG to the extension host.
 *
 * Exit code: the suite's (0 = all passed). A hard timeout (default 300 s per run) fails loudly with
 * a screenshot (test-results/) and the collected logs instead of hanging.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { type CodeServer, type Trust, registerTempDir, removeTempDir, repoRoot, startCodeServer } from './codeServer';
import { launchChromium } from './browser';

export interface SuiteSpec {
  name?: string;
  /** Workspace folder, relative to the repo root or absolute. */
  workspace: string;
  /**
   * A `.code-workspace` file inside `workspace` (relative to it) to open instead of the folder: a
   * multi-root workspace (`?workspace=` in the workbench URL). The folder is still what is copied.
   */
  workspaceFile?: string;
  /** Compiled test folder or file (`*.test.js`), relative to the repo root or absolute. */
  tests: string;
  /** Only the files directly in `tests` (no subfolders). Default false. */
  shallow?: boolean;
  trust?: Trust;
  env?: Record<string, string>;
  setup?: string;
  grep?: string;
  copyWorkspace?: boolean;
  timeoutSeconds?: number;
  /** The extension under test (`extensionDevelopmentPath`), absolute. Default the repo root. */
  extensionPath?: string;
}

const log = (msg: string) => process.stderr.write(`[vscode-runner] ${msg}\n`);

export function findTestFiles(target: string, shallow = false): string[] {
  const abs = path.resolve(repoRoot, target);
  if (!fs.existsSync(abs)) throw new Error(`tests path does not exist: ${abs} (did you run \`npm run compile-tests\`?)`);
  if (fs.statSync(abs).isFile()) return [abs];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!shallow) walk(p);
      } else if (e.isFile() && e.name.endsWith('.test.js')) found.push(p);
    }
  };
  walk(abs);
  return found;
}

function copyWorkspace(src: string): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-ws-'));
  registerTempDir(parent);
  const dst = path.join(parent, path.basename(src));
  fs.cpSync(src, dst, { recursive: true });
  return dst;
}

/** Runs one suite; resolves with its exit code. Never throws for test failures. */
export async function runSuite(spec: SuiteSpec): Promise<number> {
  const name = spec.name ?? spec.tests;
  const started = Date.now();
  const srcWorkspace = path.resolve(repoRoot, spec.workspace);
  if (!fs.existsSync(srcWorkspace)) {
    log(`[${name}] workspace does not exist: ${srcWorkspace}`);
    return 1;
  }
  const files = findTestFiles(spec.tests, spec.shallow);
  if (files.length === 0) {
    log(`[${name}] no *.test.js files in ${spec.tests}`);
    return 1;
  }
  const testsModule = path.join(repoRoot, 'out', 'test', 'vscode', 'index.js');
  if (!fs.existsSync(testsModule)) {
    log(`missing ${testsModule}: run \`npm run compile-tests\``);
    return 1;
  }
  const copy = spec.copyWorkspace !== false;
  const workspace = copy ? copyWorkspace(srcWorkspace) : srcWorkspace;
  const timeoutMs = (spec.timeoutSeconds ?? Number(process.env.PROBE_GUARD_TEST_TIMEOUT ?? 300)) * 1000;

  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let teardown: (() => Promise<void>) | undefined;
  const transcript: string[] = [];
  let hardTimer: NodeJS.Timeout | undefined;
  try {
    let env: Record<string, string> = { ...(spec.env ?? {}) };
    if (spec.setup) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.resolve(repoRoot, spec.setup));
      const res = await mod.setup({ workspace, stateDir: path.dirname(workspace) });
      env = { ...env, ...(res?.env ?? {}) };
      teardown = res?.teardown;
    }
    env.PROBE_GUARD_TEST_FILES = JSON.stringify(files);
    env.PROBE_GUARD_TRUST = spec.trust ?? 'trusted';
    env.PROBE_GUARD_TEST_WORKSPACE = workspace;
    const opened = spec.workspaceFile ? path.join(workspace, spec.workspaceFile) : workspace;
    if (spec.workspaceFile && !fs.existsSync(opened)) {
      log(`[${name}] workspace file does not exist: ${path.join(srcWorkspace, spec.workspaceFile)}`);
      return 1;
    }
    if (spec.grep) env.PROBE_GUARD_TEST_GREP = spec.grep;

    log(
      `[${name}] ${files.length} test file(s), workspace ${spec.workspace}${spec.workspaceFile ? `/${spec.workspaceFile}` : ''} (${spec.trust ?? 'trusted'})`,
    );
    server = await startCodeServer({
      workspace,
      trust: spec.trust ?? 'trusted',
      env,
      onOutput: (l) => transcript.push(`[code-server] ${l}`),
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') transcript.push(`[page ${m.type()}] ${m.text()}`);
    });
    page.on('pageerror', (e) => transcript.push(`[page error] ${e.message}`));

    let resolveExit!: (code: number) => void;
    const exitCode = new Promise<number>((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = util.format(...(Array.isArray(args) ? args : [args]));
      if (type === 'error' || type === 'warn') process.stderr.write(text + '\n');
      else process.stdout.write(text + '\n');
    });

    const timedOut = new Promise<'timeout'>((r) => (hardTimer = setTimeout(() => r('timeout'), timeoutMs)));
    const url = server.workbenchUrl(opened, [
      ['extensionDevelopmentPath', server.remoteUri(spec.extensionPath ?? repoRoot)],
      ['extensionTestsPath', server.remoteUri(testsModule)],
    ]);
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    const result = await Promise.race([exitCode, timedOut]);
    if (result === 'timeout') {
      const shot = await saveScreenshot(page, `timeout-${slug(name)}`);
      log(`[${name}] HARD TIMEOUT after ${timeoutMs / 1000}s: the suite never reported its exit code.`);
      if (shot) log(`[${name}] screenshot: ${shot}`);
      dumpTranscript(name, transcript);
      return 1;
    }
    log(`[${name}] exit code ${result} after ${((Date.now() - started) / 1000).toFixed(1)}s`);
    if (result !== 0) {
      const shot = await saveScreenshot(page, `failed-${slug(name)}`);
      if (shot) log(`[${name}] screenshot: ${shot}`);
      if (process.env.PROBE_GUARD_VERBOSE === '1') dumpTranscript(name, transcript);
    }
    return result;
  } catch (e) {
    log(`[${name}] runner error: ${(e as Error).stack ?? e}`);
    dumpTranscript(name, transcript);
    return 1;
  } finally {
    if (hardTimer) clearTimeout(hardTimer);
    await browser?.close().catch(() => undefined);
    await server?.stop().catch((e) => log(`stop failed: ${e}`));
    await teardown?.().catch((e) => log(`teardown failed: ${e}`));
    if (copy) removeTempDir(path.dirname(workspace));
  }
}

function slug(s: string): string {
  return s.replace(/[^a-zA-Z0-9._-]+/g, '_').slice(0, 80);
}

async function saveScreenshot(page: Page, name: string): Promise<string | undefined> {
  try {
    const dir = path.join(repoRoot, 'test-results');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name}.png`);
    await page.screenshot({ path: file, timeout: 10_000 });
    return file;
  } catch {
    return undefined;
  }
}

function dumpTranscript(name: string, lines: string[]): void {
  log(`[${name}] ---- code-server / page log (${lines.length} lines) ----`);
  for (const l of lines.slice(-300)) process.stderr.write(l + '\n');
  log(`[${name}] ---- end of log ----`);
}

export function loadSuites(file = path.join(repoRoot, 'test', 'vscode-runner', 'suites.json')): SuiteSpec[] {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { suites: SuiteSpec[] };
  return raw.suites;
}

function parseArgs(argv: string[]): { all: boolean; only?: string[]; spec: SuiteSpec } {
  const spec: SuiteSpec = { workspace: 'demo/workspace', tests: 'out/test/vscode', env: {} };
  let all = false;
  let only: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`missing value for ${a}`);
      return v;
    };
    switch (a) {
      case '--all':
        all = true;
        break;
      case '--suite':
        (only ??= []).push(next());
        all = true;
        break;
      case '--workspace':
        spec.workspace = next();
        break;
      case '--workspace-file':
        spec.workspaceFile = next();
        break;
      case '--tests':
        spec.tests = next();
        break;
      case '--shallow':
        spec.shallow = true;
        break;
      case '--trust': {
        const t = next();
        if (t !== 'trusted' && t !== 'untrusted') throw new Error(`--trust must be trusted or untrusted, got ${t}`);
        spec.trust = t;
        break;
      }
      case '--env': {
        const kv = next();
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new Error(`--env expects KEY=VALUE, got ${kv}`);
        spec.env![kv.slice(0, eq)] = kv.slice(eq + 1);
        break;
      }
      case '--setup':
        spec.setup = next();
        break;
      case '--grep':
        spec.grep = next();
        break;
      case '--no-copy':
        spec.copyWorkspace = false;
        break;
      case '--timeout':
        spec.timeoutSeconds = Number(next());
        break;
      case '-h':
      case '--help':
        process.stdout.write(fs.readFileSync(__filename, 'utf8').split('*/')[0] + '*/\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  return { all, only, spec };
}

async function main(): Promise<void> {
  const { all, only, spec } = parseArgs(process.argv.slice(2));
  let suites: SuiteSpec[] = all ? loadSuites() : [spec];
  if (only) {
    suites = suites.filter((s) => only.includes(s.name ?? ''));
    if (suites.length === 0) throw new Error(`no suite named ${only.join(', ')} in suites.json`);
  }
  if (all && spec.grep) suites = suites.map((s) => ({ ...s, grep: spec.grep }));
  const results: Array<[string, number]> = [];
  for (const s of suites) {
    let code: number;
    try {
      code = await runSuite(s);
    } catch (e) {
      log(`[${s.name ?? s.tests}] ${(e as Error).message}`);
      code = 1;
    }
    results.push([s.name ?? s.tests, code]);
  }
  if (results.length > 1) {
    log('summary:');
    for (const [n, c] of results) log(`  ${c === 0 ? 'PASS' : 'FAIL'}  ${n}`);
  }
  process.exitCode = results.length > 0 && results.every(([, c]) => c === 0) ? 0 : 1;
}

if (require.main === module) {
  main().catch((e) => {
    log(String((e as Error).stack ?? e));
    process.exitCode = 1;
  });
}
