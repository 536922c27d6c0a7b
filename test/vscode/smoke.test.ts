import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from './support/waitFor';

const EXTENSION_ID = 'probe-guard.mirrord-probe-guard';

suite('smoke', () => {
  test('the extension is installed (extension development path)', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(
      ext,
      `${EXTENSION_ID} not found; have: ${vscode.extensions.all
        .map((e) => e.id)
        .filter((id) => !id.startsWith('vscode.'))
        .join(', ')}`,
    );
    assert.equal(ext.packageJSON.name, 'mirrord-probe-guard');
  });

  test('opening a mirrord config activates it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const preferred = await vscode.workspace.findFiles('.mirrord/risky.mirrord.json', undefined, 1);
    const any = preferred.length
      ? preferred
      : await vscode.workspace.findFiles('{**/*mirrord.{json,yaml,yml,toml},.mirrord/*.{json,yaml,yml,toml}}', '**/node_modules/**', 1);
    assert.ok(any.length > 0, 'the workspace has no mirrord config');
    const doc = await vscode.workspace.openTextDocument(any[0]);
    await vscode.window.showTextDocument(doc);
    await waitFor('extension activation', () => ext.isActive, {
      events: [vscode.window.onDidChangeActiveTextEditor, vscode.languages.onDidChangeDiagnostics],
    });
    assert.equal(ext.isActive, true);
  });
});
