import * as vscode from 'vscode';
import type { Analysis, Finding, Fix, TextEdit } from '../core/types';

/** Applies offset edits to a text (edits of one fix never overlap; applied back to front). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.offset - a.offset || b.length - a.length);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.offset) + edit.newText + result.slice(edit.offset + edit.length);
  return result;
}

/** A WorkspaceEdit for the document version the offsets were computed on (the caller checks it). */
export function toWorkspaceEdit(document: vscode.TextDocument, edits: TextEdit[]): vscode.WorkspaceEdit {
  const workspaceEdit = new vscode.WorkspaceEdit();
  for (const edit of edits) {
    const range = new vscode.Range(document.positionAt(edit.offset), document.positionAt(edit.offset + edit.length));
    workspaceEdit.replace(document.uri, range, edit.newText);
  }
  return workspaceEdit;
}

/** The one edit that turns `before` into `after`, keeping the common head and tail untouched. */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let head = 0;
  const max = Math.min(before.length, after.length);
  while (head < max && before.charCodeAt(head) === after.charCodeAt(head)) head++;
  let tail = 0;
  while (tail < max - head && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { offset: head, length: before.length - head - tail, newText: after.slice(head, after.length - tail) };
}

/** The fix "auto fix" applies for a finding: the preferred one, else the only one. */
export function preferredFix(finding: Finding): Fix | undefined {
  return finding.fixes.find((f) => f.isPreferred) ?? (finding.fixes.length === 1 ? finding.fixes[0] : undefined);
}

/**
 * Fix all: applies the preferred fix of the first fixable finding, re-analyses, and repeats, so
 * fixes that touch the same node (two probes under one `incoming`) compose instead of colliding.
 * Stops when nothing fixable is left or a fix stops making progress.
 */
export function fixAllText(text: string, analyze: (text: string) => Analysis, maxRounds = 20): string {
  let current = text;
  const seen = new Set<string>([current]);
  for (let round = 0; round < maxRounds; round++) {
    const fix = analyze(current)
      .findings.map(preferredFix)
      .find((f): f is Fix => f !== undefined && f.edits.length > 0);
    if (!fix) break;
    const next = applyEdits(current, fix.edits);
    if (seen.has(next)) break;
    seen.add(next);
    current = next;
  }
  return current;
}
