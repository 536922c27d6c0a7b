import * as vscode from 'vscode';
import {
  DID_CHANGE_SESSION_ENV,
  DOCUMENT_STATE,
  SERVER_INFO,
  WHEN_IDLE,
  type DocumentStateResult,
  type ServerInfoResult,
  type StatusParams,
} from '../service/lspProtocol';
import { ActiveConfigTracker } from './activeConfig';
import type { PromptQuestion, SessionPrompt } from './debugGuard';
import { isMirrordConfig, LAUNCH_JSON_SELECTOR, mirrordConfigSelector } from './documentSelector';
import { defaultPrompts, type ClientPrompts } from './folders';
import { featureLoader, LazyDebugParts, LazyLaunchLenses, registerLazyCommands } from './lazyFeatures';
import { EmptyConfigActions } from './newConfigAction';
import { ProbeGuardLanguageStatus, type StatusSnapshot } from './languageStatus';
import { createLog } from './log';
import { ServerConnection } from './serverConnection';
import type { Clock } from '../service/clock';

/** Returned by `activate`: a small surface for the extension-host tests. */
export interface ProbeGuardApi {
  /** Resolves when the server has no analysis or lookup waiting or running (at once when it is not started). */
  whenIdle(): Promise<void>;
  /** The server's published state of a config (undefined before its first analysis). */
  stateFor(uri: vscode.Uri): Promise<DocumentStateResult | undefined>;
  statusFor(uri: vscode.Uri): StatusSnapshot | undefined;
  /** Whether the server has loaded the cluster module (client-node). */
  kubeModuleLoaded(): Promise<boolean>;
  /** Whether the language server was started. */
  serverStarted(): boolean;
  /** Fires with each status the server sends (after each analysis of a config). */
  onDidAnalyze: vscode.Event<StatusParams>;
  /** The code actions of a document as VS Code gets them from the language client. */
  codeActions(document: vscode.TextDocument): Promise<{
    list(range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]>;
    resolve(action: vscode.CodeAction): Promise<vscode.CodeAction>;
  }>;
  /**
   * The extension's log folder (`context.logUri`). The "Probe Guard" output channel is written by
   * VS Code next to it (a `Probe Guard.log` in an `output_logging_` folder of its parent); tests
   * read it to check that no credential and no unexpected error was logged.
   */
  logUri: vscode.Uri;
  /** The check before F5: its prompt can be answered by a test, and each question is announced. */
  debugGuard: { setPrompt(prompt: SessionPrompt | undefined): void; onDidAsk: vscode.Event<PromptQuestion> };
  /** The breakpoint countdown's status bar text (undefined: hidden), its changes, and the clock new countdowns run on. */
  countdown: { text(): string | undefined; onDidChange: vscode.Event<string | undefined>; setClock(clock: Clock | undefined): void };
  /** The commands' folder and item pickers, answerable by a test (undefined restores the quick picks). */
  setPrompts(prompts: Partial<ClientPrompts> | undefined): void;
  /** Whether the lazily loaded parts (commands, debug guard, countdown, launch.json CodeLens: dist/clientFeatures.js) were loaded. */
  featuresLoaded(): boolean;
}

let connection: ServerConnection | undefined;

/**
 * Cheap by design: no language server, no language client library, no engine, no client-node,
 * no file search, no network. The server starts when the first mirrord config is opened or a
 * command runs; everything about the configs happens there. The commands, the debug guard, the
 * breakpoint countdown and the launch.json CodeLens are registered as stand-ins that load their
 * code (dist/clientFeatures.js) on first use (src/client/lazyFeatures.ts).
 */
export function activate(context: vscode.ExtensionContext): ProbeGuardApi {
  const output = createLog();
  const activeConfigs = new ActiveConfigTracker();
  const status = new ProbeGuardLanguageStatus(activeConfigs);
  const server = new ServerConnection(context, output);
  connection = server;
  const features = featureLoader();
  const launchLenses = new LazyLaunchLenses(features.load, server, activeConfigs);
  const debugParts = new LazyDebugParts(features.load, server, context.workspaceState);
  const openConfigs = () => vscode.workspace.textDocuments.filter(isMirrordConfig);
  let prompts: ClientPrompts = defaultPrompts;
  const start = () =>
    void server.client().then(
      () => sendSessionEnvs(),
      () => undefined,
    );
  context.subscriptions.push(
    output,
    activeConfigs,
    status,
    server,
    server.onStatus((params) => status.update(params)),
    launchLenses,
    vscode.languages.registerCodeLensProvider(LAUNCH_JSON_SELECTOR, launchLenses),
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isMirrordConfig(document)) start();
    }),
    activeConfigs.onDidChange(() => void sendSessionEnvs()),
    debugParts,
    // Every debug type: whether a session runs under mirrord is in its env, not its type.
    vscode.debug.registerDebugConfigurationProvider('*', debugParts),
    vscode.debug.registerDebugAdapterTrackerFactory('*', debugParts),
    registerLazyCommands(features.load, { server, activeConfigs, openConfigs, prompts: () => prompts }, context.subscriptions),
    vscode.languages.registerCodeActionsProvider(mirrordConfigSelector, new EmptyConfigActions(), { providedCodeActionKinds: EmptyConfigActions.kinds }),
  );

  /** Launch configurations' env for the configs they name (MIRRORD_* overrides the file). */
  const sent = new Set<string>();
  async function sendSessionEnvs(): Promise<void> {
    const client = await server.ifStarted();
    if (!client) return;
    const now = new Map<string, Record<string, string>>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const active = await activeConfigs.activeFor(folder);
      if (active.reason === 'launch-configuration' && active.uri && active.env) now.set(active.uri.toString(), active.env);
    }
    for (const uri of sent) if (!now.has(uri)) await client.notify(DID_CHANGE_SESSION_ENV, { uri });
    sent.clear();
    for (const [uri, env] of now) {
      sent.add(uri);
      await client.notify(DID_CHANGE_SESSION_ENV, { uri, env });
    }
  }

  output.info(`Probe Guard activated (${vscode.workspace.isTrusted ? 'trusted workspace' : 'Restricted Mode: static analysis only'}).`);
  // A config already open: start after activation returns, not inside it.
  if (openConfigs().length > 0) setTimeout(start, 0);

  return {
    whenIdle: async () => {
      const client = await server.ifStarted();
      if (client) await client.request(WHEN_IDLE, {});
    },
    stateFor: async (uri) => {
      const client = await server.ifStarted();
      return client ? ((await client.request<DocumentStateResult | null>(DOCUMENT_STATE, { textDocument: { uri: uri.toString() } })) ?? undefined) : undefined;
    },
    statusFor: (uri) => status.snapshot(uri),
    kubeModuleLoaded: async () => {
      const client = await server.ifStarted();
      return client ? (await client.request<ServerInfoResult>(SERVER_INFO, {})).kubeModuleLoaded : false;
    },
    serverStarted: () => server.started,
    onDidAnalyze: server.onStatus,
    codeActions: async (document) => (await server.client()).codeActions(document),
    logUri: context.logUri,
    // The test API makes the debug parts when they are not made yet.
    debugGuard: {
      setPrompt: (prompt) => debugParts.parts.guard.setPrompt(prompt),
      onDidAsk: (listener, thisArgs, disposables) => debugParts.parts.guard.onDidAsk(listener, thisArgs, disposables),
    },
    countdown: {
      text: () => debugParts.countdown?.text,
      onDidChange: (listener, thisArgs, disposables) => debugParts.parts.countdown.onDidChange(listener, thisArgs, disposables),
      setClock: (clock) => debugParts.parts.countdown.setClock(clock),
    },
    setPrompts: (replaced) => (prompts = { ...defaultPrompts, ...replaced }),
    featuresLoaded: () => features.loaded(),
  };
}

/** Stops the language server (VS Code waits for the returned promise). */
export async function deactivate(): Promise<void> {
  const client = await connection?.ifStarted();
  connection = undefined;
  await client?.stop();
}
