/**
 * The breakpoint countdown in the status bar: a debug adapter tracker for every debug type that,
 * for sessions under mirrord whose config steals a liveness or readiness probe, starts a
 * BreakpointCountdown (src/service/breakpointCountdownTimer.ts) on the adapter's `stopped` event
 * and clears it on `continued`, on a continue or step request, and when the session ends. The
 * verdict and the restart counts come from the language server, started only for such sessions.
 */
import * as vscode from 'vscode';
import { BreakpointCountdown, type CountdownDisplay } from '../service/breakpointCountdownTimer';
import { scaledClock, systemClock, type Clock } from '../service/clock';
import { TARGET_RESTARTS, type TargetRestartsParams, type TargetRestartsResult } from '../service/lspProtocol';
import { sessionCheck } from './debugGuard';
import { log } from './log';
import { mirrordSessionOf, sessionFolder } from './mirrordSession';
import type { ServerConnection } from './serverConnection';
import { SETTINGS_SECTION } from './settings';

/** Requests that make the program run again. */
const RUN_REQUESTS = new Set(['continue', 'next', 'stepIn', 'stepOut', 'stepBack', 'reverseContinue', 'restartFrame', 'goto']);

/** DAP messages as far as the tracker reads them. */
interface DapMessage {
  type?: string;
  event?: string;
  command?: string;
}

export class BreakpointCountdownView implements vscode.DebugAdapterTrackerFactory, vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('probeGuard.breakpointCountdown', vscode.StatusBarAlignment.Left, 1000);
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the status bar text whenever it changes (undefined: hidden). Tests wait on it. */
  readonly onDidChange = this.changed.event;
  private owner: BreakpointCountdown | undefined;
  private clockOverride: Clock | undefined;

  constructor(private readonly server: ServerConnection) {
    this.item.name = vscode.l10n.t('Probe Guard: breakpoint countdown');
  }

  /** The status bar text, undefined when hidden. */
  get text(): string | undefined {
    return this.owner ? this.item.text : undefined;
  }

  /** Tests: the clock new countdowns run on (undefined: the system clock, or the test-only time scale). */
  setClock(clock: Clock | undefined): void {
    this.clockOverride = clock;
  }

  async createDebugAdapterTracker(session: vscode.DebugSession): Promise<vscode.DebugAdapterTracker | undefined> {
    let root = session;
    while (root.parentSession) root = root.parentSession;
    const scope = sessionFolder(root.workspaceFolder)?.uri;
    if (!vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<boolean>('debug.breakpointCountdown', true)) return undefined;
    let launch;
    try {
      launch = await mirrordSessionOf(root.workspaceFolder, root.configuration);
    } catch (error) {
      log().warn(`Breakpoint countdown skipped: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
    const configFile = launch?.configFile;
    if (!launch || !configFile) return undefined;
    const env = launch.mirrordEnv;
    const clock =
      this.clockOverride ?? scaledClock(vscode.workspace.getConfiguration(SETTINGS_SECTION, scope).get<number>('debug.testTimeScale', 1), systemClock);
    // The verdict is asked for at once, so it is there by the first stop.
    const countdown: Promise<BreakpointCountdown | undefined> = sessionCheck(this.server, configFile, env).then(
      (check) => {
        if (check.risk.probes.length === 0) return undefined;
        const created: BreakpointCountdown = new BreakpointCountdown(check.risk.probes, {
          clock,
          t: (message, ...args) => vscode.l10n.t(message, ...args),
          show: (display) => this.show(created, display),
          readRestarts: () => this.readRestarts(configFile, env),
        });
        return created;
      },
      (error: unknown) => {
        log().warn(`Breakpoint countdown off for ${configFile}: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      },
    );
    // A stop can come before the verdict: it counts from when it happened.
    let stoppedAt: number | undefined;
    const run = (action: (c: BreakpointCountdown) => void) => void countdown.then((c) => c && action(c));
    return {
      onDidSendMessage: (message: DapMessage) => {
        if (message?.type !== 'event') return;
        if (message.event === 'stopped') {
          const at = (stoppedAt ??= clock.now());
          run((c) => {
            if (stoppedAt !== undefined) c.stopped(at);
          });
        } else if (message.event === 'continued') {
          stoppedAt = undefined;
          run((c) => c.continued());
        } else if (message.event === 'terminated' || message.event === 'exited') {
          stoppedAt = undefined;
          run((c) => c.ended());
        }
      },
      onWillReceiveMessage: (message: DapMessage) => {
        if (message?.type === 'request' && message.command && RUN_REQUESTS.has(message.command)) {
          stoppedAt = undefined;
          run((c) => c.continued());
        }
      },
      onWillStopSession: () => run((c) => c.ended()),
      onExit: () => run((c) => c.ended()),
    };
  }

  private show(countdown: BreakpointCountdown, display: CountdownDisplay | undefined): void {
    if (!display) {
      if (this.owner !== countdown) return;
      this.owner = undefined;
      this.item.hide();
      this.changed.fire(undefined);
      return;
    }
    this.owner = countdown;
    const icon = display.level === 'counting' ? '$(watch)' : display.level === 'warning' ? '$(warning)' : '$(info)';
    this.item.text = `${icon} ${display.text}`;
    this.item.tooltip = display.tooltip;
    this.item.backgroundColor = display.level === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    this.changed.fire(this.item.text);
  }

  private async readRestarts(configFile: string, env: Record<string, string>) {
    try {
      const client = await this.server.client();
      const document = await vscode.workspace.openTextDocument(vscode.Uri.file(configFile));
      const params: TargetRestartsParams = { textDocument: { uri: document.uri.toString() }, env };
      const result = await client.request<TargetRestartsResult>(TARGET_RESTARTS, params);
      if (result.kind === 'counts') return result.pods;
      log().info(`Restart counts not read: ${result.reason}`);
    } catch (error) {
      log().warn(`Restart counts not read: ${error instanceof Error ? error.message : String(error)}`);
    }
    return undefined;
  }

  dispose(): void {
    this.item.dispose();
    this.changed.dispose();
  }
}
