/**
 * Multi-root workspaces over stdio: two workspace folders whose `probeGuard.*` settings differ
 * (answered per `scopeUri`, as VS Code answers folder settings), folders added and removed at
 * runtime (workspace/didChangeWorkspaceFolders), and a settings change that touches one folder.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { startKubeApiServer, type FakeKubeApi } from '../support/kubeApiServer';
import { writeSimpleKubeconfig } from '../support/kubeconfigs';
import { shopObjects } from '../support/kubeFixtures';
import { folderFiles, type WorkspaceFolderFiles } from './kubeWorkspaces';
import { LspTestClient, VSCODE_LIKE_CAPABILITIES } from './lspTestClient';

/** Steal on deployment/api with a port mapped twice (refused by mirrord from 3.218.0 on). */
const CONFIG =
  JSON.stringify(
    {
      target: { path: 'deployment/api', namespace: 'shop' },
      feature: {
        network: {
          incoming: {
            mode: 'steal',
            port_mapping: [
              [8080, 8080],
              [8080, 8081],
            ],
          },
        },
      },
    },
    null,
    2,
  ) + '\n';
/** The same target without a namespace: the kubeconfig's context decides it. */
const NO_NAMESPACE = JSON.stringify({ target: 'deployment/api', feature: { network: { incoming: 'steal' } } }, null, 2) + '\n';

const MULTI_ROOT_CAPABILITIES = { ...VSCODE_LIKE_CAPABILITIES, workspace: { ...VSCODE_LIKE_CAPABILITIES.workspace, workspaceFolders: true } };

function apiDeployment(): string {
  const probe = { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 };
  return (
    JSON.stringify(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api', namespace: 'shop' },
        spec: {
          selector: { matchLabels: { app: 'api' } },
          template: {
            metadata: { labels: { app: 'api' } },
            spec: { containers: [{ name: 'api', image: 'x', ports: [{ containerPort: 8080 }], livenessProbe: probe }] },
          },
        },
      },
      null,
      2,
    ) + '\n'
  );
}

let api: FakeKubeApi;
let root = '';
let clients: LspTestClient[] = [];

type Folder = WorkspaceFolderFiles;

function folder(parent: string, name: string): Folder {
  return folderFiles(path.join(parent, name));
}

/** A workspace of folders `a` and `b` (and `c`, not yet in it), a HOME whose kubeconfig puts lookups in namespace `nowhere`. */
function workspace(name: string) {
  const dir = fs.mkdtempSync(path.join(root, `${name}-`));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, KUBECONFIG: writeSimpleKubeconfig(api, home, { namespace: 'nowhere' }) };
  return { dir, env, a: folder(dir, 'a'), b: folder(dir, 'b'), c: folder(dir, 'c') };
}

/**
 * Answers workspace/configuration as VS Code does: the section of the scopeUri's folder while that
 * folder is in the workspace (`inWorkspace`, all of `sections` when absent), `{}` otherwise.
 */
function perFolder(sections: Record<string, Record<string, unknown>>, inWorkspace?: Set<string>): (scopeUri: string | undefined) => Record<string, unknown> {
  return (scopeUri) => {
    const file = scopeUri ? decodeURIComponent(new URL(scopeUri).pathname) : '';
    const owner = Object.keys(sections).find((dir) => (!inWorkspace || inWorkspace.has(dir)) && (file === dir || file.startsWith(dir + path.sep)));
    return owner ? sections[owner] : {};
  };
}

async function start(
  ws: ReturnType<typeof workspace>,
  folders: Folder[],
  settingsFor: (scopeUri: string | undefined) => Record<string, unknown>,
  trusted = true,
) {
  const client = await LspTestClient.start({
    workspaceFolder: folders[0].dir,
    moreFolders: folders.slice(1).map((f) => f.dir),
    trusted,
    env: ws.env,
    capabilities: MULTI_ROOT_CAPABILITIES,
    settingsFor,
  });
  clients.push(client);
  return client;
}

const find = (published: PublishDiagnosticsParams | undefined, code: string): Diagnostic | undefined => published?.diagnostics.find((d) => d.code === code);

before(async () => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-multiroot-')));
  api = await startKubeApiServer({ objects: shopObjects() });
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  clients = [];
});
after(async () => {
  await api.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('language server: multi-root workspaces', () => {
  test("each folder's config is judged with that folder's manifests, severity and mirrordVersion, its paths relative to that folder", async () => {
    const ws = workspace('settings');
    const manifestA = ws.a.write('k8s/api.json', apiDeployment());
    const manifestB = ws.b.write('deploy/api.json', apiDeployment());
    const sections = {
      [ws.a.dir]: { clusterLookup: { enabled: false }, manifests: ['k8s'] },
      [ws.b.dir]: { clusterLookup: { enabled: false }, manifests: ['deploy'], severity: { 'liveness-probe-stolen': 'hint' }, mirrordVersion: '3.200.0' },
    };
    const client = await start(ws, [ws.a, ws.b], perFolder(sections));
    const uriA = ws.a.uri('.mirrord/api.mirrord.json');
    const uriB = ws.b.uri('.mirrord/api.mirrord.json');
    await client.open(uriA, CONFIG);
    await client.open(uriB, CONFIG);
    const a = await client.diagnosticsOf(uriA, (d) => find(d, 'liveness-probe-stolen') !== undefined);
    const b = await client.diagnosticsOf(uriB, (d) => find(d, 'liveness-probe-stolen') !== undefined);

    // Folder a: the default severity, the probe from a/k8s, and mirrord 3.218+ refusing the duplicate mapping.
    assert.equal(find(a, 'liveness-probe-stolen')?.severity, DiagnosticSeverity.Error);
    assert.equal(find(a, 'liveness-probe-stolen')?.relatedInformation?.[0]?.location.uri, pathToFileURL(manifestA).href);
    assert.ok(find(a, 'duplicate-port-mapping'), 'folder a (no mirrordVersion) reports the duplicate mapping');
    // Folder b: its own severity, the probe from b/deploy (a has no deploy/), and mirrord 3.200 accepting the mapping.
    assert.equal(find(b, 'liveness-probe-stolen')?.severity, DiagnosticSeverity.Hint);
    assert.equal(find(b, 'liveness-probe-stolen')?.relatedInformation?.[0]?.location.uri, pathToFileURL(manifestB).href);
    assert.equal(find(b, 'duplicate-port-mapping'), undefined);

    // The settings were asked for with each document as the scope.
    const scopes = client.configurationRequests.flatMap((r) => (r as { items: { scopeUri?: string }[] }).items.map((i) => i.scopeUri));
    assert.ok(scopes.includes(uriA) && scopes.includes(uriB), `scopes asked: ${scopes.join(', ')}`);
  });

  test("a settings change re-analyses only the configs whose folder's values changed", async () => {
    const ws = workspace('change');
    ws.a.write('k8s/api.json', apiDeployment());
    ws.b.write('k8s/api.json', apiDeployment());
    const sections: Record<string, Record<string, unknown>> = {
      [ws.a.dir]: { clusterLookup: { enabled: false }, manifests: ['k8s'] },
      [ws.b.dir]: { clusterLookup: { enabled: false }, manifests: ['k8s'] },
    };
    const client = await start(ws, [ws.a, ws.b], perFolder(sections));
    const uriA = ws.a.uri('.mirrord/api.mirrord.json');
    const uriB = ws.b.uri('.mirrord/api.mirrord.json');
    await client.open(uriA, CONFIG);
    await client.open(uriB, CONFIG);
    await client.diagnosticsOf(uriA, (d) => find(d, 'liveness-probe-stolen') !== undefined);
    await client.diagnosticsOf(uriB, (d) => find(d, 'liveness-probe-stolen') !== undefined);
    await client.request('probeGuard/whenIdle', {});
    const publishedFor = (uri: string) => client.statuses.filter((s) => s.uri === uri).length;
    const aBefore = publishedFor(uriA);

    sections[ws.b.dir] = { ...sections[ws.b.dir], severity: { 'liveness-probe-stolen': 'warning' } };
    await client.changedSettings();
    await client.waitFor('b at warning', () => find(client.diagnostics.get(uriB), 'liveness-probe-stolen')?.severity === DiagnosticSeverity.Warning);
    await client.request('probeGuard/whenIdle', {});
    assert.equal(publishedFor(uriA), aBefore, 'folder a was not analysed again');
    assert.equal(find(client.diagnostics.get(uriA), 'liveness-probe-stolen')?.severity, DiagnosticSeverity.Error);
  });

  test('two folders with different kubeconfigs: each looks up in its own cluster context, a relative probeGuard.kubeconfig from its folder, no shared cache', async () => {
    const ws = workspace('kubeconfig');
    fs.mkdirSync(path.join(ws.b.dir, 'kube'));
    writeSimpleKubeconfig(api, path.join(ws.b.dir, 'kube'), { namespace: 'shop' });
    const client = await start(ws, [ws.a, ws.b], perFolder({ [ws.a.dir]: {}, [ws.b.dir]: { kubeconfig: 'kube/config' } }));
    const uriA = ws.a.uri('.mirrord/api.mirrord.json');
    const uriB = ws.b.uri('.mirrord/api.mirrord.json');
    // b first: a's lookup of the same target text must not be answered from b's cache entry.
    await client.open(uriB, NO_NAMESPACE);
    const b = await client.statusOf(uriB, (s) => s.lookup === 'resolved');
    await client.open(uriA, NO_NAMESPACE);
    const a = await client.statusOf(uriA, (s) => s.lookup === 'failed');
    assert.match(b.clusterText, /shop/);
    assert.match(a.clusterText, /nowhere/);
    const diagnosticsB = await client.diagnosticsOf(uriB, (d) => find(d, 'liveness-probe-stolen') !== undefined);
    assert.ok(find(diagnosticsB, 'liveness-probe-stolen'));
  });

  test('folders added and removed at runtime: a config gets the new folder’s settings, and loses them with it', async () => {
    const ws = workspace('folders');
    ws.c.write('deploy/api.json', apiDeployment());
    const folders = new Set([ws.a.dir]);
    const client = await start(ws, [ws.a], perFolder({ [ws.c.dir]: { clusterLookup: { enabled: false }, manifests: ['deploy'] } }, folders));
    const uriC = ws.c.uri('.mirrord/api.mirrord.json');
    // Outside every folder: the default settings (cluster lookups in namespace shop, where api exists).
    await client.open(uriC, CONFIG);
    await client.statusOf(uriC, (s) => s.lookup === 'resolved' && !s.lookupText.toLowerCase().includes('manifest'));

    folders.add(ws.c.dir);
    await client.changeFolders([ws.c.dir], []);
    const added = await client.statusOf(uriC, (s) => s.lookup === 'resolved' && s.lookupText.toLowerCase().includes('manifest'));
    assert.ok(added);

    folders.delete(ws.c.dir);
    await client.changeFolders([], [ws.c.dir]);
    await client.waitFor('cluster again', () => {
      const last = [...client.statuses].reverse().find((s) => s.uri === uriC);
      return last && last.lookup === 'resolved' && !last.lookupText.toLowerCase().includes('manifest');
    });
  });

  test("untrusted: no folder's settings make the server read a path or call the cluster, added folders included", async () => {
    const ws = workspace('untrusted');
    ws.b.write('k8s/api.json', apiDeployment());
    fs.mkdirSync(path.join(ws.b.dir, 'kube'));
    writeSimpleKubeconfig(api, path.join(ws.b.dir, 'kube'), { namespace: 'shop' });
    const before = api.requests.length;
    const client = await start(ws, [ws.a], perFolder({ [ws.b.dir]: { kubeconfig: 'kube/config', manifests: ['k8s'] } }), false);
    const uriB = ws.b.uri('.mirrord/api.mirrord.json');
    await client.changeFolders([ws.b.dir], []);
    await client.open(uriB, CONFIG);
    await client.statusOf(uriB, (s) => s.lookup === 'restricted');
    await client.request('probeGuard/whenIdle', {});
    assert.equal(api.requests.length, before);
  });
});
