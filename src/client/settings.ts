import * as vscode from 'vscode';
import { readSettings, SETTINGS_SECTION, type ProbeGuardSettings } from '../service/settings';

export { SETTINGS_SECTION };

/** `probeGuard.*` for one resource, through the service layer's settings model. */
export function readEditorSettings(scope: vscode.Uri | undefined, trusted: boolean): ProbeGuardSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return readSettings((key) => config.get<unknown>(key), trusted);
}
