/**
 * The server's analysis of its open mirrord configs: each change analysed in a worker thread
 * (debounced; at most one job per document in flight, the newest text next), the target looked
 * up on the protocol thread by the service layer's policy (one lookup per lookup key, shared,
 * retried), and a state published only for the document's current version.
 */
import type { ConfigFormat, LookupRequest, ResolveResult } from '../core/types';
import type { ServiceLog } from '../service/log';
import type { DocumentStateResult } from '../service/lspProtocol';
import { lookupKey, LookupTracker } from '../service/lookupTracker';
import type { ProbeGuardSettings } from '../service/settings';
import { lookupBlocked, type LookupOutcome, type LookupPlace, type LookupStatus } from '../service/targetLookup';
import { toTransferable } from '../service/transferableResolution';
import { JobDropped, type WorkerPool } from './workerPool';
import type { AnalyzeJob, WireAnalyzeOptions, WorkerAnswer } from './workerJobs';

export interface ServerDocument {
  uri: string;
  version: number;
  format: ConfigFormat;
  getText(): string;
}

/** Everything the features show for one config, for one document version (what probeGuard/documentState returns). */
export type ServerState = DocumentStateResult;

/** What an analysis of one document depends on besides its text. */
export interface DocumentEnvironment {
  settings: ProbeGuardSettings;
  trusted: boolean;
  place: LookupPlace;
  /** The session environment mirrord would see (process env + a launch configuration's env). */
  sessionEnv: Record<string, string | undefined>;
}

export interface AnalyzerHost {
  pool: WorkerPool;
  log: ServiceLog;
  document(uri: string): ServerDocument | undefined;
  environment(uri: string): Promise<DocumentEnvironment>;
  lookUp(environment: DocumentEnvironment, request: LookupRequest, options: { signal: AbortSignal; refresh: boolean }): Promise<LookupOutcome>;
  publish(state: ServerState): void;
}

interface DocumentWork {
  timer?: ReturnType<typeof setTimeout>;
  running?: Promise<void>;
  /** Another run is wanted after the current one (a newer version, a settled lookup). */
  again?: { refresh?: boolean; revalidate?: boolean; retry?: boolean };
  waiters: { version: number; resolve(state: ServerState | undefined): void }[];
}

/** Typing coalesces anyway (one analysis in flight per document, the newest text next): no wait before the first. */
export const ANALYSIS_DEBOUNCE_MS = 0;

export class DocumentAnalyzer {
  private readonly states = new Map<string, ServerState>();
  private readonly work = new Map<string, DocumentWork>();
  private readonly lookups: LookupTracker<DocumentEnvironment>;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly host: AnalyzerHost,
    options: { lookupDelayMs?: number } = {},
  ) {
    this.lookups = new LookupTracker<DocumentEnvironment>(
      {
        lookUp: (environment, request, lookupOptions) => host.lookUp(environment, request, lookupOptions),
        settled: (_key, uris) => uris.forEach((uri) => this.schedule(uri, { delayMs: 0 })),
        retry: (_key, uri) => this.schedule(uri, { delayMs: 0, refresh: true, retry: true }),
        reportError: (error) => host.log.error(`Lookup failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
        info: (message) => host.log.info(message),
      },
      options,
    );
  }

  latest(uri: string): ServerState | undefined {
    return this.states.get(uri);
  }

  /** The last lookup outcome for the document's current lookup key (code actions plan with it). */
  currentResolution(uri: string): { request: LookupRequest; resolution: ResolveResult } | undefined {
    const state = this.states.get(uri);
    if (!state?.analysis.lookup || !state.resolution) return undefined;
    return { request: state.analysis.lookup, resolution: state.resolution };
  }

  /** Analyse the document again after the debounce (0: at once). */
  schedule(uri: string, options: { delayMs?: number; refresh?: boolean; revalidate?: boolean; retry?: boolean } = {}): void {
    const work = this.workOf(uri);
    if (work.timer !== undefined) clearTimeout(work.timer);
    const flags = { refresh: options.refresh || work.again?.refresh, revalidate: options.revalidate || work.again?.revalidate, retry: options.retry };
    work.again = flags;
    work.timer = setTimeout(() => {
      work.timer = undefined;
      this.kick(uri);
    }, options.delayMs ?? ANALYSIS_DEBOUNCE_MS);
  }

  /** The state of `version` (or a newer one) once analysed; undefined if the document went away. */
  whenAnalysed(uri: string, version: number): Promise<ServerState | undefined> {
    const state = this.states.get(uri);
    if (state && state.version >= version) return Promise.resolve(state);
    if (!this.host.document(uri)) return Promise.resolve(undefined);
    const work = this.workOf(uri);
    return new Promise((resolve) => {
      work.waiters.push({ version, resolve });
      if (!work.running && work.timer === undefined) this.schedule(uri, { delayMs: 0 });
    });
  }

  /** Re-analyses every open config; `forgetLookups` drops the lookups first (trust, kubeconfig change). */
  updateAll(uris: Iterable<string>, options: { refresh?: boolean; forgetLookups?: boolean } = {}): void {
    if (options.forgetLookups) this.lookups.forgetAll();
    for (const uri of uris) this.schedule(uri, { delayMs: 0, refresh: options.refresh });
  }

  forget(uri: string): void {
    const work = this.work.get(uri);
    if (work?.timer !== undefined) clearTimeout(work.timer);
    for (const waiter of work?.waiters ?? []) waiter.resolve(undefined);
    this.work.delete(uri);
    this.states.delete(uri);
    this.lookups.forgetDocument(uri);
  }

  /** True while the document's lookup waits or runs. */
  lookupRunning(uri: string): boolean {
    const key = this.lookups.keyOf(uri);
    return key !== undefined && this.lookups.isRunning(key);
  }

  /** Resolves when no analysis and no lookup is waiting or running. */
  async whenIdle(): Promise<void> {
    for (;;) {
      const pendingTimers = [...this.work.values()].some((w) => w.timer !== undefined);
      if (this.running.size === 0 && !pendingTimers) {
        await this.lookups.whenIdle();
        if (this.running.size === 0 && ![...this.work.values()].some((w) => w.timer !== undefined)) return;
      }
      await Promise.allSettled([...this.running]);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  dispose(): void {
    for (const uri of [...this.work.keys()]) this.forget(uri);
    this.lookups.dispose();
  }

  get lookupMetrics(): { lookupsStarted: number } {
    return this.lookups.metrics;
  }

  private workOf(uri: string): DocumentWork {
    let work = this.work.get(uri);
    if (!work) {
      work = { waiters: [] };
      this.work.set(uri, work);
    }
    return work;
  }

  private kick(uri: string): void {
    const work = this.work.get(uri);
    if (!work || work.running) return;
    const flags = work.again ?? {};
    work.again = undefined;
    const run = this.analyse(uri, flags)
      .catch((error: unknown) => {
        if (!(error instanceof JobDropped)) this.host.log.error(`Analysis failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        this.running.delete(run);
        if (this.work.get(uri) !== work) return;
        work.running = undefined;
        if (work.again && work.timer === undefined) this.kick(uri);
      });
    work.running = run;
    this.running.add(run);
  }

  private async analyse(uri: string, flags: { refresh?: boolean; revalidate?: boolean; retry?: boolean }): Promise<void> {
    const document = this.host.document(uri);
    if (!document) return;
    const version = document.version;
    const environment = await this.host.environment(uri);
    const previous = this.currentResolution(uri);
    const job: AnalyzeJob = {
      kind: 'analyze',
      text: document.getText(),
      format: document.format,
      options: wireOptions(environment),
      candidate: previous ? { request: JSON.stringify(previous.request), resolution: toTransferable(previous.resolution)! } : undefined,
    };
    let answer = await this.host.pool.run(job, { lane: 'analysis', supersedeKey: uri });
    if (this.host.document(uri)?.version !== version) return this.wantAgain(uri);
    let analyzed = expectAnalysis(answer);
    const request = analyzed.staticLookup;
    const key = lookupKey(request, lookupContext(environment));
    this.lookups.bind(uri, key);
    let status: LookupStatus;
    let outcome: LookupOutcome | undefined;
    const blocked = lookupBlocked(environment.settings, environment.trusted);
    if (!request || !key) status = { kind: 'not-needed' };
    else if (blocked) status = blocked;
    else {
      outcome = this.lookups.ask(key, environment, request, { ...flags, cacheTtlMs: environment.settings.cacheTtlMs });
      status = outcome?.status ?? { kind: 'pending' };
    }
    const wanted = outcome?.resolution;
    const analysedWith = analyzed.usedCandidate ? previous?.resolution : undefined;
    if (wanted !== analysedWith) {
      // The text's lookup result is not the one it was analysed with: once more, with it.
      answer = await this.host.pool.run(
        { ...job, candidate: wanted && request ? { request: JSON.stringify(request), resolution: toTransferable(wanted)! } : undefined },
        { lane: 'analysis', supersedeKey: uri },
      );
      if (this.host.document(uri)?.version !== version) return this.wantAgain(uri);
      analyzed = expectAnalysis(answer);
    }
    const state: ServerState = { uri, version, analysis: analyzed.analysis, resolution: wanted, info: outcome?.info, status };
    this.publish(state);
  }

  private wantAgain(uri: string): void {
    const work = this.work.get(uri);
    if (work) work.again ??= {};
  }

  private publish(state: ServerState): void {
    const current = this.states.get(state.uri);
    if (current && current.version > state.version) return;
    this.states.set(state.uri, state);
    this.host.publish(state);
    const work = this.work.get(state.uri);
    if (!work) return;
    work.waiters = work.waiters.filter((waiter) => {
      if (waiter.version > state.version) return true;
      waiter.resolve(state);
      return false;
    });
  }
}

/** Everything besides the config's own request that a lookup's result depends on. */
function lookupContext(environment: DocumentEnvironment): unknown {
  const { settings, place } = environment;
  return {
    folder: place.baseDir,
    dir: place.configDir,
    enabled: settings.clusterLookupEnabled,
    kubeconfig: settings.kubeconfig,
    context: settings.kubeContext,
    namespace: settings.namespace,
    manifests: settings.manifests,
    timeoutMs: settings.timeoutMs,
  };
}

export function wireOptions(environment: DocumentEnvironment): WireAnalyzeOptions {
  return { mirrordVersion: environment.settings.mirrordVersion, env: environment.sessionEnv, severityOverrides: environment.settings.severityOverrides };
}

function expectAnalysis(answer: WorkerAnswer): Extract<WorkerAnswer, { kind: 'analysis' }> {
  if (answer.kind !== 'analysis') throw new Error(`unexpected worker answer ${answer.kind}`);
  return answer;
}
