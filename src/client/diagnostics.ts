import * as vscode from 'vscode';
import { ruleDocsUrl, type RuleCode } from '../service/rules';
import type { Finding, Severity } from '../core/types';
import type { DocumentState } from './analysisScheduler';

export const DIAGNOSTIC_SOURCE = 'Probe Guard';
/** Each rule is documented under its code's heading in docs/rules.md (shared with SARIF). */
export function ruleDocsUri(code: RuleCode): vscode.Uri {
  return vscode.Uri.parse(ruleDocsUrl(code));
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/**
 * Turns the engine's findings into diagnostics. Offsets belong to `state.version`: the caller only
 * publishes a state for the document's current version, so `document.positionAt` is exact.
 */
export function toDiagnostics(document: vscode.TextDocument, state: DocumentState): vscode.Diagnostic[] {
  return state.analysis.findings.map((finding) => toDiagnostic(document, finding));
}

function toDiagnostic(document: vscode.TextDocument, finding: Finding): vscode.Diagnostic {
  const range = new vscode.Range(document.positionAt(finding.span.start), document.positionAt(finding.span.end));
  const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity] ?? vscode.DiagnosticSeverity.Warning);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = { value: finding.code, target: ruleDocsUri(finding.code) };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((related) => {
      const uri = related.file ? vscode.Uri.file(related.file) : document.uri;
      const location = new vscode.Location(uri, new vscode.Position(Math.max(0, related.line), 0));
      return new vscode.DiagnosticRelatedInformation(location, related.message);
    });
  }
  return diagnostic;
}

/** Owns the collection; publishes a state only when it matches the open document's version. */
export class DiagnosticsPublisher implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('probeGuard');

  publish(state: DocumentState): void {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === state.uri.toString());
    if (!document || document.version !== state.version) return;
    this.collection.set(document.uri, toDiagnostics(document, state));
  }

  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
