import * as vscode from 'vscode';
import type { LivePodStatus, ResolveFailure } from '../core/types';
import type { PipelineState } from './analysisPipeline';
import type { ClusterLookup } from './clusterLookup';
import { log } from './log';
import type { ProbeGuardSettings } from './settings';
import { clusterSettingsFor, describeRef } from './targetLookup';

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
  document: { uri: vscode.Uri },
  state: PipelineState<vscode.Uri>,
  settings: ProbeGuardSettings,
  token?: vscode.CancellationToken,
): Promise<LivePodsView | undefined> {
  const request = state.analysis.lookup;
  if (!request || !vscode.workspace.isTrusted || state.status.kind !== 'resolved' || state.status.source !== 'cluster' || !state.resolution?.ok)
    return undefined;
  const controller = new AbortController();
  const cancellation = token?.onCancellationRequested(() => controller.abort());
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const fetching = cluster.livePods(request, clusterSettingsFor(document, settings, true), { signal: controller.signal });
    const deadline = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), settings.timeoutMs);
    });
    const result = await Promise.race([fetching, deadline]);
    if (result === 'late') {
      log().info(`Live pods of ${describeRef(request)} not in within ${settings.timeoutMs} ms: shown without them.`);
      return { kind: 'loading' };
    }
    if (result.ok) return { kind: 'loaded', pods: result.pods };
    if (result.failure.kind === 'cancelled') return { kind: 'loading' };
    log().warn(`Live pods of ${describeRef(request)} failed (${result.failure.kind}): ${result.failure.message}`);
    return { kind: 'failed', failure: result.failure };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log().warn(`Live pods of ${describeRef(request)} failed: ${message}`);
    return { kind: 'failed', failure: { kind: 'server-error', message } };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    cancellation?.dispose();
  }
}
