import * as l10n from '@vscode/l10n';
import { renderProbeReportMarkdown } from '../core/report/probeReport';
import type { Analysis, ResolveResult } from '../core/types';
import type { ClusterInfo } from '../kube/clusterTypes';
import type { LivePodsView } from './livePods';
import { lookupStatusText } from './lookupStatusText';
import type { LookupStatus } from './targetLookup';

/** What the report shows for one config (a published analysis state). */
export interface ReportState {
  analysis: Analysis;
  resolution?: ResolveResult;
  info?: ClusterInfo;
  status: LookupStatus;
}

/**
 * The hover and the report command show the same thing: where the target was looked up, what
 * the lookup said, and the engine's probe table (or why there is none and what was assumed).
 * `livePods` (requested on demand, see livePods.ts) adds the live pod table when they came in,
 * and one line saying so when they are still loading or failed.
 */
export function targetReportMarkdown(state: ReportState, options: { heading?: string; livePods?: LivePodsView }): string {
  const lines: string[] = [];
  const analysis = state.analysis;
  const info = state.info;
  if (options.heading !== undefined) lines.push(`# ${l10n.t('Probe report for {0}', options.heading)}`, '');
  if (analysis.target.templated) lines.push(l10n.t('The target is set by a template: it is known only when mirrord renders the file.'), '');
  lines.push(`${l10n.t('Lookup')}: ${lookupStatusText(state.status)}`, '');
  const live = options.livePods;
  // The engine renders the live pod table from the resolution: attach the pods to a copy.
  const resolution =
    live?.kind === 'loaded' && state.resolution?.ok ? { ok: true as const, target: { ...state.resolution.target, livePods: live.pods } } : state.resolution;
  if (state.resolution && !state.resolution.ok) {
    const failure = state.resolution.failure;
    if (failure.suggestions?.length) lines.push(l10n.t('Did you mean: {0}?', failure.suggestions.map((s) => `\`${s}\``).join(', ')), '');
  }
  lines.push(
    renderProbeReportMarkdown(
      analysis,
      resolution,
      {
        context: info?.context,
        namespace: state.resolution?.ok ? state.resolution.target.namespace : info?.namespace,
        server: info?.server,
      },
      l10n.t,
    ),
  );
  // Where the live pod table would be (after the probe tables): why it is not there.
  if (live?.kind === 'loading') lines.push('', l10n.t('Live pods: loading…'));
  else if (live?.kind === 'failed') lines.push('', l10n.t('Live pods: failed: {0}', escapeMarkdown(live.failure.message)));
  return lines.join('\n');
}

/** A message as plain text inside markdown (no links, emphasis or tables from its characters). */
function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/([\\`*_{}[\]()<>|#!])/g, '\\$1');
}
