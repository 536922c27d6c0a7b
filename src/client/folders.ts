/**
 * Multi-root workspaces in the client: which workspace folder a command means, and the pickers it
 * asks with (replaceable by the extension-host tests, as the debug guard's prompt is).
 */
import * as vscode from 'vscode';

export interface ClientPrompts {
  /** Which of these folders; undefined when dismissed. */
  pickFolder(folders: readonly vscode.WorkspaceFolder[], placeHolder: string): Promise<vscode.WorkspaceFolder | undefined>;
  /** One of these items; undefined when dismissed. */
  pickItem<T extends vscode.QuickPickItem>(items: T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
}

export const defaultPrompts: ClientPrompts = {
  async pickFolder(folders, placeHolder) {
    const items = folders.map((folder) => ({ label: folder.name, description: vscode.workspace.asRelativePath(folder.uri, false), folder }));
    return (await vscode.window.showQuickPick(items, { placeHolder, ignoreFocusOut: true }))?.folder;
  },
  pickItem: (items, options) => Promise.resolve(vscode.window.showQuickPick(items, options)),
};

/** The folder of a command: `undefined` = no folder open; `'cancelled'` = the user dismissed the picker. */
export type FolderChoice = vscode.WorkspaceFolder | undefined | 'cancelled';

/**
 * The workspace folder a command is about: the folder of `uri` (the command's argument), else of
 * the active editor, else the only folder, else the one the user picks among `candidates` (all
 * folders by default; a single candidate is taken without asking).
 */
export async function folderForCommand(
  prompts: ClientPrompts,
  placeHolder: string,
  options: { uri?: vscode.Uri; candidates?: readonly vscode.WorkspaceFolder[] } = {},
): Promise<FolderChoice> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) return undefined;
  const fromUri = options.uri ? vscode.workspace.getWorkspaceFolder(options.uri) : undefined;
  if (fromUri) return fromUri;
  const editor = vscode.window.activeTextEditor?.document.uri;
  const fromEditor = editor ? vscode.workspace.getWorkspaceFolder(editor) : undefined;
  if (fromEditor) return fromEditor;
  const candidates = options.candidates ?? folders;
  if (candidates.length === 0) return undefined;
  if (candidates.length === 1) return candidates[0];
  return (await prompts.pickFolder(candidates, placeHolder)) ?? 'cancelled';
}

/** Several workspace folders: what the user sees (titles, status) names the folder meant. */
export function isSeveralFolders(): boolean {
  return (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
}

/** Whether settings written for a folder go to that folder (several folders, or a `.code-workspace`) rather than the workspace. */
export function isMultiRoot(): boolean {
  return isSeveralFolders() || vscode.workspace.workspaceFile !== undefined;
}

/**
 * Where a folder's setting is written: its own `.vscode/settings.json` in a multi-root workspace
 * (the setting needs a `resource`, `machine-overridable` or `language-overridable` scope), the
 * workspace in a single-folder window, the user settings without a folder.
 */
export function settingTargetFor(folder: vscode.WorkspaceFolder | undefined): vscode.ConfigurationTarget {
  if (!folder) return vscode.ConfigurationTarget.Global;
  return isMultiRoot() ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace;
}
