import type { KubeObject, PodSource } from '../types';
import type { CompletableKind } from './targetCompletionSite';

/**
 * What a completion item says about a workload besides its verdicts: its live state as the
 * object's `status` tells it (none for a manifest, which has no status) and its containers.
 */
export interface WorkloadSummary {
  name: string;
  kind: CompletableKind;
  namespace?: string;
  /** Ready and desired replicas (Deployment, StatefulSet, ReplicaSet, Rollout) when the object has a status. */
  replicas?: { ready: number; desired: number };
  /** A Pod's phase and readiness, when it has a status. */
  pod?: { phase: string; ready: boolean };
  /** A CronJob's schedule. */
  schedule?: string;
  /** The containers of its pod template (or of the pod), in order. */
  containers: string[];
}

/** The pod spec of an object of `kind`, where the API puts it (a CronJob's is two templates down). */
export function podSpecOf(kind: CompletableKind, object: KubeObject): any {
  switch (kind) {
    case 'pod':
      return object.spec;
    case 'cronjob':
      return object.spec?.jobTemplate?.spec?.template?.spec;
    case 'service':
      return undefined;
    default:
      return object.spec?.template?.spec;
  }
}

/** The names of a pod spec's containers, in order (init containers are not targets); never throws. */
export function containerNamesOf(podSpec: unknown): string[] {
  const containers = (podSpec as { containers?: unknown } | undefined)?.containers;
  if (!Array.isArray(containers)) return [];
  return containers.map((c: { name?: unknown }) => c?.name).filter((n): n is string => typeof n === 'string' && n !== '');
}

/** The containers of every pod spec of a resolved target, each once, in order. */
export function podSourceContainers(pods: readonly PodSource[]): string[] {
  return [...new Set(pods.flatMap((pod) => containerNamesOf(pod.podSpec)))];
}

/** Never throws: fields of the wrong type are left out. */
export function summarizeWorkload(kind: CompletableKind, object: KubeObject): WorkloadSummary {
  const summary: WorkloadSummary = { name: String(object?.metadata?.name ?? ''), kind, containers: [] };
  if (typeof object?.metadata?.namespace === 'string') summary.namespace = object.metadata.namespace;
  summary.containers = containerNamesOf(podSpecOf(kind, object ?? {}));
  const status = object?.status;
  if (status && typeof status === 'object') {
    if (kind === 'deployment' || kind === 'statefulset' || kind === 'replicaset' || kind === 'rollout') {
      const desired = typeof object.spec?.replicas === 'number' ? object.spec.replicas : 1;
      summary.replicas = { ready: typeof status.readyReplicas === 'number' ? status.readyReplicas : 0, desired };
    } else if (kind === 'pod' && typeof status.phase === 'string') {
      const conditions: unknown[] = Array.isArray(status.conditions) ? status.conditions : [];
      const ready = conditions.some((c: any) => c?.type === 'Ready' && c?.status === 'True');
      summary.pod = { phase: status.phase, ready };
    }
  }
  if (kind === 'cronjob' && typeof object?.spec?.schedule === 'string') summary.schedule = object.spec.schedule;
  return summary;
}
