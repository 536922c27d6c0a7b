import * as vscode from 'vscode';
import type { StatusParams } from '../service/lspProtocol';
import type { ActiveConfig, ActiveConfigTracker } from './activeConfig';
import { mirrordConfigSelector } from './documentSelector';
import { isSeveralFolders } from './folders';

/** What the status items show for one config; also returned to tests. */
export interface StatusSnapshot {
  lookup: StatusParams['lookup'];
  clusterText: string;
  lookupText: string;
  severity: vscode.LanguageStatusSeverity;
  busy: boolean;
  activeConfigText: string;
  activeConfigDetail: string;
  /** True when this file is the config a mirrord session of its folder would use. */
  isActive: boolean;
  /** The workspace folder whose settings and active config these are (undefined outside every folder). */
  folder?: string;
}

/**
 * Three language status items for mirrord configs: the cluster (context · namespace, click to
 * refresh) and the lookup state (click for the log), from the server's `probeGuard/status`
 * notifications, and which config of the folder is active (VS Code's launch configurations).
 */
export class ProbeGuardLanguageStatus implements vscode.Disposable {
  private readonly cluster = vscode.languages.createLanguageStatusItem('probeGuard.cluster', mirrordConfigSelector);
  private readonly lookup = vscode.languages.createLanguageStatusItem('probeGuard.lookup', mirrordConfigSelector);
  private readonly active = vscode.languages.createLanguageStatusItem('probeGuard.activeConfig', mirrordConfigSelector);
  private readonly statuses = new Map<string, StatusParams>();
  private readonly activeByFolder = new Map<string, ActiveConfig>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly activeConfigs: ActiveConfigTracker) {
    this.cluster.name = vscode.l10n.t('Probe Guard: cluster');
    this.lookup.name = vscode.l10n.t('Probe Guard: target lookup');
    this.active.name = vscode.l10n.t('Probe Guard: active mirrord config');
    this.cluster.command = { command: 'probeGuard.refreshTarget', title: vscode.l10n.t('Refresh') };
    this.lookup.command = { command: 'probeGuard.showLog', title: vscode.l10n.t('Show log') };
    this.cluster.text = `$(server-environment) ${vscode.l10n.t('Probe Guard')}`;
    this.lookup.text = vscode.l10n.t('Analysing…');
    this.lookup.busy = true;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      activeConfigs.onDidChange(() => void this.loadActiveConfigs()),
      vscode.workspace.onDidCloseTextDocument((document) => this.statuses.delete(document.uri.toString())),
    );
    void this.loadActiveConfigs();
  }

  /** A status from the server (after each analysis). */
  update(params: StatusParams): void {
    const known = this.statuses.get(params.uri);
    if (known && known.version > params.version) return;
    this.statuses.set(params.uri, params);
    if (vscode.window.activeTextEditor?.document.uri.toString() === params.uri) this.render();
  }

  snapshot(uri: vscode.Uri): StatusSnapshot | undefined {
    const status = this.statuses.get(uri.toString());
    if (!status) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return buildSnapshot(uri, status, folder, folder ? this.activeByFolder.get(folder.uri.toString()) : undefined);
  }

  private async loadActiveConfigs(): Promise<void> {
    this.activeByFolder.clear();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      this.activeByFolder.set(folder.uri.toString(), await this.activeConfigs.activeFor(folder));
    }
    this.render();
  }

  private render(): void {
    const document = vscode.window.activeTextEditor?.document;
    const snapshot = document ? this.snapshot(document.uri) : undefined;
    if (!snapshot) return;
    this.cluster.text = `$(server-environment) ${snapshot.clusterText}`;
    this.cluster.detail = vscode.l10n.t('context · namespace used for lookups');
    this.lookup.text = snapshot.lookupText;
    this.lookup.severity = snapshot.severity;
    this.lookup.busy = snapshot.busy;
    this.active.text = snapshot.activeConfigText;
    this.active.detail = snapshot.activeConfigDetail;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.cluster.dispose();
    this.lookup.dispose();
    this.active.dispose();
  }
}

function buildSnapshot(uri: vscode.Uri, status: StatusParams, folder: vscode.WorkspaceFolder | undefined, active: ActiveConfig | undefined): StatusSnapshot {
  const isActive = active?.uri?.toString() === uri.toString();
  let activeConfigText: string;
  let activeConfigDetail: string;
  if (!active || active.reason === 'none' || !active.uri) {
    activeConfigText = vscode.l10n.t('No active mirrord config');
    activeConfigDetail = vscode.l10n.t('No launch configuration sets MIRRORD_CONFIG_FILE and .mirrord/ has no *mirrord.* file');
  } else {
    const name = vscode.workspace.asRelativePath(active.uri);
    activeConfigText = isActive ? vscode.l10n.t('Active mirrord config') : vscode.l10n.t('Active config: {0}', name);
    activeConfigDetail =
      active.reason === 'launch-configuration'
        ? vscode.l10n.t('MIRRORD_CONFIG_FILE of launch configuration "{0}"', active.launchName ?? '')
        : active.fromFolder
          ? vscode.l10n.t("first .mirrord/*mirrord.* file of folder {0} (this folder has none: mirrord uses the first folder's)", active.fromFolder.name)
          : vscode.l10n.t('first .mirrord/*mirrord.* file of the folder');
  }
  // Several folders: say whose state this is (each folder has its own active config and settings).
  if (folder && isSeveralFolders()) activeConfigDetail = vscode.l10n.t('{0} (folder {1})', activeConfigDetail, folder.name);
  return {
    lookup: status.lookup,
    clusterText: status.clusterText,
    lookupText: status.lookupText,
    severity: status.severity === 'warning' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information,
    busy: status.busy,
    activeConfigText,
    activeConfigDetail,
    isActive,
    folder: folder?.name,
  };
}
