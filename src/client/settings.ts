import * as vscode from 'vscode';
import { readSettings, type ProbeGuardSettings } from '../service/settings';
import { SETTINGS_SECTION } from '../service/settingsSection';

// From its own module: code that only needs the name does not load the settings model (and the rule registry).
export { SETTINGS_SECTION };

/** `probeGuard.*` for one resource, through the service layer's settings model. */
export function readEditorSettings(scope: vscode.Uri | undefined, trusted: boolean): ProbeGuardSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, scope);
  return readSettings((key) => config.get<unknown>(key), trusted);
}
