import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServiceLog } from '../service/log';

/**
 * Watches the kubeconfig files the cluster layer read (also ones that do not exist yet):
 * `kubectl config use-context`, a refreshed token or a new cluster invalidates the cached lookups.
 * Only called after a trusted lookup. Folders are watched (a file may be replaced or created).
 */
export class KubeconfigFileWatcher {
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private readonly files = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly log: ServiceLog,
    private readonly changed: () => void,
  ) {}

  watch(files: string[]): void {
    for (const file of files) {
      if (this.files.has(file)) continue;
      this.files.add(file);
      const dir = path.dirname(file);
      if (this.watchers.has(dir)) continue;
      try {
        const watcher = fs.watch(dir, { persistent: false }, (_event, name) => {
          if (name && this.files.has(path.join(dir, name.toString()))) this.fire(path.join(dir, name.toString()));
        });
        watcher.on('error', () => this.watchers.delete(dir));
        this.watchers.set(dir, watcher);
      } catch {
        // A folder that does not exist yet: nothing to watch until a lookup lists it again.
        this.files.delete(file);
      }
    }
  }

  /** Editors write a file in several steps: one refresh for a burst. */
  private fire(file: string): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.log.info(`Kubeconfig ${file} changed: looking up the targets again.`);
      this.changed();
    }, 100);
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
