import type { CheckReport } from './checkReport';

const COLOURS = { red: '\x1b[31m', yellow: '\x1b[33m', green: '\x1b[32m', cyan: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };
type Colour = keyof typeof COLOURS;

/** The report for people; colour only when writing to a terminal. */
export function formatText(report: CheckReport, probeDescriptions: string[], notes: string[], colour: boolean): string {
  const paint = (c: Colour, text: string) => (colour ? `${COLOURS[c]}${text}${COLOURS.reset}` : text);
  const out: string[] = [];
  out.push(paint('bold', report.config));
  if (report.target) {
    const t = report.target;
    const container = t.container ? ` container ${t.container}` : '';
    const source = report.source ? ` (from ${report.source})` : ' (not resolved)';
    out.push(`target ${t.kind}${t.name ? `/${t.name}` : ''}${container} in namespace ${t.namespace}${source}`);
  } else {
    out.push('no target');
  }
  for (const note of notes) out.push(paint('dim', note));
  if (report.probes.length) {
    out.push('');
    out.push('probes:');
    report.probes.forEach((p, i) => {
      const verdict = p.verdict === 'stolen' ? paint('red', 'STOLEN ') : p.verdict === 'safe' ? paint('green', 'safe   ') : paint('yellow', 'unknown');
      out.push(`  ${verdict} ${p.container}: ${probeDescriptions[i]}`);
      out.push(`          ${paint('dim', p.reason)}`);
    });
  }
  if (report.findings.length) {
    out.push('');
    out.push('findings:');
    for (const f of report.findings) {
      const severity = f.severity === 'error' ? paint('red', 'error') : f.severity === 'warning' ? paint('yellow', 'warning') : paint('cyan', f.severity);
      out.push(`  ${report.config}:${f.range.start.line + 1}:${f.range.start.character + 1} ${severity} [${f.code}] ${f.message}`);
    }
  } else {
    out.push('');
    out.push(paint('green', 'no findings'));
  }
  return out.join('\n') + '\n';
}
