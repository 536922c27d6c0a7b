/**
 * The preamble of the protocol tests that run the language server against the project's test API
 * server: one API server per file, a temporary root, a workspace folder per test with a HOME of
 * its own and a kubeconfig pointing at that server, and the clients a test started (stopped after
 * each test).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { KubeObject } from '../../src/core/types';
import { startKubeApiServer, type FakeKubeApi, type StartKubeApiServerOptions } from '../support/kubeApiServer';
import { writeSimpleKubeconfig } from '../support/kubeconfigs';
import { LspTestClient, type StartOptions } from './lspTestClient';

/** A folder of a test workspace: URIs of its files, and files written into it. */
export interface WorkspaceFolderFiles {
  dir: string;
  uri(relative: string): string;
  /** Writes a file under the folder (its parents created); returns its path. */
  write(relative: string, text: string): string;
}

export interface KubeWorkspace extends WorkspaceFolderFiles {
  env: NodeJS.ProcessEnv;
}

/** `dir` (made if missing) as a workspace folder of a test. */
export function folderFiles(dir: string): WorkspaceFolderFiles {
  fs.mkdirSync(dir, { recursive: true });
  return {
    dir,
    uri: (relative) => pathToFileURL(path.join(dir, relative)).href,
    write: (relative, text) => {
      const file = path.join(dir, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    },
  };
}

export class KubeProtocolFixture {
  private clients: LspTestClient[] = [];

  private constructor(
    readonly api: FakeKubeApi,
    readonly root: string,
  ) {}

  static async start(prefix: string, objects: KubeObject[], options: Omit<StartKubeApiServerOptions, 'objects'> = {}): Promise<KubeProtocolFixture> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), `probe-guard-${prefix}-`));
    return new KubeProtocolFixture(await startKubeApiServer({ ...options, objects }), root);
  }

  /** A workspace folder whose kubeconfig's context has `namespace` as its namespace. */
  workspace(name: string, namespace: string): KubeWorkspace {
    const dir = fs.mkdtempSync(path.join(this.root, `${name}-`));
    const home = path.join(dir, 'home');
    fs.mkdirSync(home);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, KUBECONFIG: writeSimpleKubeconfig(this.api, home, { namespace }) };
    return { ...folderFiles(dir), env };
  }

  /** A language server for the folder (trusted unless said otherwise), stopped by `stopClients`. */
  async client(ws: KubeWorkspace, options: Partial<StartOptions> = {}): Promise<LspTestClient> {
    const client = await LspTestClient.start({ workspaceFolder: ws.dir, trusted: true, env: ws.env, ...options });
    this.clients.push(client);
    return client;
  }

  async stopClients(): Promise<void> {
    await Promise.all(this.clients.map((c) => c.stop()));
    this.clients = [];
  }

  async close(): Promise<void> {
    await this.stopClients();
    await this.api.close();
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
