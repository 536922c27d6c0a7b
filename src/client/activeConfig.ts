import * as path from 'node:path';
import * as vscode from 'vscode';

export interface ActiveConfig {
  /** The config a mirrord session started from this folder would use; undefined when none. */
  uri?: vscode.Uri;
  /** How it was chosen, in the official mirrord extension's order. */
  reason: 'launch-configuration' | 'first-in-mirrord-folder' | 'none';
  /** The launch configuration's name when `reason` is `launch-configuration`. */
  launchName?: string;
  /** That launch configuration's `env`: its `MIRRORD_*` variables override the file. */
  env?: Record<string, string>;
}

/**
 * Finds the active mirrord config of a workspace folder the way the official mirrord extension
 * does: `MIRRORD_CONFIG_FILE` in a launch configuration's `env`, else the alphabetically first
 * `.mirrord/*mirrord.*` of the folder. Cached per folder until launch.json or `.mirrord/` changes.
 */
export class ActiveConfigTracker implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<ActiveConfig>>();
  /** Settled results, for synchronous readers (the analysis needs the launch env at once). */
  private readonly settled = new Map<string, ActiveConfig>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('launch')) this.invalidate();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.invalidate()),
    );
    // Only file creation and deletion change which `.mirrord/` file is first.
    const watcher = vscode.workspace.createFileSystemWatcher('**/.mirrord/*mirrord.*', false, true, false);
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.invalidate()),
      watcher.onDidDelete(() => this.invalidate()),
    );
  }

  activeFor(folder: vscode.WorkspaceFolder): Promise<ActiveConfig> {
    const key = folder.uri.toString();
    let found = this.cache.get(key);
    if (!found) {
      found = findActiveConfig(folder);
      this.cache.set(key, found);
      void found.then((active) => {
        if (this.cache.get(key) === found) {
          this.settled.set(key, active);
          this.changed.fire();
        }
      });
    }
    return found;
  }

  /** The settled result, or undefined while it is being found (then `onDidChange` fires). */
  peek(folder: vscode.WorkspaceFolder): ActiveConfig | undefined {
    const key = folder.uri.toString();
    if (!this.cache.has(key)) void this.activeFor(folder);
    return this.settled.get(key);
  }

  private invalidate(): void {
    this.cache.clear();
    this.settled.clear();
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

async function findActiveConfig(folder: vscode.WorkspaceFolder): Promise<ActiveConfig> {
  const launch = vscode.workspace.getConfiguration('launch', folder.uri).get<unknown>('configurations');
  if (Array.isArray(launch)) {
    for (const configuration of launch) {
      const env = configuration && typeof configuration === 'object' ? (configuration as { env?: unknown }).env : undefined;
      if (!env || typeof env !== 'object') continue;
      const file = (env as Record<string, unknown>).MIRRORD_CONFIG_FILE;
      if (typeof file !== 'string' || file.trim() === '') continue;
      return {
        uri: resolveLaunchPath(file.trim(), folder),
        reason: 'launch-configuration',
        launchName: typeof configuration.name === 'string' ? configuration.name : undefined,
        env: stringEntries(env as Record<string, unknown>),
      };
    }
  }
  const candidates = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '.mirrord/*mirrord.*'), undefined, 100);
  const sorted = candidates
    .filter((uri) => /\.(json|ya?ml|toml)$/i.test(uri.path))
    .sort((a, b) => compareNames(path.posix.basename(a.path), path.posix.basename(b.path)));
  return sorted.length > 0 ? { uri: sorted[0], reason: 'first-in-mirrord-folder' } : { reason: 'none' };
}

/** `${workspaceFolder}`-style variables and relative paths, as the debug adapter would see them. */
function resolveLaunchPath(file: string, folder: vscode.WorkspaceFolder): vscode.Uri {
  const expanded = file
    .replace(/\$\{workspaceFolder(?::[^}]*)?\}|\$\{workspaceRoot\}/g, folder.uri.fsPath)
    .replace(/\$\{workspaceFolderBasename\}/g, folder.name)
    .replace(/\$\{userHome\}/g, process.env.HOME ?? process.env.USERPROFILE ?? '~');
  return path.isAbsolute(expanded) ? folder.uri.with({ path: vscode.Uri.file(expanded).path }) : vscode.Uri.joinPath(folder.uri, expanded);
}

function stringEntries(env: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Plain code-unit order, like the file list mirrord's extension sorts. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
