import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fakeCluster, useTestCluster } from './support/fakeCluster';
import { EXTENSION_ID, probeGuard } from './support/harness';

suite('activation', () => {
  test('activates for the workspace without loading the cluster module or calling the cluster', async () => {
    const cluster = await fakeCluster();
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    // workspaceContains:**/.mirrord/* activated it with the workspace, before any config was opened.
    assert.equal(extension.isActive, true, 'not activated by workspaceContains');
    const api = await probeGuard();
    await useTestCluster(cluster);
    await api.whenIdle();
    assert.equal(await api.kubeModuleLoaded(), false, 'client-node was loaded at activation');
    assert.deepEqual(cluster.api.requests, []);
  });

  test('the manifest declares the contract users see', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON;
    assert.deepEqual(pkg.activationEvents, ['workspaceContains:**/*mirrord.{json,yaml,yml,toml}', 'workspaceContains:**/.mirrord/*', 'onDebug']);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.deepEqual([...pkg.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), [
      'probeGuard.kubeContext',
      'probeGuard.kubeconfig',
      'probeGuard.manifests',
      'probeGuard.namespace',
    ]);
    assert.equal(pkg.l10n, './l10n');
    for (const id of ['probeGuard.refreshTarget', 'probeGuard.showProbeReport', 'probeGuard.selectKubeContext', 'probeGuard.showLog', 'probeGuard.newConfig']) {
      assert.ok(
        pkg.contributes.commands.some((c: { command: string }) => c.command === id),
        id,
      );
    }
    for (const [key, schema] of Object.entries(pkg.contributes.configuration.properties) as [string, { scope?: string; markdownDescription?: string }][]) {
      assert.ok(schema.scope, `${key} has no scope`);
      assert.ok(schema.markdownDescription, `${key} has no markdownDescription`);
    }
  });
});
