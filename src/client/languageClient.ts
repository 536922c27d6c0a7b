/**
 * The language client (bundled as dist/languageClient.js, loaded when the first mirrord config is
 * opened or a command runs, never at activation): starts dist/server.js over IPC, syncs the mirrord
 * configs, shows the server's diagnostics, code actions and hover through VS Code's own features,
 * and gives the rest of the extension typed requests to the server.
 */
import * as vscode from 'vscode';
import { CodeActionRequest, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { MIRRORD_CONFIG_GLOBS } from '../service/configFiles';
import { DID_CHANGE_TRUST, STATUS, type ProbeGuardInitializationOptions, type StatusParams } from '../service/lspProtocol';
import { SETTINGS_SECTION } from '../service/settings';

/** Red Hat's YAML extension: with it, YAML key completion and hover come from the schema. */
const RED_HAT_YAML = 'redhat.vscode-yaml';

export interface ProbeGuardClient {
  request<R>(method: string, params: unknown, token?: vscode.CancellationToken): Promise<R>;
  notify(method: string, params: unknown): Promise<void>;
  /** VS Code's code action provider of the client (the tests list and resolve through it). */
  codeActions(document: vscode.TextDocument): {
    list(range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]>;
    resolve(action: vscode.CodeAction): Promise<vscode.CodeAction>;
  };
  stop(): Promise<void>;
}

export interface ClientOptions {
  context: vscode.ExtensionContext;
  output: vscode.LogOutputChannel;
  onStatus(params: StatusParams): void;
}

/** Commands the hover's links may run (the links only work when the hover is trusted for them). */
const HOVER_COMMANDS = ['probeGuard.refreshTarget', 'probeGuard.showLog'];

export async function startProbeGuardClient(options: ClientOptions): Promise<ProbeGuardClient> {
  const serverModule = options.context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  // The server's texts in the display language: the bundle's contents (undefined in English).
  const initializationOptions: ProbeGuardInitializationOptions = {
    workspaceTrusted: vscode.workspace.isTrusted,
    l10nBundle: vscode.l10n.bundle,
    // Red Hat's YAML extension reads our yamlValidation schema and offers the keys itself (enabled
    // extensions only: getExtension is undefined for a disabled one). Read at server start.
    yamlSchemaSupport: vscode.extensions.getExtension(RED_HAT_YAML) !== undefined,
    hoverCommandLinks: true,
  };
  const clientOptions: LanguageClientOptions = {
    // By pattern, not language id: `.toml` may have no language installed and `.json` configs may
    // be opened as jsonc; any scheme, so unsaved and remote configs are analysed too.
    documentSelector: MIRRORD_CONFIG_GLOBS.map((pattern) => ({ pattern })),
    diagnosticCollectionName: 'probeGuard',
    outputChannel: options.output,
    initializationOptions,
    synchronize: { configurationSection: SETTINGS_SECTION },
    middleware: {
      provideHover: async (document, position, token, next) => {
        const hover = await next(document, position, token);
        if (!hover) return hover;
        // The probe hover ends with links to our commands (hoverCommandLinks); only those may run.
        const contents = hover.contents.map((c) => {
          const markdown = new vscode.MarkdownString(typeof c === 'string' ? c : 'value' in c ? c.value : '');
          markdown.isTrusted = { enabledCommands: HOVER_COMMANDS };
          return markdown;
        });
        return new vscode.Hover(contents, hover.range);
      },
    },
  };
  const client = new LanguageClient('probeGuard', 'Probe Guard', serverOptions, clientOptions);
  client.onNotification(STATUS, (params: StatusParams) => options.onStatus(params));
  await client.start();
  const trust = vscode.workspace.onDidGrantWorkspaceTrust(() => void client.sendNotification(DID_CHANGE_TRUST, { trusted: true }));
  options.context.subscriptions.push(trust);
  return {
    request: <R>(method: string, params: unknown, token?: vscode.CancellationToken) =>
      token ? client.sendRequest<R>(method, params, token) : client.sendRequest<R>(method, params),
    notify: (method, params) => client.sendNotification(method, params),
    codeActions: (document) => {
      const provider = client.getFeature(CodeActionRequest.method).getProvider(document);
      const none = new vscode.CancellationTokenSource().token;
      return {
        list: async (range, context) =>
          ((await provider?.provideCodeActions(document, range, context, none)) ?? []).filter((a): a is vscode.CodeAction => a instanceof vscode.CodeAction),
        resolve: async (action) => (await provider?.resolveCodeAction?.(action, none)) ?? action,
      };
    },
    stop: async () => {
      trust.dispose();
      await client.stop();
    },
  };
}
