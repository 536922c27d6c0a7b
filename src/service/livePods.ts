import type { LivePodStatus, LookupRequest, ResolveFailure, ResolveResult } from '../core/types';
import type { ClusterLookup } from './clusterLookup';
import type { ServiceLog } from './log';
import type { ProbeGuardSettings } from './settings';
import { clusterSettingsFor, describeRef, type LookupPlace, type LookupStatus } from './targetLookup';

/**
 * The live pods of a config's target as the hover and the probe report show them. They are not
 * part of a lookup (the verdicts never need them): they are requested here, on demand, from the
 * cluster layer's own cache (`ClusterResolver.livePods`), never while typing.
 */
export type LivePodsView =
  | { kind: 'loaded'; pods: LivePodStatus[] }
  /** Not in yet within the wait; the request goes on and fills the cache for the next hover. */
  | { kind: 'loading' }
  | { kind: 'failed'; failure: ResolveFailure };

/**
 * Asks for the live pods of a state resolved from the cluster and waits at most `settings.timeoutMs`
 * for them. Undefined when the state has none to show (manifests, a failed or pending lookup, no
 * target, Restricted Mode). Never rejects.
 */
export async function livePodsForState(
  cluster: ClusterLookup,
  place: LookupPlace,
  state: { analysis: { lookup?: LookupRequest }; status: LookupStatus; resolution?: ResolveResult },
  settings: ProbeGuardSettings,
  options: { trusted: boolean; log: ServiceLog; signal?: AbortSignal; refresh?: boolean },
): Promise<LivePodsView | undefined> {
  const request = state.analysis.lookup;
  const log = options.log;
  if (!request || !options.trusted || state.status.kind !== 'resolved' || state.status.source !== 'cluster' || !state.resolution?.ok) return undefined;
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal?.addEventListener('abort', abort);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const fetching = cluster.livePods(request, clusterSettingsFor(place, settings, true), { signal: controller.signal, refresh: options.refresh });
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), settings.timeoutMs);
    });
    const result = await Promise.race([fetching, deadline]);
    if (result === 'late') {
      log.info(`Live pods of ${describeRef(request)} not in within ${settings.timeoutMs} ms: shown without them.`);
      return { kind: 'loading' };
    }
    if (result.ok) return { kind: 'loaded', pods: result.pods };
    if (result.failure.kind === 'cancelled') return { kind: 'loading' };
    log.warn(`Live pods of ${describeRef(request)} failed (${result.failure.kind}): ${result.failure.message}`);
    return { kind: 'failed', failure: result.failure };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn(`Live pods of ${describeRef(request)} failed: ${message}`);
    return { kind: 'failed', failure: { kind: 'server-error', message } };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
  }
}
