/**
 * The restart counts of the pods behind a config's target, read fresh from the cluster (the
 * breakpoint countdown compares them before and after the probe's window). Only for a target
 * resolved from the cluster in a trusted workspace: manifests have no pods, and Restricted Mode
 * makes no cluster call.
 */
import type { PodRestarts } from '../core/report/breakpointCountdown';
import type { LookupRequest, ResolveResult } from '../core/types';
import type { ClusterLookup } from './clusterLookup';
import { livePodsForState } from './livePods';
import type { ServiceLog } from './log';
import type { ProbeGuardSettings } from './settings';
import type { LookupPlace, LookupStatus } from './targetLookup';

export type RestartCounts = { kind: 'counts'; pods: PodRestarts[] } | { kind: 'unavailable'; reason: string };

export async function readRestartCounts(
  cluster: ClusterLookup,
  place: LookupPlace,
  state: { analysis: { lookup?: LookupRequest }; status: LookupStatus; resolution?: ResolveResult } | undefined,
  settings: ProbeGuardSettings,
  options: { trusted: boolean; log: ServiceLog; signal?: AbortSignal },
): Promise<RestartCounts> {
  if (!options.trusted) return { kind: 'unavailable', reason: 'Restricted Mode: no cluster call.' };
  if (!state?.analysis.lookup) return { kind: 'unavailable', reason: 'The config has no target to look up.' };
  if (state.status.kind !== 'resolved' || state.status.source !== 'cluster')
    return { kind: 'unavailable', reason: 'The target was not looked up in the cluster.' };
  const view = await livePodsForState(cluster, place, state, settings, { ...options, refresh: true });
  if (view?.kind === 'loaded') return { kind: 'counts', pods: view.pods.map((p) => ({ name: p.name, restarts: p.restarts })) };
  if (view?.kind === 'failed') return { kind: 'unavailable', reason: view.failure.message };
  return { kind: 'unavailable', reason: 'The pods did not come in within the lookup timeout.' };
}
