import * as vscode from 'vscode';
import { LIST_CONTEXTS, PROBE_REPORT, REFRESH, type ListContextsResult, type ProbeReportResult } from '../service/lspProtocol';
import type { ActiveConfigTracker } from './activeConfig';
import { isMirrordConfig } from './documentSelector';
import { folderForCommand, isSeveralFolders, settingTargetFor, type ClientPrompts } from './folders';
import { log } from './log';
import { newMirrordConfig, type NewConfigArgs } from './newConfigCommand';
import type { ServerConnection } from './serverConnection';
import { readEditorSettings, SETTINGS_SECTION } from './settings';

export interface CommandDeps {
  server: ServerConnection;
  activeConfigs: ActiveConfigTracker;
  /** Every open mirrord config. */
  openConfigs(): vscode.TextDocument[];
  /** The pickers commands ask with (tests replace them). */
  prompts(): ClientPrompts;
}

/** Loaded on the first run of a command: each id registered here must be in LAZY_COMMAND_IDS (./commandIds.ts). */
export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const reports = new ReportDocuments();
  return [
    reports,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports),
    vscode.commands.registerCommand('probeGuard.refreshTarget', () => refreshTarget(deps)),
    vscode.commands.registerCommand('probeGuard.showProbeReport', (uri?: vscode.Uri) => showProbeReport(deps, reports, uri)),
    vscode.commands.registerCommand('probeGuard.selectKubeContext', (uri?: vscode.Uri) => selectKubeContext(deps, uri)),
    vscode.commands.registerCommand('probeGuard.showLog', () => log().show(true)),
    vscode.commands.registerCommand('probeGuard.newConfig', (args?: NewConfigArgs | vscode.Uri) => newConfig(deps, args)),
  ];
}

/** New mirrord Config for a Target… (src/client/newConfigCommand.ts). */
async function newConfig(deps: CommandDeps, args?: NewConfigArgs | vscode.Uri): Promise<vscode.Uri | undefined> {
  const client = await deps.server.client();
  // The explorer's folder menu passes the folder's Uri; our own code action passes the args object.
  const plain: NewConfigArgs = args instanceof vscode.Uri ? { folder: args } : args && typeof args === 'object' ? args : {};
  try {
    return await newMirrordConfig(client, deps.prompts(), plain);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log().warn(`New mirrord config failed: ${message}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Probe Guard could not make a new mirrord config: {0}', message));
    return undefined;
  }
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

/**
 * The config the user means: the argument, else the focused one, else the active config of the
 * active editor's folder; with no editor in a folder, the only folder's active config, or the
 * one picked among the folders that have one (several folders may share the first folder's
 * default, as the mirrord extension falls back to it).
 */
async function currentConfig(deps: CommandDeps, uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(uri);
  const editor = vscode.window.activeTextEditor;
  if (editor && isMirrordConfig(editor.document)) return editor.document;
  const folders = vscode.workspace.workspaceFolders ?? [];
  const actives = await Promise.all(folders.map(async (folder) => ({ folder, active: await deps.activeConfigs.activeFor(folder) })));
  // One choice per config: a folder that shares another's (the first folder's default) is not asked for.
  const seen = new Set<string>();
  const candidates = actives.filter((a) => a.active.uri && !seen.has(a.active.uri.toString()) && seen.add(a.active.uri.toString())).map((a) => a.folder);
  const folder = await folderForCommand(deps.prompts(), vscode.l10n.t('The active mirrord config of which folder?'), { candidates });
  if (folder === 'cancelled') return undefined;
  if (!folder) return deps.openConfigs()[0];
  const key = folder.uri.toString();
  const active = actives.find((a) => a.folder.uri.toString() === key)?.active;
  if (active?.uri) return vscode.workspace.openTextDocument(active.uri);
  // That folder has no active config: one of its open configs, not another folder's.
  return deps.openConfigs().find((d) => vscode.workspace.getWorkspaceFolder(d.uri)?.uri.toString() === key);
}

/** The scheme of the probe reports: read-only markdown documents, one URI per report. */
const REPORT_SCHEME = 'probe-guard-report';

/**
 * The reports' text by URI. Each report gets its own URI: an untitled document made with
 * `openTextDocument({ content })` may get the name of one closed a moment ago, and the extension
 * host then handed back the old report's text (a report of another folder's config).
 */
class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  /** Kept for the session (a closed tab can be reopened), the last 50. */
  private readonly texts = new Map<string, string>();
  private count = 0;

  add(config: vscode.Uri, markdown: string): vscode.Uri {
    const name = config.path.split('/').pop() || 'config';
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${++this.count}/${name} probe report.md` });
    this.texts.set(uri.toString(), markdown);
    for (const old of this.texts.keys()) {
      if (this.texts.size <= 50) break;
      this.texts.delete(old);
    }
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.texts.clear();
  }
}

/** Opens a markdown document with the same tables as the hover, for the current config. */
async function showProbeReport(deps: CommandDeps, reports: ReportDocuments, uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
  const document = await currentConfig(deps, uri);
  if (!document) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a mirrord config to see its probe report.'));
    return undefined;
  }
  const client = await deps.server.client();
  log().info(`Probe report for ${document.uri.toString()}.`);
  let content: string;
  try {
    content = (await client.request<ProbeReportResult>(PROBE_REPORT, { textDocument: { uri: document.uri.toString() } })).markdown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log().warn(`Probe report failed: ${message}`);
    void vscode.window.showWarningMessage(vscode.l10n.t('Probe Guard could not make the probe report: {0}', message));
    return undefined;
  }
  const report = await vscode.workspace.openTextDocument(reports.add(document.uri, content));
  await vscode.window.showTextDocument(report, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  return report;
}

/**
 * Quick pick of the kubeconfig's contexts; the choice goes to `probeGuard.kubeContext` of the
 * folder meant (the argument's, the active editor's, else the one picked in a multi-root
 * workspace), which lists its own kubeconfig's contexts.
 */
async function selectKubeContext(deps: CommandDeps, uri?: vscode.Uri): Promise<string | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Kubernetes contexts are not read in Restricted Mode.'));
    return undefined;
  }
  const prompts = deps.prompts();
  const folder = await folderForCommand(prompts, vscode.l10n.t('Kube context for the lookups of which folder?'), { uri });
  if (folder === 'cancelled') return undefined;
  // A config of that folder open in the editor lists with its own `kubeconfig` too.
  const editor = vscode.window.activeTextEditor?.document;
  const document =
    uri && uri.scheme !== 'untitled' && !(await isFolder(uri))
      ? uri
      : editor && folder && isMirrordConfig(editor) && vscode.workspace.getWorkspaceFolder(editor.uri)?.uri.toString() === folder.uri.toString()
        ? editor.uri
        : undefined;
  const scope = document ?? folder?.uri;
  const client = await deps.server.client();
  const listed = await client.request<ListContextsResult>(LIST_CONTEXTS, {
    textDocument: document ? { uri: document.toString() } : undefined,
    folderUri: folder?.uri.toString(),
  });
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
  const picked = await prompts.pickItem(items, {
    title:
      folder && isSeveralFolders()
        ? vscode.l10n.t('Kubernetes context for Probe Guard lookups in {0}', folder.name)
        : vscode.l10n.t('Kubernetes context for Probe Guard lookups'),
    placeHolder: current ?? useDefault,
  });
  if (!picked) return undefined;
  const value = picked.label === useDefault ? undefined : picked.label;
  const target = settingTargetFor(folder);
  await vscode.workspace.getConfiguration(SETTINGS_SECTION, folder?.uri).update('kubeContext', value, target);
  // The current context must also win over a value set more broadly (the user's, a .code-workspace's):
  // an empty value at this level does (an empty kubeContext means "the kubeconfig's current context").
  if (value === undefined && vscode.workspace.getConfiguration(SETTINGS_SECTION, folder?.uri).get<string>('kubeContext')) {
    await vscode.workspace.getConfiguration(SETTINGS_SECTION, folder?.uri).update('kubeContext', '', target);
  }
  log().info(`Kube context for lookups${folder && isSeveralFolders() ? ` in ${folder.name}` : ''}: ${value ?? '(current context)'}.`);
  return value ?? '';
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  if (vscode.workspace.workspaceFolders?.some((f) => f.uri.toString() === uri.toString())) return true;
  try {
    return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.Directory;
  } catch {
    return false;
  }
}
