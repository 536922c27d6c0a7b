import { getEntry } from '../config/configQuery';
import { cachedTranslation } from '../regex/translationCache';
import type { TargetReading } from '../target/readTarget';
import type { ConfigNode, Finding, Fix, ObjectEntry, ParsedConfig, Span, SyntaxProblem, TargetRef } from '../types';
import { keyModelFindings } from './keyModelFindings';
import { targetRuleFindings } from './targetRules';
import { valueRuleFindings } from './valueRules';
import type { NetworkSettings } from './readNetworkSettings';

/** What mirrord itself would reject, or what Probe Guard cannot check, in the file as written. */
export function configProblemFindings(
  parsed: ParsedConfig,
  settings: NetworkSettings,
  target: TargetReading,
  ref: TargetRef | undefined,
  mirrordVersion?: string,
): Finding[] {
  const findings: Finding[] = [];
  for (const problem of parsed.problems) {
    findings.push({ code: 'syntax-error', severity: 'error', message: problem.message, span: problem.span, fixes: problemFixes(problem) });
  }
  for (const problem of target.problems) {
    findings.push({ code: problem.code, severity: 'error', message: problem.message, span: problem.span, fixes: [] });
  }
  for (const problem of settings.problems) {
    findings.push({ code: problem.code, severity: problem.severity ?? 'error', message: problem.message, span: problem.span, fixes: [] });
  }
  if (ref?.kind === 'targetless' && settings.mode === 'steal') {
    findings.push({
      code: 'targetless-steal',
      severity: 'error',
      message: 'Steal mode needs a target: mirrord rejects "steal" with a targetless session.',
      span: settings.modeSpan ?? target.pathNode?.span ?? { start: 0, end: 0 },
      fixes: [],
    });
  }
  findings.push(...targetRuleFindings(parsed.root, settings, target, ref));
  findings.push(...regexFindings(settings));
  findings.push(...valueRuleFindings(parsed.root, mirrordVersion));
  // The key model covers the whole file; where a reader above already explained a value, its
  // more specific finding stands alone.
  const explained = findings.filter((f) => f.code !== 'syntax-error');
  for (const finding of keyModelFindings(parsed)) {
    if (finding.code !== 'unknown-key' && finding.code !== 'schema-key' && explained.some((f) => overlaps(f.span, finding.span))) continue;
    findings.push(finding);
  }
  return findings;
}

/** The byte order mark mirrord's JSON parser refuses: removing it changes nothing else. */
function problemFixes(problem: SyntaxProblem): Fix[] {
  if (!problem.byteOrderMark) return [];
  return [{ title: 'Remove the byte order mark', isPreferred: true, edits: [{ offset: 0, length: 1, newText: '' }] }];
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Every filter regex in the file: invalid ones are mirrord errors; untranslatable ones cannot be checked. */
function regexFindings(settings: NetworkSettings): Finding[] {
  const findings: Finding[] = [];
  const filterNode = settings.httpFilter.entry?.value;
  for (const { entry, node } of regexNodes(filterNode)) {
    if (node.kind !== 'scalar' || typeof node.value !== 'string' || node.value === '') continue;
    const translation = cachedTranslation(node.value);
    if (translation.ok) continue;
    if (translation.reason === 'invalid') {
      findings.push({ code: 'invalid-regex', severity: 'error', message: `Invalid regex in ${entry.key}: ${translation.message}`, span: node.span, fixes: [] });
    } else {
      findings.push({
        code: 'regex-not-checked',
        severity: 'information',
        message: `Probe Guard cannot check this regex against the probes (${translation.message}); verdicts that depend on it are "unknown".`,
        span: node.span,
        fixes: [],
      });
    }
  }
  return findings;
}

function regexNodes(filterNode: ConfigNode | undefined): { entry: ObjectEntry; node: ConfigNode }[] {
  const found: { entry: ObjectEntry; node: ConfigNode }[] = [];
  if (filterNode?.kind !== 'object') return found;
  for (const entry of filterNode.entries) {
    if (entry.key === 'header_filter' || entry.key === 'path_filter') found.push({ entry, node: entry.value });
    if ((entry.key === 'all_of' || entry.key === 'any_of') && entry.value.kind === 'array') {
      for (const item of entry.value.items) {
        for (const key of ['header', 'path']) {
          const inner = getEntry(item, key);
          if (inner) found.push({ entry: inner, node: inner.value });
        }
      }
    }
  }
  return found;
}
