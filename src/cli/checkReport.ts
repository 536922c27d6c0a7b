import { LineIndex } from '../core/text/lineIndex';
import type { Analysis, Finding, Range, ResolveResult, RuleCode, Severity } from '../core/types';

/** Everything one `check` produced, in the shape of the CLI's JSON contract. */
export interface CheckReport {
  config: string;
  target: { kind: string; name: string | null; namespace: string; container: string | null } | null;
  source: 'manifest' | 'cluster' | null;
  probes: {
    container: string;
    probe: 'liveness' | 'readiness' | 'startup';
    handler: 'httpGet' | 'grpc' | 'tcpSocket' | 'exec';
    port: number | null;
    path: string | null;
    verdict: 'stolen' | 'safe' | 'unknown';
    reason: string;
  }[];
  findings: { code: RuleCode; severity: Severity; message: string; range: Range }[];
}

export function buildCheckReport(configPath: string, text: string, analysis: Analysis, resolution: ResolveResult | undefined, namespace: string): CheckReport {
  const lines = new LineIndex(text);
  const ref = analysis.target.ref;
  return {
    config: configPath,
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
          namespace: resolution?.ok ? resolution.target.namespace : namespace,
          container: ref.container ?? null,
        }
      : null,
    source: resolution?.ok ? resolution.target.origin.source : null,
    probes: analysis.probes.map((v) => ({
      container: v.probe.container,
      probe: v.probe.probe,
      handler: v.probe.handler,
      port: v.probe.port ?? null,
      path: v.probe.handler === 'httpGet' ? (v.probe.path ?? '/') : null,
      verdict: v.verdict,
      reason: v.reason,
    })),
    findings: analysis.findings.map((f: Finding) => ({ code: f.code, severity: f.severity, message: f.message, range: lines.rangeOf(f.span) })),
  };
}

/** Exit code 1: a liveness or readiness probe would be stolen. */
export function stealsLivenessOrReadiness(analysis: Analysis): boolean {
  return analysis.probes.some((p) => p.verdict === 'stolen' && p.probe.probe !== 'startup');
}
