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
import { LookupTracker } from './lookupTracker';
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

export { DEFAULT_LOOKUP_DELAY_MS, MAX_RETRIES, RETRY_BASE_MS, RETRY_MAX_MS } from './lookupTracker';

export class AnalysisPipeline<D, U, E extends PipelineEnvironment> {
  private readonly states = new Map<string, PipelineState<U>>();
  private readonly lookups: LookupTracker<{ document: D; environment: E }>;
  private readonly counters = { analyses: 0, engineMs: 0 };

  constructor(
    private readonly host: PipelineHost<D, U, E>,
    options: PipelineOptions = {},
  ) {
    this.lookups = new LookupTracker(
      {
        lookUp: ({ document, environment }, request, lookupOptions) => host.lookUp(document, request, environment, lookupOptions),
        // Re-analyse the CURRENT text of every open config that still wants this lookup.
        settled: (_key, documentKeys) => {
          for (const open of this.openDocumentsAmong(documentKeys)) this.update(open);
        },
        retry: (_key, documentKey) => {
          for (const open of this.openDocumentsAmong([documentKey])) this.update(open, { refresh: true, retry: true });
        },
        reportError: (error) => host.reportError(error),
        info: host.info ? (message) => host.info?.(message) : undefined,
      },
      { lookupDelayMs: options.lookupDelayMs },
    );
  }

  get metrics(): PipelineMetrics {
    return { ...this.counters, lookupsStarted: this.lookups.metrics.lookupsStarted };
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

    const key = lookupKey(staticAnalysis.lookup, environment.lookupContext);
    this.lookups.bind(described.key, key);

    let status: LookupStatus;
    let outcome: LookupOutcome | undefined;
    if (!staticAnalysis.lookup || !key) status = { kind: 'not-needed' };
    else if (environment.blocked) status = environment.blocked;
    else {
      outcome = this.lookups.ask(key, { document, environment }, staticAnalysis.lookup, { ...options, cacheTtlMs: environment.cacheTtlMs });
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
    if (options.forgetLookups) this.lookups.forgetAll();
    for (const document of documents) this.update(document, { refresh: options.refresh });
  }

  forget(documentKey: string): void {
    this.states.delete(documentKey);
    this.lookups.forgetDocument(documentKey);
  }

  /** Resolves when no lookup is waiting or running. */
  whenIdle(): Promise<void> {
    return this.lookups.whenIdle();
  }

  dispose(): void {
    this.lookups.dispose();
  }

  private openDocumentsAmong(documentKeys: string[]): D[] {
    const wanted = new Set(documentKeys);
    return [...this.host.openDocuments()].filter((open) => wanted.has(this.host.describe(open).key));
  }

  private count(started: number): void {
    this.counters.analyses += 1;
    this.counters.engineMs += performance.now() - started;
  }

  /** A result for an older version never replaces the state of a newer one. */
  private publish(documentKey: string, state: PipelineState<U>): void {
    const current = this.states.get(documentKey);
    if (current && current.version > state.version) return;
    this.states.set(documentKey, state);
    this.host.publish(state);
  }
}

/** The lookup key: the request and everything else a lookup's result depends on. */
export function lookupKey(request: LookupRequest | undefined, context: unknown): string | undefined {
  return request ? JSON.stringify({ lookup: request, context }) : undefined;
}
