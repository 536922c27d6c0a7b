import * as vscode from 'vscode';
import { mirrordLaunchOf, type LaunchContext, type MirrordLaunch } from '../service/launchConfigs';
import { launchContextOf } from './activeConfig';

/** The official mirrord extension's id (Marketplace and Open VSX). */
export const MIRRORD_EXTENSION_ID = 'MetalBear.mirrord';

/**
 * Whether a debug configuration about to start runs under mirrord, and with which config file:
 * the shared decision of src/service/launchConfigs.ts with the folder's default config found only
 * when it is needed. The mirrord extension's toggle and its selected active config live in its own
 * state, which other extensions cannot read: when it is installed, its `mirrord.enabledByDefault`
 * setting stands for the toggle (a session it starts also carries the `MIRRORD_*` variables it
 * injects, which count on their own).
 *
 * A launch without a folder (a `.code-workspace`'s own `launch` section, a dynamic configuration)
 * is taken as the first folder's, and a folder without a `.mirrord/` default config uses the first
 * folder's, as the mirrord extension resolves them.
 */
export async function mirrordSessionOf(
  folder: vscode.WorkspaceFolder | undefined,
  configuration: vscode.DebugConfiguration,
): Promise<MirrordLaunch | undefined> {
  if (isChildSession(configuration)) return undefined;
  const scope = sessionFolder(folder);
  if (!scope || scope.uri.scheme !== 'file') return undefined;
  const context: LaunchContext = { folder: { path: scope.uri.fsPath, name: scope.name } };
  if (vscode.extensions.getExtension(MIRRORD_EXTENSION_ID)) {
    context.mirrordExtension = { enabled: vscode.workspace.getConfiguration('mirrord', scope.uri).get<boolean>('enabledByDefault') === true };
  }
  const launch = mirrordLaunchOf(configuration, -1, context);
  if (!launch || launch.configFile) return launch;
  context.folderDefaultConfig = (await launchContextOf(scope)).folderDefaultConfig;
  return mirrordLaunchOf(configuration, -1, context);
}

/** The folder a debug session's settings and config come from: its own, else the first one (as mirrord takes it). */
export function sessionFolder(folder: vscode.WorkspaceFolder | undefined): vscode.WorkspaceFolder | undefined {
  return folder ?? vscode.workspace.workspaceFolders?.[0];
}

/**
 * A session a debugger starts for its own process tree (js-debug's child sessions carry
 * `__pendingTargetId`): its parent was checked already.
 */
function isChildSession(configuration: vscode.DebugConfiguration): boolean {
  return configuration.__pendingTargetId !== undefined || configuration.__parentId !== undefined;
}
