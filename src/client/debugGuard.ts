/**
 * The check before F5: a DebugConfigurationProvider for every debug type that, for sessions under
 * mirrord only, asks the language server for the config's verdict with the launch's `MIRRORD_*`
 * variables, and when a liveness or readiness probe would be stolen asks once, in a modal prompt
 * that names the probes. The fix is the server's (the preferred fixes of the probe risks), applied
 * and saved here. Sessions not under mirrord are returned untouched; a failure of Probe Guard
 * itself never blocks a session (it is logged and the session starts).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AtRiskProbe } from '../core/report/breakpointCountdown';
import { SESSION_CHECK, type SessionCheckParams, type SessionCheckResult } from '../service/lspProtocol';
import type { MirrordLaunch } from '../service/launchConfigs';
import { log } from './log';
import { mirrordSessionOf, sessionFolder } from './mirrordSession';
import type { ServerConnection } from './serverConnection';
import { SETTINGS_SECTION } from './settings';

export type PromptAnswer = 'fix' | 'start' | 'dont-ask' | 'cancel';

/** What the prompt is asked with (the extension-host tests answer it through the API). */
export interface PromptQuestion {
  configFile: string;
  check: SessionCheckResult;
  /** The config still steals after the fix was applied: only start or cancel are offered. */
  afterFix: boolean;
}

export type SessionPrompt = (question: PromptQuestion) => Promise<PromptAnswer>;

/** workspaceState key: the config files (fs paths) the user chose "Don't ask again" for. */
export const DONT_ASK_KEY = 'probeGuard.debug.dontAskConfigs';

export class DebugGuard implements vscode.DebugConfigurationProvider {
  private prompt: SessionPrompt = modalPrompt;
  private readonly asked = new vscode.EventEmitter<PromptQuestion>();
  /** Fires with each question asked (tests wait on it). */
  readonly onDidAsk = this.asked.event;

  constructor(
    private readonly server: ServerConnection,
    private readonly workspaceState: vscode.Memento,
  ) {}

  /** Replaces the modal prompt (tests); undefined restores it. */
  setPrompt(prompt: SessionPrompt | undefined): void {
    this.prompt = prompt ?? modalPrompt;
  }

  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    configuration: vscode.DebugConfiguration,
    token?: vscode.CancellationToken,
  ): Promise<vscode.DebugConfiguration | undefined> {
    // A launch without a folder is the first folder's (mirrord takes it so): its settings apply.
    const scope = sessionFolder(folder)?.uri;
    if (!vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<boolean>('debug.confirmBeforeStart', true)) return configuration;
    let launch: MirrordLaunch | undefined;
    try {
      launch = await mirrordSessionOf(folder, configuration);
    } catch (error) {
      log().warn(`Debug check skipped: ${message(error)}`);
      return configuration;
    }
    if (!launch?.configFile) return configuration;
    const configFile = launch.configFile;
    if (this.dontAsk().includes(configFile)) return configuration;
    try {
      return await this.guard(configuration, launch, configFile, token);
    } catch (error) {
      log().warn(`Debug check of ${configFile} failed, the session starts unchecked: ${message(error)}`);
      return configuration;
    }
  }

  private async guard(
    configuration: vscode.DebugConfiguration,
    launch: MirrordLaunch,
    configFile: string,
    token: vscode.CancellationToken | undefined,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const check = await sessionCheck(this.server, configFile, launch.mirrordEnv, token);
    log().info(`Debug check of ${configFile} (${launch.reason}): ${check.risk.probes.length} probe(s) at risk.`);
    if (check.risk.probes.length === 0) return configuration;
    const question: PromptQuestion = { configFile, check, afterFix: false };
    this.asked.fire(question);
    const answer = await this.prompt(question);
    if (answer === 'cancel' || token?.isCancellationRequested) return undefined;
    if (answer === 'start') return configuration;
    if (answer === 'dont-ask') {
      await this.workspaceState.update(DONT_ASK_KEY, [...this.dontAsk(), configFile]);
      return configuration;
    }
    const fixed = await applyFix(configFile, check);
    const after = await sessionCheck(this.server, configFile, launch.mirrordEnv, token);
    if (after.risk.probes.length === 0) return configuration;
    if (!fixed) log().warn(`The fix of ${configFile} could not be applied.`);
    const again: PromptQuestion = { configFile, check: after, afterFix: true };
    this.asked.fire(again);
    return (await this.prompt(again)) === 'start' ? configuration : undefined;
  }

  private dontAsk(): string[] {
    const stored = this.workspaceState.get<unknown>(DONT_ASK_KEY);
    return Array.isArray(stored) ? stored.filter((s): s is string => typeof s === 'string') : [];
  }

  dispose(): void {
    this.asked.dispose();
  }
}

/** The server's verdict on a config file with a launch's `MIRRORD_*` variables (opens the file, starts the server). */
export async function sessionCheck(
  server: ServerConnection,
  configFile: string,
  mirrordEnv: Record<string, string>,
  token?: vscode.CancellationToken,
): Promise<SessionCheckResult> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(configFile));
  const client = await server.client();
  const params: SessionCheckParams = { textDocument: { uri: document.uri.toString() }, env: mirrordEnv };
  return client.request<SessionCheckResult>(SESSION_CHECK, params, token);
}

/** Applies the server's fix edits to the checked version of the file and saves it; false when the file changed meanwhile. */
async function applyFix(configFile: string, check: SessionCheckResult): Promise<boolean> {
  if (!check.fix) return false;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(configFile));
  if (document.version !== check.version) return false;
  const edit = new vscode.WorkspaceEdit();
  for (const e of check.fix.edits) {
    edit.replace(document.uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
  }
  if (!(await vscode.workspace.applyEdit(edit))) return false;
  const saved = await document.save();
  log().info(`Applied ${check.fix.titles.join(', ')} to ${configFile}${saved ? ' and saved it' : ' (not saved)'}.`);
  return saved;
}

/** "the liveness probe (checkout :8080/healthz)". */
export function probeName(p: AtRiskProbe): string {
  const where = p.port !== undefined ? ` :${p.port}${p.path && p.path !== 'grpc' ? p.path : ''}` : '';
  return p.probe === 'liveness'
    ? vscode.l10n.t('the liveness probe ({0})', `${p.container}${where}`)
    : vscode.l10n.t('the readiness probe ({0})', `${p.container}${where}`);
}

const modalPrompt: SessionPrompt = async ({ configFile, check, afterFix }) => {
  const risk = check.risk;
  const file = path.basename(configFile);
  const probes = risk.probes.map(probeName).join(', ');
  const title = afterFix
    ? vscode.l10n.t('{0} still steals {1}.', file, probes)
    : vscode.l10n.t('This mirrord session ({0}) would steal {1} of {2}.', file, probes, risk.target ?? vscode.l10n.t('the target'));
  const detail: string[] = risk.probes.map((p) =>
    p.probe === 'liveness'
      ? vscode.l10n.t(
          '{0}: while the local app does not answer (a breakpoint is enough), Kubernetes restarts the remote container {1} to {2} s later.',
          p.container,
          String(p.safeHoldSeconds),
          String(p.latestSeconds),
        )
      : vscode.l10n.t(
          '{0}: while the local app does not answer, Kubernetes takes the pod out of its Service {1} to {2} s later.',
          p.container,
          String(p.safeHoldSeconds),
          String(p.latestSeconds),
        ),
  );
  if (risk.assumed)
    detail.push(
      vscode.l10n.t(
        "The target's probes were not looked up (Restricted Mode, lookup off or failed): assumed its usual probes with Kubernetes' default timing.",
      ),
    );
  if (!afterFix && check.fix)
    detail.push(vscode.l10n.t('"Add kube-probe filter and start" applies "{0}" to {1} and saves it.', check.fix.titles.join('", "'), file));
  const fix: vscode.MessageItem = { title: vscode.l10n.t('Add kube-probe filter and start') };
  const start: vscode.MessageItem = { title: vscode.l10n.t('Start anyway') };
  const dontAsk: vscode.MessageItem = { title: vscode.l10n.t("Don't ask again for this config") };
  const cancel: vscode.MessageItem = { title: vscode.l10n.t('Cancel'), isCloseAffordance: true };
  const items = afterFix ? [start, cancel] : [...(check.fix ? [fix] : []), start, dontAsk, cancel];
  const picked = await vscode.window.showWarningMessage(title, { modal: true, detail: detail.join('\n') }, ...items);
  if (picked === fix) return 'fix';
  if (picked === start) return 'start';
  if (picked === dontAsk) return 'dont-ask';
  return 'cancel';
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
