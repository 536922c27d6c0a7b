import * as vscode from 'vscode';
import { defaultConfigOf, mirrordLaunches, type LaunchContext } from '../service/launchConfigs';

export interface ActiveConfig {
  /** The config a mirrord session started from this folder would use; undefined when none. */
  uri?: vscode.Uri;
  /** How it was chosen, in the official mirrord extension's order. */
  reason: 'launch-configuration' | 'first-in-mirrord-folder' | 'none';
  /**
   * The folder whose `.mirrord/` holds it when that is not this folder: a folder without a
   * default config uses the first folder's, as the mirrord extension does.
   */
  fromFolder?: vscode.WorkspaceFolder;
  /** The launch configuration's name when `reason` is `launch-configuration`. */
  launchName?: string;
  /** That launch configuration's `env`: its `MIRRORD_*` variables override the file. */
  env?: Record<string, string>;
}

/**
 * Finds the active mirrord config of a workspace folder the way the official mirrord extension
 * does (src/service/launchConfigs.ts): `MIRRORD_CONFIG_FILE` in a launch configuration's `env`,
 * else the folder's first `.mirrord/*mirrord.*` in the mirrord extension's order. Cached per
 * folder until launch.json or `.mirrord/` changes.
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

/** A folder's launch context, with the folder whose `.mirrord/` gave the default config. */
export interface FolderLaunchContext extends LaunchContext {
  /** Set when the default config is the first workspace folder's (this folder has none). */
  defaultFromFolder?: vscode.WorkspaceFolder;
}

/**
 * What launchConfigs.ts needs to know about a folder: its path and its default config, the first
 * `.mirrord/*mirrord.*`. A folder without one uses the first workspace folder's, as the mirrord
 * extension's `resolveMirrordConfig` does (metalbear-co/mirrord-vscode src/config.ts: the launch's
 * folder, then `workspaceFolders[0]`).
 */
export async function launchContextOf(folder: vscode.WorkspaceFolder): Promise<FolderLaunchContext> {
  const context: FolderLaunchContext = { folder: { path: folder.uri.fsPath, name: folder.name }, folderDefaultConfig: await defaultConfigIn(folder) };
  const first = vscode.workspace.workspaceFolders?.[0];
  if (!context.folderDefaultConfig && first && first.uri.toString() !== folder.uri.toString()) {
    const fallback = await defaultConfigIn(first);
    if (fallback) {
      context.folderDefaultConfig = fallback;
      context.defaultFromFolder = first;
    }
  }
  return context;
}

async function defaultConfigIn(folder: vscode.WorkspaceFolder): Promise<string | undefined> {
  const candidates = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '.mirrord/*mirrord.*'), undefined, 100);
  return defaultConfigOf(candidates.map((uri) => uri.fsPath));
}

/** A config path launchConfigs.ts found, as a URI of the folder's scheme (remote workspaces keep theirs). */
export function configUriIn(folder: vscode.WorkspaceFolder, filePath: string): vscode.Uri {
  return folder.uri.with({ path: vscode.Uri.file(filePath).path });
}

async function findActiveConfig(folder: vscode.WorkspaceFolder): Promise<ActiveConfig> {
  const context = await launchContextOf(folder);
  const folderDefault = context.folderDefaultConfig;
  const launch = vscode.workspace.getConfiguration('launch', folder.uri).get<unknown>('configurations');
  const named = mirrordLaunches(launch, context).find((l) => l.configSource === 'launch-env' && l.configFile);
  if (named?.configFile) {
    return {
      uri: configUriIn(folder, named.configFile),
      reason: 'launch-configuration',
      launchName: named.name || undefined,
      env: named.env,
    };
  }
  if (!folderDefault) return { reason: 'none' };
  const owner = context.defaultFromFolder ?? folder;
  return { uri: configUriIn(owner, folderDefault), reason: 'first-in-mirrord-folder', fromFolder: context.defaultFromFolder };
}
