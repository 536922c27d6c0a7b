import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fakeCluster } from '../suite/support/fakeCluster';
import { codes, openConfig, probeGuard, waitForDiagnostics, waitForState } from '../suite/support/harness';

/**
 * Restricted Mode: KUBECONFIG points at a live fake cluster holding the target, the workspace
 * settings name a kubeconfig and manifests; still no request may reach the cluster and no
 * workspace path may be followed. Only the static analysis runs.
 */
suite('Restricted Mode', () => {
  suiteSetup(async () => {
    await fakeCluster({ tls: false });
  });

  test('the workspace is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('static findings only, no cluster request at all', async () => {
    const cluster = await fakeCluster();
    const api = await probeGuard();
    const risky = await openConfig('.mirrord/a-risky.mirrord.json');
    const filter = await openConfig('.mirrord/b-filter.mirrord.yaml');
    const toml = await openConfig('.mirrord/c-steal.mirrord.toml');
    await waitForDiagnostics(risky.uri, 'steal without filter', (d) => codes(d).includes('steal-without-filter'));
    await waitForDiagnostics(filter.uri, 'filter selects probes', (d) => codes(d).includes('filter-selects-probes'));
    await waitForDiagnostics(toml.uri, 'steal without filter (toml)', (d) => codes(d).includes('steal-without-filter'));
    for (const document of [risky, filter, toml]) {
      await waitForState(api, 'restricted status', () => api.statusFor(document.uri)?.lookup === 'restricted');
      const status = api.statusFor(document.uri)!;
      assert.match(status.lookupText, /Restricted Mode/);
      // No probe came from the manifests named by the workspace settings.
      assert.deepEqual(
        codes(vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Probe Guard')).filter((c) => c.endsWith('-probe-stolen')),
        [],
      );
    }
    await vscode.commands.executeCommand('probeGuard.refreshTarget');
    await api.whenIdle();
    assert.deepEqual(cluster.api.requests, []);
    assert.equal(await api.kubeModuleLoaded(), false, 'the cluster module was loaded in Restricted Mode');
  });

  test('the hover says what is assumed instead of asking the cluster', async () => {
    const cluster = await fakeCluster();
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    const at = document.getText().indexOf('deployment/api') + 3;
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(at))) ?? [];
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /Restricted Mode/);
    assert.deepEqual(cluster.api.requests, []);
  });
});
