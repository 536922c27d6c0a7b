// Checks the harness itself: the runner's --trust option really opens the workspace trusted or in
// Restricted Mode, and the environment reaches the extension host.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

suite('harness: workspace trust', () => {
  test('the workspace trust matches the runner option', () => {
    const expected = process.env.PROBE_GUARD_TRUST;
    assert.ok(expected === 'trusted' || expected === 'untrusted', `PROBE_GUARD_TRUST not set: ${expected}`);
    assert.equal(vscode.workspace.isTrusted, expected === 'trusted');
  });

  test('the opened folder is the (copied) test workspace', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.equal(folders[0].uri.path, process.env.PROBE_GUARD_TEST_WORKSPACE);
  });
});
