/**
 * The editor's analysis logic: per-document state, "analyse now, look the target up only when the
 * lookup key changes", one shared lookup per key, automatic retries, and the stale-result guard.
 * The VS Code extension adapts it to its documents; the benchmarks drive it from plain Node
 * against the fake API server, so what they measure is the code path the editor runs.
 */
import type { analyzeConfig as AnalyzeConfig } from '../core/analyze/analyzeConfig';
import type { parseConfig as ParseConfig } from '../core/config/parseConfig';
import type { Analysis, AnalyzeOptions, ConfigFormat, LookupRequest, ParsedConfig, ResolveResult } from '../core/types';
import type { ClusterInfo } from '../kube/clusterTypes';
import { configTextProblem } from './inputLimits';
import type { LookupOutcome, LookupStatus } from './targetLookup';

/** The engine functions the pipeline runs (loaded lazily by the editor). */
export interface PipelineEngine {
  parseConfig: typeof ParseConfig;
  analyzeConfig: typeof AnalyzeConfig;
}

/** What the pipeline needs to know about one open document. */
export interface PipelineDocument<U> {
  uri: U;
  /** Stable identity of the document (the editor uses `uri.toString()`). */
  key: string;
  version: number;
  format: ConfigFormat;
  getText(): string;
}

/** Everything the editor features show for one config, computed for one document version. */
export interface PipelineState<U> {
  uri: U;
  /** The document version `analysis` (and every offset in it) belongs to. */
  version: number;
  parsed: ParsedConfig;
  analysis: Analysis;
  resolution?: ResolveResult;
  info?: ClusterInfo;
  status: LookupStatus;
}

/** Settings as read once per update. */
export interface PipelineEnvironment {
  analyzeOptions: AnalyzeOptions;
  /** Why no lookup may run now (Restricted Mode, lookups turned off); undefined when one may. */
  blocked?: LookupStatus;
  /** Everything besides the config's own lookup request that a lookup's result depends on. */
  lookupContext: unknown;
  cacheTtlMs: number;
}

export interface PipelineHost<D, U, E extends PipelineEnvironment> {
  engine(): PipelineEngine;
  describe(document: D): PipelineDocument<U>;
  environment(document: D): E;
  lookUp(document: D, request: LookupRequest, environment: E, options: { signal: AbortSignal; refresh: boolean }): Promise<LookupOutcome>;
  /** The open documents; those still wanting a finished lookup are re-analysed with it. */
  openDocuments(): Iterable<D>;
  /** Called with each newly published state (never with one older than the published one). */
  publish(state: PipelineState<U>): void;
  reportError(error: unknown): void;
  /** One line for the log (automatic retries). */
  info?(message: string): void;
}

export interface PipelineOptions {
  /** Lets a burst of target edits settle before the cluster is asked (typing `deployment/ap...`). */
  lookupDelayMs?: number;
}

/** Counters for the log and the benchmarks. */
export interface PipelineMetrics {
  /** parse + analyzeConfig runs. */
  analyses: number;
  /** Wall time spent in them, ms. */
  engineMs: number;
  lookupsStarted: number;
}

interface LookupEntry {
  outcome?: LookupOutcome;
  running?: Promise<void>;
  controller?: AbortController;
  /** A pending automatic retry after a failed cluster lookup. */
  retryTimer?: ReturnType<typeof setTimeout>;
  /** Automatic retries made since the last lookup that was not itself a retry. */
  retries?: number;
}

export const DEFAULT_LOOKUP_DELAY_MS = 250;

/**
 * Automatic retries of a failed cluster lookup, so the editor recovers on its own when the cluster
 * comes back (a failure used to stay until Refresh, a kubeconfig change or reopening the file):
 * exponential back-off from RETRY_BASE_MS, capped at RETRY_MAX_MS, at most MAX_RETRIES in a row.
 * Failures where the server did not answer (unreachable, timeout, 5xx) are retried on the back-off;
 * failures the server answered (401, 403, 404) not before the cache TTL has passed either.
 * A retry is cancelled when its lookup is dropped (document closed, target or settings changed).
 */
export const RETRY_BASE_MS = 2000;
export const RETRY_MAX_MS = 60_000;
export const MAX_RETRIES = 8;
const TRANSIENT_FAILURES = new Set<string>(['unreachable', 'timeout', 'server-error']);
const ANSWERED_FAILURES = new Set<string>(['unauthorized', 'forbidden', 'not-found']);

export class AnalysisPipeline<D, U, E extends PipelineEnvironment> {
  private readonly states = new Map<string, PipelineState<U>>();
  private readonly documentKeys = new Map<string, string>();
  private readonly lookups = new Map<string, LookupEntry>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly lookupDelayMs: number;
  readonly metrics: PipelineMetrics = { analyses: 0, engineMs: 0, lookupsStarted: 0 };

  constructor(
    private readonly host: PipelineHost<D, U, E>,
    options: PipelineOptions = {},
  ) {
    this.lookupDelayMs = options.lookupDelayMs ?? DEFAULT_LOOKUP_DELAY_MS;
  }

  /** The state for the document's current version, recomputing the static part when it is stale. */
  stateFor(document: D): PipelineState<U> {
    const described = this.host.describe(document);
    const known = this.states.get(described.key);
    if (known && known.version === described.version) return known;
    return this.update(document);
  }

  peek(key: string): PipelineState<U> | undefined {
    return this.states.get(key);
  }

  /**
   * Analyses the document now with the last lookup result for its target, and starts a lookup
   * when its target (or anything else the lookup depends on) changed. `revalidate` also re-runs a
   * lookup whose result is older than the cache TTL (used when a document is opened).
   */
  update(document: D, options: { refresh?: boolean; revalidate?: boolean; retry?: boolean } = {}): PipelineState<U> {
    const described = this.host.describe(document);
    const environment = this.host.environment(document);
    const started = performance.now();
    const { analyzeConfig, parseConfig } = this.host.engine();
    const text = described.getText();
    const tooLarge = configTextProblem(text);
    const parsed = parseConfig(tooLarge ? '' : text, described.format);
    const staticAnalysis = analyzeConfig(parsed, undefined, environment.analyzeOptions);
    if (tooLarge) staticAnalysis.findings = [{ code: 'config-too-large', severity: 'warning', message: tooLarge, span: { start: 0, end: 0 }, fixes: [] }];
    this.count(started);

    const key = staticAnalysis.lookup ? JSON.stringify({ lookup: staticAnalysis.lookup, context: environment.lookupContext }) : undefined;
    const previousKey = this.documentKeys.get(described.key);
    if (key) this.documentKeys.set(described.key, key);
    else this.documentKeys.delete(described.key);
    if (previousKey && previousKey !== key) this.dropUnusedLookup(previousKey);

    let status: LookupStatus;
    let outcome: LookupOutcome | undefined;
    if (!staticAnalysis.lookup || !key) status = { kind: 'not-needed' };
    else if (environment.blocked) status = environment.blocked;
    else {
      const entry = this.lookups.get(key) ?? {};
      this.lookups.set(key, entry);
      outcome = entry.outcome;
      const expired = outcome !== undefined && options.revalidate === true && isExpired(outcome.status, environment.cacheTtlMs);
      if (!entry.running && (!outcome || options.refresh || expired))
        this.startLookup(key, entry, document, staticAnalysis.lookup, environment, options.refresh === true, options.retry === true);
      status = outcome?.status ?? { kind: 'pending' };
    }
    let analysis = staticAnalysis;
    if (outcome?.resolution) {
      const again = performance.now();
      analysis = this.host.engine().analyzeConfig(parsed, outcome.resolution, environment.analyzeOptions);
      this.count(again);
    }
    const state: PipelineState<U> = {
      uri: described.uri,
      version: described.version,
      parsed,
      analysis,
      resolution: outcome?.resolution,
      info: outcome?.info,
      status,
    };
    this.publish(described.key, state);
    return state;
  }

  /** Re-analyses arbitrary text as if it were the document's (fix-all iterates on it). */
  analyzeText(document: D, text: string, resolution: ResolveResult | undefined): Analysis {
    const described = this.host.describe(document);
    const { analyzeConfig, parseConfig } = this.host.engine();
    return analyzeConfig(parseConfig(text, described.format), resolution, this.host.environment(document).analyzeOptions);
  }

  /** Re-runs the given documents: lookups again when `refresh`; `forgetLookups` drops every result first. */
  updateAll(documents: Iterable<D>, options: { refresh?: boolean; forgetLookups?: boolean } = {}): void {
    if (options.forgetLookups) {
      for (const entry of this.lookups.values()) cancelEntry(entry);
      this.lookups.clear();
    }
    for (const document of documents) this.update(document, { refresh: options.refresh });
  }

  forget(documentKey: string): void {
    this.states.delete(documentKey);
    const key = this.documentKeys.get(documentKey);
    this.documentKeys.delete(documentKey);
    if (key) this.dropUnusedLookup(key);
  }

  /** Resolves when no lookup is waiting or running. */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  dispose(): void {
    for (const entry of this.lookups.values()) cancelEntry(entry);
    this.lookups.clear();
  }

  private count(started: number): void {
    this.metrics.analyses += 1;
    this.metrics.engineMs += performance.now() - started;
  }

  private startLookup(key: string, entry: LookupEntry, document: D, request: LookupRequest, environment: E, refresh: boolean, retry = false): void {
    if (entry.retryTimer !== undefined) clearTimeout(entry.retryTimer);
    entry.retryTimer = undefined;
    if (!retry) entry.retries = 0;
    const controller = new AbortController();
    entry.controller = controller;
    this.metrics.lookupsStarted += 1;
    const run = (async () => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.lookupDelayMs);
        controller.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (controller.signal.aborted) return;
      const outcome = await this.host.lookUp(document, request, environment, { signal: controller.signal, refresh });
      if (controller.signal.aborted || this.lookups.get(key) !== entry) return;
      entry.outcome = outcome;
      entry.controller = undefined;
    })()
      .catch((error: unknown) => this.host.reportError(error))
      .finally(() => {
        if (entry.running === run) entry.running = undefined;
        this.inFlight.delete(run);
        // Re-analyse the CURRENT text of every open config that still wants this lookup.
        if (this.lookups.get(key) === entry && entry.outcome) {
          for (const open of this.host.openDocuments()) {
            if (this.documentKeys.get(this.host.describe(open).key) === key) this.update(open);
          }
          this.scheduleRetry(key, entry, environment.cacheTtlMs);
        }
      });
    entry.running = run;
    this.inFlight.add(run);
  }

  /** After a cluster failure worth asking again: one retry on the back-off (see MAX_RETRIES). */
  private scheduleRetry(key: string, entry: LookupEntry, cacheTtlMs: number): void {
    if (entry.running || entry.retryTimer !== undefined) return;
    const failure = retryableFailure(entry.outcome?.status);
    const retries = entry.retries ?? 0;
    if (!failure) {
      entry.retries = 0;
      return;
    }
    if (retries >= MAX_RETRIES) {
      this.host.info?.(`Cluster lookup still failing (${failure}) after ${retries} automatic retries; use Refresh Target to ask again.`);
      return;
    }
    const backOff = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** retries);
    const delay = ANSWERED_FAILURES.has(failure) ? Math.max(backOff, cacheTtlMs) : backOff;
    this.host.info?.(`Cluster lookup failed (${failure}): retrying in ${Math.round(delay / 100) / 10} s (retry ${retries + 1} of ${MAX_RETRIES}).`);
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined;
      if (this.lookups.get(key) !== entry || entry.running) return;
      try {
        for (const open of this.host.openDocuments()) {
          if (this.documentKeys.get(this.host.describe(open).key) !== key) continue;
          entry.retries = retries + 1;
          this.update(open, { refresh: true, retry: true });
          return;
        }
      } catch (error) {
        this.host.reportError(error);
      }
    }, delay);
  }

  private dropUnusedLookup(key: string): void {
    for (const used of this.documentKeys.values()) if (used === key) return;
    const entry = this.lookups.get(key);
    if (entry) cancelEntry(entry);
    this.lookups.delete(key);
  }

  /** A result for an older version never replaces the state of a newer one. */
  private publish(documentKey: string, state: PipelineState<U>): void {
    const current = this.states.get(documentKey);
    if (current && current.version > state.version) return;
    this.states.set(documentKey, state);
    this.host.publish(state);
  }
}

/** Aborts a running lookup and any pending retry of it. */
function cancelEntry(entry: LookupEntry): void {
  entry.controller?.abort();
  if (entry.retryTimer !== undefined) clearTimeout(entry.retryTimer);
  entry.retryTimer = undefined;
}

/** The cluster failure kind of an outcome when an automatic retry may fix it. */
function retryableFailure(status: LookupStatus | undefined): string | undefined {
  if (!status) return undefined;
  let kind: string | undefined;
  if (status.kind === 'failed' && status.source === 'cluster') kind = status.failure.kind;
  else if (status.kind === 'resolved' && status.source === 'manifests') kind = status.clusterFailure?.kind;
  return kind && (TRANSIENT_FAILURES.has(kind) || ANSWERED_FAILURES.has(kind)) ? kind : undefined;
}

function isExpired(status: LookupStatus, ttlMs: number): boolean {
  return 'fetchedAt' in status && Date.now() - status.fetchedAt > ttlMs;
}
