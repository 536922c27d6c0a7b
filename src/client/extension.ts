import * as vscode from 'vscode';
import { ActiveConfigTracker } from './activeConfig';
import { AnalysisScheduler, type DocumentState } from './analysisScheduler';
import { ClusterLookup } from '../service/clusterLookup';
import { clusterSettingsFor } from '../service/targetLookup';
import { ProbeGuardCodeActions } from './codeActions';
import { registerCommands } from './commands';
import { DiagnosticsPublisher } from './diagnostics';
import { isMirrordConfig, mirrordConfigSelector } from './documentSelector';
import { ProbeGuardHover } from './hover';
import { KubeconfigWatcher } from './kubeconfigWatcher';
import { ProbeGuardLanguageStatus, type StatusSnapshot } from './languageStatus';
import { createLog } from './log';
import { placeOf, readEditorSettings } from './settings';

/** Returned by `activate`: a small surface for the extension-host tests. */
export interface ProbeGuardApi {
  /** Resolves when no target lookup is waiting or running. */
  whenIdle(): Promise<void>;
  stateFor(uri: vscode.Uri): DocumentState | undefined;
  statusFor(uri: vscode.Uri): StatusSnapshot | undefined;
  /** Whether the cluster module (client-node) has been loaded. */
  kubeModuleLoaded(): boolean;
  /** Fires whenever a config's analysis is published. */
  onDidAnalyze: vscode.Event<DocumentState>;
  /** The registered code action provider (tests resolve actions after editing the document). */
  codeActions: ProbeGuardCodeActions;
  /**
   * The extension's log folder (`context.logUri`). The "Probe Guard" output channel is written by
   * VS Code next to it (a `Probe Guard.log` in an `output_logging_` folder of its parent); tests read it to check that no
   * credential and no unexpected error was logged.
   */
  logUri: vscode.Uri;
}

/**
 * Cheap by design: no client-node, no file search, no network. The cluster module is loaded by
 * the first lookup a config really needs.
 */
export function activate(context: vscode.ExtensionContext): ProbeGuardApi {
  const output = createLog();
  const cluster = new ClusterLookup(output);
  const activeConfigs = new ActiveConfigTracker();
  const scheduler = new AnalysisScheduler(cluster, activeConfigs);
  const diagnostics = new DiagnosticsPublisher();
  const status = new ProbeGuardLanguageStatus(scheduler, activeConfigs);
  const kubeconfigs = new KubeconfigWatcher(cluster);
  context.subscriptions.push(output, activeConfigs, scheduler, diagnostics, status, kubeconfigs);

  const codeActions = new ProbeGuardCodeActions(scheduler);
  const openConfigs = () => vscode.workspace.textDocuments.filter(isMirrordConfig);

  context.subscriptions.push(
    scheduler.onDidChange((state) => {
      diagnostics.publish(state);
      if (state.status.kind === 'resolved' || state.status.kind === 'failed') void watchKubeconfigs(state);
    }),
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isMirrordConfig(document)) scheduler.update(document, { revalidate: true });
    }),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0 && isMirrordConfig(event.document)) scheduler.update(event.document);
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      scheduler.forget(document.uri);
      diagnostics.clear(document.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('probeGuard')) scheduler.updateAll(openConfigs());
    }),
    // Trust granted: the cluster (and the manifests) may be used now.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.info('Workspace trusted: looking up targets.');
      scheduler.updateAll(openConfigs(), { forgetLookups: true });
    }),
    activeConfigs.onDidChange(() => scheduler.updateAll(openConfigs())),
    kubeconfigs.onDidChange(() => scheduler.updateAll(openConfigs(), { forgetLookups: true })),
    vscode.languages.registerCodeActionsProvider(mirrordConfigSelector, codeActions, ProbeGuardCodeActions.metadata),
    vscode.languages.registerHoverProvider(mirrordConfigSelector, new ProbeGuardHover(scheduler)),
    ...registerCommands({ scheduler, cluster, activeConfigs, openConfigs }),
  );

  async function watchKubeconfigs(state: DocumentState): Promise<void> {
    if (!vscode.workspace.isTrusted || (state.status.kind === 'resolved' && state.status.source === 'manifests' && !state.status.clusterFailure)) return;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === state.uri.toString());
    if (!document) return;
    const settings = readEditorSettings(document.uri, true);
    try {
      kubeconfigs.watch(await cluster.watchedFiles(clusterSettingsFor(placeOf(document.uri), settings, true), state.analysis.lookup?.kubeconfig));
    } catch (error) {
      output.debug(`Cannot watch kubeconfig files: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  output.info(`Probe Guard activated (${vscode.workspace.isTrusted ? 'trusted workspace' : 'Restricted Mode: static analysis only'}).`);
  for (const document of openConfigs()) scheduler.update(document, { revalidate: true });

  return {
    whenIdle: () => scheduler.whenIdle(),
    stateFor: (uri) => scheduler.peek(uri),
    statusFor: (uri) => status.snapshot(uri),
    kubeModuleLoaded: () => cluster.loaded,
    onDidAnalyze: scheduler.onDidChange,
    codeActions,
    logUri: context.logUri,
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
