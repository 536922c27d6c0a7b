/**
 * Summarises running pods for hovers and reports: phase, readiness, restarts, the last
 * termination, and whether the pod's events say the liveness probe killed it. Without events that
 * last point is unknowable (exit 137 is any SIGKILL), so it stays undefined then.
 */
import type { KubeObject, LivePodStatus } from '../core/types';

/** `Unhealthy: Liveness probe failed: ...` or `Killing: Container x failed liveness probe, will be restarted`. */
export function eventsShowLivenessKill(events: KubeObject[]): boolean {
  return events.some((e) => {
    const message = String(e?.message ?? '');
    return (e?.reason === 'Unhealthy' && /^Liveness probe failed/i.test(message)) || (e?.reason === 'Killing' && /failed liveness probe/i.test(message));
  });
}

interface Termination {
  container: string;
  reason?: string;
  exitCode?: number;
  finishedAt?: string;
}

function lastTerminationOf(pod: KubeObject): Termination | undefined {
  const statuses: any[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  let latest: Termination | undefined;
  for (const s of statuses) {
    const t = s?.lastState?.terminated;
    if (!t) continue;
    const candidate: Termination = { container: String(s.name ?? '?'), reason: t.reason, exitCode: t.exitCode, finishedAt: t.finishedAt };
    if (!latest || String(candidate.finishedAt ?? '') > String(latest.finishedAt ?? '')) latest = candidate;
  }
  return latest;
}

export function podRestarts(pod: KubeObject): number {
  const statuses: any[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  return statuses.reduce((sum, s) => sum + (Number.isFinite(s?.restartCount) ? Number(s.restartCount) : 0), 0);
}

/** `events` undefined = not looked at (or not allowed): killedByLiveness stays unknown. */
export function livePodStatus(pod: KubeObject, events: KubeObject[] | undefined): LivePodStatus {
  const conditions: any[] = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  const status: LivePodStatus = {
    name: String(pod.metadata?.name ?? '?'),
    phase: typeof pod.status?.phase === 'string' ? pod.status.phase : undefined,
    ready: conditions.some((c) => c?.type === 'Ready' && c?.status === 'True'),
    restarts: podRestarts(pod),
  };
  const t = lastTerminationOf(pod);
  if (t) {
    const multi = (pod.status?.containerStatuses ?? []).length > 1;
    status.lastTermination =
      `${t.reason ?? 'Terminated'}${t.exitCode !== undefined ? ` (exit ${t.exitCode})` : ''}${t.finishedAt ? ` at ${t.finishedAt}` : ''}` +
      (multi ? ` in container ${t.container}` : '');
  }
  if (events !== undefined) status.killedByLiveness = eventsShowLivenessKill(events);
  return status;
}
