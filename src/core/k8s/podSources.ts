import type { KubeObject, PodSource, TargetKind, TargetRef } from '../types';

/** The API coordinates of a target kind, for building REST paths and matching manifests. */
export interface WorkloadKind {
  apiVersion: string;
  kind: string;
  plural: string;
  /** `''` for the core group. */
  group: string;
}

const WORKLOAD_KINDS: Record<Exclude<TargetKind, 'targetless'>, WorkloadKind> = {
  pod: { apiVersion: 'v1', kind: 'Pod', plural: 'pods', group: '' },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', group: 'apps' },
  rollout: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', plural: 'rollouts', group: 'argoproj.io' },
  statefulset: { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets', group: 'apps' },
  job: { apiVersion: 'batch/v1', kind: 'Job', plural: 'jobs', group: 'batch' },
  cronjob: { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs', group: 'batch' },
  replicaset: { apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', group: 'apps' },
  service: { apiVersion: 'v1', kind: 'Service', plural: 'services', group: '' },
  // A label target selects pods directly.
  label: { apiVersion: 'v1', kind: 'Pod', plural: 'pods', group: '' },
};

/** The API kind a target names; undefined for `targetless`, which names nothing. */
export function workloadKindForTarget(kind: TargetKind): WorkloadKind | undefined {
  return kind === 'targetless' ? undefined : WORKLOAD_KINDS[kind];
}

/**
 * True when every pair of `selector` is in `labels`. An empty selector matches nothing: a Service
 * without a selector has no pods picked for it, and mirrord rejects an empty label target.
 */
export function selectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!isObject(selector) || !isObject(labels)) return false;
  const pairs = Object.entries(selector);
  return pairs.length > 0 && pairs.every(([key, value]) => Object.prototype.hasOwnProperty.call(labels, key) && labels[key] === value);
}

/** Workload kinds whose pod template may be picked by a selector when no Pod objects are known. */
const TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Rollout', 'Job'];

/**
 * The pod specs whose probes matter for a target. `object` is the object the target names (absent
 * for label targets); `related` are other objects of the namespace, used for Services, label
 * targets and Rollouts with a `workloadRef`. Never throws.
 */
export function podSourcesFor(target: TargetRef, namespace: string, object: KubeObject | undefined, related: KubeObject[]): PodSource[] | { problem: string } {
  try {
    return podSourcesUnsafe(target, namespace, object, Array.isArray(related) ? related.filter(isObject) : []);
  } catch (error) {
    return { problem: `Could not read the pod spec of ${describeRef(target)}: ${error instanceof Error ? error.message : String(error)}.` };
  }
}

function podSourcesUnsafe(target: TargetRef, namespace: string, object: KubeObject | undefined, related: KubeObject[]): PodSource[] | { problem: string } {
  const label = describeRef(target);
  if (target.kind === 'targetless') return { problem: 'A targetless session has no pod, so no probes are at risk.' };
  if (target.kind === 'label') {
    if (!isObject(target.labels) || Object.keys(target.labels).length === 0) return { problem: 'The label target has no labels.' };
    return selectedPods(target.labels, namespace, related, `label ${formatSelector(target.labels)}`);
  }
  if (!isObject(object)) return { problem: `${label} was not found.` };
  const spec = object.spec;

  switch (target.kind) {
    case 'pod':
      return isObject(spec) ? [source(label, spec, ['spec'], object)] : { problem: `${label} has no spec.` };
    case 'deployment':
    case 'statefulset':
    case 'replicaset':
    case 'job':
      return templateSource(label, object, ['spec', 'template', 'spec']);
    case 'cronjob':
      return templateSource(label, object, ['spec', 'jobTemplate', 'spec', 'template', 'spec']);
    case 'rollout':
      return rolloutSources(label, object, namespace, related);
    case 'service': {
      const selector = isObject(spec) ? spec.selector : undefined;
      if (!isObject(selector) || Object.keys(selector).length === 0) {
        return { problem: `${label} has no selector, so no pods are behind it (mirrord needs a selector to pick a pod).` };
      }
      return selectedPods(selector, namespace, related, label);
    }
  }
  return { problem: `${label} is not a kind Probe Guard can read.` };
}

/** An Argo Rollout: its own template, or the Deployment (or other workload) named by `workloadRef`. */
function rolloutSources(label: string, rollout: KubeObject, namespace: string, related: KubeObject[]): PodSource[] | { problem: string } {
  const spec = rollout.spec;
  if (isObject(spec) && isObject(spec.template) && isObject(spec.template.spec)) return templateSource(label, rollout, ['spec', 'template', 'spec']);
  const ref = isObject(spec) ? spec.workloadRef : undefined;
  if (!isObject(ref) || typeof ref.name !== 'string') return { problem: `${label} has neither spec.template nor spec.workloadRef.` };
  const refKind = typeof ref.kind === 'string' ? ref.kind : 'Deployment';
  const refGroup = groupOf(typeof ref.apiVersion === 'string' ? ref.apiVersion : undefined);
  const workload = related.find(
    (o) =>
      o.kind === refKind &&
      o.metadata?.name === ref.name &&
      inNamespace(o, namespace) &&
      (refGroup === undefined || groupOf(o.apiVersion) === undefined || groupOf(o.apiVersion) === refGroup),
  );
  if (!workload)
    return { problem: `${label} takes its pod template from ${refKind} "${ref.name}" (spec.workloadRef), which was not found in namespace "${namespace}".` };
  const viaLabel = `${refKind.toLowerCase()}/${ref.name} (workloadRef of ${label})`;
  return refKind === 'PodTemplate'
    ? templateSource(viaLabel, workload, ['template', 'spec'])
    : templateSource(viaLabel, workload, ['spec', 'template', 'spec']);
}

/**
 * Pods picked by a selector. Pods of the same owner share one spec, so one pod per owner is kept.
 * Workload templates whose pod labels match stand for the pods they create (manifests rarely
 * contain pods), unless a listed pod already belongs to that workload: a bare Pod in the manifests
 * does not hide a Deployment the same selector picks.
 */
function selectedPods(selector: Record<string, string>, namespace: string, related: KubeObject[], label: string): PodSource[] | { problem: string } {
  const inNs = related.filter((o) => inNamespace(o, namespace));
  const seenOwners = new Set<string>();
  const pods: PodSource[] = [];
  for (const pod of inNs) {
    if (!isPodObject(pod) || !selectorMatches(selector, pod.metadata?.labels)) continue;
    const owner = Array.isArray(pod.metadata?.ownerReferences) ? pod.metadata.ownerReferences[0] : undefined;
    if (isObject(owner)) {
      const key = `${owner.kind}/${owner.name}`;
      if (seenOwners.has(key)) continue;
      seenOwners.add(key);
    }
    pods.push(source(`pod/${pod.metadata?.name ?? '?'} (picked by ${label})`, pod.spec, ['spec'], pod));
  }

  for (const workload of inNs) {
    if (!TEMPLATE_KINDS.includes(String(workload.kind))) continue;
    // Listed pods are live ones (a cluster): a workload scaled to zero has none for mirrord to pick.
    if (ownsAPodOf(workload, seenOwners) || (pods.length > 0 && workload.spec?.replicas === 0)) continue;
    const template = workload.spec?.template;
    if (!isObject(template) || !isObject(template.spec) || !selectorMatches(selector, template.metadata?.labels)) continue;
    pods.push(
      source(
        `${String(workload.kind).toLowerCase()}/${workload.metadata?.name ?? '?'} (picked by ${label})`,
        template.spec,
        ['spec', 'template', 'spec'],
        workload,
      ),
    );
  }
  if (pods.length > 0) return pods;
  return { problem: `No pods or workloads in namespace "${namespace}" match ${label} (selector ${formatSelector(selector)}).` };
}

/** Whether a listed pod's owner is this workload, or (Deployment, Rollout) one of its ReplicaSets `<name>-<hash>`. */
function ownsAPodOf(workload: KubeObject, owners: Set<string>): boolean {
  const kind = String(workload.kind);
  const name = String(workload.metadata?.name ?? '');
  for (const owner of owners) {
    const [ownerKind, ownerName] = [owner.slice(0, owner.indexOf('/')), owner.slice(owner.indexOf('/') + 1)];
    if (ownerKind === kind && ownerName === name) return true;
    if ((kind === 'Deployment' || kind === 'Rollout') && ownerKind === 'ReplicaSet' && ownerName.startsWith(`${name}-`)) return true;
  }
  return false;
}

/** Items of an API list response carry no `kind`: a kind-less object with containers is a Pod. */
function isPodObject(object: KubeObject): boolean {
  if (!isObject(object.spec)) return false;
  return object.kind === 'Pod' || (object.kind === undefined && Array.isArray(object.spec.containers));
}

function templateSource(label: string, object: KubeObject, path: string[]): PodSource[] | { problem: string } {
  let node: any = object;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  if (!isObject(node)) return { problem: `${label} has no pod template at ${path.join('.')}.` };
  return [source(label, node, path, object)];
}

function source(description: string, podSpec: any, specPath: (string | number)[], object: KubeObject): PodSource {
  return { description, podSpec, specPath, object };
}

/** Objects without a namespace count as in any namespace: `kubectl apply` puts them in the current one. */
export function inNamespace(object: KubeObject, namespace: string): boolean {
  const ns = object.metadata?.namespace;
  return typeof ns !== 'string' || ns === '' || ns === namespace;
}

function groupOf(apiVersion: string | undefined): string | undefined {
  if (typeof apiVersion !== 'string' || apiVersion === '') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function describeRef(target: TargetRef): string {
  return target.kind === 'label' ? `label ${formatSelector(target.labels ?? {})}` : `${target.kind}/${target.name ?? ''}`;
}

function formatSelector(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
