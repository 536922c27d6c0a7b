/**
 * Quick fixes and "Fix all probe risks in this file" over LSP. Fixes are planned in the worker
 * pool's interactive lane (never behind an analysis), once per document version. An action is
 * listed without its edit and resolved when the user picks it (`codeAction/resolve`): on the
 * then current text, the same fix is found again (by code and title) or refused with a message,
 * so stale offsets are never applied. Clients that cannot resolve get the edit at once, as a
 * versioned TextDocumentEdit where they support it (the client refuses it on a changed file).
 */
import * as l10n from '@vscode/l10n';
import {
  CodeActionKind,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { configFormatForFileName } from '../core/config/configFormat';
import type { Analysis, Fix, ResolveResult, TextEdit } from '../core/types';
import { findFix, minimalEdit } from '../service/fixes';
import type { ServiceLog } from '../service/log';
import { DIAGNOSTIC_SOURCE, FIX_ALL_KIND } from '../service/lspProtocol';
import { toTransferable } from '../service/transferableResolution';
import { wireOptions, type DocumentAnalyzer, type DocumentEnvironment } from './documentAnalyzer';
import { uriPathOrName } from './uris';
import type { WorkerPool } from './workerPool';
import { answerOf, type AnalyzeJob } from './workerJobs';

interface ActionData {
  uri: string;
  version: number;
  fixAll?: true;
  code?: string;
  start?: number;
  end?: number;
  title?: string;
}

export interface PlannerHost {
  pool: WorkerPool;
  analyzer: DocumentAnalyzer;
  environment(uri: string): Promise<DocumentEnvironment>;
  document(uri: string): TextDocument | undefined;
  capabilities(): ClientCapabilities;
  log: ServiceLog;
  showMessage(message: string): void;
}

interface Plan {
  version: number;
  resolution?: ResolveResult;
  analysis: Promise<Analysis>;
}

export class CodeActionPlanner {
  private readonly plans = new Map<string, Plan>();

  constructor(private readonly host: PlannerHost) {}

  forget(uri: string): void {
    this.plans.delete(uri);
  }

  async list(params: CodeActionParams, token: CancellationToken): Promise<CodeAction[]> {
    const document = this.host.document(params.textDocument.uri);
    if (!document) return [];
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`) || o.startsWith(`${kind}.`));
    if (!wants(CodeActionKind.QuickFix) && !(only && wants(FIX_ALL_KIND))) return [];
    const version = document.version;
    const analysis = await this.plan(document);
    if (token.isCancellationRequested) return [];
    const fixable = analysis.findings.filter((f) => f.fixes.length > 0);
    const resolvesEdits = this.host.capabilities().textDocument?.codeAction?.resolveSupport?.properties.includes('edit') === true;
    const ours = params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      const from = document.offsetAt(params.range.start);
      const to = document.offsetAt(params.range.end);
      const offered = new Map<string, CodeAction>();
      for (const finding of fixable) {
        if (finding.span.start > to || finding.span.end < from) continue;
        const range = { start: document.positionAt(finding.span.start), end: document.positionAt(finding.span.end) };
        const diagnostics = ours.filter((d) => String(d.code) === finding.code && sameRange(d, range));
        for (const fix of finding.fixes) {
          // Two findings (liveness and readiness) often share one fix: offer it once, for both.
          const sameFix = `${fix.title}\u0000${JSON.stringify(fix.edits)}`;
          const existing = offered.get(sameFix);
          if (existing) {
            existing.diagnostics = [...(existing.diagnostics ?? []), ...diagnostics];
            existing.isPreferred ||= fix.isPreferred;
            continue;
          }
          const data: ActionData = { uri: document.uri, version, code: finding.code, start: finding.span.start, end: finding.span.end, title: fix.title };
          // The English title stays the fix's identity (data.title); the user reads it translated.
          const action: CodeAction = { title: displayTitle(fix), kind: CodeActionKind.QuickFix, diagnostics, isPreferred: fix.isPreferred, data };
          if (!resolvesEdits) action.edit = this.workspaceEdit(document, fix.edits);
          offered.set(sameFix, action);
          actions.push(action);
        }
      }
    }
    if (fixable.length > 0 && only && wants(FIX_ALL_KIND)) {
      const data: ActionData = { uri: document.uri, version, fixAll: true };
      const action: CodeAction = { title: l10n.t('Fix all probe risks in this file'), kind: FIX_ALL_KIND, diagnostics: ours, data };
      if (!resolvesEdits) action.edit = await this.fixAllEdit(document);
      actions.push(action);
    }
    return actions;
  }

  async resolve(action: CodeAction, token: CancellationToken): Promise<CodeAction> {
    const data = action.data as ActionData | undefined;
    // Resolved again (picked twice): decide again on the current text.
    const resolved: CodeAction = { ...action, edit: undefined };
    const document = data && typeof data.uri === 'string' ? this.host.document(data.uri) : undefined;
    if (!document || !data) return resolved;
    if (data.fixAll) {
      resolved.edit = await this.fixAllEdit(document);
      return resolved;
    }
    const analysis = await this.plan(document);
    if (token.isCancellationRequested) return resolved;
    const fix = findFix(
      analysis,
      { version: data.version, code: data.code ?? '', start: data.start ?? 0, end: data.end ?? 0, title: data.title ?? '' },
      document.version,
    );
    if (!fix) {
      // Refuse rather than guess: the finding was fixed or changed since the action was listed.
      this.host.log.info(`Quick fix "${data.title}" no longer applies to ${document.uri}.`);
      this.host.showMessage(l10n.t('The fix "{0}" no longer applies: the file changed.', data.title ?? ''));
      return resolved;
    }
    resolved.edit = this.workspaceEdit(document, fix.edits);
    return resolved;
  }

  /** The findings with their fixes for the document's current version (planned once per version). */
  private plan(document: TextDocument): Promise<Analysis> {
    const current = this.host.analyzer.currentResolution(document.uri);
    const known = this.plans.get(document.uri);
    if (known && known.version === document.version && known.resolution === current?.resolution) return known.analysis;
    const analysis = this.job(document, 'plan').then((answer) => answerOf(answer, 'analysis').analysis);
    const plan: Plan = { version: document.version, resolution: current?.resolution, analysis };
    this.plans.set(document.uri, plan);
    analysis.catch(() => {
      if (this.plans.get(document.uri) === plan) this.plans.delete(document.uri);
    });
    return analysis;
  }

  private async fixAllEdit(document: TextDocument): Promise<WorkspaceEdit | undefined> {
    const text = document.getText();
    const { result } = answerOf(await this.job(document, 'fixAll'), 'fixAll');
    const edit = minimalEdit(text, result.text);
    return edit ? this.workspaceEdit(document, [edit]) : undefined;
  }

  private async job(document: TextDocument, kind: AnalyzeJob['kind']) {
    const environment = await this.host.environment(document.uri);
    const current = this.host.analyzer.currentResolution(document.uri);
    const job: AnalyzeJob = {
      kind,
      text: document.getText(),
      format: configFormatForFileName(uriPathOrName(document.uri)),
      options: wireOptions(environment),
      candidate: current ? { request: JSON.stringify(current.request), resolution: toTransferable(current.resolution)! } : undefined,
    };
    return this.host.pool.run(job, { lane: 'interactive' });
  }

  private workspaceEdit(document: TextDocument, edits: TextEdit[]): WorkspaceEdit {
    const lspEdits: LspTextEdit[] = edits.map((edit) => ({
      range: { start: document.positionAt(edit.offset), end: document.positionAt(edit.offset + edit.length) },
      newText: edit.newText,
    }));
    if (this.host.capabilities().workspace?.workspaceEdit?.documentChanges) {
      return { documentChanges: [{ textDocument: { uri: document.uri, version: document.version }, edits: lspEdits }] };
    }
    return { changes: { [document.uri]: lspEdits } };
  }
}

function sameRange(diagnostic: Diagnostic, range: Diagnostic['range']): boolean {
  const a = diagnostic.range;
  return (
    a.start.line === range.start.line && a.start.character === range.start.character && a.end.line === range.end.line && a.end.character === range.end.character
  );
}

/** A fix's title in the user's language (the bundle's message for it), else the English title. */
function displayTitle(fix: Fix): string {
  return fix.titleMessage ? l10n.t(fix.titleMessage.message, ...fix.titleMessage.args) : fix.title;
}
