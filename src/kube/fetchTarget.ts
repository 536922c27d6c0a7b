/**
 * Fetches what a target's verdicts need from the API server: the named object and the related
 * objects that hold its pod spec (rollout workloadRef Deployment, the pods behind a service or
 * labels). Pod specs come from the shared engine's podSourcesFor.
 *
 * The live pods behind a target and their events (hover and probe report only) are a separate,
 * lazily requested piece: fetchLivePods, run by ClusterResolver.livePods on demand, never by a
 * lookup. For service and label targets the pod LIST is the target data itself, so fetchTarget
 * hands it on (FetchedTarget.podsBehind) and fetchLivePods reuses it instead of listing again.
 */
import { MAX_OTHER_NAMESPACES, otherNamespacesHint } from '../core/k8s/otherNamespaces';
import { ownerOfMissingPod } from '../core/k8s/podOwner';
import { podSourcesFor, workloadKindForTarget } from '../core/k8s/podSources';
import type { KubeObject, LivePodStatus, ResolveFailure, ResolveResult, TargetRef } from '../core/types';
import { closestNames } from '../core/text/closestNames';
import type { ClusterInfo, ListResult, ListWhat, LivePodsResult } from './clusterTypes';
import { type CallContext, describeCallError } from './failureMessages';
import type { KubeTransport } from './kubeHttp';
import { livePodStatus, podRestarts } from './livePods';

/** Bounds on the best-effort part, so a big namespace cannot make a lookup slow. */
const MAX_LIVE_PODS = 20;
const MAX_EVENT_LOOKUPS = 5;
const MAX_SUGGESTION_LIST = 500;

interface ResourceType {
  apiVersion: string;
  plural: string;
  group: string;
}

const PODS: ResourceType = { apiVersion: 'v1', plural: 'pods', group: '' };
const EVENTS: ResourceType = { apiVersion: 'v1', plural: 'events', group: '' };
const DEPLOYMENTS: ResourceType = { apiVersion: 'apps/v1', plural: 'deployments', group: 'apps' };
const NAMESPACES: ResourceType = { apiVersion: 'v1', plural: 'namespaces', group: '' };

export function collectionPath(type: ResourceType, namespace: string): string {
  const prefix = type.group ? `/apis/${type.apiVersion}` : `/api/${type.apiVersion}`;
  return `${prefix}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`;
}

export function objectPath(type: ResourceType, namespace: string, name: string): string {
  return `${collectionPath(type, namespace)}/${encodeURIComponent(name)}`;
}

/** `deployments.apps`, as kubectl and RBAC messages name resources. */
function resourceName(type: ResourceType): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** Equality selector text from a label map; `undefined` when there is nothing to select on. */
export function labelSelectorText(labels: unknown): string | undefined {
  if (!labels || typeof labels !== 'object') return undefined;
  const parts = Object.entries(labels as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(',') : undefined;
}

export interface FetchContext {
  transport: KubeTransport;
  info: ClusterInfo;
  namespace: string;
  timeoutMs: number;
  /**
   * The objects of a kind in this namespace through the resolver's list cache, so that a
   * not-found lookup and target completion share one LIST. Without it, listed directly.
   */
  listed?: (what: ListWhat) => Promise<ListResult>;
}

type Fetched<T> = { ok: true; value: T } | { ok: false; failure: ResolveFailure; code?: number; status?: any };

class Fetcher {
  constructor(private readonly c: FetchContext) {}

  private ctx(verb: 'get' | 'list', type: ResourceType, name?: string): CallContext {
    return { info: this.c.info, verb, resource: resourceName(type), name, namespace: this.c.namespace, timeoutMs: this.c.timeoutMs };
  }

  async get(type: ResourceType, name: string): Promise<Fetched<KubeObject>> {
    const r = await this.c.transport.get(objectPath(type, this.c.namespace, name));
    if (r.ok) return { ok: true, value: r.body };
    const status = r.error.type === 'status' ? r.error : undefined;
    return { ok: false, failure: describeCallError(r.error, this.ctx('get', type, name)), code: status?.code, status: status?.status };
  }

  async list(type: ResourceType, query: Record<string, string | undefined>): Promise<Fetched<KubeObject[]>> {
    const r = await this.c.transport.get(collectionPath(type, this.c.namespace), query);
    if (!r.ok) return { ok: false, failure: describeCallError(r.error, this.ctx('list', type)), code: r.error.type === 'status' ? r.error.code : undefined };
    // The API server leaves kind and apiVersion out of list items; the engine matches on them.
    const kind = typeof r.body?.kind === 'string' ? r.body.kind.replace(/List$/, '') : undefined;
    const items: KubeObject[] = Array.isArray(r.body?.items) ? r.body.items.filter((o: unknown) => o && typeof o === 'object') : [];
    return { ok: true, value: items.map((o) => ({ apiVersion: r.body?.apiVersion ?? type.apiVersion, kind, ...o })) };
  }

  /** The objects of a target kind (or the namespaces), one bounded page, as target completion and suggestions use them. */
  async listAll(what: ListWhat): Promise<ListResult> {
    const query = { limit: String(MAX_SUGGESTION_LIST) };
    if (what === 'namespace') {
      const r = await this.c.transport.get('/api/v1/namespaces', query);
      if (!r.ok) return { ok: false, failure: describeCallError(r.error, { ...this.ctx('list', NAMESPACES), namespace: '' }) };
      const items: KubeObject[] = Array.isArray(r.body?.items) ? r.body.items.filter((o: unknown) => o && typeof o === 'object') : [];
      return { ok: true, items: items.map((o) => ({ apiVersion: 'v1', kind: 'Namespace', ...o })) };
    }
    const type = workloadKindForTarget(what);
    if (!type) return { ok: false, failure: { kind: 'unsupported', message: `${what} targets cannot be listed.` } };
    const listed = await this.list(type, query);
    return listed.ok ? { ok: true, items: listed.value } : { ok: false, failure: listed.failure };
  }

  /** The failure for a missing object, with the closest names when listing is allowed. */
  async notFound(what: ListWhat, type: ResourceType, kindWord: string, name: string, status: any): Promise<ResolveFailure> {
    const where = `namespace "${this.c.namespace}" (context "${this.c.info.context ?? '?'}")`;
    // A 404 without an object name means the resource type itself is not served (e.g. no Argo Rollouts CRD).
    if (status && status.details && !status.details.name && type.group) {
      return { kind: 'not-found', message: `The cluster does not serve ${resourceName(type)} (${type.apiVersion}): is its CRD installed?` };
    }
    // The pod LIST serves the suggestions and the owner search: one request per kind even without the shared list cache.
    const lists = new Map<ListWhat, Promise<ListResult>>();
    const listOf = (w: ListWhat): Promise<ListResult> => {
      let list = lists.get(w);
      if (!list) lists.set(w, (list = this.c.listed ? this.c.listed(w) : this.listAll(w)));
      return list;
    };
    const [listed, otherNamespaces, podOwner] = await Promise.all([
      listOf(what),
      this.otherNamespaces(type, name),
      what === 'pod' ? this.ownerOfMissingPod(name, listOf) : Promise.resolve(undefined),
    ]);
    const extra: Pick<ResolveFailure, 'podOwner' | 'otherNamespaces'> = {};
    if (podOwner) extra.podOwner = podOwner;
    if (otherNamespaces.length > 0) extra.otherNamespaces = otherNamespaces;
    const elsewhere = otherNamespacesHint(otherNamespaces);
    if (!listed.ok) return { kind: 'not-found', message: `${kindWord} "${name}" not found in ${where}.${elsewhere}`, ...extra };
    const names = listed.items.map((o) => String(o.metadata?.name ?? '')).filter(Boolean);
    if (names.length === 0)
      return {
        kind: 'not-found',
        message: `${kindWord} "${name}" not found: there are no ${type.plural} in ${where}.${elsewhere || ' Check the namespace.'}`,
        suggestions: [],
        ...extra,
      };
    const suggestions = closestNames(name, names);
    const hint = suggestions.length
      ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?`
      : ` It has: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}.`;
    return { kind: 'not-found', message: `${kindWord} "${name}" not found in ${where}.${elsewhere}${hint}`, suggestions, ...extra };
  }

  /**
   * The namespaces other than this one that hold an object of this type and name: one LIST across
   * namespaces filtered by name. Forbidden (a namespaced role) or failing: none, silently.
   */
  async otherNamespaces(type: ResourceType, name: string): Promise<string[]> {
    const prefix = type.group ? `/apis/${type.apiVersion}` : `/api/${type.apiVersion}`;
    const r = await this.c.transport.get(`${prefix}/${type.plural}`, { fieldSelector: `metadata.name=${name}`, limit: '20' });
    if (!r.ok || !Array.isArray(r.body?.items)) return [];
    const namespaces = r.body.items
      .map((o: KubeObject) => o?.metadata?.namespace)
      .filter((ns: unknown): ns is string => typeof ns === 'string' && ns !== '' && ns !== this.c.namespace);
    return [...new Set<string>(namespaces)].sort().slice(0, MAX_OTHER_NAMESPACES);
  }

  /** The workload a missing pod belonged to, from the namespace's LISTs (each through the list cache); a failed LIST counts as empty. */
  async ownerOfMissingPod(name: string, listOf: (w: ListWhat) => Promise<ListResult>) {
    const items = async (w: ListWhat) => {
      const r = await listOf(w);
      return r.ok ? r.items : undefined;
    };
    const [pods, replicaSets, deployments, rollouts, statefulSets] = await Promise.all(
      (['pod', 'replicaset', 'deployment', 'rollout', 'statefulset'] as const).map(items),
    );
    return ownerOfMissingPod(name, { pods, replicaSets, deployments, rollouts, statefulSets });
  }

  /** Events of one pod; undefined when they cannot be read. */
  async podEvents(podName: string): Promise<KubeObject[] | undefined> {
    const r = await this.list(EVENTS, { fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${podName}`, limit: '100' });
    return r.ok ? r.value : undefined;
  }

  async livePods(pods: KubeObject[]): Promise<LivePodStatus[]> {
    const sorted = [...pods].sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name))).slice(0, MAX_LIVE_PODS);
    const withRestarts = new Set(
      sorted
        .filter((p) => podRestarts(p) > 0)
        .slice(0, MAX_EVENT_LOOKUPS)
        .map((p) => String(p.metadata?.name)),
    );
    // Events only matter for pods that restarted; looked up in parallel so they cost one timeout at most.
    const events = await Promise.all(
      sorted.map((p) => (withRestarts.has(String(p.metadata?.name)) ? this.podEvents(String(p.metadata?.name)) : Promise.resolve(undefined))),
    );
    return sorted.map((p, i) => livePodStatus(p, withRestarts.has(String(p.metadata?.name)) ? events[i] : []));
  }
}

const KIND_WORDS: Partial<Record<TargetRef['kind'], string>> = {
  pod: 'Pod',
  deployment: 'Deployment',
  rollout: 'Rollout',
  statefulset: 'StatefulSet',
  job: 'Job',
  cronjob: 'CronJob',
  replicaset: 'ReplicaSet',
  service: 'Service',
};

/** A lookup's result plus what fetchLivePods may reuse from it (kept inside the cluster layer). */
export interface FetchedTarget {
  result: ResolveResult;
  /** The pods a service or label target listed (all of them, not only the one per owner in `pods`). */
  podsBehind?: KubeObject[];
}

function fail(failure: ResolveFailure): FetchedTarget {
  return { result: { ok: false, failure } };
}

export async function fetchTarget(ref: TargetRef, c: FetchContext): Promise<FetchedTarget> {
  const f = new Fetcher(c);
  const origin = { source: 'cluster' as const, cluster: { server: c.info.server, context: c.info.context, user: c.info.user } };
  let object: KubeObject | undefined;
  let related: KubeObject[] = [];
  let podsBehind: KubeObject[] | undefined;

  if (ref.kind === 'targetless') return fail({ kind: 'unsupported', message: 'A targetless session has no pod to look up.' });
  if (ref.kind === 'label') {
    const selector = labelSelectorText(ref.labels);
    if (!selector) return fail({ kind: 'unsupported', message: 'The label target has no labels to select pods with.' });
    const pods = await f.list(PODS, { labelSelector: selector });
    if (!pods.ok) return fail(pods.failure);
    related = pods.value;
    podsBehind = pods.value;
  } else {
    if (!ref.name) return fail({ kind: 'unsupported', message: `The ${ref.kind} target has no name.` });
    const type = workloadKindForTarget(ref.kind);
    if (!type) return fail({ kind: 'unsupported', message: `Probe Guard cannot look up ${ref.kind} targets in a cluster.` });
    const got = await f.get(type, ref.name);
    if (!got.ok) return fail(got.code === 404 ? await f.notFound(ref.kind, type, KIND_WORDS[ref.kind] ?? ref.kind, ref.name, got.status) : got.failure);
    object = got.value;

    const workloadRef = ref.kind === 'rollout' ? object.spec?.workloadRef : undefined;
    if (workloadRef && typeof workloadRef.name === 'string') {
      // The Rollout borrows its pod template from a Deployment (usually scaled to zero).
      const dep = await f.get(DEPLOYMENTS, workloadRef.name);
      if (!dep.ok)
        return fail(
          dep.code === 404
            ? {
                kind: 'not-found',
                message: `Rollout "${ref.name}" refers to Deployment "${workloadRef.name}", which is not found in namespace "${c.namespace}".`,
              }
            : dep.failure,
        );
      related = [dep.value];
    }
    if (ref.kind === 'service') {
      const selector = labelSelectorText(object.spec?.selector);
      if (selector) {
        const pods = await f.list(PODS, { labelSelector: selector });
        if (!pods.ok) return fail(pods.failure);
        related = pods.value;
        podsBehind = pods.value;
      }
    }
  }

  const sources = podSourcesFor(ref, c.namespace, object, related);
  if (!Array.isArray(sources)) return fail({ kind: 'not-found', message: sources.problem });

  return { result: { ok: true, target: { ref, namespace: c.namespace, origin, object, pods: sources } }, podsBehind };
}

/**
 * The live pods behind a target that fetchTarget resolved, with the events of those that
 * restarted. A pod target is its own live pod, a service or label target reuses the pods its
 * lookup listed, a workload lists the pods its selector matches (bounded by MAX_LIVE_PODS); a
 * CronJob has none. Events stay best-effort (killedByLiveness unknown when they cannot be read);
 * a pod LIST that fails is a typed failure.
 */
export async function fetchLivePods(fetched: FetchedTarget, c: FetchContext): Promise<LivePodsResult> {
  if (!fetched.result.ok) return { ok: false, failure: fetched.result.failure };
  const { ref, object } = fetched.result.target;
  const f = new Fetcher(c);
  if (ref.kind === 'pod' && object) return { ok: true, pods: await f.livePods([object]) };
  if (fetched.podsBehind) return { ok: true, pods: await f.livePods(fetched.podsBehind) };
  if (!object || ref.kind === 'cronjob') return { ok: true, pods: [] };
  const selector = labelSelectorText(object.spec?.selector?.matchLabels);
  if (!selector) return { ok: true, pods: [] };
  const pods = await f.list(PODS, { labelSelector: selector, limit: String(MAX_LIVE_PODS) });
  if (!pods.ok) return { ok: false, failure: pods.failure };
  return { ok: true, pods: await f.livePods(pods.value) };
}

/** One bounded LIST of a target kind in the context's namespace (or of the namespaces). */
export function fetchList(what: ListWhat, c: FetchContext): Promise<ListResult> {
  return new Fetcher(c).listAll(what);
}
