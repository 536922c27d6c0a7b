/**
 * probeGuard/newConfigCandidates and probeGuard/newConfigText (New mirrord Config): the folder's
 * settings and trust, the service layer's policy (src/service/newConfigTargets.ts), manifests read
 * and the config verified in a worker thread. Nothing here decides what is listed or written.
 */
import * as l10n from '@vscode/l10n';
import type { NewConfigCandidatesParams, NewConfigCandidatesResult, NewConfigTextParams, NewConfigTextResult } from '../service/lspProtocol';
import type { ClusterLookup } from '../service/clusterLookup';
import type { ServiceLog } from '../service/log';
import type { NewConfigOutcome } from '../service/newConfig';
import { listNewConfigCandidates, newConfigTextFor } from '../service/newConfigTargets';
import { toTransferable } from '../service/transferableResolution';
import { wireOptions, type DocumentEnvironment } from './documentAnalyzer';
import type { WorkerPool } from './workerPool';
import { manifestReaders } from './manifestJobs';
import { answerOf } from './workerJobs';

export interface NewConfigHost {
  pool: WorkerPool;
  cluster: ClusterLookup;
  log: ServiceLog;
  /** The environment of a folder URI: its settings, trust and paths. */
  environment(uri: string): Promise<DocumentEnvironment>;
  /** The first workspace folder's URI, when the client names none. */
  defaultFolderUri(): string | undefined;
}

export async function newConfigCandidates(host: NewConfigHost, params: NewConfigCandidatesParams, signal: AbortSignal): Promise<NewConfigCandidatesResult> {
  const environment = await folderEnvironment(host, params?.folderUri);
  if (!environment.trusted) return { candidates: [], restricted: true, message: restrictedMessage() };
  return listNewConfigCandidates(host.cluster, environment.place, {}, environment.settings, {
    trusted: environment.trusted,
    signal,
    readManifests: manifestReaders(host.pool, 'interactive', signal).readManifests,
  });
}

export async function newConfigText(host: NewConfigHost, params: NewConfigTextParams, signal: AbortSignal): Promise<NewConfigTextResult> {
  const workload = params?.workload;
  if (!workload || typeof workload.kind !== 'string' || typeof workload.name !== 'string') {
    return { ok: false, reason: l10n.t('Name the workload: {0}', '{ "workload": { "kind": "deployment", "name": "api" } }'), why: 'invalid', probes: [] };
  }
  const environment = await folderEnvironment(host, params.folderUri);
  if (!environment.trusted) return { ok: false, reason: restrictedMessage(), why: 'restricted', probes: [] };
  const request = { kind: workload.kind, name: workload.name, namespace: optionalText(workload.namespace), container: optionalText(params.container) };
  return newConfigTextFor(host.cluster, environment.place, request, environment.settings, {
    trusted: environment.trusted,
    log: host.log,
    signal,
    resolveManifests: manifestReaders(host.pool, 'interactive', signal).resolveManifests,
    verify: async (target, resolution): Promise<NewConfigOutcome> => {
      const answer = await host.pool.run(
        { kind: 'newConfig', target, resolution: toTransferable(resolution)!, options: { ...wireOptions(environment), env: {} } },
        { lane: 'interactive', signal },
      );
      return answerOf(answer, 'newConfig').outcome;
    },
  });
}

async function folderEnvironment(host: NewConfigHost, folderUri: unknown): Promise<DocumentEnvironment> {
  const uri = typeof folderUri === 'string' && folderUri !== '' ? folderUri : host.defaultFolderUri();
  // No folder at all (a single file opened): the server's own settings and working folder.
  return host.environment(uri ?? '');
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function restrictedMessage(): string {
  return l10n.t('Restricted Mode: Probe Guard asks no cluster and reads no manifest until the workspace is trusted. Trust the workspace to pick a workload.');
}
