/**
 * probeGuard/launchVerdict: what the mirrord session of one launch configuration would do to the
 * target's probes, for the launch.json CodeLens. The config file is the open document when there
 * is one, else read from disk (in Restricted Mode only inside a workspace folder); the launch
 * `env` is the session environment (its `MIRRORD_*` variables override the file, as mirrord
 * applies them); the target is looked up by the same policy and cache as the open configs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as l10n from '@vscode/l10n';
import { configFormatForFileName } from '../core/config/configFormat';
import type { ConfigFormat, LookupRequest } from '../core/types';
import { readConfigFile } from '../service/inputFiles';
import type { LaunchVerdictParams, LaunchVerdictResult } from '../service/lspProtocol';
import { launchVerdict } from '../service/launchVerdictText';
import { lookupBlocked, type LookupOutcome, type LookupStatus } from '../service/targetLookup';
import { toTransferable } from '../service/transferableResolution';
import { folderOfPath, isInsideFolder } from '../service/workspaceFolders';
import { wireOptions, type DocumentEnvironment } from './documentAnalyzer';
import { uriPath } from './uris';
import type { WorkerPool } from './workerPool';
import type { AnalyzeJob, WorkerAnswer } from './workerJobs';

export interface LaunchVerdictHost {
  pool: WorkerPool;
  trusted(): boolean;
  workspaceFolders(): string[];
  /** The text of an open document, when the client has it open. */
  openText(uri: string): string | undefined;
  environment(uri: string): Promise<DocumentEnvironment>;
  lookUp(environment: DocumentEnvironment, request: LookupRequest, options: { signal: AbortSignal; refresh: boolean }): Promise<LookupOutcome>;
}

/** An empty config: what mirrord runs with when no config file is found (its defaults, then `env`). */
const NO_CONFIG_TEXT = '{}';

export async function launchVerdictFor(host: LaunchVerdictHost, params: LaunchVerdictParams, signal: AbortSignal): Promise<LaunchVerdictResult> {
  const env = stringEntries(params?.env);
  const configUri = typeof params?.config?.uri === 'string' ? params.config.uri : undefined;
  const folderUri = typeof params?.folderUri === 'string' ? params.folderUri : undefined;
  const folder = folderOf(host, configUri, folderUri);
  const read = configUri ? readConfig(host, configUri) : { text: NO_CONFIG_TEXT, format: 'json' as ConfigFormat };
  const label = configUri ? relativeLabel(uriPath(configUri) || configUri, folder) : undefined;
  if ('problem' in read) {
    return { title: `mirrord: ${read.problem} · ${label ?? ''}`, details: [], mode: 'unknown', atRisk: [], lookup: 'not-needed', problem: read.problem };
  }
  const scope = configUri ?? folderUri ?? (folder ? pathToFileURL(folder).href : '');
  const environment: DocumentEnvironment = { ...(await host.environment(scope)), sessionEnv: env };
  const job: AnalyzeJob = { kind: 'analyze', text: read.text, format: read.format, options: wireOptions(environment) };
  let answer = expectAnalysis(await host.pool.run(job, { lane: 'interactive', signal }));
  const request = answer.staticLookup;
  let status: LookupStatus = { kind: 'not-needed' };
  if (request && answer.analysis.steals !== false) {
    const blocked = lookupBlocked(environment.settings, environment.trusted);
    if (blocked) status = blocked;
    else {
      const outcome = await host.lookUp(environment, request, { signal, refresh: false });
      status = outcome.status;
      if (outcome.resolution) {
        const candidate = { request: JSON.stringify(request), resolution: toTransferable(outcome.resolution)! };
        answer = expectAnalysis(await host.pool.run({ ...job, candidate }, { lane: 'interactive', signal }));
      }
    }
  }
  return launchVerdict({ analysis: answer.analysis, status, configLabel: label });
}

type ReadConfig = { text: string; format: ConfigFormat } | { problem: string };

function readConfig(host: LaunchVerdictHost, uri: string): ReadConfig {
  const filePath = uriPath(uri);
  const format = configFormatForFileName(filePath || uri);
  const open = host.openText(uri);
  if (open !== undefined) return { text: open, format };
  if (!filePath) return { problem: l10n.t('the config is not open and not a file') };
  if (!host.trusted() && !insideWorkspace(host, filePath)) {
    return { problem: l10n.t('the config is outside the workspace: not read in Restricted Mode') };
  }
  if (!fs.existsSync(filePath)) return { problem: l10n.t('config file not found') };
  try {
    return { text: readConfigFile(filePath), format };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Inside a workspace folder once symlinks are followed (a link out of the workspace is outside). */
function insideWorkspace(host: LaunchVerdictHost, filePath: string): boolean {
  let real: string;
  try {
    real = fs.realpathSync(filePath);
  } catch {
    real = path.resolve(filePath);
  }
  return host.workspaceFolders().some((folder) => {
    let realFolder = folder;
    try {
      realFolder = fs.realpathSync(folder);
    } catch {
      // A folder that does not exist holds nothing.
    }
    return isInsideFolder(real, realFolder);
  });
}

function folderOf(host: LaunchVerdictHost, configUri: string | undefined, folderUri: string | undefined): string | undefined {
  const fromParams = folderUri ? uriPath(folderUri) : '';
  if (fromParams) return fromParams;
  return folderOfPath(configUri ? uriPath(configUri) : '', host.workspaceFolders());
}

function relativeLabel(filePath: string, folder: string | undefined): string {
  if (folder && isInsideFolder(filePath, folder)) return path.relative(folder, filePath).split(path.sep).join('/');
  return filePath;
}

function stringEntries(env: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof env !== 'object' || env === null) return out;
  for (const [k, v] of Object.entries(env))
    if (typeof v === 'string') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

function expectAnalysis(answer: WorkerAnswer): Extract<WorkerAnswer, { kind: 'analysis' }> {
  if (answer.kind !== 'analysis') throw new Error(`unexpected worker answer ${answer.kind}`);
  return answer;
}
