import * as l10n from '@vscode/l10n';
import type { LookupRequest, ResolveResult } from '../core/types';
import type { ClusterInfo } from '../kube/clusterTypes';
import type { LookupStatus } from './targetLookup';

/** One short line for the status item and the hover: where the probes came from, or why not. */
export function lookupStatusText(status: LookupStatus, now = Date.now()): string {
  switch (status.kind) {
    case 'not-needed':
      return l10n.t('No lookup needed (no target to look up, or nothing is stolen)');
    case 'restricted':
      return l10n.t('Cluster lookup disabled in Restricted Mode: static analysis only');
    case 'turned-off':
      return l10n.t('Cluster lookup turned off (probeGuard.clusterLookup.enabled): static analysis only');
    case 'pending':
      return l10n.t('Looking up the target…');
    case 'resolved':
      if (status.source === 'manifests') {
        return status.clusterFailure
          ? l10n.t('Offline ({0}): probes from {1} manifest file(s)', status.clusterFailure.kind, status.files.length)
          : l10n.t('Probes from {0} manifest file(s)', status.files.length);
      }
      return status.fromCache
        ? l10n.t('Resolved (cached {0} s ago)', Math.max(0, Math.round((now - status.fetchedAt) / 1000)))
        : l10n.t('Resolved from the cluster');
    case 'failed':
      if (status.failure.kind === 'unreachable' || status.failure.kind === 'timeout') {
        return l10n.t('Offline: {0}', status.failure.message);
      }
      return l10n.t('Failed: {0}', status.failure.message);
  }
}

/** `context · namespace` as the lookup used (or would use) them. */
export function clusterLabel(state: { info?: ClusterInfo; analysis: { lookup?: LookupRequest }; resolution?: ResolveResult } | undefined): {
  context?: string;
  namespace?: string;
} {
  const info = state?.info;
  const namespace = state?.analysis.lookup?.namespace ?? (state?.resolution?.ok ? state.resolution.target.namespace : undefined) ?? info?.namespace;
  return { context: info?.context ?? state?.analysis.lookup?.kubeContext, namespace };
}
