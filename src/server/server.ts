/**
 * The Probe Guard language server: diagnostics, code actions, hover and the probe report for
 * every mirrord config a client opens, with the engine in worker threads (workerPool.ts) and the
 * cluster lookups on this thread (async I/O only), so that no request waits for an analysis.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as l10n from '@vscode/l10n';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type CompletionItem,
  type CompletionList,
  type CompletionParams,
  type Connection,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type Position,
  type Range,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { configFormatForFileName } from '../core/config/configFormat';
import type { LookupRequest } from '../core/types';
import { ClusterLookup } from '../service/clusterLookup';
import { isMirrordConfigPath } from '../service/configFiles';
import { livePodsForState } from '../service/livePods';
import type { ServiceLog } from '../service/log';
import {
  DID_CHANGE_SESSION_ENV,
  DID_CHANGE_TRUST,
  DOCUMENT_STATE,
  LAUNCH_VERDICT,
  LIST_CONTEXTS,
  NEW_CONFIG_CANDIDATES,
  NEW_CONFIG_TEXT,
  PROBE_REPORT,
  REFRESH,
  SERVER_INFO,
  SESSION_CHECK,
  TARGET_RESTARTS,
  WHEN_IDLE,
  type DocumentStateParams,
  type DocumentStateResult,
  type ServerInfoResult,
  type DidChangeSessionEnvParams,
  type DidChangeTrustParams,
  type LaunchVerdictParams,
  type LaunchVerdictResult,
  type ListContextsParams,
  type ListContextsResult,
  type NewConfigCandidatesParams,
  type NewConfigTextParams,
  type ProbeGuardInitializationOptions,
  type ProbeReportParams,
  type ProbeReportResult,
  type SessionCheckParams,
  type TargetRestartsParams,
} from '../service/lspProtocol';
import { targetReportMarkdown } from '../service/probeReportMarkdown';
import { toTransferable } from '../service/transferableResolution';
import { readSettings, sectionReader, SETTINGS_SECTION, type ProbeGuardSettings } from '../service/settings';
import { clusterSettingsFor, describeRef, lookUpTarget, type LookupOutcome } from '../service/targetLookup';
import { folderOfPath, foldersAfterChange, kubeconfigRelativeTo, normalizeFolder, settingsDiffer } from '../service/workspaceFolders';
import { CodeActionPlanner } from './codeActionPlanner';
import { DocumentAnalyzer, type DocumentEnvironment, type ServerState } from './documentAnalyzer';
import { toDiagnostics } from './diagnostics';
import { hoverFor } from './hover';
import { keyCompletionItems, keyHover, type KeyAssistFromClient } from './keyCompletion';
import { KubeconfigFileWatcher } from './kubeconfigFiles';
import { configureLocalization } from './localization';
import { launchVerdictFor } from './launchVerdicts';
import { newConfigCandidates, newConfigText, type NewConfigHost } from './newConfigRequests';
import { SessionChecker } from './sessionCheck';
import { statusParams, STATUS_NOTIFICATION } from './status';
import { TARGET_COMPLETION_TRIGGERS, TargetCompleter } from './targetCompletion';
import { uriPath, uriPathOrName } from './uris';
import { JobDropped, WorkerPool } from './workerPool';
import { manifestReaders } from './manifestJobs';

/** A lookup slower than this shows work-done progress. */
const PROGRESS_DELAY_MS = 300;

export class ProbeGuardServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly log: ServiceLog;
  private readonly pool: WorkerPool;
  private readonly cluster: ClusterLookup;
  private readonly analyzer: DocumentAnalyzer;
  private readonly planner: CodeActionPlanner;
  private readonly kubeconfigs: KubeconfigFileWatcher;
  private readonly sessions: SessionChecker;
  private readonly completer: TargetCompleter;
  private trusted = false;
  private capabilities: ClientCapabilities = {};
  /** Absolute paths of the workspace folders (workspace/didChangeWorkspaceFolders keeps them current). */
  private workspaceFolders: string[] = [];
  private pushedSettings: unknown;
  /** Key assist the client gives itself from the schema (initializationOptions.yamlSchemaSupport). */
  private keyAssistFromClient: KeyAssistFromClient = {};
  /** The client runs our commands from hover links (initializationOptions.hoverCommandLinks). */
  private hoverCommandLinks = false;
  /** Per document URI: VS Code answers `probeGuard.*` per resource, so each folder may differ. */
  private readonly settingsCache = new Map<string, Promise<ProbeGuardSettings>>();
  private readonly sessionEnvs = new Map<string, Record<string, string>>();

  constructor(private readonly connection: Connection) {
    this.log = {
      debug: (m) => connection.console.debug(m),
      info: (m) => connection.console.info(m),
      warn: (m) => connection.console.warn(m),
      error: (m) => connection.console.error(m),
    };
    this.pool = new WorkerPool(this.log);
    this.cluster = new ClusterLookup(this.log);
    this.analyzer = new DocumentAnalyzer({
      pool: this.pool,
      log: this.log,
      document: (uri) => {
        const document = this.configDocument(uri);
        return document
          ? { uri, version: document.version, format: configFormatForFileName(uriPathOrName(uri)), getText: () => document.getText() }
          : undefined;
      },
      environment: (uri) => this.environment(uri),
      lookUp: (environment, request, options) => this.lookUp(environment, request, options),
      publish: (state) => this.publish(state),
    });
    this.planner = new CodeActionPlanner({
      pool: this.pool,
      analyzer: this.analyzer,
      environment: (uri) => this.environment(uri),
      document: (uri) => this.configDocument(uri),
      capabilities: () => this.capabilities,
      log: this.log,
      // A notification, not window/showMessageRequest: nothing to answer, and every client shows it.
      showMessage: (message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message }),
    });
    this.sessions = new SessionChecker({
      pool: this.pool,
      analyzer: this.analyzer,
      cluster: this.cluster,
      log: this.log,
      environment: (uri) => this.environment(uri),
      openedSoon: (uri, token) => this.openedSoon(uri, token),
      lookUp: (environment, request, options) => this.lookUp(environment, request, options),
    });
    this.completer = new TargetCompleter({
      pool: this.pool,
      cluster: this.cluster,
      log: this.log,
      document: (uri) => this.configDocument(uri),
      environment: (uri) => this.environment(uri),
    });
    this.kubeconfigs = new KubeconfigFileWatcher(this.log, () => {
      void this.cluster.invalidate().then(() => this.analyzer.updateAll(this.openConfigUris(), { forgetLookups: true }));
    });
  }

  listen(): void {
    const connection = this.connection;
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => {
      if (this.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
        void connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
      }
      // The feature only exists when the client declared workspace folders (it throws otherwise).
      if (this.capabilities.workspace?.workspaceFolders) connection.workspace.onDidChangeWorkspaceFolders((event) => this.changeFolders(event));
    });
    connection.onDidChangeConfiguration((change) => {
      const pushed = (change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION];
      if (pushed !== undefined) this.pushedSettings = pushed;
      void this.reanalyseChangedSettings();
    });
    connection.onNotification(DID_CHANGE_TRUST, (params: DidChangeTrustParams) => this.setTrusted(params?.trusted === true));
    connection.onNotification(DID_CHANGE_SESSION_ENV, (params: DidChangeSessionEnvParams) => {
      if (!params || typeof params.uri !== 'string') return;
      if (params.env && typeof params.env === 'object') this.sessionEnvs.set(params.uri, stringEntries(params.env));
      else this.sessionEnvs.delete(params.uri);
      if (this.configDocument(params.uri)) this.analyzer.schedule(params.uri, { delayMs: 0 });
    });

    this.documents.onDidOpen(({ document }) => {
      if (isConfigUri(document.uri)) this.analyzer.schedule(document.uri, { delayMs: 0, revalidate: true });
    });
    this.documents.onDidChangeContent(({ document }) => {
      if (isConfigUri(document.uri)) this.analyzer.schedule(document.uri);
    });
    this.documents.onDidClose(({ document }) => {
      this.analyzer.forget(document.uri);
      this.planner.forget(document.uri);
      this.sessionEnvs.delete(document.uri);
      if (isConfigUri(document.uri)) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    });

    connection.onHover((params, token) => this.hover(params, token));
    connection.onCodeAction((params, token) => this.codeActions(params, token));
    connection.onCompletion((params, token) => this.completion(params, token));
    connection.onCodeActionResolve((action, token) => this.planner.resolve(action, token));
    connection.onRequest(PROBE_REPORT, (params: ProbeReportParams, token) => this.probeReport(params, token));
    connection.onRequest(REFRESH, async (_params: unknown, token) => {
      if (!this.trusted) return { refreshed: false };
      await this.cluster.invalidate();
      this.analyzer.updateAll(this.openConfigUris(), { refresh: true });
      await this.idle(token);
      return { refreshed: true };
    });
    connection.onRequest(LIST_CONTEXTS, (params: ListContextsParams) => this.listContexts(params));
    connection.onRequest(LAUNCH_VERDICT, (params: LaunchVerdictParams, token) => this.launchVerdict(params, token));
    connection.onRequest(NEW_CONFIG_CANDIDATES, (params: NewConfigCandidatesParams, token) =>
      this.withSignal(token, (signal) => newConfigCandidates(this.newConfigHost(), params, signal)),
    );
    connection.onRequest(NEW_CONFIG_TEXT, (params: NewConfigTextParams, token) =>
      this.withSignal(token, (signal) => newConfigText(this.newConfigHost(), params, signal)),
    );
    connection.onRequest(SESSION_CHECK, async (params: SessionCheckParams, token) => {
      const result = await this.sessions.check(params, token);
      if (result) return result;
      if (token.isCancellationRequested) return cancelled();
      throw new ResponseError(-32602, 'Open the mirrord config to check the session.');
    });
    connection.onRequest(TARGET_RESTARTS, (params: TargetRestartsParams, token) => this.sessions.restarts(params, token));
    connection.onRequest(WHEN_IDLE, async (_params: unknown, token) => {
      await this.idle(token);
      return {};
    });
    connection.onRequest(DOCUMENT_STATE, (params: DocumentStateParams): DocumentStateResult | null => {
      const state = typeof params?.textDocument?.uri === 'string' ? this.analyzer.latest(params.textDocument.uri) : undefined;
      return state ? { ...state, resolution: toTransferable(state.resolution) } : null;
    });
    connection.onRequest(SERVER_INFO, (): ServerInfoResult => ({ kubeModuleLoaded: this.cluster.loaded }));
    connection.onShutdown(() => this.dispose());

    this.documents.listen(connection);
    connection.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.capabilities = params.capabilities ?? {};
    const options = (params.initializationOptions ?? {}) as ProbeGuardInitializationOptions;
    configureLocalization(options.l10nBundle, this.log);
    this.trusted = options.workspaceTrusted === true;
    this.pushedSettings = options.settings;
    this.keyAssistFromClient = { yaml: options.yamlSchemaSupport === true };
    this.hoverCommandLinks = options.hoverCommandLinks === true;
    this.workspaceFolders = foldersAfterChange(
      [],
      (params.workspaceFolders ?? [])
        .map((f) => uriPath(f.uri))
        .concat(params.workspaceFolders ? [] : params.rootUri ? [uriPath(params.rootUri)] : [])
        .filter((p) => p !== ''),
      [],
    );
    this.log.info(`Probe Guard language server started (${this.trusted ? 'trusted workspace' : 'untrusted: static analysis only'}).`);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: TARGET_COMPLETION_TRIGGERS },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, 'source.fixAll.probeGuard'], resolveProvider: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'probe-guard-language-server', version: '0.1.0' },
    };
  }

  private setTrusted(trusted: boolean): void {
    if (!trusted || this.trusted) return;
    this.trusted = true;
    this.settingsCache.clear();
    this.log.info('Workspace trusted: looking up targets.');
    this.analyzer.updateAll(this.openConfigUris(), { forgetLookups: true });
  }

  /**
   * Settings changed somewhere (the notification says nothing about which folder): read each open
   * config's settings again and re-analyse only the configs whose values changed, so an edit of
   * one folder's settings leaves the other folders' configs (and their cluster lookups) alone.
   */
  private async reanalyseChangedSettings(): Promise<void> {
    const before = new Map(this.settingsCache);
    this.settingsCache.clear();
    const uris = this.openConfigUris();
    const changed: string[] = [];
    await Promise.all(
      uris.map(async (uri) => {
        const previous = before.get(uri);
        const next = await this.settingsFor(uri);
        if (!previous || settingsDiffer(await previous, next)) changed.push(uri);
      }),
    );
    this.log.info(`Settings changed: analysing ${changed.length} of ${uris.length} open configs again.`);
    if (changed.length > 0) this.analyzer.updateAll(changed);
  }

  /**
   * A folder added or removed at runtime: the configs whose folder changed (a config of a removed
   * folder now has none, one under an added folder gets it) read their settings again and are
   * re-analysed with their new folder's paths. Restricted Mode reads no paths from the new folder
   * either: readSettings drops them until the workspace is trusted.
   */
  private changeFolders(event: WorkspaceFoldersChangeEvent): void {
    const paths = (folders: { uri: string }[] | undefined) => (folders ?? []).map((f) => uriPath(f.uri)).filter((p) => p !== '');
    const previous = this.workspaceFolders;
    this.workspaceFolders = foldersAfterChange(previous, paths(event?.added), paths(event?.removed));
    const moved = this.openConfigUris().filter((uri) => folderOfPath(uriPath(uri), previous) !== folderOfPath(uriPath(uri), this.workspaceFolders));
    this.log.info(`Workspace folders changed (${this.workspaceFolders.length} now): analysing ${moved.length} open configs again.`);
    for (const uri of moved) this.settingsCache.delete(uri);
    if (moved.length > 0) this.analyzer.updateAll(moved, { forgetLookups: true });
  }

  private configDocument(uri: string): TextDocument | undefined {
    return isConfigUri(uri) ? this.documents.get(uri) : undefined;
  }

  private openConfigUris(): string[] {
    return this.documents.keys().filter(isConfigUri);
  }

  /** `probeGuard` settings for a document: `workspace/configuration`, else what the client pushed. */
  private settingsFor(uri: string): Promise<ProbeGuardSettings> {
    let cached = this.settingsCache.get(uri);
    if (!cached) {
      const trusted = this.trusted;
      const read = async (): Promise<ProbeGuardSettings> => {
        let section: unknown = this.pushedSettings;
        if (this.capabilities.workspace?.configuration) {
          try {
            section = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION });
          } catch (error) {
            this.log.warn(`Cannot read the ${SETTINGS_SECTION} settings: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
        const settings = readSettings(sectionReader(section), trusted);
        for (const problem of settings.problems) this.log.warn(problem);
        return settings;
      };
      cached = read();
      this.settingsCache.set(uri, cached);
    }
    return cached;
  }

  private async environment(uri: string): Promise<DocumentEnvironment> {
    const read = await this.settingsFor(uri);
    const filePath = uriPath(uri);
    // A folder URI (launch verdicts, the context picker) is its own folder.
    const folder = folderOfPath(filePath, this.workspaceFolders) ?? (filePath ? this.workspaceFolders.find((f) => f === normalizeFolder(filePath)) : undefined);
    const configDir = filePath && folder !== filePath ? path.dirname(filePath) : (folder ?? process.cwd());
    const baseDir = folder ?? configDir;
    // probeGuard.kubeconfig is a setting of the folder: relative to it, like probeGuard.manifests.
    const settings = read.kubeconfig ? { ...read, kubeconfig: kubeconfigRelativeTo(read.kubeconfig, baseDir) } : read;
    return {
      settings,
      trusted: this.trusted,
      place: { configDir, baseDir, env: process.env },
      sessionEnv: this.sessionEnvs.get(uri) ?? {},
    };
  }

  /** One lookup by the service layer's policy, with work-done progress when it is slow. */
  private async lookUp(environment: DocumentEnvironment, request: LookupRequest, options: { signal: AbortSignal; refresh: boolean }): Promise<LookupOutcome> {
    // Untrusted, the analyzer never asks; this guards the policy once more.
    if (!environment.trusted) return { status: { kind: 'restricted' }, namespace: request.namespace ?? 'default', notes: [] };
    const progress = this.slowProgress(l10n.t('Looking up {0}', describeRef(request)));
    try {
      const outcome = await lookUpTarget(this.cluster, environment.place, request, environment.settings, {
        ...options,
        log: this.log,
        resolveManifests: manifestReaders(this.pool, 'analysis', options.signal).resolveManifests,
      });
      for (const note of outcome.notes) this.log.debug(note);
      void this.watchKubeconfigs(environment, request, outcome);
      return outcome;
    } finally {
      progress.done();
    }
  }

  private slowProgress(message: string): { done(): void } {
    if (!this.capabilities.window?.workDoneProgress) return { done() {} };
    let finished = false;
    let reporter: { done(): void } | undefined;
    const timer = setTimeout(() => {
      void this.connection.window.createWorkDoneProgress().then(
        (created) => {
          if (finished) return created.done();
          created.begin('Probe Guard', undefined, message, true);
          reporter = created;
        },
        () => undefined,
      );
    }, PROGRESS_DELAY_MS);
    return {
      done: () => {
        finished = true;
        clearTimeout(timer);
        reporter?.done();
      },
    };
  }

  private async watchKubeconfigs(environment: DocumentEnvironment, request: LookupRequest, outcome: LookupOutcome): Promise<void> {
    if (!environment.trusted || (outcome.status.kind === 'resolved' && outcome.status.source === 'manifests' && !outcome.status.clusterFailure)) return;
    try {
      this.kubeconfigs.watch(await this.cluster.watchedFiles(clusterSettingsFor(environment.place, environment.settings, true), request.kubeconfig));
    } catch (error) {
      this.log.debug(`Cannot watch kubeconfig files: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private publish(state: ServerState): void {
    const document = this.configDocument(state.uri);
    if (!document || document.version !== state.version) return;
    // Status first: a client that sees the new diagnostics has already seen the status they belong to.
    void this.connection.sendNotification(STATUS_NOTIFICATION, statusParams(state, this.analyzer.lookupRunning(state.uri)));
    void this.connection.sendDiagnostics({ uri: state.uri, version: state.version, diagnostics: toDiagnostics(document, state) });
  }

  private async hover(params: HoverParams, token: CancellationToken): Promise<Hover | null> {
    const document = this.configDocument(params.textDocument.uri);
    if (!document) return null;
    const state = this.analyzer.latest(document.uri);
    const environment = await this.environment(document.uri);
    const probes = await hoverFor(document, params.position, state, {
      livePods: (current) => this.livePods(environment, current, token),
      cancelled: () => token.isCancellationRequested,
    });
    const key = keyHover(document, params.position, this.keyAssistFromClient);
    // A key inside the `incoming` or `target` value (`mode`, `http_filter`) is the more specific answer.
    if (!probes || (key && insideOf(key.range, probes.range))) return key;
    // Refresh and the log belong to the probe hover (a lookup's answer), not to a key's description.
    return this.hoverCommandLinks ? withCommandLinks(probes) : probes;
  }

  /** Target values (targetCompletion.ts) where the cursor is in one, else key names (keyCompletion.ts): the two never overlap. */
  private async completion(params: CompletionParams, token: CancellationToken): Promise<CompletionList | CompletionItem[] | ResponseError<void>> {
    const target = await this.completer.complete(params, token);
    if (target) return target;
    const document = this.configDocument(params.textDocument.uri);
    return document ? keyCompletionItems(document, params.position, this.keyAssistFromClient) : [];
  }

  private async livePods(environment: DocumentEnvironment, state: ServerState, token: CancellationToken) {
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    try {
      return await livePodsForState(this.cluster, environment.place, state, environment.settings, {
        trusted: environment.trusted,
        log: this.log,
        signal: controller.signal,
      });
    } finally {
      cancellation.dispose();
    }
  }

  private async codeActions(params: CodeActionParams, token: CancellationToken): Promise<CodeAction[] | ResponseError<void>> {
    try {
      return await this.planner.list(params, token);
    } catch (error) {
      if (error instanceof JobDropped || token.isCancellationRequested) return cancelled();
      throw error;
    }
  }

  private async probeReport(params: ProbeReportParams, token: CancellationToken): Promise<ProbeReportResult | ResponseError<void>> {
    const uri = params?.textDocument?.uri;
    // A client may send the request right after opening the document: give its didOpen a moment.
    const document = typeof uri === 'string' ? await this.openedSoon(uri, token) : undefined;
    if (!document) throw new ResponseError(-32602, l10n.t('Open a mirrord config to see its probe report.'));
    const wait = async () => {
      await this.analyzer.whenAnalysed(document.uri, document.version);
      await this.analyzer.whenIdle();
      return this.analyzer.whenAnalysed(document.uri, document.version);
    };
    const state = await untilCancelled(wait(), token);
    if (!state) return cancelled();
    const environment = await this.environment(document.uri);
    const livePods = await this.livePods(environment, state, token);
    if (token.isCancellationRequested) return cancelled();
    return { markdown: targetReportMarkdown(state, { heading: this.relativePath(document.uri), livePods }) };
  }

  /** The open config `uri`, waiting up to two seconds for it to be opened. */
  private async openedSoon(uri: string, token: CancellationToken): Promise<TextDocument | undefined> {
    if (!isConfigUri(uri)) return undefined;
    const deadline = Date.now() + 2000;
    while (!this.configDocument(uri) && Date.now() < deadline && !token.isCancellationRequested) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.configDocument(uri);
  }

  private launchVerdict(params: LaunchVerdictParams, token: CancellationToken): Promise<LaunchVerdictResult | ResponseError<void>> {
    return this.withSignal(token, (signal) =>
      launchVerdictFor(
        {
          pool: this.pool,
          trusted: () => this.trusted,
          workspaceFolders: () => this.workspaceFolders,
          openText: (uri) => this.documents.get(uri)?.getText(),
          environment: (uri) => this.environment(uri),
          lookUp: (environment, request, options) => this.lookUp(environment, request, options),
        },
        params,
        signal,
      ),
    );
  }

  private newConfigHost(): NewConfigHost {
    return {
      pool: this.pool,
      cluster: this.cluster,
      log: this.log,
      environment: (uri) => this.environment(uri),
      defaultFolderUri: () => this.firstFolderUri(),
    };
  }

  /** The first workspace folder's URI: the folder of a request that names none. */
  private firstFolderUri(): string | undefined {
    return this.workspaceFolders[0] ? pathToFileURL(this.workspaceFolders[0]).href : undefined;
  }

  /** A request's work with an AbortSignal for its cancellation; cancelled or a dropped job: RequestCancelled. */
  private async withSignal<T>(token: CancellationToken, work: (signal: AbortSignal) => Promise<T>): Promise<T | ResponseError<void>> {
    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    try {
      const result = await work(controller.signal);
      return token.isCancellationRequested ? cancelled() : result;
    } catch (error) {
      if (error instanceof JobDropped || token.isCancellationRequested) return cancelled();
      throw error;
    } finally {
      cancellation.dispose();
    }
  }

  private async listContexts(params: ListContextsParams): Promise<ListContextsResult> {
    if (!this.trusted) return { contexts: [], error: l10n.t('Kubernetes contexts are not read in an untrusted workspace.') };
    // The document's folder, else the folder the client names (its settings), else the first one.
    const folderUri = typeof params?.folderUri === 'string' ? params.folderUri : undefined;
    const uri = params?.textDocument?.uri ?? folderUri ?? this.firstFolderUri();
    const environment = uri ? await this.environment(uri) : undefined;
    const settings = environment?.settings ?? readSettings(sectionReader(this.pushedSettings), true);
    const place = environment?.place ?? { configDir: process.cwd(), baseDir: process.cwd(), env: process.env };
    const kubeconfig = uri ? this.analyzer.latest(uri)?.analysis.lookup?.kubeconfig : undefined;
    try {
      return { contexts: await this.cluster.listContexts(clusterSettingsFor(place, settings, true), kubeconfig) };
    } catch (error) {
      return { contexts: [], error: error instanceof Error ? error.message : String(error) };
    }
  }

  private async idle(token: CancellationToken): Promise<void> {
    await untilCancelled(this.analyzer.whenIdle(), token);
  }

  private relativePath(uri: string): string {
    const filePath = uriPath(uri);
    const folder = folderOfPath(filePath, this.workspaceFolders);
    return folder ? path.relative(folder, filePath).split(path.sep).join('/') : path.basename(filePath) || uri;
  }

  private dispose(): void {
    this.analyzer.dispose();
    this.pool.dispose();
    this.kubeconfigs.dispose();
  }
}

function isConfigUri(uri: string): boolean {
  return isMirrordConfigPath(uriPathOrName(uri));
}

function insideOf(inner: Range | undefined, outer: Range | undefined): boolean {
  if (!inner || !outer) return false;
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(outer.start, inner.start) && before(inner.end, outer.end) && !(before(inner.start, outer.start) && before(outer.end, inner.end));
}

function stringEntries(env: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, l10n.t('Request cancelled'));
}

/** The promise's value, or undefined as soon as the request is cancelled. */
function untilCancelled<T>(promise: Promise<T>, token: CancellationToken): Promise<T | undefined> {
  if (token.isCancellationRequested) return Promise.resolve(undefined);
  return new Promise<T | undefined>((resolve, reject) => {
    const cancellation = token.onCancellationRequested(() => {
      cancellation.dispose();
      resolve(undefined);
    });
    promise.then(
      (value) => {
        cancellation.dispose();
        resolve(value);
      },
      (error: unknown) => {
        cancellation.dispose();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function withCommandLinks(hover: Hover): Hover {
  const contents = hover.contents;
  if (typeof contents !== 'object' || Array.isArray(contents) || !('kind' in contents)) return hover;
  const links = `[${l10n.t('Refresh')}](command:probeGuard.refreshTarget) · [${l10n.t('Show log')}](command:probeGuard.showLog)`;
  return { ...hover, contents: { kind: contents.kind, value: `${contents.value}\n\n${links}` } };
}
