/**
 * probeGuard/sessionCheck and probeGuard/targetRestarts: the config of a debug session under
 * mirrord judged with the launch's `MIRRORD_*` environment, for the check before F5 and the
 * breakpoint countdown. The document's own analysis (with its published session env) is left as
 * it is: this analyses the current text once more with the launch's env, in the interactive lane,
 * with the document's lookup result when the env leaves the target alone and a lookup of its own
 * (same policy, same caches) when the env changes it (`MIRRORD_IMPERSONATED_TARGET`...).
 */
import type { CancellationToken } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { configFormatForFileName } from '../core/config/configFormat';
import type { Analysis, LookupRequest, ResolveResult } from '../core/types';
import type { ClusterLookup } from '../service/clusterLookup';
import { minimalEdit } from '../service/fixes';
import type { ServiceLog } from '../service/log';
import type { SessionCheckParams, SessionCheckResult, TargetRestartsParams, TargetRestartsResult } from '../service/lspProtocol';
import { readRestartCounts } from '../service/restartCounts';
import { sessionRisk } from '../service/sessionRisk';
import { lookupBlocked, type LookupOutcome, type LookupStatus } from '../service/targetLookup';
import { toTransferable } from '../service/transferableResolution';
import { wireOptions, type DocumentAnalyzer, type DocumentEnvironment } from './documentAnalyzer';
import { uriPathOrName } from './uris';
import type { WorkerPool } from './workerPool';
import { answerOf, type AnalyzeJob } from './workerJobs';

export interface SessionCheckHost {
  pool: WorkerPool;
  analyzer: DocumentAnalyzer;
  cluster: ClusterLookup;
  log: ServiceLog;
  environment(uri: string): Promise<DocumentEnvironment>;
  /** The open config, waiting briefly for a didOpen sent just before the request. */
  openedSoon(uri: string, token: CancellationToken): Promise<TextDocument | undefined>;
  lookUp(environment: DocumentEnvironment, request: LookupRequest, options: { signal: AbortSignal; refresh: boolean }): Promise<LookupOutcome>;
}

interface Judged {
  version: number;
  analysis: Analysis;
  request?: LookupRequest;
  resolution?: ResolveResult;
  status: LookupStatus;
  environment: DocumentEnvironment;
  candidate?: AnalyzeJob['candidate'];
}

export class SessionChecker {
  constructor(private readonly host: SessionCheckHost) {}

  async check(params: SessionCheckParams, token: CancellationToken): Promise<SessionCheckResult | undefined> {
    const document = await this.document(params, token);
    if (!document) return undefined;
    const judged = await this.judge(document, params.env, token);
    if (!judged) return undefined;
    const resolved = judged.resolution?.ok === true;
    const risk = sessionRisk(judged.analysis, resolved);
    const result: SessionCheckResult = { version: judged.version, risk, lookup: judged.status.kind };
    if (judged.status.kind === 'resolved') result.source = judged.status.source;
    if (risk.probes.length === 0) return result;
    const text = document.getText();
    const answer = answerOf(await this.host.pool.run(this.job(document, 'fixRisks', judged.environment, judged.candidate), { lane: 'interactive' }), 'fixAll');
    const edit = minimalEdit(text, answer.result.text);
    if (edit && document.version === judged.version) {
      const range = { start: document.positionAt(edit.offset), end: document.positionAt(edit.offset + edit.length) };
      result.fix = { titles: answer.result.applied, edits: [{ range, newText: edit.newText }] };
    }
    return result;
  }

  async restarts(params: TargetRestartsParams, token: CancellationToken): Promise<TargetRestartsResult> {
    const document = await this.document(params, token);
    if (!document) return { kind: 'unavailable', reason: 'The config is not open.' };
    const judged = await this.judge(document, params.env, token);
    if (!judged) return { kind: 'unavailable', reason: 'Cancelled.' };
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    try {
      return await readRestartCounts(
        this.host.cluster,
        judged.environment.place,
        { analysis: { lookup: judged.request }, status: judged.status, resolution: judged.resolution },
        judged.environment.settings,
        { trusted: judged.environment.trusted, log: this.host.log, signal: controller.signal },
      );
    } finally {
      cancellation.dispose();
    }
  }

  private async document(params: { textDocument?: { uri?: unknown } } | undefined, token: CancellationToken): Promise<TextDocument | undefined> {
    const uri = params?.textDocument?.uri;
    return typeof uri === 'string' ? this.host.openedSoon(uri, token) : undefined;
  }

  /** The current text analysed with the launch's env, with the target looked up as the policy allows. */
  private async judge(document: TextDocument, env: Record<string, string> | undefined, token: CancellationToken): Promise<Judged | undefined> {
    const { analyzer } = this.host;
    // The document's own lookup first: usually the launch's env leaves the target alone.
    await analyzer.whenAnalysed(document.uri, document.version);
    await analyzer.whenIdle();
    if (token.isCancellationRequested) return undefined;
    const base = await this.host.environment(document.uri);
    const environment: DocumentEnvironment = { ...base, sessionEnv: stringEntries(env) };
    const version = document.version;
    const current = analyzer.currentResolution(document.uri);
    let candidate: AnalyzeJob['candidate'] = current
      ? { request: JSON.stringify(current.request), resolution: toTransferable(current.resolution)! }
      : undefined;
    let answer = expectAnalysis(await this.host.pool.run(this.job(document, 'analyze', environment, candidate), { lane: 'interactive' }));
    const request = answer.staticLookup;
    let resolution = answer.usedCandidate ? current?.resolution : undefined;
    let status: LookupStatus = answer.usedCandidate ? (analyzer.latest(document.uri)?.status ?? { kind: 'pending' }) : { kind: 'not-needed' };
    if (!answer.usedCandidate && request) {
      const blocked = lookupBlocked(environment.settings, environment.trusted);
      if (blocked) status = blocked;
      else {
        const controller = new AbortController();
        const cancellation = token.onCancellationRequested(() => controller.abort());
        try {
          const outcome = await this.host.lookUp(environment, request, { signal: controller.signal, refresh: false });
          status = outcome.status;
          resolution = outcome.resolution;
        } finally {
          cancellation.dispose();
        }
        if (resolution) {
          candidate = { request: JSON.stringify(request), resolution: toTransferable(resolution)! };
          answer = expectAnalysis(await this.host.pool.run(this.job(document, 'analyze', environment, candidate), { lane: 'interactive' }));
        }
      }
    }
    if (token.isCancellationRequested) return undefined;
    return { version, analysis: answer.analysis, request, resolution, status, environment, candidate: resolution ? candidate : undefined };
  }

  private job(document: TextDocument, kind: AnalyzeJob['kind'], environment: DocumentEnvironment, candidate: AnalyzeJob['candidate']): AnalyzeJob {
    return { kind, text: document.getText(), format: configFormatForFileName(uriPathOrName(document.uri)), options: wireOptions(environment), candidate };
  }
}

function expectAnalysis(answer: Awaited<ReturnType<WorkerPool['run']>>) {
  if (answer.kind !== 'analysis') throw new Error(`unexpected worker answer ${answer.kind}`);
  return answer;
}

function stringEntries(env: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof env !== 'object' || env === null) return out;
  for (const [key, value] of Object.entries(env)) if (key.startsWith('MIRRORD_') && typeof value === 'string') out[key] = value;
  return out;
}
