import { matchFilter } from '../filter/httpFilter';
import { describeProbe } from '../k8s/probes';
import { breakpointWindowText } from '../report/probeTiming';
import { probesNeedWorkload } from '../report/verdictText';
import type { Finding, PodSource, ProbeInfo, ProbeRequest, ProbeVerdict, RelatedLocation, ResolveFailure, ResolveResult, Span, TargetSummary } from '../types';
import type { AnalysisState } from './analysisState';
import type { ProbeDecision } from './probeVerdict';
import { sentence } from '../text/sentence';

/** The request a typical httpGet probe sends, for judging a config before its target is known. */
export const TYPICAL_PROBE_REQUEST: ProbeRequest = {
  method: 'GET',
  path: '/healthz',
  pathAndQuery: '/healthz',
  headers: [
    { name: 'user-agent', value: 'kube-probe/1.30' },
    { name: 'accept', value: '*/*' },
  ],
};

const NO_SPAN: Span = { start: 0, end: 0 };

/** One finding per liveness, readiness or startup probe that the session would (or might) take. */
export function probeFindings(state: AnalysisState, decided: { verdict: ProbeVerdict; decision: ProbeDecision; pod: PodSource }[]): Finding[] {
  const findings: Finding[] = [];
  const named = probesNeedWorkload(decided.map((d) => d.verdict)) || state.targetRef?.kind === 'service' || state.targetRef?.kind === 'label';
  for (const { verdict, decision, pod } of decided) {
    const probe = verdict.probe;
    if (probe.handler === 'tcpSocket') continue;
    const subject = `${capitalise(probe.probe)} probe of container "${probe.container}"${named ? ` of ${verdict.podDescription}` : ''} (${describeProbe(probe)})`;
    if (verdict.verdict === 'stolen') {
      findings.push({
        code: `${probe.probe}-probe-stolen`,
        severity: probe.probe === 'liveness' ? 'error' : probe.probe === 'readiness' ? 'warning' : 'information',
        message: stolenMessage(subject, probe, decision, state),
        span: decision.span ?? state.settings.modeSpan ?? NO_SPAN,
        fixes: [],
        related: relatedProbeLocation(state, probe, pod),
      });
    } else if (verdict.verdict === 'conditional') {
      findings.push({
        code: 'sidecar-probe-conditional',
        severity: 'information',
        message: `${subject} is ${verdict.condition} It would be stolen because ${sentence(lowerFirst(decision.reason))}`,
        span: decision.span ?? state.settings.modeSpan ?? NO_SPAN,
        fixes: [],
        related: relatedProbeLocation(state, probe, pod),
      });
    } else if (verdict.verdict === 'unknown' && probe.probe !== 'startup') {
      findings.push({
        code: 'probe-verdict-unknown',
        severity: 'information',
        message: `Cannot tell whether the ${lowerFirst(subject)} would be stolen: ${verdict.reason}`,
        span: state.settings.httpFilter.entry?.keySpan ?? state.settings.modeSpan ?? NO_SPAN,
        fixes: [],
        related: relatedProbeLocation(state, probe, pod),
      });
    }
  }
  return findings;
}

function stolenMessage(subject: string, probe: ProbeInfo, decision: ProbeDecision, state: AnalysisState): string {
  const head = `${subject} would be stolen: ${sentence(decision.reason)}`;
  const timing = breakpointWindowText(probe);
  const rule =
    decision.cause === 'port-outside-filter-ports' || decision.cause === 'old-rule-incoming-ports'
      ? ` [rule: ${state.context.filterPortsRule === 'unlisted-ports-stolen-whole' ? 'mirrord 3.181 and later' : 'mirrord before 3.181'}]`
      : '';
  switch (probe.probe) {
    case 'liveness':
      return `${head} If the local app answers it badly or not at all (a breakpoint is enough), Kubernetes restarts the remote container ${timing}.${rule}`;
    case 'readiness':
      return `${head} If the local app answers it badly or not at all, Kubernetes takes the pod out of its Services ${timing}.${rule}`;
    default:
      return `${head} The target is already running, so this only matters if the container restarts during the session.${rule}`;
  }
}

function relatedProbeLocation(state: AnalysisState, probe: ProbeInfo, pod: PodSource): RelatedLocation[] | undefined {
  const resolution = state.resolution;
  if (!resolution?.ok) return undefined;
  const origin = pod.origin ?? resolution.target.origin;
  const line = origin.lineOf?.(probe.specPath);
  if (line === undefined) return undefined;
  return [{ message: `${probe.probe} probe of container "${probe.container}"`, file: origin.file, line }];
}

/** Several manifest objects share the target's kind, name and namespace: every one was judged. */
export function ambiguousTargetFinding(resolution: ResolveResult & { ok: true }, target: TargetSummary): Finding | undefined {
  const candidates = resolution.target.candidates;
  if (!candidates || candidates.length < 2) return undefined;
  const where = candidates.map((c) => c.where).join(', ');
  return {
    code: 'ambiguous-target',
    severity: 'warning',
    message: `The target matches ${candidates.length} objects in the manifests (${where}). Probe Guard judged the probes of every one; mirrord uses whichever the cluster has.`,
    span: target.span ?? NO_SPAN,
    fixes: [],
    related: candidates.filter((c) => c.line !== undefined).map((c) => ({ message: `candidate ${c.description}`, file: c.file, line: c.line as number })),
  };
}

/**
 * Before the target is known: steal with no filter takes every probe on the stolen ports, and a
 * filter that matches a kubelet request selects exactly the probes (the copied mistake).
 */
export function staticRiskFindings(state: AnalysisState): Finding[] {
  const { settings } = state;
  if (settings.mode !== 'steal' || settings.copyTarget !== false) return [];
  if (state.targetRef?.kind === 'targetless') return [];
  const filter = settings.httpFilter;
  if (filter.specs.length === 0) {
    return [
      {
        code: 'steal-without-filter',
        severity: 'warning',
        message:
          'Steal mode with no http_filter takes every request on the stolen ports, the kubelet\'s liveness and readiness probes included: the local app must answer them, or Kubernetes restarts the remote container (21 to 31 s after it stops answering, with the default probe settings). Add a filter that leaves "kube-probe" requests to the pod.',
        span: settings.modeSpan ?? NO_SPAN,
        fixes: [],
      },
    ];
  }
  const findings: Finding[] = [];
  for (const part of filter.parts) {
    const match = matchFilter(part.spec, TYPICAL_PROBE_REQUEST, state.context.regexRunner);
    if (match.result !== 'match') continue;
    findings.push({
      code: 'filter-selects-probes',
      severity: 'warning',
      message: `This filter matches a typical kubelet probe (GET /healthz with the kubelet's headers; the target's own probes are not known yet): ${match.reason}. A filter chooses what to STEAL, so it takes the liveness and readiness probes away from the pod. Exclude them instead, e.g. "^User-Agent: (?!kube-probe)".`,
      span: part.entry.value.span,
      fixes: [],
    });
  }
  return findings;
}

export function unresolvedTargetFinding(failure: ResolveFailure, target: TargetSummary): Finding {
  return {
    code: 'target-unresolved',
    severity: 'information',
    message: `The target's probes could not be checked: ${failure.message}`,
    span: target.span ?? NO_SPAN,
    fixes: [],
  };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
