import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { readSettings, SETTINGS_SECTION, type ProbeGuardSettings } from '../service/settings';
import type { LookupPlace } from '../service/targetLookup';

export { SETTINGS_SECTION };

/** `probeGuard.*` for one resource, through the service layer's settings model. */
export function readEditorSettings(scope: vscode.Uri | undefined, trusted: boolean): ProbeGuardSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return readSettings((key) => config.get<unknown>(key), trusted);
}

/** Where a config lives, for the relative paths in it and in the settings. */
export function placeOf(uri: vscode.Uri): LookupPlace {
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const configDir = uri.scheme === 'file' ? path.dirname(uri.fsPath) : (folder ?? os.homedir());
  return { configDir, baseDir: folder ?? configDir, env: process.env };
}
