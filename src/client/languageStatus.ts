import * as vscode from 'vscode';
import type { ActiveConfig, ActiveConfigTracker } from './activeConfig';
import type { AnalysisScheduler, DocumentState } from './analysisScheduler';
import { mirrordConfigSelector } from './documentSelector';
import { clusterLabel, lookupStatusText } from '../service/lookupStatusText';
import type { LookupStatus } from '../service/targetLookup';

/** What the status items show for one config; also returned to tests. */
export interface StatusSnapshot {
  lookup: LookupStatus['kind'];
  clusterText: string;
  lookupText: string;
  severity: vscode.LanguageStatusSeverity;
  busy: boolean;
  activeConfigText: string;
  activeConfigDetail: string;
  /** True when this file is the config a mirrord session of its folder would use. */
  isActive: boolean;
}

/**
 * Three language status items for mirrord configs: the cluster (context · namespace, click to
 * refresh), the lookup state (click for the log) and which config of the folder is active.
 */
export class ProbeGuardLanguageStatus implements vscode.Disposable {
  private readonly cluster = vscode.languages.createLanguageStatusItem('probeGuard.cluster', mirrordConfigSelector);
  private readonly lookup = vscode.languages.createLanguageStatusItem('probeGuard.lookup', mirrordConfigSelector);
  private readonly active = vscode.languages.createLanguageStatusItem('probeGuard.activeConfig', mirrordConfigSelector);
  private readonly activeByFolder = new Map<string, ActiveConfig>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly scheduler: AnalysisScheduler,
    private readonly activeConfigs: ActiveConfigTracker,
  ) {
    this.cluster.name = vscode.l10n.t('Probe Guard: cluster');
    this.lookup.name = vscode.l10n.t('Probe Guard: target lookup');
    this.active.name = vscode.l10n.t('Probe Guard: active mirrord config');
    this.cluster.command = { command: 'probeGuard.refreshTarget', title: vscode.l10n.t('Refresh') };
    this.lookup.command = { command: 'probeGuard.showLog', title: vscode.l10n.t('Show log') };
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      scheduler.onDidChange((state) => {
        if (vscode.window.activeTextEditor?.document.uri.toString() === state.uri.toString()) this.render();
      }),
      activeConfigs.onDidChange(() => void this.loadActiveConfigs()),
    );
    void this.loadActiveConfigs();
  }

  snapshot(uri: vscode.Uri): StatusSnapshot | undefined {
    const state = this.scheduler.peek(uri);
    if (!state) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return buildSnapshot(state, folder ? this.activeByFolder.get(folder.uri.toString()) : undefined);
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

function buildSnapshot(state: DocumentState, active: ActiveConfig | undefined): StatusSnapshot {
  const { context, namespace } = clusterLabel(state);
  const status = state.status;
  const failed = status.kind === 'failed' || (status.kind === 'resolved' && status.source === 'manifests' && status.clusterFailure !== undefined);
  const isActive = active?.uri?.toString() === state.uri.toString();
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
        : vscode.l10n.t('first .mirrord/*mirrord.* file of the folder');
  }
  return {
    lookup: status.kind,
    clusterText: status.kind === 'restricted' ? vscode.l10n.t('Restricted Mode') : `${context ?? vscode.l10n.t('current context')} · ${namespace ?? 'default'}`,
    lookupText: lookupStatusText(status),
    severity: failed ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information,
    busy: status.kind === 'pending',
    activeConfigText,
    activeConfigDetail,
    isActive,
  };
}
