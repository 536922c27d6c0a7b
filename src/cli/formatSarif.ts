import { RULES, ruleDocsUrl } from '../service/rules';
import type { Log, Result } from 'sarif';
import type { Severity } from '../service/rules';
import type { CheckReport } from './checkReport';

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF 2.1.0 for code-scanning upload; positions are one-based there. */
export function formatSarif(report: CheckReport, version: string): string {
  const usedRules = [...new Set(report.findings.map((f) => f.code))];
  // Typed against @types/sarif so a field out of the 2.1.0 shape fails to compile.
  const sarif: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'probe-guard',
            version,
            informationUri: 'https://github.com/probe-guard/mirrord-probe-guard',
            // Each rule as the registry describes it (src/core/rules.ts).
            rules: usedRules.map((id) => ({
              id,
              name: RULES[id].title,
              shortDescription: { text: RULES[id].summary },
              fullDescription: { text: RULES[id].description },
              defaultConfiguration: { level: LEVEL[RULES[id].defaultSeverity] },
              helpUri: ruleDocsUrl(id),
            })),
          },
        },
        results: report.findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: usedRules.indexOf(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(report.config) },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}

/** A relative path with forward slashes, as code scanning expects for files in the repository. */
function toUri(file: string): string {
  return file.split('\\').join('/').split('/').map(encodeURIComponent).join('/');
}
