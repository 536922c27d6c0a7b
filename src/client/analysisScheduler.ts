import * as vscode from 'vscode';
import { configFormatForFileName } from '../core/config/configFormat';
import type { Analysis, ResolveResult } from '../core/types';
import type { RegexRunner } from '../core/types';
import { engine } from './lazyEngine';
import type { ActiveConfigTracker } from './activeConfig';
import { AnalysisPipeline, type PipelineEnvironment, type PipelineHost, type PipelineState } from '../service/analysisPipeline';
import type { ClusterLookup } from '../service/clusterLookup';
import { livePodsForState, type LivePodsView } from '../service/livePods';
import { analyzeOptionsFor, type ProbeGuardSettings } from '../service/settings';
import { lookupBlocked, lookUpTarget } from '../service/targetLookup';
import { log } from './log';
import { placeOf, readEditorSettings } from './settings';

/** Everything the editor features show for one config, computed for one document version. */
export type DocumentState = PipelineState<vscode.Uri>;

interface EditorEnvironment extends PipelineEnvironment {
  settings: ProbeGuardSettings;
}

/**
 * Runs the engine for every open mirrord config: the static analysis synchronously on each
 * change, the cluster (or manifest) lookup asynchronously, keyed on the lookup request so that
 * typing elsewhere in the file never triggers a lookup. The logic lives in AnalysisPipeline
 * (vscode-free, so the benchmarks run the same code); this class feeds it VS Code's documents,
 * settings, trust and launch-configuration env, and turns its results into an event.
 */
export class AnalysisScheduler implements vscode.Disposable {
  /** Created with the engine, on the first analysis. */
  private regexRunnerInstance: RegexRunner | undefined;
  private readonly changed = new vscode.EventEmitter<DocumentState>();
  private readonly pipeline: AnalysisPipeline<vscode.TextDocument, vscode.Uri, EditorEnvironment>;
  /** Fires with each newly published state (also when only the lookup status changed). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly cluster: ClusterLookup,
    private readonly activeConfigs: ActiveConfigTracker,
  ) {
    const host: PipelineHost<vscode.TextDocument, vscode.Uri, EditorEnvironment> = {
      engine,
      describe: (document) => ({
        uri: document.uri,
        key: document.uri.toString(),
        version: document.version,
        format: configFormatForFileName(document.fileName),
        getText: () => document.getText(),
      }),
      environment: (document) => this.environmentFor(document),
      lookUp: (document, request, environment, options) =>
        lookUpTarget(this.cluster, placeOf(document.uri), request, environment.settings, {
          ...options,
          log: log(),
          resolveManifests: engine().resolveFromManifestFiles,
        }),
      openDocuments: () => vscode.workspace.textDocuments,
      publish: (state) => this.changed.fire(state),
      reportError: (error) => log().error(`Lookup failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
      info: (message) => log().info(message),
    };
    this.pipeline = new AnalysisPipeline(host);
  }

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  /** The state for the document's current version, recomputing the static part when it is stale. */
  stateFor(document: vscode.TextDocument): DocumentState {
    return this.pipeline.stateFor(document);
  }

  peek(uri: vscode.Uri): DocumentState | undefined {
    return this.pipeline.peek(uri.toString());
  }

  /**
   * Analyses the document now with the last lookup result for its target, and starts a lookup
   * when its target (or anything else the lookup depends on) changed. `revalidate` also re-runs a
   * lookup whose result is older than the cache TTL (used when a document is opened).
   */
  update(document: vscode.TextDocument, options: { refresh?: boolean; revalidate?: boolean } = {}): DocumentState {
    return this.pipeline.update(document, options);
  }

  /** Re-analyses arbitrary text as if it were the document's (fix-all iterates on it). */
  analyzeText(document: vscode.TextDocument, text: string, resolution: ResolveResult | undefined): Analysis {
    return this.pipeline.analyzeText(document, text, resolution);
  }

  /** Re-runs every open config: lookups again when `refresh` (trust granted, kubeconfig changed, refresh command). */
  updateAll(documents: readonly vscode.TextDocument[], options: { refresh?: boolean; forgetLookups?: boolean } = {}): void {
    this.pipeline.updateAll(documents, options);
  }

  forget(uri: vscode.Uri): void {
    this.pipeline.forget(uri.toString());
  }

  /**
   * The live pods of the document's target for the hover and the probe report: requested on
   * demand (never by update(), so typing never asks for them), waiting at most the timeout
   * setting. Undefined when the state was not resolved from the cluster.
   */
  async livePodsFor(document: vscode.TextDocument, state: DocumentState, token?: vscode.CancellationToken): Promise<LivePodsView | undefined> {
    const controller = new AbortController();
    const cancellation = token?.onCancellationRequested(() => controller.abort());
    try {
      return await livePodsForState(this.cluster, placeOf(document.uri), state, readEditorSettings(document.uri, this.trusted), {
        trusted: this.trusted,
        log: log(),
        signal: controller.signal,
      });
    } finally {
      cancellation?.dispose();
    }
  }

  /** Resolves when no lookup is waiting or running (for tests and the report command). */
  whenIdle(): Promise<void> {
    return this.pipeline.whenIdle();
  }

  private environmentFor(document: vscode.TextDocument): EditorEnvironment {
    const trusted = this.trusted;
    const settings = readEditorSettings(document.uri, trusted);
    for (const problem of settings.problems) log().warn(problem);
    return {
      settings,
      blocked: lookupBlocked(settings, trusted),
      cacheTtlMs: settings.cacheTtlMs,
      analyzeOptions: analyzeOptionsFor(settings, this.sessionEnv(document.uri), (this.regexRunnerInstance ??= engine().createBudgetedRegexRunner())),
      lookupContext: {
        folder: vscode.workspace.getWorkspaceFolder(document.uri)?.uri.toString(),
        dir: document.uri.scheme === 'file' ? document.uri.fsPath.replace(/[\\/][^\\/]*$/, '') : document.uri.toString(),
        enabled: settings.clusterLookupEnabled,
        kubeconfig: settings.kubeconfig,
        context: settings.kubeContext,
        namespace: settings.namespace,
        manifests: settings.manifests,
        timeoutMs: settings.timeoutMs,
      },
    };
  }

  /** The launch configuration's env applies to the config it names with MIRRORD_CONFIG_FILE. */
  private sessionEnv(uri: vscode.Uri): Record<string, string> | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const active = folder ? this.activeConfigs.peek(folder) : undefined;
    return active?.reason === 'launch-configuration' && active.uri?.toString() === uri.toString() ? active.env : undefined;
  }

  dispose(): void {
    this.pipeline.dispose();
    this.changed.dispose();
  }
}
