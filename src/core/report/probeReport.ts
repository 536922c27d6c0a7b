import { formatTargetRef } from '../target/targetPath';
import { timeToAct } from '../k8s/probes';
import type { Analysis, LivePodStatus, ProbeInfo, ProbeVerdict, ResolveResult } from '../types';

/** Where the lookup went, for the heading (never a credential). */
export interface ClusterLabel {
  context?: string;
  namespace?: string;
  server?: string;
}

/**
 * Localises a message with `{0}`-style placeholders; the editor passes `vscode.l10n.t`, the
 * engine (which cannot import vscode) defaults to English.
 */
export type Translate = (message: string, ...args: string[]) => string;

export const englishOnly: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)] ?? '');

/** The probe table shown in the hover and in the "probe report" document. */
export function renderProbeReportMarkdown(
  analysis: Analysis,
  resolution: ResolveResult | undefined,
  cluster?: ClusterLabel,
  t: Translate = englishOnly,
): string {
  const lines: string[] = [];
  const ref = analysis.target.ref;
  const targetText = ref ? `\`${escapeCode(formatTargetRef(ref))}\`` : analysis.target.templated ? t('a templated target') : t('no target');
  const mode = analysis.steals === true ? 'steal' : analysis.steals === 'unknown' ? t('unknown (templated)') : t('not stealing');
  lines.push(`**Probe Guard** · ${t('target {0}', targetText)} · ${t('incoming mode: {0}', `**${mode}**`)}`, '');
  const where: string[] = [];
  if (resolution?.ok) {
    const origin = resolution.target.origin;
    where.push(t('namespace {0}', `\`${escapeCode(resolution.target.namespace)}\``));
    if (origin.source === 'cluster') {
      if (cluster?.context) where.push(t('context {0}', `\`${escapeCode(cluster.context)}\``));
      if (cluster?.server) where.push(escapeCell(cluster.server));
    } else {
      where.push(t('from manifest {0}', origin.file ? `\`${escapeCode(origin.file)}\`` : ''));
    }
  } else {
    if (cluster?.context) where.push(t('context {0}', `\`${escapeCode(cluster.context)}\``));
    if (cluster?.namespace) where.push(t('namespace {0}', `\`${escapeCode(cluster.namespace)}\``));
  }
  if (where.length) lines.push(where.join(' · '), '');
  if (resolution?.ok) {
    // The verdicts first: the live pods are the evidence, below.
    lines.push(...probeTables(analysis.probes, t));
    lines.push(...livePodsTable(resolution.target.livePods, t));
  } else {
    if (resolution && !resolution.ok) lines.push(t('The target could not be resolved: {0}', escapeCell(resolution.failure.message)));
    else if (!ref || analysis.target.templated) lines.push(t('No concrete target to look up.'));
    else lines.push(t('The target has not been looked up (cluster lookup off, or still running).'));
    lines.push('');
    lines.push(t("Assumed: a typical httpGet probe with the kubelet's {0} on a stolen port.", '`User-Agent: kube-probe/<version>`'));
  }
  return lines.join('\n');
}

function livePodsTable(pods: LivePodStatus[] | undefined, t: Translate): string[] {
  if (!pods || pods.length === 0) return [];
  const lines = [`| ${t('Pod')} | ${t('Ready')} | ${t('Restarts')} | ${t('Last restart')} |`, '|---|---|---|---|'];
  for (const pod of pods) {
    const last = pod.lastTermination ? `${pod.lastTermination}${pod.killedByLiveness ? ` (${t('liveness probe failed')})` : ''}` : '';
    lines.push(`| ${escapeCell(pod.name)} | ${pod.ready ? t('yes') : t('no')} | ${pod.restarts} | ${escapeCell(last)} |`);
  }
  lines.push('');
  return lines;
}

const VERDICT_ICON: Record<ProbeVerdict['verdict'], string> = { stolen: '⚠️', safe: '✅', unknown: '❔' };

function probeTables(probes: ProbeVerdict[], t: Translate): string[] {
  if (probes.length === 0) return [t("The target's pods have no probes.")];
  const lines: string[] = [];
  const byContainer = new Map<string, ProbeVerdict[]>();
  for (const verdict of probes) {
    const key = verdict.probe.containerRole === 'sidecar' ? t('{0} (sidecar)', verdict.probe.container) : verdict.probe.container;
    byContainer.set(key, [...(byContainer.get(key) ?? []), verdict]);
  }
  const verdictWord: Record<ProbeVerdict['verdict'], string> = { stolen: t('stolen'), safe: t('safe'), unknown: t('unknown') };
  for (const [container, verdicts] of byContainer) {
    lines.push(`**${t('Container {0}', `\`${escapeCode(container)}\``)}**`, '');
    lines.push(`| ${t('Probe')} | ${t('Handler')} | ${t('Port')} | ${t('Path')} | ${t('Headers')} | ${t('Acts after')} | ${t('Verdict')} |`);
    lines.push('|---|---|---|---|---|---|---|');
    for (const v of verdicts) {
      const p = v.probe;
      const actsAfter = `${timeToAct(p)} s (${p.failureThreshold} × ${p.periodSeconds} s)`;
      const verdict = `${VERDICT_ICON[v.verdict]} ${verdictWord[v.verdict]}: ${escapeCell(v.reason)}`;
      lines.push(
        `| ${p.probe} | ${p.handler} | ${escapeCell(portText(p))} | ${escapeCell(p.path ?? '')} | ${escapeCell(headerText(p))} | ${actsAfter} | ${verdict} |`,
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

/** Only the headers a filter is likely to care about: not the kubelet's fixed Accept and Connection. */
export function headerText(p: ProbeInfo): string {
  const headers = p.request?.headers ?? [];
  return headers
    .filter((h) => !(h.name === 'accept' && h.value === '*/*') && !(h.name === 'connection' && h.value === 'close'))
    .map((h) => `${h.name}: ${h.value}`)
    .join('; ');
}

function escapeCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ')
    .replace(/([*_`<>[\]])/g, '\\$1');
}

function escapeCode(text: string): string {
  return text.replace(/`/g, "'").replace(/[\r\n]+/g, ' ');
}
