import type { ConfigReport, RunReport } from './checkReport';

const COLOURS = { red: '\x1b[31m', yellow: '\x1b[33m', green: '\x1b[32m', cyan: '\x1b[36m', dim: '\x1b[2m', bold: '\x1b[1m', reset: '\x1b[0m' };
type Colour = keyof typeof COLOURS;
type Paint = (colour: Colour, text: string) => string;

/** A config's report with what text needs besides the JSON contract. */
export interface TextEntry {
  report: ConfigReport;
  /** `describeProbe` of each probe, in the report's order. */
  probeDescriptions: string[];
}

export interface TextOptions {
  colour: boolean;
  /** Only the findings and the errors. */
  quiet: boolean;
}

/** The report for people: grouped per config, a summary line at the end. */
export function formatText(run: RunReport, entries: TextEntry[], options: TextOptions): string {
  const paint: Paint = (c, text) => (options.colour ? `${COLOURS[c]}${text}${COLOURS.reset}` : text);
  if (options.quiet) {
    const lines = entries.flatMap(({ report }) =>
      report.error ? [`${report.config}: ${paint('red', 'error')} ${report.error}`] : findingLines(report, paint),
    );
    return lines.length ? `${lines.join('\n')}\n` : '';
  }
  const blocks = entries.map((entry) => configBlock(entry, paint));
  return `${blocks.join('\n\n')}\n\n${summaryLine(run, paint)}\n`;
}

function configBlock({ report, probeDescriptions }: TextEntry, paint: Paint): string {
  const out: string[] = [paint('bold', report.config)];
  if (report.error) {
    out.push(`${paint('red', 'error')}: ${report.error}`);
    return out.join('\n');
  }
  if (report.target) {
    const t = report.target;
    const container = t.container ? ` container ${t.container}` : '';
    const source = report.source ? ` (from ${report.source})` : ' (not resolved)';
    out.push(`target ${t.kind}${t.name ? `/${t.name}` : ''}${container} in namespace ${t.namespace}${source}`);
  } else {
    out.push('no target');
  }
  for (const o of report.environment) out.push(`environment: ${o.name}=${o.value} (${o.effect})`);
  for (const note of report.notes) out.push(paint('dim', note));
  // Service and label targets (and an ambiguous name) cover several workloads: name each probe's.
  const namesWorkloads = new Set(report.probes.map((p) => p.workload)).size > 1 || report.target?.kind === 'service' || report.target?.kind === 'label';
  if (report.probes.length) {
    out.push('', 'probes:');
    report.probes.forEach((p, i) => {
      const verdict =
        p.verdict === 'stolen'
          ? paint('red', 'STOLEN ')
          : p.verdict === 'safe'
            ? paint('green', 'safe   ')
            : p.verdict === 'conditional'
              ? paint('cyan', 'maybe  ')
              : paint('yellow', 'unknown');
      const workload = namesWorkloads ? ` [${p.workload}]` : '';
      out.push(`  ${verdict} ${p.container}${workload}: ${probeDescriptions[i]}`);
      if (p.condition) out.push(`          ${p.condition}`);
      out.push(`          ${paint('dim', p.reason)}`);
    });
  }
  out.push('');
  if (report.findings.length) out.push('findings:', ...findingLines(report, paint).map((line) => `  ${line}`));
  else out.push(paint('green', 'no findings'));
  return out.join('\n');
}

/** `file:line:column severity [code] message`, one-based, as compilers print them. */
function findingLines(report: ConfigReport, paint: Paint): string[] {
  return report.findings.map((f) => {
    const severity = f.severity === 'error' ? paint('red', 'error') : f.severity === 'warning' ? paint('yellow', 'warning') : paint('cyan', f.severity);
    return `${report.config}:${f.range.start.line + 1}:${f.range.start.character + 1} ${severity} [${f.code}] ${f.message}`;
  });
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** e.g. `3 configs checked: 1 failed, 1 unresolved, 0 unreadable, 1 passed; findings: 1 error, 2 warnings, 0 information, 0 hints`. */
export function summaryLine(run: RunReport, paint: Paint = (_c, text) => text): string {
  const s = run.summary;
  const f = s.findings;
  const outcome = [
    s.failed ? paint('red', `${s.failed} failed`) : '0 failed',
    s.unresolved ? paint('yellow', `${s.unresolved} unresolved`) : '0 unresolved',
    s.unreadable ? paint('red', `${s.unreadable} unreadable`) : '0 unreadable',
    s.passed ? paint('green', `${s.passed} passed`) : '0 passed',
  ].join(', ');
  const findings = [plural(f.error, 'error'), plural(f.warning, 'warning'), `${f.information} information`, plural(f.hint, 'hint')].join(', ');
  return `${plural(s.configs, 'config')} checked: ${outcome}; findings: ${findings}`;
}
