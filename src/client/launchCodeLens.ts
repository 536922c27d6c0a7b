import * as path from 'node:path';
import * as vscode from 'vscode';
import { mirrordLaunchOf, type MirrordLaunch } from '../service/launchConfigs';
import { launchJsonEntries } from '../service/launchJson';
import { LAUNCH_VERDICT, type LaunchVerdictParams, type LaunchVerdictResult } from '../service/lspProtocol';
import { configUriIn, launchContextOf, type ActiveConfigTracker } from './activeConfig';
import { log } from './log';
import type { ServerConnection } from './serverConnection';

class LaunchLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly launch: MirrordLaunch,
    readonly folder: vscode.WorkspaceFolder | undefined,
    readonly configUri: vscode.Uri | undefined,
  ) {
    super(range);
  }
}

/**
 * One line above each launch configuration that runs under mirrord (launchConfigs.ts decides
 * which, and with which config): the mode, the target, the probe verdict and the config, as the
 * language server judges that config with the configuration's `MIRRORD_*` env over it. Clicking
 * opens the config. The lenses are listed from the text at once; each asks the server when VS Code
 * resolves it (only visible ones are).
 */
export class LaunchCodeLensProvider implements vscode.CodeLensProvider<LaunchLens>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly server: ServerConnection,
    activeConfigs: ActiveConfigTracker,
  ) {
    // A verdict changes with the config's text (each analysis sends a status), its file on disk,
    // the folder's default config and the settings.
    this.disposables.push(
      server.onStatus(() => this.changed.fire()),
      activeConfigs.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidSaveTextDocument(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('probeGuard')) this.changed.fire();
      }),
    );
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<LaunchLens[]> {
    const text = document.getText();
    // Most launch.json files have nothing to do with mirrord: no parse, no file search for them.
    if (!text.includes('MIRRORD_')) return [];
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const folderPath = folder?.uri.fsPath ?? path.dirname(path.dirname(document.uri.fsPath));
    const context = folder ? await launchContextOf(folder) : { folder: { path: folderPath, name: path.basename(folderPath) } };
    if (token.isCancellationRequested) return [];
    const lenses: LaunchLens[] = [];
    for (const entry of launchJsonEntries(text)) {
      const launch = mirrordLaunchOf(entry.value, entry.index, context);
      if (!launch) continue;
      const start = document.positionAt(entry.start);
      const configUri = launch.configFile ? (folder ? configUriIn(folder, launch.configFile) : vscode.Uri.file(launch.configFile)) : undefined;
      lenses.push(new LaunchLens(new vscode.Range(start, start), launch, folder, configUri));
    }
    return lenses;
  }

  async resolveCodeLens(lens: LaunchLens, token: vscode.CancellationToken): Promise<LaunchLens> {
    const params: LaunchVerdictParams = {
      config: lens.configUri ? { uri: lens.configUri.toString() } : undefined,
      env: lens.launch.mirrordEnv,
      folderUri: lens.folder?.uri.toString(),
    };
    let result: LaunchVerdictResult;
    try {
      const client = await this.server.client();
      result = await client.request<LaunchVerdictResult>(LAUNCH_VERDICT, params, token);
    } catch (error) {
      if (!token.isCancellationRequested)
        log().warn(`Launch configuration "${lens.launch.name}": no verdict: ${error instanceof Error ? error.message : String(error)}`);
      lens.command = { title: vscode.l10n.t('mirrord: Probe Guard could not check this launch configuration'), command: '' };
      return lens;
    }
    const tooltip = [vscode.l10n.t('Why this config: {0}', reasonText(lens.launch)), ...result.details].join('\n');
    lens.command = lens.configUri
      ? { title: result.title, command: 'vscode.open', arguments: [lens.configUri], tooltip }
      : { title: result.title, command: '', tooltip };
    return lens;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function reasonText(launch: MirrordLaunch): string {
  switch (launch.configSource) {
    case 'launch-env':
      return vscode.l10n.t('MIRRORD_CONFIG_FILE in this configuration');
    case 'mirrord-active-config':
      return vscode.l10n.t("the mirrord extension's active config");
    case 'folder-default':
      return vscode.l10n.t("the folder's first .mirrord/*mirrord.* file (no MIRRORD_CONFIG_FILE here)");
    case 'none':
      return vscode.l10n.t("no config file: mirrord's defaults with this configuration's MIRRORD_* variables");
  }
}
