/**
 * Multi-root workspaces: which workspace folder a file belongs to, and what is resolved against
 * that folder. The official mirrord extension works per folder (metalbear-co/mirrord-vscode
 * src/config.ts `resolveMirrordConfig`: the launch's folder, its `.mirrord/` default config, its
 * `MIRRORD_CONFIG_FILE` relative to it), and VS Code answers `probeGuard.*` per resource, so two
 * folders may name different manifests, kubeconfigs and severities. Plain paths in, plain data out.
 */
import * as path from 'node:path';
import type { ProbeGuardSettings } from './settings';

/** Absolute folder path without a trailing separator (a file system root keeps its own). */
export function normalizeFolder(folder: string): string {
  const resolved = path.resolve(folder);
  return resolved.length > 1 && resolved.endsWith(path.sep) && path.dirname(resolved) !== resolved ? resolved.slice(0, -1) : resolved;
}

/** Whether `filePath` is inside `folder` (not the folder itself, not a sibling sharing a prefix). */
export function isInsideFolder(filePath: string, folder: string): boolean {
  const relative = path.relative(folder, filePath);
  // `..` or `../x` climbs out; a name such as `..cache` inside the folder does not.
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/**
 * The workspace folder that holds `filePath`: the innermost one, as VS Code's
 * `workspace.getWorkspaceFolder` picks it when folders are nested.
 */
export function folderOfPath(filePath: string, folders: readonly string[]): string | undefined {
  if (!filePath) return undefined;
  let best: string | undefined;
  for (const folder of folders) if (isInsideFolder(filePath, folder) && (best === undefined || folder.length > best.length)) best = folder;
  return best;
}

/** The folder list after a `workspace/didChangeWorkspaceFolders` event: removals first, then additions, no duplicates. */
export function foldersAfterChange(current: readonly string[], added: readonly string[], removed: readonly string[]): string[] {
  const gone = new Set(removed.map(normalizeFolder));
  const next = current.filter((f) => !gone.has(f));
  for (const folder of added.map(normalizeFolder)) if (!next.includes(folder)) next.push(folder);
  return next;
}

/**
 * A kubeconfig override (a path list) with its relative entries made absolute against `dir`: the
 * CLI's `--kubeconfig` against the working folder (as kubectl does), the editor's
 * `probeGuard.kubeconfig` against the workspace folder of the config (as VS Code users expect of
 * a folder setting). The lookup would otherwise resolve them from each config's own folder.
 * Entries starting with `~`, `$` or `%` are left to the lookup's own expansion.
 */
export function kubeconfigRelativeTo(kubeconfig: string | undefined, dir: string): string | undefined {
  if (!kubeconfig?.trim()) return kubeconfig;
  return kubeconfig
    .split(path.delimiter)
    .map((entry) => entry.trim())
    .map((entry) => (entry === '' || /^[~$%]/.test(entry) ? entry : path.resolve(dir, entry)))
    .join(path.delimiter);
}

/**
 * Whether two readings of a document's settings would analyse it differently: a settings change
 * re-analyses only the configs whose own folder's values changed (the problems are log text).
 */
export function settingsDiffer(before: ProbeGuardSettings, after: ProbeGuardSettings): boolean {
  const { problems: _before, ...a } = before;
  const { problems: _after, ...b } = after;
  return JSON.stringify(canonical(a)) !== JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
