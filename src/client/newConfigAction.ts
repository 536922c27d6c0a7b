/**
 * The code action of an empty (or whitespace-only) mirrord config: "New mirrord config for a
 * target…", which runs probeGuard.newConfig. A JSON config gets the text inserted; a YAML or TOML
 * one gets a new `.mirrord/<name>.mirrord.json` (the generated config is JSON). Cheap: it only
 * looks at the document's text; the command's code is loaded when it runs.
 */
import * as vscode from 'vscode';

export const NEW_CONFIG_COMMAND = 'probeGuard.newConfig';

export class EmptyConfigActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument): vscode.CodeAction[] {
    if (document.getText().trim() !== '') return [];
    const json = /\.json$/i.test(document.uri.path) || document.languageId === 'json' || document.languageId === 'jsonc';
    const action = new vscode.CodeAction(
      json ? vscode.l10n.t('Fill in a new mirrord config for a target…') : vscode.l10n.t('New mirrord config for a target…'),
      vscode.CodeActionKind.QuickFix,
    );
    action.command = {
      command: NEW_CONFIG_COMMAND,
      title: action.title,
      arguments: [json ? { document: document.uri } : { folder: vscode.workspace.getWorkspaceFolder(document.uri)?.uri }],
    };
    action.isPreferred = true;
    return [action];
  }
}
