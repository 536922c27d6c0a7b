/**
 * Starts and stops a code-server 4.100.3 (VS Code 1.100.3) from `.vscode-test/code-server` for
 * tests. Every instance lives in its own temp folder (user data, extensions, XDG dirs, HOME,
 * config yaml), listens on 127.0.0.1 on a free port, and runs in its own process group so that
 * stopping it also ends its file watchers and extension hosts. Instances still running when the
 * process exits (normally, on an uncaught error, SIGINT or SIGTERM) are killed.
 *
 * Workspace trust in code-server: the browser workbench gets `enableWorkspaceTrust =
 * !--disable-workspace-trust`; trust is then enabled iff the user setting
 * `security.workspace.trust.enabled` is true (its default). A folder that was never trusted is
 * opened in Restricted Mode; `security.workspace.trust.startupPrompt: "never"` keeps the modal
 * "Do you trust the authors" dialog away so the test is not blocked by it.
 *   trust 'trusted'   -> `--disable-workspace-trust` + `security.workspace.trust.enabled: false`
 *   trust 'untrusted' -> trust enabled, startup prompt "never": the folder opens in Restricted Mode
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export type Trust = 'trusted' | 'untrusted';

export interface CodeServerOptions {
  /** Folder opened by default (also used to build workbench URLs). Absolute or relative to cwd. */
  workspace?: string;
  /** Default 'trusted'. */
  trust?: Trust;
  /** Extra environment for code-server and its extension hosts (e.g. KUBECONFIG). */
  env?: Record<string, string>;
  /** HOME for code-server; default: an empty folder inside the state dir. */
  home?: string;
  /** User settings merged over the pre-seeded defaults. */
  settings?: Record<string, unknown>;
  /** Folder holding node_modules/code-server; default `<repo>/.vscode-test/code-server`. */
  codeServerDir?: string;
  /** Readiness timeout; default 60 s. */
  readyTimeoutMs?: number;
  /** Keep the temp state folder after stop (debugging). Also kept if PROBE_GUARD_KEEP_STATE=1. */
  keepState?: boolean;
  /** Receives code-server's stdout/stderr lines; default: kept in memory only (see `output()`). */
  onOutput?: (line: string) => void;
}

export interface CodeServer {
  readonly host: string;
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** `127.0.0.1:PORT`: the authority for `vscode-remote://` URIs in payloads. */
  readonly authority: string;
  readonly stateDir: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly home: string;
  readonly trust: Trust;
  readonly process: ChildProcess;
  /** Workbench URL for a folder (a `.code-workspace` file: that workspace), with optional `payload` (e.g. extensionDevelopmentPath). */
  workbenchUrl(folder: string, payload?: Array<[string, string]>): string;
  /** `vscode-remote://127.0.0.1:PORT/abs/path` for a local absolute path. */
  remoteUri(absPath: string): string;
  /** Everything code-server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const defaultCodeServerDir = path.join(repoRoot, '.vscode-test', 'code-server');

export function codeServerEntry(dir = defaultCodeServerDir): string {
  const entry = path.join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!fs.existsSync(entry)) {
    throw new Error(`code-server is not installed in ${dir}. Run \`npm run provision\` (scripts/provision-test-runtime.sh).`);
  }
  return entry;
}

export function defaultUserSettings(trust: Trust): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'update.showReleaseNotes': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'npm.autoDetect': 'off',
    'typescript.disableAutomaticTypeAcquisition': true,
    'chat.commandCenter.enabled': false,
    'editor.minimap.enabled': false,
    'files.autoSave': 'off',
    'window.restoreWindows': 'none',
    'security.workspace.trust.enabled': trust === 'untrusted',
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.emptyWindow': trust === 'trusted',
  };
}

// ---- process bookkeeping: never leave a code-server behind ----

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooksInstalled = false;

/** Temp folders removed when the process exits or is interrupted (unless PROBE_GUARD_KEEP_STATE=1). */
export function registerTempDir(dir: string): void {
  installExitHooks();
  tempDirs.add(dir);
}

/** Removes a registered temp folder now. */
export function removeTempDir(dir: string): void {
  tempDirs.delete(dir);
  if (process.env.PROBE_GUARD_KEEP_STATE !== '1') fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

function cleanupSync(): void {
  for (const c of running) killGroup(c, 'SIGKILL');
  if (process.env.PROBE_GUARD_KEEP_STATE !== '1') {
    for (const d of tempDirs) {
      try {
        fs.rmSync(d, { recursive: true, force: true });
      } catch {
        /* best effort */
      }
    }
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

function installExitHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', cleanupSync);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      cleanupSync();
      process.exit(sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129);
    });
  }
}

/** Kills every code-server started by this process (synchronous, SIGKILL). */
export function killAllCodeServers(): void {
  for (const c of running) killGroup(c, 'SIGKILL');
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function httpStatus(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
  });
}

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
}

async function startOnce(opts: CodeServerOptions, port: number): Promise<CodeServer> {
  const trust: Trust = opts.trust ?? 'trusted';
  const entry = codeServerEntry(opts.codeServerDir);
  const host = '127.0.0.1';
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-cs-'));
  registerTempDir(stateDir);
  const userDataDir = path.join(stateDir, 'user-data');
  const extensionsDir = path.join(stateDir, 'extensions');
  const home = opts.home ?? path.join(stateDir, 'home');
  const xdg = path.join(stateDir, 'xdg');
  for (const d of [userDataDir, extensionsDir, home, xdg]) fs.mkdirSync(d, { recursive: true });
  const configFile = path.join(stateDir, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);
  writeJson(path.join(userDataDir, 'User', 'settings.json'), {
    ...defaultUserSettings(trust),
    ...(opts.settings ?? {}),
  });
  // Machine settings too: code-server's remote extension host reads them.
  writeJson(path.join(userDataDir, 'Machine', 'settings.json'), {});

  const args = [
    entry,
    '--config',
    configFile,
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    '--bind-addr',
    `${host}:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
  if (trust === 'trusted') args.push('--disable-workspace-trust');
  const workspace = opts.workspace ? path.resolve(opts.workspace) : undefined;
  if (workspace) args.push(workspace);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    XDG_STATE_HOME: path.join(xdg, 'state'),
    // No extension gallery (open-vsx.org is unreachable; its lookups only add errors to the logs).
    EXTENSIONS_GALLERY: '{}',
    ...(opts.env ?? {}),
  };
  // Never let an outer VS Code / code-server session leak into ours.
  for (const k of Object.keys(env)) {
    if (/^(VSCODE_|ELECTRON_RUN_AS_NODE$|CODE_SERVER_)/.test(k) && !(opts.env && k in opts.env)) delete env[k];
  }
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;

  installExitHooks();
  const child = spawn(process.execPath, args, {
    cwd: workspace ?? stateDir,
    env,
    detached: true, // own process group: stop() kills the whole group
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  const onChunk = (chunk: Buffer) => {
    const s = chunk.toString();
    out += s;
    if (opts.onOutput) for (const line of s.split(/\r?\n/)) if (line) opts.onOutput(line);
  };
  child.stdout!.on('data', onChunk);
  child.stderr!.on('data', onChunk);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => running.delete(child));
  let exitInfo: string | undefined;
  child.once('exit', (code, signal) => (exitInfo = `code=${code} signal=${signal}`));
  child.once('error', (err) => (exitInfo = `spawn error: ${err.message}`));

  const origin = `http://${host}:${port}`;
  let stopped = false;
  const keep = opts.keepState || process.env.PROBE_GUARD_KEEP_STATE === '1';
  const server: CodeServer = {
    host,
    port,
    origin,
    authority: `${host}:${port}`,
    stateDir,
    userDataDir,
    extensionsDir,
    home,
    trust,
    process: child,
    remoteUri: (p) => `vscode-remote://${host}:${port}${path.resolve(p).split(path.sep).map(encodeURIComponent).join('/')}`,
    workbenchUrl(folder, payload) {
      const opened = path.resolve(folder);
      let url = `${origin}/?${opened.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(opened)}`;
      if (payload && payload.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return url;
    },
    output: () => out,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child, 'SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const graceful = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), 5000)))]);
        if (timer) clearTimeout(timer);
        if (!graceful) {
          killGroup(child, 'SIGKILL');
          await exited;
        }
      }
      // The leader is gone; file watchers / extension hosts in its group may not be.
      killGroup(child, 'SIGKILL');
      running.delete(child);
      if (keep) tempDirs.delete(stateDir);
      else removeTempDir(stateDir);
    },
  };

  // Readiness: poll /healthz with backoff, but fail at once if the process exits.
  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  for (;;) {
    if (exitInfo !== undefined) {
      await server.stop();
      throw new CodeServerExitError(`code-server exited before it was ready (${exitInfo}):\n${out}`, out);
    }
    try {
      const status = await httpStatus(`${origin}/healthz`, 2000);
      if (status === 200) return server;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`code-server did not answer on ${origin}/healthz within ${timeoutMs} ms:\n${out}`);
    }
    // Wake up early if the process exits while we wait.
    await Promise.race([exited, new Promise((r) => setTimeout(r, delay))]);
    delay = Math.min(delay * 2, 1000);
  }
}

export class CodeServerExitError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
  }
}

/** Starts code-server; retries on another port if the chosen one was taken in the meantime. */
export async function startCodeServer(opts: CodeServerOptions = {}): Promise<CodeServer> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await startOnce(opts, port);
    } catch (e) {
      lastError = e;
      if (!(e instanceof CodeServerExitError && /EADDRINUSE/.test(e.output))) throw e;
    }
  }
  throw lastError;
}
