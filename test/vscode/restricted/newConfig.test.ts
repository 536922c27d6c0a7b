import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fakeCluster } from '../suite/support/fakeCluster';
import { probeGuard, workspaceUri } from '../suite/support/harness';

/** New mirrord Config in Restricted Mode: nothing is listed, nothing asked, nothing written, no request reaches the cluster. */
suite('Restricted Mode: New mirrord Config', () => {
  test('no workload offered, no file written, no cluster request', async () => {
    const cluster = await fakeCluster({ tls: false });
    const api = await probeGuard();
    const before = (await vscode.workspace.fs.readDirectory(workspaceUri('.mirrord'))).map(([name]) => name).sort();
    let asked = 0;
    api.setPrompts({
      pickItem: async () => {
        asked++;
        return undefined;
      },
    });
    try {
      const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('probeGuard.newConfig');
      assert.equal(uri, undefined);
    } finally {
      api.setPrompts(undefined);
    }
    assert.equal(asked, 0, 'no workload pick was shown');
    assert.deepEqual((await vscode.workspace.fs.readDirectory(workspaceUri('.mirrord'))).map(([name]) => name).sort(), before);
    assert.deepEqual(cluster.api.requests, []);
    assert.equal(await api.kubeModuleLoaded(), false, 'the cluster module was loaded in Restricted Mode');
  });
});
