/**
 * New mirrord Config in the multi-root workspace (alpha, beta, gamma): with no editor open the
 * folder is asked first, its own settings (a relative `probeGuard.kubeconfig: kube/config`) pick
 * the cluster the workloads come from, and the config is written into that folder's `.mirrord/`.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ClientPrompts } from '../../../src/client/folders';
import type { KubeObject } from '../../../src/core/types';
import { startKubeApiServer, type FakeKubeApi, type LoggedRequest } from '../../support/kubeApiServer';
import { clusterFor, kubeconfigDoc, tokenUser, writeKubeconfig } from '../../support/kubeconfigs';
import { probeGuard } from '../suite/support/harness';

function folder(name: string): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  assert.ok(found, `no workspace folder ${name}`);
  return found;
}

function workload(name: string): KubeObject {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'shop', labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name, image: 'example/x:1', ports: [{ containerPort: 8080 }], livenessProbe: { httpGet: { path: '/healthz', port: 8080 } } }] },
      },
    },
  };
}

/**
 * What New mirrord Config asks a cluster for: a LIST of a workload kind (no object name after the
 * kind) without a label selector. Judging a config also LISTs pods, but always by its target's labels.
 */
const WORKLOAD_LIST = /\/(pods|deployments|statefulsets|replicasets|jobs|cronjobs|rollouts|services)$/;
function isWorkloadList(request: LoggedRequest): boolean {
  return request.method === 'GET' && WORKLOAD_LIST.test(request.path) && request.query.labelSelector === undefined;
}

suite('multi-root workspace: New mirrord Config', () => {
  const servers: FakeKubeApi[] = [];
  const written: vscode.Uri[] = [];

  suiteSetup(async () => {
    for (const name of ['alpha', 'beta']) {
      // `api` is the target of the fixture's own configs: served, so judging them while the command
      // runs never falls back to listing deployments for not-found suggestions.
      const api = await startKubeApiServer({ tls: false, objects: [workload(`${name}-api`), workload('api')] });
      servers.push(api);
      const dir = path.join(folder(name).uri.fsPath, 'kube');
      fs.mkdirSync(dir, { recursive: true });
      writeKubeconfig(dir, 'config', kubeconfigDoc([{ name: `${name}-ctx`, namespace: 'shop', cluster: clusterFor(api), user: tokenUser(api) }]));
    }
  });

  suiteTeardown(async () => {
    (await probeGuard()).setPrompts(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of written) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    for (const api of servers) await api.close();
  });

  test("no editor: the folder is asked first, its cluster's workloads are offered, the config goes into its .mirrord/", async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const api = await probeGuard();
    const asked = { folders: [] as string[][], items: [] as string[][] };
    const prompts: Partial<ClientPrompts> = {
      pickFolder: async (folders) => {
        asked.folders.push(folders.map((f) => f.name));
        return folders.find((f) => f.name === 'beta');
      },
      pickItem: async <T extends vscode.QuickPickItem>(items: T[]) => {
        asked.items.push(items.map((i) => i.label));
        return items.find((i) => i.label === 'deployment/beta-api');
      },
    };
    api.setPrompts(prompts);
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('probeGuard.newConfig');
    assert.ok(uri, 'a config was written');
    written.push(uri);
    assert.deepEqual(asked.folders, [['alpha', 'beta', 'gamma']]);
    assert.deepEqual(asked.items, [['deployment/api', 'deployment/beta-api']], "beta's cluster, not alpha's");
    assert.equal(uri.toString(), vscode.Uri.joinPath(folder('beta').uri, '.mirrord/beta-api.mirrord.json').toString());
    assert.equal(JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri))).target.path, 'deployment/beta-api');
    assert.ok(!fs.existsSync(path.join(folder('alpha').uri.fsPath, '.mirrord', 'beta-api.mirrord.json')));
    // Other requests may reach alpha's cluster meanwhile (CI saw three): its kubeconfig was just
    // rewritten, so the server may re-judge what alpha's cluster serves. Listing workloads is the command's.
    const alphaLists = servers[0].requests.filter(isWorkloadList);
    assert.deepEqual(
      alphaLists,
      [],
      `alpha's cluster was not asked for its workloads: ${JSON.stringify(servers[0].requests.map((r) => `${r.method} ${r.path} ${new URLSearchParams(r.query).toString()}`))}`,
    );
    assert.ok(servers[1].requests.some(isWorkloadList), `beta's cluster listed the workloads: ${JSON.stringify(servers[1].requests.map((r) => r.path))}`);
  });

  test("with alpha's file in the editor: no folder question, alpha's workloads", async () => {
    const api = await probeGuard();
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder('alpha').uri, 'app.js'));
    await vscode.window.showTextDocument(document);
    const asked = { folders: 0, items: [] as string[][] };
    api.setPrompts({
      pickFolder: async () => {
        asked.folders++;
        return undefined;
      },
      pickItem: async <T extends vscode.QuickPickItem>(items: T[]) => {
        asked.items.push(items.map((i) => i.label));
        return items.find((i) => i.label === 'deployment/alpha-api');
      },
    });
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('probeGuard.newConfig');
    assert.ok(uri);
    written.push(uri);
    assert.equal(asked.folders, 0);
    assert.deepEqual(asked.items, [['deployment/alpha-api', 'deployment/api']]);
    assert.equal(uri.toString(), vscode.Uri.joinPath(folder('alpha').uri, '.mirrord/alpha-api.mirrord.json').toString());
  });
});
