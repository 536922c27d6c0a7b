import type { KubeObject, PodSource, ResolvedTarget, ResolveFailure, ResolveResult, TargetOrigin, TargetRef } from '../types';
import { MAX_OTHER_NAMESPACES, otherNamespacesHint } from './otherNamespaces';
import { ownerOfMissingPod } from './podOwner';
import { formatTargetRef } from '../target/targetPath';
import type { ManifestObject } from './manifests';
import { inNamespace, podSourcesFor, workloadKindForTarget } from './podSources';
import { closestNames } from '../text/closestNames';

/**
 * Resolves a target against local manifests instead of a cluster: finds the named object (objects
 * with no namespace match any namespace, as `kubectl apply` would put them in the current one),
 * and the pod specs whose probes matter. Never throws.
 */
export function resolveFromManifests(ref: TargetRef, namespace: string, manifests: ManifestObject[]): ResolveResult {
  try {
    return resolveUnsafe(ref, namespace, Array.isArray(manifests) ? manifests.filter((m) => m && typeof m.object === 'object' && m.object !== null) : []);
  } catch (error) {
    return {
      ok: false,
      failure: { kind: 'not-found', message: `Could not resolve the target from manifests: ${error instanceof Error ? error.message : String(error)}.` },
    };
  }
}

function resolveUnsafe(ref: TargetRef, namespace: string, manifests: ManifestObject[]): ResolveResult {
  const targetText = formatTargetRef(ref);
  const api = workloadKindForTarget(ref.kind);
  if (!api) return { ok: false, failure: { kind: 'unsupported', message: 'A targetless session has no pod: there are no probes to check.' } };

  const related = manifests.filter((m) => inNamespace(m.object, namespace));
  const relatedObjects = related.map((m) => m.object);

  let target: ManifestObject | undefined;
  let candidates: ManifestObject[] = [];
  if (ref.kind !== 'label') {
    const ofKind = manifests.filter((m) => isKind(m.object, api.kind, api.group));
    candidates = ofKind.filter((m) => m.object.metadata?.name === ref.name && inNamespace(m.object, namespace));
    target = candidates[0];
    if (!target) return { ok: false, failure: notFound(ref, api.kind, namespace, ofKind, related) };
  }

  // Several objects of that kind, name and namespace (base and overlay copies, several files):
  // mirrord gets whichever the cluster has, so every candidate is judged, each named by its place.
  const pods: PodSource[] = [];
  const problems: string[] = [];
  for (const candidate of candidates.length > 0 ? candidates : [undefined]) {
    const found = podSourcesFor(ref, namespace, candidate?.object, relatedObjects);
    if (!Array.isArray(found)) {
      problems.push(candidates.length > 1 && candidate ? `${placeOf(candidate)}: ${found.problem}` : found.problem);
      continue;
    }
    for (const pod of found) {
      if (candidates.length > 1 && candidate) {
        pod.description = `${pod.description} (${placeOf(candidate)})`;
        pod.origin = originOf(candidate);
      }
      pods.push(pod);
    }
  }
  if (pods.length === 0) return { ok: false, failure: { kind: 'not-found', message: problems.join(' ') } };

  // Pod specs from other objects (a Service's workloads, a workloadRef) get their own origin.
  for (const pod of pods) {
    if (pod.origin || pod.object === target?.object) continue;
    const from = manifests.find((m) => m.object === pod.object);
    if (from) pod.origin = originOf(from);
  }
  // Two workloads of one name picked by a selector (base and overlay): tell them apart by place.
  const descriptions = pods.map((p) => p.description);
  for (const pod of pods) {
    if (descriptions.filter((d) => d === pod.description).length < 2) continue;
    const from = manifests.find((m) => m.object === pod.object);
    if (from) pod.description = `${pod.description} (${placeOf(from)})`;
  }

  if (ref.container) {
    const missing = missingContainer(ref.container, pods);
    if (missing) return { ok: false, failure: { kind: 'not-found', message: `${targetText}: ${missing.message}`, suggestions: missing.suggestions } };
  }

  const resolved: ResolvedTarget = {
    ref,
    namespace,
    origin: target ? originOf(target) : { source: 'manifest' },
    object: target?.object,
    pods,
  };
  if (candidates.length > 1) {
    resolved.candidates = candidates.map((c) => {
      const line = c.lineOf([]);
      const entry: NonNullable<ResolvedTarget['candidates']>[number] = { description: `${api.kind.toLowerCase()}/${ref.name}`, where: placeOf(c) };
      if (c.file !== undefined) entry.file = c.file;
      if (line !== undefined) entry.line = line;
      return entry;
    });
  }
  return { ok: true, target: resolved };
}

/** `file:line` (one-based) of a manifest object, for telling candidates apart. */
function placeOf(manifest: ManifestObject): string {
  const line = manifest.lineOf([]);
  const file = manifest.file ?? 'manifest';
  return line === undefined ? file : `${file}:${line + 1}`;
}

function originOf(manifest: ManifestObject): TargetOrigin {
  const origin: TargetOrigin = { source: 'manifest', lineOf: (path) => manifest.lineOf(path) };
  if (manifest.file !== undefined) origin.file = manifest.file;
  return origin;
}

/** Matches kind, and the API group when the object states one (Rollouts are argoproj.io's). */
export function isKind(object: KubeObject, kind: string, group: string): boolean {
  if (object.kind !== kind) return false;
  if (typeof object.apiVersion !== 'string' || object.apiVersion === '') return true;
  const slash = object.apiVersion.indexOf('/');
  return (slash < 0 ? '' : object.apiVersion.slice(0, slash)) === group;
}

function notFound(ref: TargetRef, kind: string, namespace: string, ofKind: ManifestObject[], related: ManifestObject[]): ResolveFailure {
  const name = ref.name ?? '';
  const elsewhere = ofKind
    .filter((m) => m.object.metadata?.name === name && typeof m.object.metadata?.namespace === 'string' && m.object.metadata.namespace !== '')
    .map((m) => String(m.object.metadata?.namespace))
    .filter((ns, i, all) => all.indexOf(ns) === i)
    .slice(0, MAX_OTHER_NAMESPACES);
  const candidates = ofKind
    .filter((m) => inNamespace(m.object, namespace))
    .map((m) => m.object.metadata?.name)
    .filter((n): n is string => typeof n === 'string');
  const suggestions = closestNames(name, candidates);
  let message = `No ${kind} named "${name}" in namespace "${namespace}" in the manifests.`;
  message += otherNamespacesHint(elsewhere);
  if (suggestions.length > 0) message += ` Did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
  const failure: ResolveFailure = { kind: 'not-found', message, suggestions };
  if (elsewhere.length > 0) failure.otherNamespaces = elsewhere;
  if (ref.kind === 'pod') {
    const objects = related.map((m) => m.object);
    const ofApi = (kindName: string, group: string) => objects.filter((o) => isKind(o, kindName, group));
    const owner = ownerOfMissingPod(name, {
      pods: ofApi('Pod', ''),
      replicaSets: ofApi('ReplicaSet', 'apps'),
      deployments: ofApi('Deployment', 'apps'),
      rollouts: ofApi('Rollout', 'argoproj.io'),
      statefulSets: ofApi('StatefulSet', 'apps'),
    });
    if (owner) failure.podOwner = owner;
    else failure.message += ' (Pods created by a workload have generated names: target the workload instead.)';
  }
  return failure;
}

function missingContainer(container: string, pods: PodSource[]): { message: string; suggestions: string[] } | undefined {
  const names = new Set<string>();
  for (const pod of pods) {
    for (const list of [pod.podSpec?.containers, pod.podSpec?.initContainers]) {
      if (Array.isArray(list)) for (const c of list) if (typeof c?.name === 'string') names.add(c.name);
    }
  }
  if (names.has(container)) return undefined;
  const all = [...names];
  return {
    message: `there is no container "${container}" (containers: ${all.join(', ') || 'none'}).`,
    suggestions: closestNames(container, all).length ? closestNames(container, all) : all,
  };
}
