import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from '../core/types';
import { DIAGNOSTIC_SOURCE } from '../service/lspProtocol';
import { ruleDocsUrl } from '../service/rules';
import type { ServerState } from './documentAnalyzer';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * The findings as LSP diagnostics: `code` is the rule code, `codeDescription` links its section of
 * docs/rules.md, related information points at the probe's manifest line. Offsets belong to
 * `state.version`, which the caller checked is the document's version.
 */
export function toDiagnostics(document: TextDocument, state: ServerState): Diagnostic[] {
  return state.analysis.findings.map((finding) => toDiagnostic(document, finding));
}

function toDiagnostic(document: TextDocument, finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: { start: document.positionAt(finding.span.start), end: document.positionAt(finding.span.end) },
    severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Warning,
    code: finding.code,
    codeDescription: { href: ruleDocsUrl(finding.code) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((related) => {
      const line = Math.max(0, related.line);
      return {
        location: {
          uri: related.file ? pathToFileURL(related.file).href : document.uri,
          range: { start: { line, character: 0 }, end: { line, character: 0 } },
        },
        message: related.message,
      };
    });
  }
  return diagnostic;
}
