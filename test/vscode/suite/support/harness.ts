import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ProbeGuardApi } from '../../../../src/client/extension';
import { waitFor } from '../../support/waitFor';

export const EXTENSION_ID = 'probe-guard.mirrord-probe-guard';

export async function probeGuard(): Promise<ProbeGuardApi> {
  const extension = vscode.extensions.getExtension<ProbeGuardApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.activate();
}

export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder');
  return vscode.Uri.joinPath(folder.uri, relative);
}

export async function openConfig(relative: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relative));
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}

export function ourDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Probe Guard');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

/** Waits (on diagnostics events) until our diagnostics of `uri` satisfy `predicate`. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  predicate: (diagnostics: vscode.Diagnostic[]) => boolean,
  timeoutMs = 30_000,
): Promise<vscode.Diagnostic[]> {
  return waitFor(
    `${what} (${vscode.workspace.asRelativePath(uri)}; now: ${describe(ourDiagnostics(uri))})`,
    () => {
      const diagnostics = ourDiagnostics(uri);
      return predicate(diagnostics) ? diagnostics : undefined;
    },
    { timeoutMs, events: [vscode.languages.onDidChangeDiagnostics] },
  ).catch((error: Error) => {
    throw new Error(`${error.message}; last: ${describe(ourDiagnostics(uri))}`);
  });
}

export function codes(diagnostics: vscode.Diagnostic[]): string[] {
  return diagnostics.map(codeOf).sort();
}

export function describe(diagnostics: vscode.Diagnostic[]): string {
  return JSON.stringify(diagnostics.map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}`));
}

/** Waits until the extension's state for the document matches (on analysis events). */
export function waitForState<T>(
  api: ProbeGuardApi,
  what: string,
  predicate: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  return waitFor(what, predicate, { timeoutMs, events: [api.onDidAnalyze as vscode.Event<unknown>] });
}

/** The range of the first occurrence of `needle` in the document. */
export function rangeOf(document: vscode.TextDocument, needle: string, from = 0): vscode.Range {
  const text = document.getText();
  const at = text.indexOf(needle, from);
  assert.ok(at >= 0, `"${needle}" not in ${document.uri.path}`);
  return new vscode.Range(document.positionAt(at), document.positionAt(at + needle.length));
}

/** Replaces the whole text (to restore a fixture between tests). */
export async function setText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'edit not applied');
}
