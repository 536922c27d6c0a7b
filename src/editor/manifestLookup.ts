import * as vscode from 'vscode';
import type { ManifestObject } from '../core/k8s/manifests';
import { engine } from './lazyEngine';
import type { LookupRequest, ResolveResult } from '../core/types';
import { log } from './log';

export interface ManifestResolution {
  result: ResolveResult;
  files: string[];
}

const MANIFEST_EXTENSIONS = '*.{yaml,yml,json}';

/**
 * Resolves a target from the manifest folders/globs of `probeGuard.manifests`, read relative to
 * the config's workspace folder. Only called in a trusted workspace: it follows workspace paths.
 */
export async function resolveFromManifestSettings(
  request: LookupRequest,
  namespace: string,
  patterns: string[],
  folder: vscode.WorkspaceFolder | undefined,
): Promise<ManifestResolution | undefined> {
  const files = new Map<string, vscode.Uri>();
  for (const entry of patterns) {
    for (const uri of await vscode.workspace.findFiles(manifestPattern(entry, folder), '**/node_modules/**', 2000)) {
      files.set(uri.toString(), uri);
    }
  }
  if (files.size === 0) {
    log().warn(`No manifest file matches probeGuard.manifests (${patterns.join(', ')}).`);
    return undefined;
  }
  const objects: ManifestObject[] = [];
  for (const uri of files.values()) {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const parsed = engine().parseManifests(text, uri.fsPath);
      objects.push(...parsed.objects);
      for (const problem of parsed.problems) log().debug(problem);
    } catch (error) {
      log().warn(`Cannot read manifest ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { result: engine().resolveFromManifests(request.ref, namespace, objects), files: [...files.values()].map((u) => u.fsPath) };
}

/** A folder means every YAML/JSON file below it; anything with a glob character is a glob. */
function manifestPattern(entry: string, folder: vscode.WorkspaceFolder | undefined): vscode.GlobPattern {
  const trimmed = entry.replace(/[\\/]+$/, '');
  const isGlob = /[*?{[]/.test(trimmed);
  const isFile = /\.(ya?ml|json)$/i.test(trimmed);
  const absolute = /^([a-zA-Z]:)?[\\/]/.test(trimmed);
  if (absolute) {
    if (isGlob || isFile) {
      const base = vscode.Uri.file(trimmed.replace(/[\\/][^\\/]*[*?{[].*$/, '').replace(/[\\/][^\\/]+\.(ya?ml|json)$/i, ''));
      return new vscode.RelativePattern(base, trimmed.slice(base.fsPath.length + 1).replace(/\\/g, '/'));
    }
    return new vscode.RelativePattern(vscode.Uri.file(trimmed), `**/${MANIFEST_EXTENSIONS}`);
  }
  const relative = isGlob || isFile ? trimmed : `${trimmed}/**/${MANIFEST_EXTENSIONS}`;
  return folder ? new vscode.RelativePattern(folder, relative) : relative;
}
