import * as path from 'node:path';
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { ClusterInfo, ClusterSettings } from '../kube/clusterTypes';
import type { LookupRequest, ResolveFailure, ResolveResult } from '../core/types';
import type { ClusterLookup } from './clusterLookup';
import { log } from './log';
import { resolveFromManifestSettings } from './manifestLookup';
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

export function clusterSettingsFor(document: { uri: vscode.Uri }, settings: ProbeGuardSettings, trusted: boolean): ClusterSettings {
  return {
    configDir: configDirOf(document.uri),
    overrides: { kubeconfig: settings.kubeconfig, context: settings.kubeContext, namespace: settings.namespace },
    env: { ...process.env },
    allowExec: trusted,
    timeoutMs: settings.timeoutMs,
    cacheTtlMs: settings.cacheTtlMs,
  };
}

function configDirOf(uri: vscode.Uri): string {
  if (uri.scheme === 'file') return path.dirname(uri.fsPath);
  return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
}

/**
 * One lookup: the cluster when enabled, else (or when the cluster cannot answer) the manifests.
 * Only called for trusted workspaces; the caller decides that.
 */
export async function lookUpTarget(
  cluster: ClusterLookup,
  document: { uri: vscode.Uri },
  request: LookupRequest,
  settings: ProbeGuardSettings,
  options: { signal?: AbortSignal; refresh?: boolean },
): Promise<LookupOutcome> {
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  let clusterFailure: ResolveFailure | undefined;
  let info: ClusterInfo | undefined;
  if (settings.clusterLookupEnabled) {
    const started = Date.now();
    const resolution = await cluster.resolve(request, clusterSettingsFor(document, settings, true), options);
    info = resolution.info;
    const { fromCache, fetchedAt } = resolution;
    const where = info ? ` (context ${info.context ?? '-'}, namespace ${info.namespace})` : '';
    if (resolution.ok) {
      log().info(`Resolved ${describeRef(request)}${where} in ${Date.now() - started} ms${fromCache ? ' from cache' : ''}.`);
      return { resolution: { ok: true, target: resolution.target }, status: { kind: 'resolved', source: 'cluster', fromCache, fetchedAt }, info };
    }
    log().warn(`Lookup of ${describeRef(request)}${where} failed (${resolution.failure.kind}): ${resolution.failure.message}`);
    if (resolution.failure.kind === 'cancelled' || !FALLBACK_KINDS.has(resolution.failure.kind) || settings.manifests.length === 0) {
      return {
        resolution: { ok: false, failure: resolution.failure },
        status: { kind: 'failed', failure: resolution.failure, fetchedAt, source: 'cluster' },
        info,
      };
    }
    clusterFailure = resolution.failure;
  } else if (settings.manifests.length === 0) {
    return { status: { kind: 'turned-off' } };
  }
  const namespace = request.namespace ?? settings.namespace ?? info?.namespace ?? 'default';
  const fromManifests = await resolveFromManifestSettings(request, namespace, settings.manifests, folder);
  const fetchedAt = Date.now();
  if (!fromManifests) {
    const failure: ResolveFailure = clusterFailure ?? {
      kind: 'disabled',
      message: vscode.l10n.t('Cluster lookup is turned off and no file matches probeGuard.manifests.'),
    };
    return { resolution: { ok: false, failure }, status: { kind: 'failed', failure, fetchedAt, source: clusterFailure ? 'cluster' : 'manifests' }, info };
  }
  if (fromManifests.result.ok) {
    log().info(`Resolved ${describeRef(request)} from ${fromManifests.files.length} manifest file(s).`);
    return { resolution: fromManifests.result, status: { kind: 'resolved', source: 'manifests', files: fromManifests.files, fetchedAt, clusterFailure }, info };
  }
  log().warn(`Manifests do not resolve ${describeRef(request)}: ${fromManifests.result.failure.message}`);
  // The cluster's failure is the more useful one to show when both failed.
  const failure = clusterFailure ?? fromManifests.result.failure;
  return { resolution: { ok: false, failure }, status: { kind: 'failed', failure, fetchedAt, source: clusterFailure ? 'cluster' : 'manifests' }, info };
}

export function describeRef(request: LookupRequest): string {
  const ref = request.ref;
  if (ref.kind === 'label')
    return `label/${Object.entries(ref.labels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}`;
  return ref.name ? `${ref.kind}/${ref.name}` : ref.kind;
}
