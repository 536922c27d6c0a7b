import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fakeCluster, useTestCluster } from './support/fakeCluster';
import { codes, openConfig, ourDiagnostics, probeGuard, setText, waitForDiagnostics } from './support/harness';

const RISKY = ['.mirrord/a-risky.mirrord.json', '.mirrord/b-filter.mirrord.yaml', '.mirrord/c-steal.mirrord.toml'];
const PROBE_CODES = ['liveness-probe-stolen', 'readiness-probe-stolen', 'steal-without-filter', 'filter-selects-probes'];
const atRisk = (d: vscode.Diagnostic[]) => codes(d).some((c) => PROBE_CODES.includes(c));

async function quickFixes(document: vscode.TextDocument, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
      50,
    )) ?? [];
  // The command's result drops `diagnostics`: ask our provider for the titles it attaches them to.
  const api = await probeGuard();
  const ours = await (
    await api.codeActions(document)
  ).list(diagnostic.range, {
    diagnostics: [diagnostic],
    only: vscode.CodeActionKind.QuickFix,
    triggerKind: vscode.CodeActionTriggerKind.Invoke,
  });
  assert.ok(
    // The client hands back its own copies of the diagnostics: the same code at the same range.
    ours.length > 0 && ours.every((a) => a.diagnostics?.some((d) => codes([d])[0] === codes([diagnostic])[0] && d.range.isEqual(diagnostic.range))),
    `not attached to ${JSON.stringify(diagnostic.code)}: ${ours.map((a) => a.title).join(', ')}`,
  );
  const titles = new Set(ours.map((a) => a.title));
  return actions.filter((a) => a.kind?.value === vscode.CodeActionKind.QuickFix.value && titles.has(a.title));
}

suite('quick fixes', () => {
  suiteSetup(async () => {
    await useTestCluster(await fakeCluster());
    await probeGuard();
  });

  for (const file of RISKY) {
    test(`every quick fix of ${file} leaves no probe at risk`, async () => {
      const document = await openConfig(file);
      const original = document.getText();
      const diagnostics = await waitForDiagnostics(document.uri, 'probe findings', (d) => codes(d).includes('liveness-probe-stolen'));
      const tried = new Set<string>();
      for (const diagnostic of diagnostics.filter((d) => PROBE_CODES.includes(String((d.code as { value: string }).value)))) {
        const actions = await quickFixes(document, diagnostic);
        assert.ok(actions.length > 0, `no quick fix for ${JSON.stringify(diagnostic.code)}`);
        assert.ok(
          actions.some((a) => a.isPreferred),
          'no preferred fix',
        );
        for (const action of actions) {
          const key = `${action.title}`;
          if (tried.has(key)) continue;
          tried.add(key);
          assert.ok(action.edit, `"${action.title}" has no edit after resolve`);
          assert.ok(await vscode.workspace.applyEdit(action.edit!));
          await waitForDiagnostics(document.uri, `clean after "${action.title}"`, (d) => !atRisk(d));
          const api = await probeGuard();
          await api.whenIdle();
          assert.deepEqual(
            ourDiagnostics(document.uri).map((d) => d.message),
            [],
            `after "${action.title}"`,
          );
          await setText(document, original);
          await waitForDiagnostics(document.uri, 'risky again', (d) => codes(d).includes('liveness-probe-stolen'));
        }
      }
      assert.ok(tried.size > 0);
    });
  }

  test('fix all (source.fixAll.probeGuard) fixes the whole file', async () => {
    const document = await openConfig('.mirrord/b-filter.mirrord.yaml');
    const original = document.getText();
    await waitForDiagnostics(document.uri, 'probe findings', (d) => codes(d).includes('liveness-probe-stolen'));
    const full = new vscode.Range(document.positionAt(0), document.positionAt(original.length));
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, full, 'source.fixAll.probeGuard', 5)) ?? [];
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.probeGuard');
    assert.ok(fixAll?.edit, `no fix-all action: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(fixAll.title, 'Fix all probe risks in this file');
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    await waitForDiagnostics(document.uri, 'clean after fix all', (d) => !atRisk(d));
    // Comments and unrelated keys survive.
    assert.ok(document.getText().includes('# the copied mistake'));
    assert.ok(document.getText().includes('namespace: shop'));
    await setText(document, original);
  });

  test('a fix picked after the file changed is recomputed on the current text', async () => {
    const api = await probeGuard();
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    const original = document.getText();
    const diagnostics = await waitForDiagnostics(document.uri, 'probe findings', (d) => codes(d).includes('liveness-probe-stolen'));
    const liveness = diagnostics.find((d) => (d.code as { value: string }).value === 'liveness-probe-stolen')!;
    const context: vscode.CodeActionContext = {
      diagnostics: [liveness],
      only: vscode.CodeActionKind.QuickFix,
      triggerKind: vscode.CodeActionTriggerKind.Invoke,
    };
    const listed = await (await api.codeActions(document)).list(liveness.range, context);
    const preferred = listed.find((a) => a.isPreferred);
    assert.ok(preferred, 'no preferred fix listed');
    assert.equal(preferred.edit, undefined, 'the edit must be computed when the action is applied');
    // The user types before picking the fix: every offset moves.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '\n\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const resolved = await (await api.codeActions(document)).resolve(preferred);
    assert.ok(resolved.edit, 'fix refused although it still applies');
    assert.ok(await vscode.workspace.applyEdit(resolved.edit));
    await waitForDiagnostics(document.uri, 'clean after the recomputed fix', (d) => !atRisk(d));
    assert.ok(document.getText().startsWith('\n\n{'), 'the text typed before the fix was damaged');
    // The same action again: the finding is gone, so it is refused rather than applied twice.
    const again = await (await api.codeActions(document)).resolve(preferred);
    assert.equal(again.edit, undefined);
    await setText(document, original);
  });
});
