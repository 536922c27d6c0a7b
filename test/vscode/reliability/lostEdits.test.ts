import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { codes, openConfig, ourDiagnostics, probeGuard, setText, waitForDiagnostics, waitForState } from '../suite/support/harness';
import { assertNoErrors, reliabilityCluster, reportTally, tally, useReliabilitySettings } from './support';

/**
 * No lost edits: a quick fix listed for version N and applied at version N+1 is recomputed on the
 * current text (or refused when it no longer applies), never applied at stale offsets; a fix on a
 * document with unsaved changes keeps them.
 */
const RISKY = '.mirrord/a-risky.mirrord.json';
const STOLEN = ['liveness-probe-stolen', 'readiness-probe-stolen'];
/** Inserted before the target: every later offset moves by its length. */
const NOTE = '  "agent": { "log_level": "info" },\n';

/** Applies the TextEdits of `edit` for `document` to `text`, using offsets of `document` as it is NOW. */
function applyToString(document: vscode.TextDocument, edit: vscode.WorkspaceEdit, text: string): string {
  const edits = edit.get(document.uri).map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), newText: e.newText }));
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Where NOTE goes: the start of the line after the opening brace. */
function noteOffset(text: string): number {
  return text.indexOf('\n', text.indexOf('{')) + 1;
}

async function preferredFix(document: vscode.TextDocument): Promise<vscode.CodeAction> {
  const api = await probeGuard();
  const diagnostics = await waitForDiagnostics(document.uri, 'probes stolen', (d) => STOLEN.every((c) => codes(d).includes(c)));
  const liveness = diagnostics.find((d) => codes([d])[0] === 'liveness-probe-stolen')!;
  const actions = await (
    await api.codeActions(document)
  ).list(liveness.range, {
    diagnostics,
    only: vscode.CodeActionKind.QuickFix,
    triggerKind: vscode.CodeActionTriggerKind.Invoke,
  });
  const action = actions.find((a) => a.isPreferred);
  assert.ok(action, `no preferred fix among ${actions.map((a) => a.title).join(', ')}`);
  return action;
}

async function insertNote(document: vscode.TextDocument): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, document.positionAt(noteOffset(document.getText())), NOTE);
  assert.ok(await vscode.workspace.applyEdit(edit));
}

suite('reliability: no lost edits', () => {
  let original = '';

  suiteSetup(async () => {
    await useReliabilitySettings(await reliabilityCluster());
    await probeGuard();
    original = (await openConfig(RISKY)).getText();
  });

  teardown(async () => {
    const document = await openConfig(RISKY);
    if (document.getText() !== original) await setText(document, original);
    if (document.isDirty) await document.save();
  });

  suiteTeardown(() => reportTally('lostEdits'));

  test('a fix listed for version N and applied at N+1 is recomputed: exactly the fix plus the edit', async () => {
    const api = await probeGuard();
    const document = await openConfig(RISKY);
    const action = await preferredFix(document);
    const versionN = document.version;
    // What the fix does to version N (resolved now, offsets of version N).
    const atN = await (await api.codeActions(document)).resolve(action);
    assert.ok(atN.edit, 'no edit at version N');
    const fixedN = applyToString(document, atN.edit, document.getText());
    assert.notEqual(fixedN, document.getText());

    await insertNote(document);
    assert.equal(document.version, versionN + 1);
    const resolved = await (await api.codeActions(document)).resolve(action);
    assert.ok(resolved.edit, 'the fix was refused although it still applies');
    assert.ok(await vscode.workspace.applyEdit(resolved.edit));
    const at = noteOffset(fixedN);
    const expected = fixedN.slice(0, at) + NOTE + fixedN.slice(at);
    assert.equal(document.getText(), expected, 'the fix landed at stale offsets');
    tally.staleFixesRecomputed += 1;
    await waitForDiagnostics(document.uri, 'fixed', (d) => !codes(d).some((c) => STOLEN.includes(c)));
    // And the result is valid JSON for the engine: no parse problem appeared.
    assert.ok(!codes(ourDiagnostics(document.uri)).some((c) => /parse|syntax|invalid-config/.test(c)), codes(ourDiagnostics(document.uri)).join(','));
    tally.outcomes.push(`stale fix (v${versionN} applied at v${versionN + 1}): recomputed, text exact`);
    assertNoErrors(api, 'stale fix');
  });

  test('a fix whose finding disappeared at N+1 is refused and changes nothing', async () => {
    const api = await probeGuard();
    const document = await openConfig(RISKY);
    const action = await preferredFix(document);
    await setText(document, document.getText().replace('"incoming": "steal"', '"incoming": "mirror"'));
    const text = document.getText();
    const resolved = await (await api.codeActions(document)).resolve(action);
    const edits = resolved.edit ? resolved.edit.get(document.uri) : [];
    assert.deepEqual(edits, [], 'a fix was produced for a finding that no longer exists');
    assert.equal(document.getText(), text);
    tally.staleFixesRefused += 1;
    tally.outcomes.push('stale fix whose finding is gone: refused, text unchanged');
  });

  test('a fix on a document with unsaved changes keeps them', async () => {
    const api = await probeGuard();
    const document = await openConfig(RISKY);
    const onDisk = fs.readFileSync(document.uri.fsPath, 'utf8');
    await waitForDiagnostics(document.uri, 'probes stolen', (d) => STOLEN.every((c) => codes(d).includes(c)));
    // What the preferred fix does to the saved text.
    const plain = await preferredFix(document);
    const fixedClean = applyToString(document, (await (await api.codeActions(document)).resolve(plain)).edit!, document.getText());

    await insertNote(document);
    assert.ok(document.isDirty);
    // Through VS Code's own code action command (provided and resolved by the workbench).
    // The server analyses the edited text; VS Code keeps the old diagnostics (at the old lines) until then.
    const state = await waitForState(api, 'the dirty version analysed', async () => {
      const current = await api.stateFor(document.uri);
      return current?.version === document.version ? current : undefined;
    });
    const span = state.analysis.findings.find((f) => f.code === 'liveness-probe-stolen')!.span;
    const where = new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
    const diagnostics = await waitForDiagnostics(
      document.uri,
      'probes stolen (dirty)',
      (d) => STOLEN.every((c) => codes(d).includes(c)) && d.some((x) => x.range.isEqual(where)),
    );
    const liveness = diagnostics.find((d) => codes([d])[0] === 'liveness-probe-stolen' && d.range.isEqual(where))!;
    const actions =
      (await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        document.uri,
        liveness.range,
        vscode.CodeActionKind.QuickFix.value,
        50,
      )) ?? [];
    const fix = actions.find((a) => a.title === plain.title && a.edit);
    assert.ok(fix?.edit, `no resolved "${plain.title}" among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const at = noteOffset(fixedClean);
    assert.equal(document.getText(), fixedClean.slice(0, at) + NOTE + fixedClean.slice(at));
    assert.ok(document.isDirty, 'the document was saved or reverted');
    assert.equal(fs.readFileSync(document.uri.fsPath, 'utf8'), onDisk, 'the file on disk changed');
    tally.dirtyFixesKeptEdits += 1;
    tally.outcomes.push('fix on a dirty document: unsaved change and fix both present, disk untouched');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assertNoErrors(api, 'dirty fix');
  });
});
