import { formatTargetRef } from '../target/targetPath';
import { execCommandText } from '../k8s/execProbe';
import type { Analysis, LivePodStatus, ProbeInfo, ProbeVerdict, ResolveResult } from '../types';
import { breakpointWindow, breakpointWindowShort } from './probeTiming';
import { CONDITIONAL_EXPLANATION, probesNeedWorkload } from './verdictText';

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
    const kind = resolution.target.ref.kind;
    lines.push(...probeTables(analysis.probes, t, probesNeedWorkload(analysis.probes) || kind === 'service' || kind === 'label'));
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

const VERDICT_ICON: Record<ProbeVerdict['verdict'], string> = { stolen: '⚠️', safe: '✅', unknown: '❔', conditional: 'ℹ️' };

function probeTables(probes: ProbeVerdict[], t: Translate, namesWorkloads: boolean): string[] {
  if (probes.length === 0) return [t("The target's pods have no probes.")];
  const lines: string[] = [];
  const byContainer = new Map<string, ProbeVerdict[]>();
  for (const verdict of probes) {
    const container = verdict.probe.containerRole === 'sidecar' ? t('{0} (sidecar)', verdict.probe.container) : verdict.probe.container;
    const key = namesWorkloads ? t('{0} of {1}', container, verdict.podDescription) : container;
    byContainer.set(key, [...(byContainer.get(key) ?? []), verdict]);
  }
  const verdictWord: Record<ProbeVerdict['verdict'], string> = { stolen: t('stolen'), safe: t('safe'), unknown: t('unknown'), conditional: t('conditional') };
  for (const [container, verdicts] of byContainer) {
    lines.push(`**${t('Container {0}', `\`${escapeCode(container)}\``)}**`, '');
    lines.push(`| ${t('Probe')} | ${t('Handler')} | ${t('Port')} | ${t('Path or command')} | ${t('Headers')} | ${t('Acts after')} | ${t('Verdict')} |`);
    lines.push('|---|---|---|---|---|---|---|');
    for (const v of verdicts) {
      const p = v.probe;
      const verdict =
        v.verdict === 'conditional' && v.condition
          ? `${VERDICT_ICON.conditional} ${escapeCell(v.condition)} ${escapeCell(v.reason)}`
          : `${VERDICT_ICON[v.verdict]} ${verdictWord[v.verdict]}: ${escapeCell(v.reason)}`;
      const handler = p.mesh ? `${p.handler} ${t('via pilot-agent :{0}', String(p.mesh.rewrittenPort))}` : p.handler;
      const port = p.handler === 'exec' ? (v.port !== undefined ? String(v.port) : '') : portText(p);
      const pathOrCommand = p.handler === 'exec' ? execCommandText(p.command) : (p.path ?? '');
      lines.push(
        `| ${p.probe} | ${escapeCell(handler)} | ${escapeCell(port)} | ${escapeCell(pathOrCommand)} | ${escapeCell(headerText(p))} | ${actsAfter(v, t)} | ${verdict} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    t(
      '"Acts after": if the local app stops answering a stolen probe (a breakpoint), the kubelet restarts the container (liveness) or takes the pod out of its Services (readiness) within this window; its lower bound is the safe hold time.',
    ),
    '',
  );
  if (probes.some((p) => p.verdict === 'conditional')) lines.push(t(CONDITIONAL_EXPLANATION), '');
  return lines;
}

/** The breakpoint window; for a stolen liveness or readiness probe also its safe hold time, the number that matters at a breakpoint. */
function actsAfter(v: ProbeVerdict, t: Translate): string {
  const window = breakpointWindowShort(v.probe);
  if (v.verdict !== 'stolen' || v.probe.probe === 'startup') return window;
  return t('{0}, safe hold {1} s', window, String(breakpointWindow(v.probe).safeHoldSeconds));
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
