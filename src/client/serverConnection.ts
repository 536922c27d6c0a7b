import * as vscode from 'vscode';
import { loadBundleOrSource } from '../runtime/lazyBundle';
import type { StatusParams } from '../service/lspProtocol';
import type * as ClientExports from './languageClient';
import type { ProbeGuardClient } from './languageClient';

type ClientModule = typeof ClientExports;

/**
 * The extension's handle on the language server, started on first need: the first mirrord config
 * opened, or a command. Activation loads neither vscode-languageclient nor the server.
 */
export class ServerConnection implements vscode.Disposable {
  private starting: Promise<ProbeGuardClient> | undefined;
  private readonly statusEmitter = new vscode.EventEmitter<StatusParams>();
  readonly onStatus = this.statusEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  get started(): boolean {
    return this.starting !== undefined;
  }

  /** The running client, starting it on the first call. */
  client(): Promise<ProbeGuardClient> {
    this.starting ??= (async () => {
      const module = loadBundleOrSource<ClientModule>(__dirname, 'languageClient.js', 'languageClient');
      this.output.info('Starting the Probe Guard language server.');
      return module.startProbeGuardClient({ context: this.context, output: this.output, onStatus: (params) => this.statusEmitter.fire(params) });
    })();
    this.starting.catch((error: unknown) => {
      this.output.error(`The language server could not start: ${error instanceof Error ? error.message : String(error)}`);
      this.starting = undefined;
    });
    return this.starting;
  }

  /** The client when it is running; undefined (without starting it) otherwise. */
  async ifStarted(): Promise<ProbeGuardClient | undefined> {
    return this.starting ? this.starting.catch(() => undefined) : undefined;
  }

  dispose(): void {
    this.statusEmitter.dispose();
    void this.ifStarted().then((client) => client?.stop());
  }
}
