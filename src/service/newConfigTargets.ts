/**
 * New mirrord Config, for every front end (the language server's probeGuard/newConfigCandidates
 * and probeGuard/newConfigText, the CLI's `probe-guard new`): which workloads may be picked, and
 * the verified config for the one picked. The workloads come from the cluster by the catalog
 * policy (targetCatalog.ts: the list cache, `probeGuard.manifests` when lookups are off or the
 * cluster cannot answer); the picked one is looked up again by the lookup policy (its pods, as a
 * config's target) and the config verified by the engine (newConfig.ts). Untrusted: nothing, no
 * cluster call, no manifest read.
 */
import * as path from 'node:path';
import { newConfigFileName, type NewConfigTarget } from '../core/config/newConfig';
import { podSourceContainers, summarizeWorkload } from '../core/target/workloadSummary';
import type { LookupRequest, ResolveResult } from '../core/types';
import type { ClusterLookup } from './clusterLookup';
import type { ServiceLog } from './log';
import type { NewConfigOutcome } from './newConfig';
import { listCatalog, type CatalogOptions, type CatalogOutcome } from './targetCatalog';
import type { ProbeGuardSettings } from './settings';
import { lookupBlocked, lookUpTarget, type LookupOptions, type LookupPlace } from './targetLookup';

/** What a new config may target: workloads, whose names survive a rollout (a pod's does not). */
export const NEW_CONFIG_KINDS = ['deployment', 'rollout', 'statefulset'] as const;
export type NewConfigKind = (typeof NEW_CONFIG_KINDS)[number];

export function isNewConfigKind(kind: string): kind is NewConfigKind {
  return (NEW_CONFIG_KINDS as readonly string[]).includes(kind);
}

export interface NewConfigCandidate {
  kind: NewConfigKind;
  name: string;
  namespace: string;
  /** Its pod template's containers, in order. */
  containers: string[];
  /** Ready and desired replicas, from the cluster's status (a manifest has none). */
  replicas?: { ready: number; desired: number };
  source: 'cluster' | 'manifests';
  /** The manifest file and zero-based line it was read from. */
  file?: string;
  line?: number;
}

export interface NewConfigCandidatesResult {
  candidates: NewConfigCandidate[];
  /** The kube context the cluster's workloads come from. */
  context?: string;
  /**
   * Why the list is empty or what to know about it, one sentence: Restricted Mode, lookups off,
   * the cluster unreachable (and the manifests listed instead), a kind the cluster does not serve.
   */
  message?: string;
  /** Restricted Mode: nothing was asked or read. */
  restricted?: boolean;
}

export interface CandidatesQuery {
  /** Only this namespace (else the context's, or every namespace the manifests name). */
  namespace?: string;
  kubeconfig?: string;
  kubeContext?: string;
}

export async function listNewConfigCandidates(
  cluster: Pick<ClusterLookup, 'list'>,
  place: LookupPlace,
  query: CandidatesQuery,
  settings: ProbeGuardSettings,
  options: CatalogOptions,
): Promise<NewConfigCandidatesResult> {
  if (!options.trusted) return { candidates: [], restricted: true, message: RESTRICTED };
  if (!settings.clusterLookupEnabled && settings.manifests.length === 0) return { candidates: [], message: TURNED_OFF };
  const listed = await Promise.all(
    NEW_CONFIG_KINDS.map(async (kind) => ({
      kind,
      outcome: await listCatalog(
        cluster,
        place,
        {
          what: kind,
          namespace: query.namespace,
          kubeconfig: query.kubeconfig,
          kubeContext: query.kubeContext,
          allNamespacesInManifests: !query.namespace && !settings.namespace,
        },
        settings,
        options,
      ),
    })),
  );
  const candidates: NewConfigCandidate[] = [];
  const failures: string[] = [];
  let context: string | undefined;
  let clusterFailure: string | undefined;
  for (const { kind, outcome } of listed) {
    if (!outcome.ok) {
      if (outcome.why === 'cancelled') return { candidates: [], message: 'Cancelled.' };
      // A cluster without Argo Rollouts serves no rollouts: nothing to offer, not a problem.
      if (outcome.why === 'failed' && !(kind === 'rollout' && /not found|does not serve|CRD/i.test(outcome.message ?? '')))
        failures.push(outcome.message ?? `Cannot list ${kind}s.`);
      continue;
    }
    if (outcome.source === 'cluster') context ??= outcome.info?.context;
    if (outcome.clusterFailure) clusterFailure ??= outcome.clusterFailure;
    candidates.push(...candidatesOf(kind, outcome));
  }
  candidates.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || kindOrder(a.kind) - kindOrder(b.kind));
  const result: NewConfigCandidatesResult = { candidates };
  if (context) result.context = context;
  if (clusterFailure) result.message = `The cluster did not answer (${clusterFailure}); these workloads are from the manifests.`;
  else if (failures.length > 0) result.message = failures[0];
  else if (candidates.length === 0)
    result.message = `No deployment, rollout or statefulset found${query.namespace ? ` in namespace "${query.namespace}"` : ''}.`;
  return result;
}

function candidatesOf(kind: NewConfigKind, outcome: Extract<CatalogOutcome, { ok: true }>): NewConfigCandidate[] {
  const out: NewConfigCandidate[] = [];
  for (const item of outcome.items) {
    const summary = summarizeWorkload(kind, item.object);
    if (summary.name === '' || summary.containers.length === 0) continue;
    // A listed object's namespace is the LIST's; a manifest's is its own, else the default one.
    const namespace = outcome.source === 'manifests' && summary.namespace ? summary.namespace : outcome.namespace;
    const candidate: NewConfigCandidate = { kind, name: summary.name, namespace, containers: summary.containers, source: outcome.source };
    if (summary.replicas) candidate.replicas = summary.replicas;
    if (item.file !== undefined) candidate.file = item.file;
    if (item.line !== undefined) candidate.line = item.line;
    out.push(candidate);
  }
  return out;
}

function kindOrder(kind: NewConfigKind): number {
  return NEW_CONFIG_KINDS.indexOf(kind);
}

export interface NewConfigRequest {
  kind: string;
  name: string;
  namespace?: string;
  container?: string;
  kubeconfig?: string;
  kubeContext?: string;
}

export type NewConfigTextResult =
  | {
      ok: true;
      text: string;
      applied: string[];
      target: NewConfigTarget;
      source: 'cluster' | 'manifests';
      fileName: string;
      /** The workload was found through a kubeconfig chosen for Probe Guard, which mirrord does not read: what to do about it. */
      kubeconfigNote?: string;
    }
  | {
      ok: false;
      reason: string;
      /**
       * `unsafe`: a liveness/readiness probe would still be stolen or cannot be judged; `unresolved`:
       * the workload or container was not found (or the cluster failed); `invalid`: not a workload
       * name; `restricted`: Restricted Mode or no lookups at all.
       */
      why: 'unsafe' | 'unresolved' | 'invalid' | 'restricted';
      /** Not found in its namespace: the namespaces that have it (a few at most). */
      otherNamespaces?: string[];
      probes: { container: string; probe: string; verdict: string }[];
    };

export interface NewConfigTextOptions {
  trusted: boolean;
  log: ServiceLog;
  signal?: AbortSignal;
  resolveManifests: LookupOptions['resolveManifests'];
  missingManifests?: 'error' | 'warn';
  /** verifiedNewConfig with the front end's engine options (the language server runs it in a worker). */
  verify: (target: NewConfigTarget, resolution: Extract<ResolveResult, { ok: true }>) => NewConfigOutcome | Promise<NewConfigOutcome>;
}

/** The verified config for one workload, or why there is none (Restricted Mode, not found, a probe it cannot keep safe). */
export async function newConfigTextFor(
  cluster: Pick<ClusterLookup, 'resolve'>,
  place: LookupPlace,
  request: NewConfigRequest,
  settings: ProbeGuardSettings,
  options: NewConfigTextOptions,
): Promise<NewConfigTextResult> {
  const refuse = (reason: string, why: 'unresolved' | 'invalid' | 'restricted'): NewConfigTextResult => ({ ok: false, reason, why, probes: [] });
  if (!isNewConfigKind(request.kind)) return refuse(`A new config targets a ${NEW_CONFIG_KINDS.join(', ')} (got "${request.kind}").`, 'invalid');
  if (!isName(request.name)) return refuse(`"${request.name}" is not a Kubernetes object name.`, 'invalid');
  if (request.container !== undefined && !isName(request.container)) return refuse(`"${request.container}" is not a container name.`, 'invalid');
  if (request.namespace !== undefined && !isName(request.namespace)) return refuse(`"${request.namespace}" is not a namespace name.`, 'invalid');
  const blocked = lookupBlocked(settings, options.trusted);
  if (blocked?.kind === 'restricted') return refuse(RESTRICTED, 'restricted');
  if (blocked) return refuse(TURNED_OFF, 'restricted');
  const lookup: LookupRequest = { ref: { kind: request.kind, name: request.name } };
  if (request.container) lookup.ref.container = request.container;
  if (request.namespace) lookup.namespace = request.namespace;
  if (request.kubeconfig) lookup.kubeconfig = request.kubeconfig;
  if (request.kubeContext) lookup.kubeContext = request.kubeContext;
  const lookupOptions = { log: options.log, signal: options.signal, resolveManifests: options.resolveManifests, missingManifests: options.missingManifests };
  let outcome = await lookUpTarget(cluster, place, lookup, settings, lookupOptions);
  // No namespace asked for and the workload is in exactly one other: that one (the config names its namespace).
  const elsewhere = outcome.resolution && !outcome.resolution.ok ? outcome.resolution.failure.otherNamespaces : undefined;
  if (!request.namespace && !settings.namespace && elsewhere?.length === 1) {
    outcome = await lookUpTarget(cluster, place, { ...lookup, namespace: elsewhere[0] }, settings, lookupOptions);
  }
  const resolution = outcome.resolution;
  if (!resolution) return refuse(TURNED_OFF, 'restricted');
  if (!resolution.ok) {
    const refused = refuse(resolution.failure.message, 'unresolved');
    if (!refused.ok && resolution.failure.otherNamespaces?.length) refused.otherNamespaces = resolution.failure.otherNamespaces;
    return refused;
  }
  const containers = podSourceContainers(resolution.target.pods);
  if (request.container && !containers.includes(request.container)) {
    return refuse(
      `${request.kind}/${request.name} has no container "${request.container}" (its containers: ${containers.join(', ') || 'none'}).`,
      'unresolved',
    );
  }
  const target: NewConfigTarget = { kind: request.kind, name: request.name, namespace: resolution.target.namespace };
  if (request.container) target.container = request.container;
  // A context chosen for Probe Guard is not mirrord's: the config names it, so mirrord targets the cluster it was verified in.
  const chosenContext = request.kubeContext ?? settings.kubeContext;
  if (chosenContext && outcome.status.kind === 'resolved' && outcome.status.source === 'cluster' && outcome.info?.context)
    target.kubeContext = outcome.info.context;
  const verified = await options.verify(target, resolution);
  if (!verified.ok) return { ...verified, why: 'unsafe' };
  const source = outcome.status.kind === 'resolved' ? outcome.status.source : resolution.target.origin.source === 'cluster' ? 'cluster' : 'manifests';
  const result: NewConfigTextResult = { ok: true, text: verified.text, applied: verified.applied, target, source, fileName: newConfigFileName(request.name) };
  // A kubeconfig chosen for Probe Guard is not mirrord's either, and a path of this machine does not belong in a shared config.
  const chosenKubeconfig = request.kubeconfig ?? settings.kubeconfig;
  if (chosenKubeconfig && source === 'cluster') {
    const files = outcome.info?.kubeconfigFiles.join(path.delimiter) || chosenKubeconfig;
    result.kubeconfigNote = `Found through the kubeconfig ${files}, which mirrord does not read on its own (it reads KUBECONFIG or ~/.kube/config): run mirrord with KUBECONFIG=${files}, or add "kubeconfig" to the config.`;
  }
  return result;
}

/**
 * `.mirrord/<name>.mirrord.json`, else `<name>-2.mirrord.json`, `-3`...: the first name `exists`
 * says is free (a new config never overwrites one).
 */
export function freeConfigFileName(name: string, exists: (fileName: string) => boolean): string {
  for (let n = 1; ; n++) {
    const fileName = newConfigFileName(name, n);
    if (!exists(fileName)) return fileName;
  }
}

/** A DNS-1123 name (objects, namespaces, containers): nothing that could make a path or a file name. */
function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value);
}

const RESTRICTED = 'Restricted Mode: Probe Guard asks no cluster and reads no manifest until the workspace is trusted. Trust the workspace to pick a workload.';
const TURNED_OFF =
  'Cluster lookups are off (probeGuard.clusterLookup.enabled) and no manifests are set (probeGuard.manifests): there are no workloads to pick from.';
