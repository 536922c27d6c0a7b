import * as vscode from 'vscode';
import type { AnalysisScheduler } from './analysisScheduler';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { findFix, fixAll, minimalEdit } from '../service/fixes';
import type { TextEdit } from '../core/types';
import { log } from './log';

export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('probeGuard');

/** What a code action needs to find its fix again when it is applied. */
interface FixIdentity {
  uri: vscode.Uri;
  /** The document version the action was listed for. */
  version: number;
  /** Undefined for the fix-all action. */
  finding?: { code: string; start: number; end: number };
  fixTitle?: string;
}

/** A WorkspaceEdit for the document version the offsets were computed on (the caller checks it). */
function toWorkspaceEdit(document: vscode.TextDocument, edits: TextEdit[]): vscode.WorkspaceEdit {
  const workspaceEdit = new vscode.WorkspaceEdit();
  for (const edit of edits) {
    const range = new vscode.Range(document.positionAt(edit.offset), document.positionAt(edit.offset + edit.length));
    workspaceEdit.replace(document.uri, range, edit.newText);
  }
  return workspaceEdit;
}

export class ProbeGuardAction extends vscode.CodeAction {
  constructor(
    title: string,
    kind: vscode.CodeActionKind,
    readonly identity: FixIdentity,
  ) {
    super(title, kind);
  }
}

/**
 * Quick fixes and the fix-all source action, straight from the findings' fixes. The edit is
 * computed in `resolveCodeAction`, when the user picks the action: if the document changed since
 * the action was listed, the current text is re-analysed and the same fix (by code and title) is
 * taken from it; if it no longer exists the action is refused. Stale offsets are never applied.
 */
export class ProbeGuardCodeActions implements vscode.CodeActionProvider<ProbeGuardAction> {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  constructor(private readonly scheduler: AnalysisScheduler) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): ProbeGuardAction[] {
    const state = this.scheduler.stateFor(document);
    const actions: ProbeGuardAction[] = [];
    const wants = (kind: vscode.CodeActionKind) => !context.only || context.only.contains(kind) || kind.contains(context.only);
    const fixable = state.analysis.findings.filter((f) => f.fixes.length > 0);

    if (wants(vscode.CodeActionKind.QuickFix)) {
      const offered = new Map<string, ProbeGuardAction>();
      for (const finding of fixable) {
        const findingRange = new vscode.Range(document.positionAt(finding.span.start), document.positionAt(finding.span.end));
        if (!findingRange.intersection(range)) continue;
        const diagnostics = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && codeOf(d) === finding.code && d.range.isEqual(findingRange));
        for (const fix of finding.fixes) {
          // Two findings (liveness and readiness) often share one fix: offer it once, for both.
          const sameFix = `${fix.title}\u0000${JSON.stringify(fix.edits)}`;
          const existing = offered.get(sameFix);
          if (existing) {
            existing.diagnostics = [...(existing.diagnostics ?? []), ...diagnostics];
            existing.isPreferred ||= fix.isPreferred;
            continue;
          }
          const action = new ProbeGuardAction(fix.title, vscode.CodeActionKind.QuickFix, {
            uri: document.uri,
            version: state.version,
            finding: { code: finding.code, start: finding.span.start, end: finding.span.end },
            fixTitle: fix.title,
          });
          action.isPreferred = fix.isPreferred;
          action.diagnostics = diagnostics;
          offered.set(sameFix, action);
          actions.push(action);
        }
      }
    }
    if (fixable.length > 0 && context.only && wants(FIX_ALL_KIND)) {
      const action = new ProbeGuardAction(vscode.l10n.t('Fix all probe risks in this file'), FIX_ALL_KIND, { uri: document.uri, version: state.version });
      action.diagnostics = context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
      actions.push(action);
    }
    return actions;
  }

  resolveCodeAction(action: ProbeGuardAction): ProbeGuardAction {
    // Resolved again (picked twice): decide again on the current text.
    action.edit = undefined;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === action.identity.uri.toString());
    if (!document) return action;
    const state = this.scheduler.stateFor(document);
    if (!action.identity.finding) {
      const text = document.getText();
      const edit = minimalEdit(text, fixAll(text, (t) => this.scheduler.analyzeText(document, t, state.resolution)).text);
      action.edit = toWorkspaceEdit(document, edit ? [edit] : []);
      return action;
    }
    const wanted = action.identity.finding;
    const fix = findFix(state.analysis, { ...wanted, version: action.identity.version, title: action.identity.fixTitle ?? '' }, state.version);
    if (!fix) {
      // Refuse rather than guess: the finding was fixed or changed since the action was listed.
      log().info(`Quick fix "${action.identity.fixTitle}" no longer applies to ${document.uri.fsPath}.`);
      void vscode.window.showInformationMessage(vscode.l10n.t('The fix "{0}" no longer applies: the file changed.', action.identity.fixTitle ?? ''));
      return action;
    }
    // `state` is for `document.version`: its offsets are exact for the current text.
    action.edit = toWorkspaceEdit(document, fix.edits);
    return action;
  }
}

function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}
