/**
 * Writes kubeconfig files for the fake API server into temp dirs: token, token file, client
 * certificate, CA as data or file, plain HTTP with insecure-skip-tls-verify, an exec plugin that is
 * a node script, and garbage. Tests combine them to check precedence and merging.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { FakeKubeApi } from './kubeApiServer';

export interface ContextEntry {
  name: string;
  /** Cluster fields as in a kubeconfig (`server`, `certificate-authority-data`, ...). */
  cluster: Record<string, unknown>;
  clusterName?: string;
  /** User fields as in a kubeconfig (`token`, `client-certificate`, `exec`, ...). */
  user: Record<string, unknown>;
  userName?: string;
  namespace?: string;
}

export function tempDir(prefix = 'probe-guard-kube-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A kubeconfig document; `currentContext: null` leaves `current-context` out. */
export function kubeconfigDoc(entries: ContextEntry[], currentContext: string | null = entries[0]?.name ?? null): object {
  const doc: Record<string, unknown> = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: entries.map((e) => ({ name: e.clusterName ?? `${e.name}-cluster`, cluster: e.cluster })),
    users: entries.map((e) => ({ name: e.userName ?? `${e.name}-user`, user: e.user })),
    contexts: entries.map((e) => ({
      name: e.name,
      context: { cluster: e.clusterName ?? `${e.name}-cluster`, user: e.userName ?? `${e.name}-user`, ...(e.namespace ? { namespace: e.namespace } : {}) },
    })),
  };
  if (currentContext !== null) doc['current-context'] = currentContext;
  return doc;
}

export function writeKubeconfig(dir: string, fileName: string, doc: object): string {
  const file = join(dir, fileName);
  writeFileSync(file, stringify(doc));
  return file;
}

export type CaMode = 'data' | 'file' | 'none';

/** The cluster entry for the server: CA as base64 data, as a file path, or missing. */
export function clusterFor(api: FakeKubeApi, ca: CaMode = 'data'): Record<string, unknown> {
  if (api.url.startsWith('http:')) return { server: api.url, 'insecure-skip-tls-verify': true };
  if (ca === 'data') return { server: api.url, 'certificate-authority-data': Buffer.from(api.caPem).toString('base64') };
  if (ca === 'file') return { server: api.url, 'certificate-authority': api.caFile };
  return { server: api.url };
}

export function tokenUser(api: FakeKubeApi, token = api.tokenUser.token): Record<string, unknown> {
  return { token };
}

/** A user whose token lives in a file next to the kubeconfig (relative path, as kubectl allows). */
export function tokenFileUser(api: FakeKubeApi, dir: string): Record<string, unknown> {
  writeFileSync(join(dir, 'token.txt'), `${api.tokenUser.token}\n`);
  return { tokenFile: 'token.txt' };
}

export function certUser(api: FakeKubeApi, asData = false): Record<string, unknown> {
  return asData
    ? {
        'client-certificate-data': Buffer.from(api.certUser.certPem).toString('base64'),
        'client-key-data': Buffer.from(api.certUser.keyPem).toString('base64'),
      }
    : { 'client-certificate': api.certUser.certFile, 'client-key': api.certUser.keyFile };
}

/**
 * An exec plugin: a node script printing an ExecCredential with the token (or failing with a
 * message on stderr that mentions a secret, to test scrubbing). Writes a marker file when run, so
 * tests can tell whether it ran.
 */
export function execUser(api: FakeKubeApi, dir: string, options: { fail?: boolean; marker?: string } = {}): Record<string, unknown> {
  const script = join(dir, options.fail ? 'failing-plugin.js' : 'token-plugin.js');
  const marker = options.marker ?? join(dir, 'plugin-ran');
  const body = options.fail
    ? `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nprocess.stderr.write('plugin login failed: session expired for secret ' + process.env.PLUGIN_SECRET + '\\n');\nprocess.exit(3);\n`
    : `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nprocess.stdout.write(JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: {token: ${JSON.stringify(api.tokenUser.token)}}}));\n`;
  writeFileSync(script, body);
  return {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: process.execPath,
      args: [script],
      env: [{ name: 'PLUGIN_SECRET', value: 'plugin-env-secret-value-42' }],
      interactiveMode: 'Never',
    },
  };
}

/** One-context kubeconfig for the server, written to `dir/fileName`. */
export function writeSimpleKubeconfig(
  api: FakeKubeApi,
  dir: string,
  options: { fileName?: string; context?: string; namespace?: string; user?: Record<string, unknown>; ca?: CaMode } = {},
): string {
  const entry: ContextEntry = {
    name: options.context ?? 'test',
    cluster: clusterFor(api, options.ca),
    user: options.user ?? tokenUser(api),
    namespace: options.namespace,
  };
  return writeKubeconfig(dir, options.fileName ?? 'config', kubeconfigDoc([entry]));
}

export function writeGarbageKubeconfig(dir: string, fileName = 'garbage'): string {
  const file = join(dir, fileName);
  writeFileSync(file, 'clusters: [ {name: x, cluster: {server: \n  - : : ] not yaml {{{\n\t\u0000');
  return file;
}
