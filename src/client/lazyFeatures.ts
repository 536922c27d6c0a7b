/**
 * What activation registers for the parts it does not load (src/client/features.ts, bundled as
 * dist/clientFeatures.js): stand-ins that VS Code can call at once and that load the real part on
 * the first call. Activation itself loads only the language status, the server connection and
 * these stand-ins (see bench/activationRealBench.ts for what that costs in the extension host).
 */
import * as vscode from 'vscode';
import { loadBundleOrSource } from '../runtime/lazyBundle';
import type { ActiveConfigTracker } from './activeConfig';
import type { BreakpointCountdownView } from './breakpointCountdownView';
import { LAZY_COMMAND_IDS } from './commandIds';
import type { CommandDeps } from './commands';
import type { DebugGuard } from './debugGuard';
import type * as FeatureExports from './features';
import type { LaunchCodeLensProvider } from './launchCodeLens';
import type { ServerConnection } from './serverConnection';

type Features = typeof FeatureExports;

/** The features module, required on the first call (dist/clientFeatures.js next to dist/extension.js; the tsc output in tests). */
export function featureLoader(): { load(): Features; loaded(): boolean } {
  let features: Features | undefined;
  return {
    load: () => (features ??= loadBundleOrSource<Features>(__dirname, 'clientFeatures.js', 'features')),
    loaded: () => features !== undefined,
  };
}

/**
 * The commands of commands.ts under their ids, each a stand-in until one runs: then all of them are
 * replaced by the real registrations (added to `subscriptions`) and the command is run again with
 * the same arguments, so its caller gets the real result.
 */
export function registerLazyCommands(load: () => Features, deps: CommandDeps, subscriptions: vscode.Disposable[]): vscode.Disposable {
  let standIns: vscode.Disposable[] | undefined;
  const realize = (): void => {
    if (!standIns) return;
    // Loaded first: if the bundle cannot load, the stand-ins stay (the command reports the error) instead of every command vanishing.
    const features = load();
    for (const d of standIns) d.dispose();
    standIns = undefined;
    subscriptions.push(...features.registerCommands(deps));
  };
  standIns = LAZY_COMMAND_IDS.map((id) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => {
      realize();
      return vscode.commands.executeCommand(id, ...args);
    }),
  );
  return { dispose: () => standIns?.forEach((d) => d.dispose()) };
}

/**
 * The check before F5 and the breakpoint countdown, for every debug type: created on the first
 * debug session (or the first use of their test API).
 */
export class LazyDebugParts implements vscode.DebugConfigurationProvider, vscode.DebugAdapterTrackerFactory, vscode.Disposable {
  private created: { guard: DebugGuard; countdown: BreakpointCountdownView } | undefined;

  constructor(
    private readonly load: () => Features,
    private readonly server: ServerConnection,
    private readonly workspaceState: vscode.Memento,
  ) {}

  /** The real guard and countdown, made on the first call. */
  get parts(): { guard: DebugGuard; countdown: BreakpointCountdownView } {
    if (!this.created) {
      const features = this.load();
      this.created = { guard: new features.DebugGuard(this.server, this.workspaceState), countdown: new features.BreakpointCountdownView(this.server) };
    }
    return this.created;
  }

  /** The countdown when it was made (undefined before the first debug session). */
  get countdown(): BreakpointCountdownView | undefined {
    return this.created?.countdown;
  }

  resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    configuration: vscode.DebugConfiguration,
    token?: vscode.CancellationToken,
  ): Promise<vscode.DebugConfiguration | undefined> {
    return this.parts.guard.resolveDebugConfigurationWithSubstitutedVariables(folder, configuration, token);
  }

  createDebugAdapterTracker(session: vscode.DebugSession): Promise<vscode.DebugAdapterTracker | undefined> {
    return this.parts.countdown.createDebugAdapterTracker(session);
  }

  dispose(): void {
    this.created?.guard.dispose();
    this.created?.countdown.dispose();
  }
}

/**
 * The launch.json CodeLens: a launch.json that does not mention MIRRORD_ gets no lenses without
 * loading anything (as the real provider answers it); the first one that does loads the provider.
 */
export class LazyLaunchLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private provider: LaunchCodeLensProvider | undefined;

  constructor(
    private readonly load: () => Features,
    private readonly server: ServerConnection,
    private readonly activeConfigs: ActiveConfigTracker,
  ) {}

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.ProviderResult<vscode.CodeLens[]> {
    if (!this.provider && !document.getText().includes('MIRRORD_')) return [];
    return this.real().provideCodeLenses(document, token);
  }

  resolveCodeLens(lens: vscode.CodeLens, token: vscode.CancellationToken): vscode.ProviderResult<vscode.CodeLens> {
    return this.real().resolveCodeLens(lens as Parameters<LaunchCodeLensProvider['resolveCodeLens']>[0], token);
  }

  private real(): LaunchCodeLensProvider {
    if (!this.provider) {
      this.provider = new (this.load().LaunchCodeLensProvider)(this.server, this.activeConfigs);
      this.provider.onDidChangeCodeLenses(() => this.changed.fire());
    }
    return this.provider;
  }

  dispose(): void {
    this.provider?.dispose();
    this.changed.dispose();
  }
}
