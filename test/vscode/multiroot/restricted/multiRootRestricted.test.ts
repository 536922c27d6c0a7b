/**
 * The multi-root fixture in Restricted Mode: both folders name a kubeconfig (relative, per folder)
 * that points at a live fake API server holding the target; still no folder's settings lead to a
 * cluster request, and Select kube context reads no kubeconfig and asks nothing.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startKubeApiServer, type FakeKubeApi } from '../../../support/kubeApiServer';
import { clusterFor, kubeconfigDoc, tokenUser, writeKubeconfig } from '../../../support/kubeconfigs';
import { codes, probeGuard, waitForDiagnostics, waitForState } from '../../suite/support/harness';

const CONFIG = '.mirrord/api.mirrord.json';

function folder(name: string): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  assert.ok(found, `no workspace folder ${name}`);
  return found;
}

suite('multi-root workspace in Restricted Mode', () => {
  const servers: FakeKubeApi[] = [];

  suiteSetup(async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    assert.ok(vscode.workspace.workspaceFile, 'opened as a .code-workspace');
    for (const name of ['alpha', 'beta']) {
      const labels = { app: 'api' };
      const probe = { httpGet: { path: `/${name}`, port: 8080 } };
      const api = await startKubeApiServer({
        tls: false,
        objects: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: 'api', namespace: 'shop', labels },
            spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'api', livenessProbe: probe }] } } },
          },
        ],
      });
      servers.push(api);
      const dir = path.join(folder(name).uri.fsPath, 'kube');
      fs.mkdirSync(dir, { recursive: true });
      writeKubeconfig(dir, 'config', kubeconfigDoc([{ name: `${name}-ctx`, namespace: 'shop', cluster: clusterFor(api), user: tokenUser(api) }]));
    }
  });

  suiteTeardown(async () => {
    for (const server of servers) await server.close();
  });

  test("no folder's kubeconfig is followed: static findings, restricted status, no request to either cluster", async () => {
    const api = await probeGuard();
    for (const name of ['alpha', 'beta']) {
      const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder(name).uri, CONFIG));
      await vscode.window.showTextDocument(document, { preview: false });
      const diagnostics = await waitForDiagnostics(document.uri, `${name}: steal without filter`, (d) => codes(d).includes('steal-without-filter'));
      assert.deepEqual(
        codes(diagnostics).filter((c) => c.endsWith('-probe-stolen')),
        [],
        `${name}: no probe from the cluster`,
      );
      await waitForState(api, `${name} restricted`, () => api.statusFor(document.uri)?.lookup === 'restricted');
      assert.equal(api.statusFor(document.uri)?.folder, name);
    }
    await vscode.commands.executeCommand('probeGuard.refreshTarget');
    await api.whenIdle();
    assert.deepEqual(
      servers.map((s) => s.requests.length),
      [0, 0],
    );
  });

  test('Select kube context asks nothing and writes nothing', async () => {
    const api = await probeGuard();
    let asked = 0;
    api.setPrompts({
      pickFolder: async () => {
        asked++;
        return folder('beta');
      },
      pickItem: async () => {
        asked++;
        return undefined;
      },
    });
    try {
      assert.equal(await vscode.commands.executeCommand('probeGuard.selectKubeContext'), undefined);
    } finally {
      api.setPrompts(undefined);
    }
    assert.equal(asked, 0);
    for (const name of ['alpha', 'beta']) {
      assert.equal(vscode.workspace.getConfiguration('probeGuard', folder(name).uri).inspect('kubeContext')?.workspaceFolderValue, undefined);
    }
    assert.deepEqual(
      servers.map((s) => s.requests.length),
      [0, 0],
    );
  });
});
