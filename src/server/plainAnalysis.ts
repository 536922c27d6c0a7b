import type { Analysis, Finding, Fix } from '../core/types';

/**
 * An analysis as plain data (structured-cloneable): findings whose fixes are planned lazily by
 * the engine are copied with their fixes planned (`withFixes`) or without any.
 */
export function toPlainAnalysis(analysis: Analysis, withFixes: boolean): Analysis {
  const findings: Finding[] = analysis.findings.map((finding) => {
    const plain: Finding = {
      code: finding.code,
      severity: finding.severity,
      message: finding.message,
      span: { start: finding.span.start, end: finding.span.end },
      fixes: withFixes
        ? finding.fixes.map((fix) => {
            const plainFix: Fix = { title: fix.title, isPreferred: fix.isPreferred, edits: fix.edits.map((e) => ({ ...e })) };
            if (fix.titleMessage) plainFix.titleMessage = { message: fix.titleMessage.message, args: [...fix.titleMessage.args] };
            return plainFix;
          })
        : [],
    };
    if (finding.related) plain.related = finding.related.map((r) => ({ ...r }));
    return plain;
  });
  return { ...analysis, findings };
}
