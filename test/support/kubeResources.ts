/**
 * What the test API server serves, as kube-apiserver describes it: the resource types (group,
 * version, kind, short names), the discovery documents kubectl reads before a `get` (aggregated
 * discovery v2, and the older per-group documents for clients that ask for plain JSON), and the
 * server-side `Table` that `kubectl get` prints.
 * Shapes follow k8s.io/apimachinery (meta/v1 APIResourceList, APIGroupList, Table) and
 * k8s.io/api/apidiscovery/v2 (APIGroupDiscoveryList).
 */
import type { KubeObject } from '../../src/core/types';

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  shortNames?: string[];
  categories?: string[];
  /** Namespaces themselves; every other type here lives in a namespace. */
  clusterScoped?: boolean;
}

export const VERBS = ['get', 'list'];

export const RESOURCE_TYPES: ResourceType[] = [
  { group: '', version: 'v1', plural: 'namespaces', singular: 'namespace', kind: 'Namespace', shortNames: ['ns'], clusterScoped: true },
  { group: '', version: 'v1', plural: 'pods', singular: 'pod', kind: 'Pod', shortNames: ['po'], categories: ['all'] },
  { group: '', version: 'v1', plural: 'services', singular: 'service', kind: 'Service', shortNames: ['svc'], categories: ['all'] },
  { group: '', version: 'v1', plural: 'events', singular: 'event', kind: 'Event', shortNames: ['ev'] },
  { group: '', version: 'v1', plural: 'configmaps', singular: 'configmap', kind: 'ConfigMap', shortNames: ['cm'] },
  { group: 'apps', version: 'v1', plural: 'deployments', singular: 'deployment', kind: 'Deployment', shortNames: ['deploy'], categories: ['all'] },
  { group: 'apps', version: 'v1', plural: 'statefulsets', singular: 'statefulset', kind: 'StatefulSet', shortNames: ['sts'], categories: ['all'] },
  { group: 'apps', version: 'v1', plural: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', shortNames: ['rs'], categories: ['all'] },
  { group: 'batch', version: 'v1', plural: 'jobs', singular: 'job', kind: 'Job', categories: ['all'] },
  { group: 'batch', version: 'v1', plural: 'cronjobs', singular: 'cronjob', kind: 'CronJob', shortNames: ['cj'], categories: ['all'] },
  { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts', singular: 'rollout', kind: 'Rollout', shortNames: ['ro'], categories: ['all'] },
];

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** The served types of one group version (empty when it is not served). */
export function typesOf(types: ResourceType[], group: string, version: string): ResourceType[] {
  return types.filter((t) => t.group === group && t.version === version);
}

export function findType(types: ResourceType[], group: string, version: string, plural: string): ResourceType | undefined {
  return types.find((t) => t.group === group && t.version === version && t.plural === plural);
}

/** The type of a stored object, from its apiVersion and kind. */
export function typeOfObject(types: ResourceType[], obj: KubeObject): ResourceType | undefined {
  const apiVersion = String(obj.apiVersion ?? 'v1');
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return types.find((t) => t.group === group && t.version === version && t.kind === obj.kind);
}

/** Named groups in a stable order, each with its versions. */
function namedGroups(types: ResourceType[]): Array<{ name: string; versions: string[] }> {
  const groups = new Map<string, string[]>();
  for (const t of types) {
    if (!t.group) continue;
    const versions = groups.get(t.group) ?? [];
    if (!versions.includes(t.version)) versions.push(t.version);
    groups.set(t.group, versions);
  }
  return [...groups].map(([name, versions]) => ({ name, versions }));
}

// ---- discovery: legacy documents (Accept: application/json) -------------------------------------

export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(name: string, versions: string[]): object {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

export function apiGroupList(types: ResourceType[]): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: namedGroups(types).map((g) => apiGroup(g.name, g.versions)) };
}

/** `/apis/GROUP`, or undefined when the group is not served. */
export function apiGroupDocument(types: ResourceType[], group: string): object | undefined {
  const found = namedGroups(types).find((g) => g.name === group);
  return found ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(found.name, found.versions) } : undefined;
}

/** `/api/v1`, `/apis/GROUP/VERSION`, or undefined when not served. */
export function apiResourceList(types: ResourceType[], group: string, version: string): object | undefined {
  const served = typesOf(types, group, version);
  if (served.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion(group, version),
    resources: served.map((t) => ({
      name: t.plural,
      singularName: t.singular,
      namespaced: !t.clusterScoped,
      kind: t.kind,
      verbs: VERBS,
      ...(t.shortNames ? { shortNames: t.shortNames } : {}),
      ...(t.categories ? { categories: t.categories } : {}),
    })),
  };
}

// ---- discovery: aggregated (apidiscovery.k8s.io/v2, one document for /api and one for /apis) ----

export const AGGREGATED_DISCOVERY_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

function discoveryGroup(types: ResourceType[], name: string, versions: string[]): object {
  return {
    metadata: name ? { name, creationTimestamp: null } : { creationTimestamp: null },
    versions: versions.map((version) => ({
      version,
      resources: typesOf(types, name, version).map((t) => ({
        resource: t.plural,
        responseKind: { group: t.group, version: t.version, kind: t.kind },
        scope: t.clusterScoped ? 'Cluster' : 'Namespaced',
        singularResource: t.singular,
        verbs: VERBS,
        ...(t.shortNames ? { shortNames: t.shortNames } : {}),
        ...(t.categories ? { categories: t.categories } : {}),
      })),
      freshness: 'Current',
    })),
  };
}

/** `/api` (the core group) or `/apis` (every named group) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(types: ResourceType[], which: 'api' | 'apis'): object {
  const items = which === 'api' ? [discoveryGroup(types, '', ['v1'])] : namedGroups(types).map((g) => discoveryGroup(types, g.name, g.versions));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}

// ---- content negotiation ----------------------------------------------------------------------

/** Whether an Accept header asks for the given `as=` form (group and version as the client names them). */
export function acceptsForm(accept: string | undefined, as: string, group: string, version: string): boolean {
  return (accept ?? '')
    .split(',')
    .map((media) => media.split(';').map((p) => p.trim()))
    .some(
      ([type, ...params]) => type === 'application/json' && params.includes(`as=${as}`) && params.includes(`g=${group}`) && params.includes(`v=${version}`),
    );
}

// ---- server-side printing (Table, meta.k8s.io/v1) ---------------------------------------------

export const TABLE_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  description: string;
  cell(obj: KubeObject, now: number): string | number;
}

/** kubectl's own short age: 45s, 12m, 5h, 3d, 2y. */
export function shortAge(created: string | undefined, now: number): string {
  const at = created ? Date.parse(created) : NaN;
  if (!Number.isFinite(at)) return '<unknown>';
  const s = Math.max(0, Math.floor((now - at) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 2 * 3600) return `${Math.floor(s / 60)}m`;
  if (s < 2 * 86400) return `${Math.floor(s / 3600)}h`;
  if (s < 2 * 365 * 86400) return `${Math.floor(s / 86400)}d`;
  return `${Math.floor(s / (365 * 86400))}y`;
}

const NAME: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  cell: (o) => String(o.metadata?.name),
};
const AGE: Column = {
  name: 'Age',
  type: 'string',
  description: 'Time since the object was created.',
  cell: (o, now) => shortAge(o.metadata?.creationTimestamp, now),
};

function containerStatuses(pod: KubeObject): any[] {
  return Array.isArray(pod.status?.containerStatuses) ? pod.status.containerStatuses : [];
}

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    NAME,
    {
      name: 'Ready',
      type: 'string',
      description: 'The ready containers of the pod.',
      cell: (p) => `${containerStatuses(p).filter((c) => c?.ready === true).length}/${Array.isArray(p.spec?.containers) ? p.spec.containers.length : 0}`,
    },
    { name: 'Status', type: 'string', description: 'The phase of the pod.', cell: (p) => String(p.status?.phase ?? 'Pending') },
    {
      name: 'Restarts',
      type: 'integer',
      description: 'Restarts of the pod containers.',
      cell: (p) => containerStatuses(p).reduce((sum, c) => sum + (Number(c?.restartCount) || 0), 0),
    },
    AGE,
  ],
  Deployment: [
    NAME,
    {
      name: 'Ready',
      type: 'string',
      description: 'Ready replicas over desired replicas.',
      cell: (d) => `${Number(d.status?.readyReplicas) || 0}/${Number.isFinite(d.spec?.replicas) ? d.spec.replicas : 1}`,
    },
    { name: 'Up-to-date', type: 'integer', description: 'Updated replicas.', cell: (d) => Number(d.status?.updatedReplicas) || 0 },
    { name: 'Available', type: 'integer', description: 'Available replicas.', cell: (d) => Number(d.status?.availableReplicas) || 0 },
    AGE,
  ],
};

/** The Table kube-apiserver returns for `Accept: ...;as=Table`, rows carrying PartialObjectMetadata. */
export function table(objects: KubeObject[], kind: string, resourceVersion: string, now: number): object {
  const columns = COLUMNS[kind] ?? [NAME, AGE];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: c.description, priority: 0 })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata },
    })),
  };
}
