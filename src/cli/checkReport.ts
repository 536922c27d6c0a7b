import { LineIndex } from '../core/text/lineIndex';
import type { Analysis, EnvOverride, Finding, Range, ResolveResult, RuleCode, Severity, Verdict } from '../core/types';
import type { FailOn } from './cliOptions';

export const EXIT = { ok: 0, failed: 1, usage: 2, unresolved: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Worst first: a run that could not read a config, a config that fails, a target not resolved, all clear. */
const EXIT_ORDER: readonly ExitCode[] = [EXIT.usage, EXIT.failed, EXIT.unresolved, EXIT.ok];

export function worstExit(codes: Iterable<ExitCode>): ExitCode {
  let worst: ExitCode = EXIT.ok;
  for (const code of codes) if (EXIT_ORDER.indexOf(code) < EXIT_ORDER.indexOf(worst)) worst = code;
  return worst;
}

/** One config in the report: the single-config fields of the JSON contract, plus how it ended. */
export interface ConfigReport {
  config: string;
  exitCode: ExitCode;
  /** Why the config could not be checked (unreadable, too large); null when it was. */
  error: string | null;
  target: { kind: string; name: string | null; namespace: string; container: string | null } | null;
  source: 'manifest' | 'cluster' | null;
  probes: {
    container: string;
    probe: 'liveness' | 'readiness' | 'startup';
    handler: 'httpGet' | 'grpc' | 'tcpSocket' | 'exec';
    /** The probe's port; for an exec probe, the port its command connects to (null when none). */
    port: number | null;
    path: string | null;
    /** `conditional` (added in 0.2): stolen only if the local app listens on `port`; see `condition`. */
    verdict: Verdict;
    reason: string;
    /** For `conditional`: the condition, one sentence; null otherwise. */
    condition: string | null;
    /** The workload or pod the probe belongs to (several for Service and label targets, or an ambiguous name). */
    workload: string;
  }[];
  findings: { code: RuleCode; severity: Severity; message: string; range: Range }[];
  /** The MIRRORD_* variables that replaced a value of this file. */
  environment: EnvOverride[];
  /** What the lookup said (cluster and context used, manifests skipped, why no lookup). */
  notes: string[];
}

export interface RunReport {
  tool: { name: 'probe-guard'; version: string };
  exitCode: ExitCode;
  failOn: FailOn;
  summary: {
    configs: number;
    failed: number;
    unresolved: number;
    unreadable: number;
    passed: number;
    findings: Record<Severity, number>;
  };
  configs: ConfigReport[];
}

export interface CheckedConfig {
  text: string;
  analysis: Analysis;
  resolution?: ResolveResult;
  namespace: string;
  notes: string[];
  unresolved: boolean;
}

export function buildConfigReport(config: string, checked: CheckedConfig, failOn: FailOn): ConfigReport {
  const { text, analysis, resolution } = checked;
  const lines = new LineIndex(text);
  const ref = analysis.target.ref;
  return {
    config,
    exitCode: configExit(analysis, checked.unresolved, failOn),
    error: null,
    target: ref
      ? {
          kind: ref.kind,
          name:
            ref.name ??
            (ref.labels
              ? Object.entries(ref.labels)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(',')
              : null),
          namespace: resolution?.ok ? resolution.target.namespace : checked.namespace,
          container: ref.container ?? null,
        }
      : null,
    source: resolution?.ok ? resolution.target.origin.source : null,
    probes: analysis.probes.map((v) => ({
      container: v.probe.container,
      probe: v.probe.probe,
      handler: v.probe.handler,
      port: v.probe.port ?? v.port ?? null,
      path: v.probe.handler === 'httpGet' ? (v.probe.path ?? '/') : null,
      verdict: v.verdict,
      reason: v.reason,
      condition: v.condition ?? null,
      workload: v.podDescription,
    })),
    // In file order, as compilers and linters print them (the engine groups them by rule); stable within a spot.
    findings: analysis.findings
      .map((f: Finding) => ({ code: f.code, severity: f.severity, message: f.message, range: lines.rangeOf(f.span) }))
      .sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character),
    environment: analysis.envOverrides,
    notes: checked.notes,
  };
}

export function unreadableConfigReport(config: string, error: string): ConfigReport {
  return { config, exitCode: EXIT.usage, error, target: null, source: null, probes: [], findings: [], environment: [], notes: [] };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * Whether a config fails the run. `stolen`: a liveness or readiness probe would be stolen, as its
 * finding says (so `--rule readiness-probe-stolen=off` lets a stolen readiness probe pass, and a
 * changed severity does not matter), or an error finding: a config mirrord would refuse to start
 * with fails like a stolen liveness probe. A severity: any finding at or above it.
 */
export function failsRun(analysis: Analysis, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  if (failOn === 'stolen') {
    return analysis.findings.some((f) => f.code === 'liveness-probe-stolen' || f.code === 'readiness-probe-stolen' || f.severity === 'error');
  }
  return analysis.findings.some((f) => SEVERITY_RANK[f.severity] <= SEVERITY_RANK[failOn]);
}

export function configExit(analysis: Analysis, unresolved: boolean, failOn: FailOn): ExitCode {
  if (failsRun(analysis, failOn)) return EXIT.failed;
  return unresolved ? EXIT.unresolved : EXIT.ok;
}

export function buildRunReport(configs: ConfigReport[], failOn: FailOn, version: string): RunReport {
  const findings: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const config of configs) for (const f of config.findings) findings[f.severity]++;
  const count = (code: ExitCode) => configs.filter((c) => c.exitCode === code).length;
  return {
    tool: { name: 'probe-guard', version },
    exitCode: worstExit(configs.map((c) => c.exitCode)),
    failOn,
    summary: {
      configs: configs.length,
      failed: count(EXIT.failed),
      unresolved: count(EXIT.unresolved),
      unreadable: count(EXIT.usage),
      passed: count(EXIT.ok),
      findings,
    },
    configs,
  };
}
