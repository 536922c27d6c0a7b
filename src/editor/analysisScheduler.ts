import * as vscode from 'vscode';
import { analyzeConfig } from '../core/analyze/analyzeConfig';
import { configFormatForFileName, parseConfig } from '../core/config/parseConfig';
import type { Analysis, AnalyzeOptions, ParsedConfig, ResolveResult } from '../core/types';
import type { ClusterInfo } from '../kube/clusterTypes';
import { createBudgetedRegexRunner } from '../runtime/budgetedRegexRunner';
import type { ActiveConfigTracker } from './activeConfig';
import type { ClusterLookup } from './clusterLookup';
import { log } from './log';
import { readSettings, type ProbeGuardSettings } from './settings';
import { lookUpTarget, type LookupOutcome, type LookupStatus } from './targetLookup';

/** Everything the editor features show for one config, computed for one document version. */
export interface DocumentState {
  uri: vscode.Uri;
  /** The document version `analysis` (and every offset in it) belongs to. */
  version: number;
  parsed: ParsedConfig;
  analysis: Analysis;
  resolution?: ResolveResult;
  info?: ClusterInfo;
  status: LookupStatus;
}

interface LookupEntry {
  outcome?: LookupOutcome;
  running?: Promise<void>;
  controller?: AbortController;
}

/** Lets a burst of target edits settle before the cluster is asked (typing `deployment/ap...`). */
const LOOKUP_DELAY_MS = 250;

/**
 * Runs the engine for every open mirrord config: the static analysis synchronously on each
 * change, the cluster (or manifest) lookup asynchronously, keyed on the lookup request's JSON so
 * that typing elsewhere in the file never triggers a lookup. A finished lookup re-analyses the
 * document's CURRENT text, and results are published only for the newest version.
 */
export class AnalysisScheduler implements vscode.Disposable {
  private readonly states = new Map<string, DocumentState>();
  private readonly documentKeys = new Map<string, string>();
  private readonly lookups = new Map<string, LookupEntry>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly regexRunner = createBudgetedRegexRunner();
  private readonly changed = new vscode.EventEmitter<DocumentState>();
  /** Fires with each newly published state (also when only the lookup status changed). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly cluster: ClusterLookup,
    private readonly activeConfigs: ActiveConfigTracker,
  ) {}

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The state for the document's current version, recomputing the static part when it is stale. */
  stateFor(document: vscode.TextDocument): DocumentState {
    const known = this.states.get(document.uri.toString());
    if (known && known.version === document.version) return known;
    return this.update(document);
  }

  peek(uri: vscode.Uri): DocumentState | undefined {
    return this.states.get(uri.toString());
  }

  /**
   * Analyses the document now with the last lookup result for its target, and starts a lookup
   * when its target (or anything else the lookup depends on) changed. `revalidate` also re-runs a
   * lookup whose result is older than the cache TTL (used when a document is opened).
   */
  update(document: vscode.TextDocument, options: { refresh?: boolean; revalidate?: boolean } = {}): DocumentState {
    const uriKey = document.uri.toString();
    const settings = this.settingsFor(document.uri);
    const analyzeOptions = this.analyzeOptions(document.uri, settings);
    const parsed = parseConfig(document.getText(), configFormatForFileName(document.fileName));
    const staticAnalysis = analyzeConfig(parsed, undefined, analyzeOptions);

    const key = staticAnalysis.lookup ? this.lookupKey(document, staticAnalysis, settings) : undefined;
    const previousKey = this.documentKeys.get(uriKey);
    if (key) this.documentKeys.set(uriKey, key);
    else this.documentKeys.delete(uriKey);
    if (previousKey && previousKey !== key) this.dropUnusedLookup(previousKey);

    let status: LookupStatus;
    let outcome: LookupOutcome | undefined;
    if (!staticAnalysis.lookup || !key) status = { kind: 'not-needed' };
    else if (!this.trusted) status = { kind: 'restricted' };
    else if (!settings.clusterLookupEnabled && settings.manifests.length === 0) status = { kind: 'turned-off' };
    else {
      const entry = this.lookups.get(key) ?? {};
      this.lookups.set(key, entry);
      outcome = entry.outcome;
      const expired = outcome !== undefined && options.revalidate === true && isExpired(outcome.status, settings.cacheTtlMs);
      if (!entry.running && (!outcome || options.refresh || expired)) this.startLookup(key, entry, document, staticAnalysis, settings, options.refresh === true);
      status = outcome?.status ?? { kind: 'pending' };
    }
    const analysis = outcome?.resolution ? analyzeConfig(parsed, outcome.resolution, analyzeOptions) : staticAnalysis;
    const state: DocumentState = { uri: document.uri, version: document.version, parsed, analysis, resolution: outcome?.resolution, info: outcome?.info, status };
    this.publish(state);
    return state;
  }

  /** Re-analyses arbitrary text as if it were the document's (fix-all iterates on it). */
  analyzeText(document: vscode.TextDocument, text: string, resolution: ResolveResult | undefined): Analysis {
    const settings = this.settingsFor(document.uri);
    return analyzeConfig(parseConfig(text, configFormatForFileName(document.fileName)), resolution, this.analyzeOptions(document.uri, settings));
  }

  /** Re-runs every open config: lookups again when `refresh` (trust granted, kubeconfig changed, refresh command). */
  updateAll(documents: readonly vscode.TextDocument[], options: { refresh?: boolean; forgetLookups?: boolean } = {}): void {
    if (options.forgetLookups) {
      for (const entry of this.lookups.values()) entry.controller?.abort();
      this.lookups.clear();
    }
    for (const document of documents) this.update(document, { refresh: options.refresh });
  }

  forget(uri: vscode.Uri): void {
    const uriKey = uri.toString();
    this.states.delete(uriKey);
    const key = this.documentKeys.get(uriKey);
    this.documentKeys.delete(uriKey);
    if (key) this.dropUnusedLookup(key);
  }

  /** Resolves when no lookup is waiting or running (for tests and the report command). */
  async whenIdle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private startLookup(key: string, entry: LookupEntry, document: vscode.TextDocument, analysis: Analysis, settings: ProbeGuardSettings, refresh: boolean): void {
    const request = analysis.lookup!;
    const controller = new AbortController();
    entry.controller = controller;
    const uri = document.uri;
    const run = (async () => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, LOOKUP_DELAY_MS);
        controller.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (controller.signal.aborted) return;
      const outcome = await lookUpTarget(this.cluster, { uri }, request, settings, { signal: controller.signal, refresh });
      if (controller.signal.aborted || this.lookups.get(key) !== entry) return;
      entry.outcome = outcome;
      entry.controller = undefined;
    })()
      .catch((error: unknown) => log().error(`Lookup failed unexpectedly: ${error instanceof Error ? error.stack ?? error.message : String(error)}`))
      .finally(() => {
        if (entry.running === run) entry.running = undefined;
        this.inFlight.delete(run);
        // Re-analyse the CURRENT text of every open config that still wants this lookup.
        if (this.lookups.get(key) === entry && entry.outcome) {
          for (const open of vscode.workspace.textDocuments) {
            if (this.documentKeys.get(open.uri.toString()) === key) this.update(open);
          }
        }
      });
    entry.running = run;
    this.inFlight.add(run);
  }

  private dropUnusedLookup(key: string): void {
    for (const used of this.documentKeys.values()) if (used === key) return;
    const entry = this.lookups.get(key);
    entry?.controller?.abort();
    this.lookups.delete(key);
  }

  /** A result for an older version never replaces the state of a newer one. */
  private publish(state: DocumentState): void {
    const uriKey = state.uri.toString();
    const current = this.states.get(uriKey);
    if (current && current.version > state.version) return;
    this.states.set(uriKey, state);
    this.changed.fire(state);
  }

  private settingsFor(uri: vscode.Uri): ProbeGuardSettings {
    return readSettings(uri, this.trusted);
  }

  private analyzeOptions(uri: vscode.Uri, settings: ProbeGuardSettings): AnalyzeOptions {
    return {
      mirrordVersion: settings.mirrordVersion,
      env: this.sessionEnv(uri),
      regexRunner: this.regexRunner,
      severityOverrides: settings.severityOverrides,
    };
  }

  /** The launch configuration's env applies to the config it names with MIRRORD_CONFIG_FILE. */
  private sessionEnv(uri: vscode.Uri): Record<string, string> | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const active = folder ? this.activeConfigs.peek(folder) : undefined;
    return active?.reason === 'launch-configuration' && active.uri?.toString() === uri.toString() ? active.env : undefined;
  }

  private lookupKey(document: vscode.TextDocument, analysis: Analysis, settings: ProbeGuardSettings): string {
    return JSON.stringify({
      lookup: analysis.lookup,
      folder: vscode.workspace.getWorkspaceFolder(document.uri)?.uri.toString(),
      dir: document.uri.scheme === 'file' ? document.uri.fsPath.replace(/[\\/][^\\/]*$/, '') : document.uri.toString(),
      enabled: settings.clusterLookupEnabled,
      kubeconfig: settings.kubeconfig,
      context: settings.kubeContext,
      namespace: settings.namespace,
      manifests: settings.manifests,
      timeoutMs: settings.timeoutMs,
    });
  }

  dispose(): void {
    for (const entry of this.lookups.values()) entry.controller?.abort();
    this.lookups.clear();
    this.changed.dispose();
  }
}

function isExpired(status: LookupStatus, ttlMs: number): boolean {
  return 'fetchedAt' in status && Date.now() - status.fetchedAt > ttlMs;
}
