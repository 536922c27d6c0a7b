import { formatTargetRef } from '../target/targetPath';
import { timeToAct } from '../k8s/probes';
import type { Analysis, LivePodStatus, ProbeInfo, ProbeVerdict, ResolveResult } from '../types';

/** Where the lookup went, for the heading (never a credential). */
export interface ClusterLabel {
  context?: string;
  namespace?: string;
  server?: string;
}

const VERDICT_ICON: Record<ProbeVerdict['verdict'], string> = { stolen: '⚠️ stolen', safe: '✅ safe', unknown: '❔ unknown' };

/** The probe table shown in the hover and in the "probe report" document. */
export function renderProbeReportMarkdown(analysis: Analysis, resolution: ResolveResult | undefined, cluster?: ClusterLabel): string {
  const lines: string[] = [];
  const ref = analysis.target.ref;
  const targetText = ref ? formatTargetRef(ref) : analysis.target.templated ? 'a templated target' : 'no target';
  lines.push(`**Probe Guard** · target \`${escapeCode(targetText)}\``);
  lines.push('');
  lines.push(`Incoming mode: **${analysis.steals === true ? 'steal' : analysis.steals === 'unknown' ? 'unknown (templated)' : 'not stealing'}**`);
  if (resolution?.ok) {
    const origin = resolution.target.origin;
    const where =
      origin.source === 'cluster'
        ? `cluster${cluster?.context ? ` · context \`${escapeCode(cluster.context)}\`` : ''}${cluster?.server ? ` · ${escapeCell(cluster.server)}` : ''}`
        : `manifest${origin.file ? ` \`${escapeCode(origin.file)}\`` : ''}`;
    lines.push(`Namespace \`${escapeCode(resolution.target.namespace)}\` · from ${where}`);
    lines.push('');
    lines.push(...livePodsTable(resolution.target.livePods));
    lines.push(...probeTables(analysis.probes));
  } else {
    if (cluster?.context || cluster?.namespace) {
      lines.push(`Context \`${escapeCode(cluster.context ?? '?')}\` · namespace \`${escapeCode(cluster.namespace ?? '?')}\``);
    }
    lines.push('');
    if (resolution && !resolution.ok) lines.push(`The target could not be resolved: ${escapeCell(resolution.failure.message)}`);
    else if (!ref || analysis.target.templated) lines.push('No concrete target to look up.');
    else lines.push('The target has not been looked up (cluster lookup off, or still running).');
    lines.push('');
    lines.push("Assumed: a typical httpGet probe with the kubelet's `User-Agent: kube-probe/<version>` on a stolen port.");
  }
  return lines.join('\n');
}

function livePodsTable(pods: LivePodStatus[] | undefined): string[] {
  if (!pods || pods.length === 0) return [];
  const lines = ['| Pod | Ready | Restarts | Last restart |', '|---|---|---|---|'];
  for (const pod of pods) {
    const last = pod.lastTermination ? `${pod.lastTermination}${pod.killedByLiveness ? ' (liveness probe failed)' : ''}` : '';
    lines.push(`| ${escapeCell(pod.name)} | ${pod.ready ? 'yes' : 'no'} | ${pod.restarts} | ${escapeCell(last)} |`);
  }
  lines.push('');
  return lines;
}

function probeTables(probes: ProbeVerdict[]): string[] {
  if (probes.length === 0) return ['The target\'s pods have no probes.'];
  const lines: string[] = [];
  const byContainer = new Map<string, ProbeVerdict[]>();
  for (const verdict of probes) {
    const key = `${verdict.probe.container}${verdict.probe.containerRole === 'sidecar' ? ' (sidecar)' : ''}`;
    byContainer.set(key, [...(byContainer.get(key) ?? []), verdict]);
  }
  for (const [container, verdicts] of byContainer) {
    lines.push(`**Container \`${escapeCode(container)}\`**`);
    lines.push('');
    lines.push('| Probe | Handler | Port | Path | Headers | Acts after | Verdict |');
    lines.push('|---|---|---|---|---|---|---|');
    for (const v of verdicts) {
      const p = v.probe;
      lines.push(
        `| ${p.probe} | ${p.handler} | ${escapeCell(portText(p))} | ${escapeCell(p.path ?? '')} | ${escapeCell(headerText(p))} | ${timeToAct(p)} s (${p.failureThreshold} × ${p.periodSeconds} s) | ${VERDICT_ICON[v.verdict]}: ${escapeCell(v.reason)} |`,
      );
    }
    lines.push('');
  }
  return lines;
}

export function portText(p: ProbeInfo): string {
  if (p.handler === 'exec') return '';
  if (p.port === undefined) return `${p.portName ?? '?'} (unresolved)`;
  return p.portName ? `${p.portName} (${p.port})` : String(p.port);
}

/** Only the headers a filter is likely to look at: the User-Agent and the probe's own. */
export function headerText(p: ProbeInfo): string {
  const headers = p.request?.headers ?? [];
  return headers
    .filter((h) => h.name !== 'accept' || h.value !== '*/*')
    .map((h) => `${h.name}: ${h.value}`)
    .join('; ');
}

function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/([*_`<>[\]])/g, '\\$1');
}

function escapeCode(text: string): string {
  return text.replace(/`/g, "'").replace(/[\r\n]+/g, ' ');
}
