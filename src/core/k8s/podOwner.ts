/**
 * Which workload a missing pod belonged to, from its name and the objects of its namespace. A pod
 * target goes stale on every rollout (the ReplicaSet's pods are replaced under new names); the
 * owner is the target that keeps working, because mirrord picks one of its running pods.
 *
 * Kubernetes' generated names (apimachinery/pkg/util/rand): a ReplicaSet's pods are
 * `<replicaset>-<5 chars of rand.String>` and a ReplicaSet is `<deployment>-<pod-template-hash>`,
 * where the hash is rand.SafeEncodeString of the decimal uint32 hash, one alphabet letter per
 * digit. Both use the alphabet "bcdfghjklmnpqrstvwxz2456789"; a digit '0'..'9' (byte 48..57,
 * mod 27) maps to 4, 5, 6, 7, 8, 9, b, c, d, f, so a hash holds only those and is 1 to 10 long.
 * Argo Rollouts names its ReplicaSets the same way (controller.ComputeHash). StatefulSet pods are
 * `<statefulset>-<ordinal>`.
 */
import type { KubeObject, PodOwner } from '../types';

export type PodOwnerKind = PodOwner['kind'];

/** The objects of the pod's namespace that can tell its owner; undefined where a LIST failed. */
export interface NamespaceObjects {
  pods?: KubeObject[];
  replicaSets?: KubeObject[];
  deployments?: KubeObject[];
  rollouts?: KubeObject[];
  statefulSets?: KubeObject[];
}

const RANDOM_SUFFIX = /^(.+)-([bcdfghjklmnpqrstvwxz2456789]{5})$/;
const TEMPLATE_HASH = /^(.+)-([456789bcdf]{1,10})$/;
const ORDINAL = /^(.+)-(0|[1-9][0-9]{0,8})$/;

/** The names a pod name implies: its ReplicaSet and that set's Deployment/Rollout, or its StatefulSet. */
export interface PodNameShape {
  /** `<replicaset>-<suffix>`: the ReplicaSet the pod would belong to. */
  replicaSet?: string;
  /** `<owner>-<hash>-<suffix>`: the Deployment or Rollout that ReplicaSet would belong to. */
  workload?: string;
  /** `<statefulset>-<ordinal>`. */
  statefulSet?: string;
}

export function podNameShape(podName: string): PodNameShape {
  const shape: PodNameShape = {};
  if (typeof podName !== 'string' || podName.length > 253) return shape;
  const generated = RANDOM_SUFFIX.exec(podName);
  if (generated) {
    shape.replicaSet = generated[1];
    const hashed = TEMPLATE_HASH.exec(generated[1]);
    if (hashed) shape.workload = hashed[1];
  }
  const ordinal = ORDINAL.exec(podName);
  if (ordinal) shape.statefulSet = ordinal[1];
  return shape;
}

function nameOf(object: KubeObject): string | undefined {
  const name = object?.metadata?.name;
  return typeof name === 'string' ? name : undefined;
}

function named(objects: KubeObject[] | undefined, name: string): KubeObject | undefined {
  return Array.isArray(objects) ? objects.find((o) => nameOf(o) === name) : undefined;
}

function ownerRefs(object: KubeObject | undefined): { kind: string; name: string; apiVersion: string }[] {
  const refs = object?.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs
    .filter((r) => r && typeof r.kind === 'string' && typeof r.name === 'string')
    .map((r) => ({ kind: r.kind, name: r.name, apiVersion: typeof r.apiVersion === 'string' ? r.apiVersion : '' }));
}

/** The Deployment or Rollout a ReplicaSet's owner references name. */
function workloadOwnerOf(replicaSet: KubeObject | undefined): { kind: 'deployment' | 'rollout'; name: string } | undefined {
  for (const ref of ownerRefs(replicaSet)) {
    if (ref.kind === 'Deployment' && (ref.apiVersion === '' || ref.apiVersion.startsWith('apps/'))) return { kind: 'deployment', name: ref.name };
    if (ref.kind === 'Rollout' && (ref.apiVersion === '' || ref.apiVersion.startsWith('argoproj.io/'))) return { kind: 'rollout', name: ref.name };
  }
  return undefined;
}

const KIND_WORD: Record<PodOwnerKind, string> = { deployment: 'Deployment', rollout: 'Rollout', statefulset: 'StatefulSet' };

/**
 * The workload a pod that is not there belonged to, or undefined. Owner references first (the
 * pod's ReplicaSet, then sibling pods of its ReplicaSet or StatefulSet), then the name shape with
 * that Deployment, Rollout or StatefulSet present. Never throws.
 */
export function ownerOfMissingPod(podName: string, objects: NamespaceObjects): PodOwner | undefined {
  try {
    return ownerOf(podName, objects);
  } catch {
    return undefined;
  }
}

function ownerOf(podName: string, objects: NamespaceObjects): PodOwner | undefined {
  const shape = podNameShape(podName);
  if (shape.replicaSet) {
    const owner = workloadOwnerOf(named(objects.replicaSets, shape.replicaSet));
    if (owner) return { ...owner, reason: `its ReplicaSet ${shape.replicaSet} belongs to ${KIND_WORD[owner.kind]} ${owner.name}` };
  }
  // Sibling pods: the pods of the same ReplicaSet (or of another ReplicaSet of the same workload,
  // after a rollout) or of the same StatefulSet still running under other names.
  for (const pod of objects.pods ?? []) {
    const siblingName = nameOf(pod);
    if (!siblingName || siblingName === podName) continue;
    const sibling = podNameShape(siblingName);
    for (const ref of ownerRefs(pod)) {
      if (ref.kind === 'ReplicaSet' && shape.replicaSet && (ref.name === shape.replicaSet || (shape.workload && sibling.workload === shape.workload))) {
        const owner = workloadOwnerOf(named(objects.replicaSets, ref.name)) ?? presentWorkload(shape.workload, objects);
        if (owner) return { ...owner, reason: `pod ${siblingName} of ReplicaSet ${ref.name} belongs to ${KIND_WORD[owner.kind]} ${owner.name}` };
      }
      if (ref.kind === 'StatefulSet' && shape.statefulSet && ref.name === shape.statefulSet) {
        return { kind: 'statefulset', name: ref.name, reason: `pod ${siblingName} belongs to StatefulSet ${ref.name}` };
      }
    }
  }
  const present = presentWorkload(shape.workload, objects);
  if (present) return { ...present, reason: `its name has the generated shape of ${KIND_WORD[present.kind]} ${present.name}'s pods` };
  if (shape.statefulSet && named(objects.statefulSets, shape.statefulSet)) {
    return { kind: 'statefulset', name: shape.statefulSet, reason: `its name is StatefulSet ${shape.statefulSet}'s pod name with an ordinal` };
  }
  return undefined;
}

function presentWorkload(name: string | undefined, objects: NamespaceObjects): { kind: 'deployment' | 'rollout'; name: string } | undefined {
  if (!name) return undefined;
  if (named(objects.deployments, name)) return { kind: 'deployment', name };
  if (named(objects.rollouts, name)) return { kind: 'rollout', name };
  return undefined;
}
