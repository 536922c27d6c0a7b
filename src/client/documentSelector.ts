import * as vscode from 'vscode';

import { MIRRORD_CONFIG_GLOBS } from '../service/configFiles';

/**
 * By pattern, not language id: `.toml` may have no language installed and `.json` configs may be
 * opened as jsonc; any scheme, so unsaved and remote configs are analysed too.
 */
export const mirrordConfigSelector: vscode.DocumentFilter[] = MIRRORD_CONFIG_GLOBS.map((pattern) => ({ pattern }));

export function isMirrordConfig(document: vscode.TextDocument): boolean {
  return vscode.languages.match(mirrordConfigSelector, document) > 0;
}

/** launch.json files of workspace folders (a .code-workspace's own `launch` has no file to put lenses in). */
export const LAUNCH_JSON_SELECTOR: vscode.DocumentFilter = { pattern: '**/.vscode/launch.json' };
