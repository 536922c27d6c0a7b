import * as vscode from 'vscode';
import { LIST_CONTEXTS, PROBE_REPORT, REFRESH, type ListContextsResult, type ProbeReportResult } from '../service/lspProtocol';
import type { ActiveConfigTracker } from './activeConfig';
import { isMirrordConfig } from './documentSelector';
import { log } from './log';
import type { ServerConnection } from './serverConnection';
import { readEditorSettings, SETTINGS_SECTION } from './settings';

export interface CommandDeps {
  server: ServerConnection;
  activeConfigs: ActiveConfigTracker;
  /** Every open mirrord config. */
  openConfigs(): vscode.TextDocument[];
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('probeGuard.refreshTarget', () => refreshTarget(deps)),
    vscode.commands.registerCommand('probeGuard.showProbeReport', (uri?: vscode.Uri) => showProbeReport(deps, uri)),
    vscode.commands.registerCommand('probeGuard.selectKubeContext', () => selectKubeContext(deps)),
    vscode.commands.registerCommand('probeGuard.showLog', () => log().show(true)),
  ];
}

/** Asks the cluster again for every open config, skipping the cache. */
async function refreshTarget(deps: CommandDeps): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Probe Guard makes no cluster call in Restricted Mode. Trust the workspace to look up targets.'));
    return;
  }
  const client = await deps.server.client();
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Probe Guard: looking up targets') }, () =>
    client.request(REFRESH, {}),
  );
}

/** The config the user means: the focused one, else the folder's active config. */
async function currentConfig(deps: CommandDeps, uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(uri);
  const editor = vscode.window.activeTextEditor;
  if (editor && isMirrordConfig(editor.document)) return editor.document;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const active = await deps.activeConfigs.activeFor(folder);
    if (active.uri) return vscode.workspace.openTextDocument(active.uri);
  }
  return deps.openConfigs()[0];
}

/** Opens a markdown document with the same tables as the hover, for the current config. */
async function showProbeReport(deps: CommandDeps, uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  const document = await currentConfig(deps, uri);
  if (!document) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a mirrord config to see its probe report.'));
    return undefined;
  }
  const client = await deps.server.client();
  let content: string;
  try {
    content = (await client.request<ProbeReportResult>(PROBE_REPORT, { textDocument: { uri: document.uri.toString() } })).markdown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log().warn(`Probe report failed: ${message}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Probe Guard could not make the probe report: {0}', message));
    return undefined;
  }
  const report = await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(report, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  return report;
}

/** Quick pick of the kubeconfig's contexts; the choice goes to `probeGuard.kubeContext`. */
async function selectKubeContext(deps: CommandDeps): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Kubernetes contexts are not read in Restricted Mode.'));
    return undefined;
  }
  const document = await currentConfig(deps);
  const scope = document?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const client = await deps.server.client();
  const listed = await client.request<ListContextsResult>(LIST_CONTEXTS, { textDocument: document ? { uri: document.uri.toString() } : undefined });
  if (listed.error !== undefined) {
    log().warn(`Cannot list contexts: ${listed.error}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Cannot read the kubeconfig contexts: {0}', listed.error));
    return undefined;
  }
  const current = readEditorSettings(scope, true).kubeContext;
  const useDefault = vscode.l10n.t("Use the kubeconfig's current context");
  const items: vscode.QuickPickItem[] = [
    { label: useDefault, description: current ? undefined : vscode.l10n.t('selected') },
    ...listed.contexts.map((name) => ({ label: name, description: name === current ? vscode.l10n.t('selected') : undefined })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Kubernetes context for Probe Guard lookups'),
    placeHolder: current ?? useDefault,
  });
  if (!picked) return undefined;
  const value = picked.label === useDefault ? undefined : picked.label;
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).update('kubeContext', value, target);
  log().info(`Kube context for lookups: ${value ?? '(current context)'}.`);
  return value ?? '';
}
