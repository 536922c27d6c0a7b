/**
 * The objects of one target kind in a namespace (or the namespaces) as the manifests of
 * `probeGuard.manifests` hold them: what target completion offers when no cluster is used. Plain
 * data, so the language server runs it in a worker thread (parsing manifests is CPU work).
 */
import { isKind } from '../core/k8s/resolveFromManifests';
import { inNamespace, workloadKindForTarget } from '../core/k8s/podSources';
import type { KubeObject } from '../core/types';
import type { ListWhat } from '../kube/clusterTypes';
import { loadManifests, type ParsedManifestFiles } from './inputFiles';

export interface ManifestCatalogJob {
  what: ListWhat;
  namespace: string;
  entries: string[];
  baseDir: string;
  /** Objects of every namespace (New mirrord Config over manifests that name their namespaces); `namespace` is the default one. */
  allNamespaces?: boolean;
  /** Also the namespace's pods and pod-template workloads: a Service's or a workloadRef Rollout's pod spec is in them. */
  withRelated?: boolean;
}

/** The kinds a Service's selector or a Rollout's workloadRef may find a pod spec in. */
const RELATED_KINDS = new Set(['Pod', 'Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Rollout', 'Job']);

export interface CatalogItem {
  object: KubeObject;
  /** The manifest file and zero-based line it was read from. */
  file?: string;
  line?: number;
}

export interface ManifestCatalog {
  items: CatalogItem[];
  /** With `withRelated`: the namespace's pods and workloads, from the same read. */
  related?: KubeObject[];
  files: string[];
  warnings: string[];
}

export function manifestCatalog(job: ManifestCatalogJob, parsedFiles?: ParsedManifestFiles): ManifestCatalog {
  const manifests = loadManifests(job.entries, { baseDir: job.baseDir, missing: 'warn', parsedFiles });
  const result: ManifestCatalog = { items: [], files: manifests.files, warnings: manifests.warnings };
  if (job.what === 'namespace') {
    const names = new Set<string>();
    for (const m of manifests.objects) {
      const ns = m.object.metadata?.namespace;
      if (typeof ns === 'string' && ns !== '') names.add(ns);
      if (m.object.kind === 'Namespace' && typeof m.object.metadata?.name === 'string') names.add(m.object.metadata.name);
    }
    result.items = [...names].sort().map((name) => ({ object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } }));
    return result;
  }
  const api = workloadKindForTarget(job.what);
  if (!api) return result;
  if (job.withRelated) {
    result.related = manifests.objects
      .map((m) => m.object)
      .filter((o) => typeof o?.kind === 'string' && RELATED_KINDS.has(o.kind) && inNamespace(o, job.namespace));
  }
  const seen = new Set<string>();
  for (const m of manifests.objects) {
    const name = m.object.metadata?.name;
    if (typeof name !== 'string' || !isKind(m.object, api.kind, api.group)) continue;
    if (!job.allNamespaces && !inNamespace(m.object, job.namespace)) continue;
    // Base and overlay copies of one object: offered once (the first, as the lookup names it).
    const key = job.allNamespaces ? `${String(m.object.metadata?.namespace || job.namespace)}/${name}` : name;
    if (seen.has(key)) continue;
    seen.add(key);
    const item: CatalogItem = { object: m.object };
    if (m.file !== undefined) item.file = m.file;
    const line = m.lineOf([]);
    if (line !== undefined) item.line = line;
    result.items.push(item);
  }
  return result;
}
