/**
 * What target completion may offer, for every front end: the objects of one kind in a namespace
 * (or the namespaces), from the cluster by the lookup policy (the resolver's list cache, shared
 * with the lookups) or from `probeGuard.manifests` when lookups are off or the cluster cannot
 * answer. Nothing at all in an untrusted workspace: no cluster call, no exec plugin, no workspace
 * path followed.
 */
import { podSourcesFor } from '../core/k8s/podSources';
import type { CompletableKind } from '../core/target/targetCompletionSite';
import type { KubeObject, ResolveResult, TargetRef } from '../core/types';
import type { ClusterInfo, ListWhat } from '../kube/clusterTypes';
import type { ClusterLookup } from './clusterLookup';
import type { CatalogItem, ManifestCatalog, ManifestCatalogJob } from './manifestCatalog';
import type { ProbeGuardSettings } from './settings';
import { clusterSettingsFor, fallsBackToManifests, type LookupPlace } from './targetLookup';

export interface CatalogQuery {
  what: ListWhat;
  /** The config's `target.namespace` (or MIRRORD_TARGET_NAMESPACE). */
  namespace?: string;
  kubeconfig?: string;
  kubeContext?: string;
  /** From the manifests: the objects of every namespace, not only `namespace` (New mirrord Config). */
  allNamespacesInManifests?: boolean;
}

export type CatalogOutcome =
  | {
      ok: true;
      source: 'cluster' | 'manifests';
      namespace: string;
      items: CatalogItem[];
      info?: ClusterInfo;
      clusterFailure?: string;
      /** From the manifests, for services and rollouts: the namespace's pods and workloads (see relatedObjects). */
      related?: KubeObject[];
    }
  | { ok: false; why: 'restricted' | 'turned-off' | 'cancelled' | 'failed'; message?: string };

export interface CatalogOptions {
  trusted: boolean;
  signal?: AbortSignal;
  /** Reads the manifests (the language server runs it in a worker thread). */
  readManifests: (job: ManifestCatalogJob) => ManifestCatalog | Promise<ManifestCatalog>;
}

export async function listCatalog(
  cluster: Pick<ClusterLookup, 'list'>,
  place: LookupPlace,
  query: CatalogQuery,
  settings: ProbeGuardSettings,
  options: CatalogOptions,
): Promise<CatalogOutcome> {
  if (!options.trusted) return { ok: false, why: 'restricted' };
  let info: ClusterInfo | undefined;
  let clusterMessage: string | undefined;
  if (settings.clusterLookupEnabled) {
    const listed = await cluster.list(
      { what: query.what, namespace: query.namespace, kubeconfig: query.kubeconfig, kubeContext: query.kubeContext },
      clusterSettingsFor(place, settings, true),
      { signal: options.signal },
    );
    info = listed.info;
    if (listed.ok)
      return {
        ok: true,
        source: 'cluster',
        namespace: info?.namespace ?? query.namespace ?? 'default',
        items: listed.items.map((object) => ({ object })),
        info,
      };
    if (listed.failure.kind === 'cancelled') return { ok: false, why: 'cancelled' };
    if (!fallsBackToManifests(listed.failure) || settings.manifests.length === 0) return { ok: false, why: 'failed', message: listed.failure.message };
    clusterMessage = listed.failure.message;
  } else if (settings.manifests.length === 0) {
    return { ok: false, why: 'turned-off' };
  }
  const namespace = query.namespace ?? settings.namespace ?? info?.namespace ?? 'default';
  const job: ManifestCatalogJob = { what: query.what, namespace, entries: settings.manifests, baseDir: place.baseDir };
  if (query.allNamespacesInManifests) job.allNamespaces = true;
  if (query.what === 'service' || query.what === 'rollout') job.withRelated = true;
  const catalog = await options.readManifests(job);
  if (options.signal?.aborted) return { ok: false, why: 'cancelled' };
  if (catalog.files.length === 0) return { ok: false, why: 'failed', message: clusterMessage ?? `No manifest file found in ${settings.manifests.join(', ')}.` };
  const outcome: CatalogOutcome = { ok: true, source: 'manifests', namespace, items: catalog.items, info };
  if (catalog.related) outcome.related = catalog.related;
  if (clusterMessage) outcome.clusterFailure = clusterMessage;
  return outcome;
}

/** Whether judging this candidate needs the namespace's other objects: a Service's pods, a Rollout's workloadRef Deployment. */
export function needsRelatedObjects(kind: CompletableKind, object: KubeObject): boolean {
  return kind === 'service' || (kind === 'rollout' && Boolean(object?.spec?.workloadRef));
}

/**
 * The objects a Service's or a workloadRef Rollout's pod spec is found in. From the manifests they
 * came with the catalog (one read); from the cluster, the namespace's pod LIST (a Service's
 * selector) and Deployment LIST (a workloadRef), through the same catalog policy and list cache as
 * every completion, so each is one LIST per namespace per cache period. Empty where a LIST fails:
 * those candidates are then offered without verdicts.
 */
export async function relatedObjects(
  catalog: Extract<CatalogOutcome, { ok: true }>,
  needs: { pods: boolean; deployments: boolean },
  list: (what: ListWhat) => Promise<CatalogOutcome>,
): Promise<KubeObject[]> {
  if (catalog.source === 'manifests') return catalog.related ?? [];
  const wanted: ListWhat[] = [...(needs.pods ? ['pod' as const] : []), ...(needs.deployments ? ['deployment' as const] : [])];
  const lists = await Promise.all(wanted.map((what) => list(what)));
  return lists.flatMap((outcome) => (outcome.ok && outcome.source === 'cluster' ? outcome.items.map((item) => item.object) : []));
}

/**
 * A completion candidate as a resolved target, so the engine can judge it under the config: the
 * listed object holds its pod template (a Deployment, a Pod...), or `related` holds it (a
 * Service's pods, a Rollout's workloadRef Deployment: see relatedObjects). Undefined when no pod
 * spec is found: such a candidate is offered without verdicts.
 */
export function candidateResolution(
  kind: CompletableKind,
  object: KubeObject,
  namespace: string,
  source: 'cluster' | 'manifests',
  container?: string,
  related: KubeObject[] = [],
): ResolveResult | undefined {
  if (needsRelatedObjects(kind, object) && related.length === 0) return undefined;
  const ref: TargetRef = { kind, name: String(object.metadata?.name ?? '') };
  if (container) ref.container = container;
  const pods = podSourcesFor(ref, namespace, object, related);
  if (!Array.isArray(pods) || pods.length === 0) return undefined;
  return { ok: true, target: { ref, namespace, origin: { source: source === 'cluster' ? 'cluster' : 'manifest' }, object, pods } };
}
