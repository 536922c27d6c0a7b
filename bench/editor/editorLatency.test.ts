/**
 * Runs inside code-server's extension host (bench/editorBench.ts starts it): keystroke to updated
 * diagnostics, Probe Guard's against VS Code's own JSON validation (the schema squiggle of
 * jsonValidation) for the same one-character edits of one file, side by side. Each edit turns
 * `"steal"` into `"steax"` (both report it: an enum error and invalid-mode) or back (both clear).
 * Results go to $PROBE_GUARD_BENCH_OUT as JSON. (Activation in code-server: bench/activation/.)
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EDITS = 40;
const PG = 'Probe Guard';

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === PG);
}
function schema(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source !== PG);
}
const hasInvalidMode = (uri: vscode.Uri) => ours(uri).some((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'invalid-mode');
const hasSchemaError = (uri: vscode.Uri) => schema(uri).some((d) => /steal|mirror|off|enum|Value is not accepted/i.test(d.message));

/** Resolves with the time at which `done()` first holds, checked on every diagnostics change. */
function when(uri: vscode.Uri, done: () => boolean, timeoutMs = 15_000): Promise<number> {
  return new Promise((resolve, reject) => {
    if (done()) return resolve(performance.now());
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error('timed out'));
    }, timeoutMs);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString()) || !done()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(performance.now());
    });
  });
}

suite('bench: editor latency', () => {
  test('keystroke to diagnostic: Probe Guard vs VS Code JSON validation', async () => {
    const out = process.env.PROBE_GUARD_BENCH_OUT;
    assert.ok(out, 'PROBE_GUARD_BENCH_OUT is not set');
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const uri = vscode.Uri.joinPath(folder, '.mirrord', 'latency.mirrord.json');
    const text = JSON.stringify({ target: { path: 'deployment/api', namespace: 'shop' }, feature: { network: { incoming: 'steal' } } }, null, 2) + '\n';
    fs.mkdirSync(path.dirname(uri.fsPath), { recursive: true });
    fs.writeFileSync(uri.fsPath, text);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await when(uri, () => ours(uri).length > 0, 60_000);
    const at = document.getText().indexOf('"steal"') + 5;
    const pg: number[] = [];
    const json: number[] = [];
    for (let i = 0; i < EDITS; i++) {
      const broken = i % 2 === 0;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(document.positionAt(at), document.positionAt(at + 1)), broken ? 'x' : 'l');
      const pgDone = when(uri, () => hasInvalidMode(uri) === broken);
      const jsonDone = when(uri, () => hasSchemaError(uri) === broken);
      const t0 = performance.now();
      assert.ok(await vscode.workspace.applyEdit(edit));
      const [tPg, tJson] = await Promise.all([pgDone, jsonDone]);
      pg.push(tPg - t0);
      json.push(tJson - t0);
    }
    fs.writeFileSync(out, JSON.stringify({ probe_guard_ms: pg, json_validation_ms: json }));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
