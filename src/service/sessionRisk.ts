/**
 * What a debug session under mirrord puts at risk, from the analysis of its config with the
 * launch's `MIRRORD_*` environment: the check before F5 and the breakpoint countdown both read it.
 *
 * - Target resolved (cluster or manifests): the liveness and readiness probes whose verdict is
 *   `stolen` and whose finding is reported (a finding turned `off` in `probeGuard.severity` does
 *   not prompt either). `conditional` and `unknown` verdicts do not prompt: Probe Guard only
 *   interrupts F5 for what mirrord would certainly steal.
 * - Target not known (Restricted Mode, lookup off or failed, no manifests): the static verdict.
 *   Steal with no filter, or a filter that matches the kubelet's request, takes the probes of a
 *   typical target; the session is at risk with Kubernetes' default probe timing, marked `assumed`.
 */
import { atRiskProbe, type AtRiskProbe } from '../core/report/breakpointCountdown';
import { PROBE_DEFAULTS } from '../core/k8s/probes';
import { formatTargetRef } from '../core/target/targetPath';
import type { Analysis, ProbeVerdict } from '../core/types';

export interface SessionRisk {
  /** The probes the session would steal (empty: nothing to ask about). */
  probes: AtRiskProbe[];
  /** The probes are not known: `probes` are the liveness and readiness probes a typical target has. */
  assumed: boolean;
  /** The target as written (`deployment/checkout`), when there is one. */
  target?: string;
}

const FINDING_OF: Record<AtRiskProbe['probe'], string> = { liveness: 'liveness-probe-stolen', readiness: 'readiness-probe-stolen' };
const STATIC_RISKS = new Set(['steal-without-filter', 'filter-selects-probes']);

export function sessionRisk(analysis: Analysis, targetResolved: boolean): SessionRisk {
  const target = analysis.target.ref ? formatTargetRef(analysis.target.ref) : undefined;
  const risk: SessionRisk = { probes: [], assumed: false };
  if (target) risk.target = target;
  if (analysis.steals === false) return risk;
  const reported = new Set(analysis.findings.map((f) => f.code as string));
  if (targetResolved) {
    const seen = new Set<string>();
    for (const verdict of analysis.probes) {
      if (!isLivenessOrReadiness(verdict) || verdict.verdict !== 'stolen' || !reported.has(FINDING_OF[verdict.probe.probe])) continue;
      // A Service or label target lists the same container's probe once per pod template.
      const key = `${verdict.probe.container}\u0000${verdict.probe.probe}\u0000${verdict.probe.port ?? ''}\u0000${verdict.probe.path ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      risk.probes.push(atRiskProbe({ ...verdict.probe, probe: verdict.probe.probe }));
    }
    return risk;
  }
  if (!analysis.findings.some((f) => STATIC_RISKS.has(f.code))) return risk;
  const container = analysis.target.ref?.container ?? analysis.target.ref?.name ?? target ?? 'the target';
  risk.assumed = true;
  for (const probe of ['liveness', 'readiness'] as const) {
    risk.probes.push(atRiskProbe({ container, probe, handler: 'httpGet', ...PROBE_DEFAULTS }));
  }
  return risk;
}

function isLivenessOrReadiness(verdict: ProbeVerdict): verdict is ProbeVerdict & { probe: { probe: 'liveness' | 'readiness' } } {
  return verdict.probe.probe === 'liveness' || verdict.probe.probe === 'readiness';
}
