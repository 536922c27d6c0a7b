import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClusterLookup } from '../service/clusterLookup';
import { log } from './log';

/**
 * Watches the kubeconfig files the cluster layer read (including ones that do not exist yet):
 * `kubectl config use-context`, a refreshed token or a new cluster invalidates the cached lookups.
 */
export class KubeconfigWatcher implements vscode.Disposable {
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly changed = new vscode.EventEmitter<string>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly cluster: ClusterLookup) {}

  /** Adds watchers for the files; called after each lookup with the files it depended on. */
  watch(files: string[]): void {
    for (const file of files) {
      if (this.watchers.has(file)) continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)));
      const fire = () => void this.onFileChanged(file);
      this.watchers.set(file, vscode.Disposable.from(watcher, watcher.onDidChange(fire), watcher.onDidCreate(fire), watcher.onDidDelete(fire)));
    }
  }

  private async onFileChanged(file: string): Promise<void> {
    log().info(`Kubeconfig ${file} changed: looking up the targets again.`);
    await this.cluster.invalidate();
    this.changed.fire(file);
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    this.watchers.clear();
    this.changed.dispose();
  }
}
