/**
 * A language client for the protocol tests: starts `bin/probe-guard-language-server.js --stdio`
 * (the bundle users run) and talks LSP to it with vscode-languageserver-protocol, as an editor
 * would, recording what the server sends (diagnostics, status, progress, messages, log).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type CancellationTokenSource,
  CodeActionRequest,
  CodeActionResolveRequest,
  CompletionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidChangeWorkspaceFoldersNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionContext,
  type CompletionItem,
  type CompletionList,
  type Hover,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER = path.join(ROOT, 'bin', 'probe-guard-language-server.js');

export interface StartOptions {
  workspaceFolder: string;
  /** More workspace folders after `workspaceFolder` (a multi-root workspace). */
  moreFolders?: string[];
  trusted?: boolean;
  /** What `workspace/configuration` answers for section probeGuard. */
  settings?: Record<string, unknown>;
  /** Per-resource answers (VS Code's folder settings): the section for a `scopeUri`; `settings` when it returns undefined. */
  settingsFor?: (scopeUri: string | undefined) => Record<string, unknown> | undefined;
  env?: NodeJS.ProcessEnv;
  capabilities?: ClientCapabilities;
  /** Send no initializationOptions at all (another editor's plain client). */
  plainClient?: boolean;
  /** The server's launcher; default this checkout's bin/probe-guard-language-server.js (the npm package test passes the installed one). */
  serverPath?: string;
  /** More initializationOptions besides workspaceTrusted (an l10n bundle). */
  initializationOptions?: Record<string, unknown>;
}

export const VSCODE_LIKE_CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceEdit: { documentChanges: true } },
  window: { workDoneProgress: true },
  textDocument: {
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, versionSupport: true },
    codeAction: { resolveSupport: { properties: ['edit'] }, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
  },
};

export class LspTestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly statuses: { uri: string; version: number; lookup: string; lookupText: string; clusterText: string; busy: boolean }[] = [];
  readonly progress: { token: unknown; value: { kind: string; title?: string; message?: string } }[] = [];
  readonly progressCreated: unknown[] = [];
  readonly messages: string[] = [];
  readonly logs: string[] = [];
  readonly configurationRequests: unknown[] = [];
  settings: Record<string, unknown>;
  settingsFor: StartOptions['settingsFor'];
  private readonly versions = new Map<string, number>();
  private readonly waiters: (() => void)[] = [];
  stderr = '';

  private constructor(
    readonly connection: ProtocolConnection,
    readonly child: ChildProcess,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
  }

  static async start(options: StartOptions): Promise<LspTestClient> {
    const child = spawn(process.execPath, [options.serverPath ?? SERVER, '--stdio'], {
      cwd: options.workspaceFolder,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(connection, child, options.settings ?? {});
    client.settingsFor = options.settingsFor;
    child.stderr!.on('data', (chunk: Buffer) => (client.stderr += chunk.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      client.diagnostics.set(params.uri, params);
      client.notify();
    });
    connection.onNotification('probeGuard/status', (params: LspTestClient['statuses'][number]) => {
      client.statuses.push(params);
      client.notify();
    });
    connection.onNotification(ShowMessageNotification.type, (params) => {
      client.messages.push(params.message);
      client.notify();
    });
    connection.onNotification(LogMessageNotification.type, (params) => {
      client.logs.push(params.message);
    });
    connection.onRequest(ConfigurationRequest.type, (params) => {
      client.configurationRequests.push(params);
      return params.items.map((item) => (item.section === 'probeGuard' ? (client.settingsFor?.(item.scopeUri) ?? client.settings) : null));
    });
    connection.onRequest(RegistrationRequest.type, () => undefined);
    // Server-initiated work-done progress: a token is created, then $/progress reports on it.
    connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
      client.progressCreated.push(params.token);
      connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
        client.progress.push({ token: params.token, value });
        client.notify();
      });
    });
    connection.listen();
    const folderUri = pathToFileURL(options.workspaceFolder).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folderUri,
      workspaceFolders: [options.workspaceFolder, ...(options.moreFolders ?? [])].map((folder) => ({
        uri: pathToFileURL(folder).href,
        name: path.basename(folder),
      })),
      capabilities: options.capabilities ?? VSCODE_LIKE_CAPABILITIES,
      initializationOptions: options.plainClient ? undefined : { workspaceTrusted: options.trusted === true, ...options.initializationOptions },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private notify(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Waits until `condition` holds, re-checked on every message from the server (and every 50 ms). */
  async waitFor<T>(what: string, condition: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = condition();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Diagnostics of the document's current version (the server sends the version it analysed). */
  async diagnosticsOf(uri: string, predicate: (d: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`diagnostics for ${uri}`, () => {
      const published = this.diagnostics.get(uri);
      return published && published.version === this.versions.get(uri) && predicate(published) ? published : undefined;
    });
  }

  /** The last status of the document's current version matching `predicate`. */
  async statusOf(uri: string, predicate: (s: LspTestClient['statuses'][number]) => boolean) {
    return this.waitFor(`status for ${uri}`, () =>
      [...this.statuses].reverse().find((s) => s.uri === uri && s.version === this.versions.get(uri) && predicate(s)),
    );
  }

  async open(uri: string, text: string, languageId = 'json'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  version(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { probeGuard: settings } });
  }

  /** Settings changed (VS Code sends no values with it since it pulls): the server asks again per document. */
  async changedSettings(): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  async changeFolders(added: string[], removed: string[]): Promise<void> {
    const folders = (list: string[]) => list.map((folder) => ({ uri: pathToFileURL(folder).href, name: path.basename(folder) }));
    await this.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, { event: { added: folders(added), removed: folders(removed) } });
  }

  hover(uri: string, position: { line: number; character: number }): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
  }

  completion(uri: string, position: { line: number; character: number }): Promise<CompletionItem[] | CompletionList | null> {
    return this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position });
  }

  codeActions(uri: string, range: Range, context: CodeActionContext): Promise<(CodeAction | { command: string })[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context }) as Promise<
      (CodeAction | { command: string })[] | null
    >;
  }

  resolve(action: CodeAction): Promise<CodeAction> {
    return this.connection.sendRequest(CodeActionResolveRequest.type, action);
  }

  request<R>(method: string, params: unknown, token?: CancellationTokenSource): Promise<R> {
    // An `undefined` token would be sent as a second positional parameter.
    return (token ? this.connection.sendRequest(method, params, token.token) : this.connection.sendRequest(method, params)) as Promise<R>;
  }

  notifyServer(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest(ShutdownRequest.type), new Promise((resolve) => setTimeout(resolve, 5000))]);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // Already gone (a crash test): the exit below still applies.
    }
    await Promise.race([new Promise((resolve) => this.child.once('exit', resolve)), new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    this.connection.dispose();
  }
}

/** Applies LSP text edits (of one document) to a text. */
export function applyLspEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let result = text;
  for (const edit of sorted) result = result.slice(0, offset(edit.range.start)) + edit.newText + result.slice(offset(edit.range.end));
  return result;
}
