/**
 * The target lookup policy, one for every front end: the cluster when lookups are on, the
 * manifests when they are off, and the manifests again when the cluster cannot answer (a failure
 * after which the cluster said nothing about the target). The CLI's `--manifest` is "lookups off,
 * these manifests"; the editor's `probeGuard.manifests` is the fallback. Trust is the caller's:
 * this follows paths and runs exec plugins, so it is only called for a trusted workspace.
 */
import type { LookupRequest, ResolveFailure, ResolveResult } from '../core/types';
import type { ClusterInfo, ClusterSettings } from '../kube/clusterTypes';
import type { ClusterLookup } from './clusterLookup';
import type { ManifestJob, ManifestResolution } from './manifestResolution';
import type { ServiceLog } from './log';
import type { ProbeGuardSettings } from './settings';

/** What the status item and the hover say about the target lookup of one config. */
export type LookupStatus =
  | { kind: 'not-needed' }
  | { kind: 'restricted' }
  | { kind: 'turned-off' }
  | { kind: 'pending' }
  | { kind: 'resolved'; source: 'cluster'; fromCache: boolean; fetchedAt: number }
  | { kind: 'resolved'; source: 'manifests'; files: string[]; fetchedAt: number; clusterFailure?: ResolveFailure }
  | { kind: 'failed'; failure: ResolveFailure; fetchedAt: number; source: 'cluster' | 'manifests' };

export interface LookupOutcome {
  resolution?: ResolveResult;
  status: LookupStatus;
  info?: ClusterInfo;
  /** The namespace the lookup used (or would have used). */
  namespace: string;
  /** Skipped manifest files and the like, one line each (the CLI prints them, the editor logs them). */
  notes: string[];
}

/** Where a config lives, for relative paths in it and in the settings. */
export interface LookupPlace {
  /** The config file's folder: its `kubeconfig` is relative to it. */
  configDir: string;
  /** `probeGuard.manifests` and `--manifest` entries are relative to it (workspace folder, CLI cwd). */
  baseDir: string;
  /** The environment of the session (kubeconfig discovery, exec plugins). */
  env: Record<string, string | undefined>;
}

/** Cluster failures after which the manifests are the better answer: the cluster said nothing. */
const FALLBACK_KINDS = new Set<ResolveFailure['kind']>([
  'unreachable',
  'tls',
  'unauthorized',
  'forbidden',
  'timeout',
  'server-error',
  'exec-failed',
  'exec-forbidden',
  'bad-kubeconfig',
]);

/** Whether the manifests answer after this cluster failure (the cluster said nothing about the target). */
export function fallsBackToManifests(failure: ResolveFailure): boolean {
  return FALLBACK_KINDS.has(failure.kind);
}

export function clusterSettingsFor(place: LookupPlace, settings: ProbeGuardSettings, trusted: boolean): ClusterSettings {
  return {
    configDir: place.configDir,
    overrides: { kubeconfig: settings.kubeconfig, context: settings.kubeContext, namespace: settings.namespace },
    env: { ...place.env },
    allowExec: trusted,
    timeoutMs: settings.timeoutMs,
    cacheTtlMs: settings.cacheTtlMs,
  };
}

/** Why no lookup may run (untrusted, or neither the cluster nor manifests are on); undefined when one may. */
export function lookupBlocked(settings: ProbeGuardSettings, trusted: boolean): LookupStatus | undefined {
  if (!trusted) return { kind: 'restricted' };
  if (!settings.clusterLookupEnabled && settings.manifests.length === 0) return { kind: 'turned-off' };
  return undefined;
}

export interface LookupOptions {
  signal?: AbortSignal;
  refresh?: boolean;
  log: ServiceLog;
  /**
   * Reads and resolves the manifests: `resolveFromManifestFiles` (manifestResolution.ts), passed in
   * so that loading this module loads no parser (the language server runs it in a worker).
   */
  resolveManifests: (job: ManifestJob) => ManifestResolution | Promise<ManifestResolution>;
  /** A manifest entry that does not exist: an error (the CLI's explicit `--manifest`) or a note (default). */
  missingManifests?: 'error' | 'warn';
}

/** One lookup, by the policy above. Only for trusted workspaces; the caller decides that. */
export async function lookUpTarget(
  cluster: Pick<ClusterLookup, 'resolve'>,
  place: LookupPlace,
  request: LookupRequest,
  settings: ProbeGuardSettings,
  options: LookupOptions,
): Promise<LookupOutcome> {
  const log = options.log;
  let clusterFailure: ResolveFailure | undefined;
  let info: ClusterInfo | undefined;
  const notes: string[] = [];
  if (settings.clusterLookupEnabled) {
    const started = Date.now();
    const resolution = await cluster.resolve(request, clusterSettingsFor(place, settings, true), options);
    info = resolution.info;
    const { fromCache, fetchedAt } = resolution;
    const where = info ? ` (context ${info.context ?? '-'}, namespace ${info.namespace})` : '';
    if (info) notes.push(`cluster: context ${info.context ?? '(none)'}, namespace ${info.namespace}`);
    if (resolution.ok) {
      log.info(`Resolved ${describeRef(request)}${where} in ${Date.now() - started} ms${fromCache ? ' from cache' : ''}.`);
      return {
        resolution: { ok: true, target: resolution.target },
        status: { kind: 'resolved', source: 'cluster', fromCache, fetchedAt },
        info,
        namespace: resolution.target.namespace,
        notes,
      };
    }
    log.warn(`Lookup of ${describeRef(request)}${where} failed (${resolution.failure.kind}): ${resolution.failure.message}`);
    const namespace = info?.namespace ?? request.namespace ?? settings.namespace ?? 'default';
    if (resolution.failure.kind === 'cancelled' || !FALLBACK_KINDS.has(resolution.failure.kind) || settings.manifests.length === 0) {
      return {
        resolution: { ok: false, failure: resolution.failure },
        status: { kind: 'failed', failure: resolution.failure, fetchedAt, source: 'cluster' },
        info,
        namespace,
        notes,
      };
    }
    clusterFailure = resolution.failure;
  } else if (settings.manifests.length === 0) {
    return { status: { kind: 'turned-off' }, namespace: request.namespace ?? settings.namespace ?? 'default', notes };
  }
  const namespace = request.namespace ?? settings.namespace ?? info?.namespace ?? 'default';
  const fromManifests: ManifestResolution = await options.resolveManifests({
    request,
    namespace,
    entries: settings.manifests,
    baseDir: place.baseDir,
    missing: options.missingManifests ?? 'warn',
  });
  notes.push(...fromManifests.warnings);
  for (const warning of fromManifests.warnings) log.debug(`Manifests: ${warning}`);
  const fetchedAt = Date.now();
  if (fromManifests.files.length === 0) {
    log.warn(`No manifest file found for ${settings.manifests.join(', ')}.`);
    const failure: ResolveFailure = clusterFailure ?? {
      kind: 'disabled',
      message: `No manifest file found in ${settings.manifests.join(', ')}${settings.clusterLookupEnabled ? '' : ' (cluster lookup is off)'}.`,
    };
    return {
      resolution: { ok: false, failure },
      status: { kind: 'failed', failure, fetchedAt, source: clusterFailure ? 'cluster' : 'manifests' },
      info,
      namespace,
      notes,
    };
  }
  const result = fromManifests.result;
  if (result.ok) {
    log.info(`Resolved ${describeRef(request)} from ${fromManifests.files.length} manifest file(s).`);
    return {
      resolution: result,
      status: { kind: 'resolved', source: 'manifests', files: fromManifests.files, fetchedAt, clusterFailure },
      info,
      namespace: result.target.namespace,
      notes,
    };
  }
  log.warn(`Manifests do not resolve ${describeRef(request)}: ${result.failure.message}`);
  // The cluster's failure is the more useful one to show when both failed.
  const failure = clusterFailure ?? result.failure;
  return {
    resolution: { ok: false, failure },
    status: { kind: 'failed', failure, fetchedAt, source: clusterFailure ? 'cluster' : 'manifests' },
    info,
    namespace,
    notes,
  };
}

export function describeRef(request: LookupRequest): string {
  const ref = request.ref;
  if (ref.kind === 'label')
    return `label/${Object.entries(ref.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}`;
  return ref.name ? `${ref.kind}/${ref.name}` : ref.kind;
}
