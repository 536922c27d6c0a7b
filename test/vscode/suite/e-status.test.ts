import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fakeCluster, TEST_CONTEXT, useTestCluster } from './support/fakeCluster';
import { codes, openConfig, probeGuard, waitForDiagnostics, waitForState, workspaceUri } from './support/harness';

suite('language status, lookups and commands', () => {
  const config = () => vscode.workspace.getConfiguration('probeGuard');

  suiteSetup(async () => {
    await useTestCluster(await fakeCluster());
    await probeGuard();
  });

  teardown(async () => {
    const cluster = await fakeCluster();
    await cluster.api.setFault(undefined);
    await config().update('clusterLookup.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    await config().update('manifests', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('resolved: context and namespace, refresh asks the cluster again', async () => {
    const api = await probeGuard();
    const cluster = await fakeCluster();
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    await waitForDiagnostics(document.uri, 'resolved', (d) => codes(d).includes('liveness-probe-stolen'));
    const status = api.statusFor(document.uri)!;
    assert.equal(status.lookup, 'resolved');
    assert.ok(status.clusterText.includes(TEST_CONTEXT) && status.clusterText.includes('shop'), status.clusterText);
    const before = cluster.api.requests.length;
    await vscode.commands.executeCommand('probeGuard.refreshTarget');
    await api.whenIdle();
    assert.ok(cluster.api.requests.length > before, 'refresh made no request');
    assert.equal(api.statusFor(document.uri)!.lookup, 'resolved');
    assert.match(api.statusFor(document.uri)!.lookupText, /Resolved from the cluster/);
  });

  test('a second config with the same target is served from the cache', async () => {
    const api = await probeGuard();
    await openConfig('.mirrord/a-risky.mirrord.json');
    const document = await openConfig('configs/missing.mirrord.json');
    const text = document.getText();
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(text.length)), text.replace('deployment/apo', 'deployment/api'));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await api.whenIdle();
    const status = api.statusFor(document.uri)!;
    assert.equal(status.lookup, 'resolved');
    assert.match(status.lookupText, /cached \d+ s ago/);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('cluster failure is shown, the manifests take over, and the cluster comes back', async () => {
    const api = await probeGuard();
    const cluster = await fakeCluster();
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    await waitForDiagnostics(document.uri, 'resolved', (d) => codes(d).includes('liveness-probe-stolen'));

    await config().update('manifests', [], vscode.ConfigurationTarget.Workspace);
    await cluster.api.setFault({ status: 500, message: 'etcd is on fire' });
    await vscode.commands.executeCommand('probeGuard.refreshTarget');
    await api.whenIdle();
    let status = api.statusFor(document.uri)!;
    assert.equal(status.lookup, 'failed', status.lookupText);
    assert.equal(status.severity, vscode.LanguageStatusSeverity.Warning);
    assert.match(status.lookupText, /Failed/);
    await waitForDiagnostics(
      document.uri,
      'static only while failing',
      (d) => codes(d).includes('target-unresolved') && !codes(d).includes('liveness-probe-stolen'),
    );

    await cluster.api.setFault('unavailable');
    await config().update('manifests', ['manifests'], vscode.ConfigurationTarget.Workspace);
    await api.whenIdle();
    await vscode.commands.executeCommand('probeGuard.refreshTarget');
    await api.whenIdle();
    status = api.statusFor(document.uri)!;
    assert.equal(status.lookup, 'resolved', status.lookupText);
    assert.match(status.lookupText, /Offline.*manifest/);
    const fromManifests = await waitForDiagnostics(document.uri, 'probes from the manifests', (d) => codes(d).includes('liveness-probe-stolen'));
    const related = fromManifests.find((d) => (d.code as { value: string }).value === 'liveness-probe-stolen')!.relatedInformation ?? [];
    assert.ok(
      related.some((r) => r.location.uri.path.endsWith('/manifests/api.yaml')),
      'no related location in the manifest',
    );

    await cluster.api.setFault(undefined);
    await vscode.commands.executeCommand('probeGuard.refreshTarget');
    await api.whenIdle();
    status = api.statusFor(document.uri)!;
    assert.equal(status.lookup, 'resolved');
    assert.match(status.lookupText, /Resolved from the cluster/);
  });

  test('turned off: static analysis only, no request', async () => {
    const api = await probeGuard();
    const cluster = await fakeCluster();
    await config().update('manifests', [], vscode.ConfigurationTarget.Workspace);
    await config().update('clusterLookup.enabled', false, vscode.ConfigurationTarget.Workspace);
    const document = await openConfig('.mirrord/c-steal.mirrord.toml');
    await waitForState(api, 'turned off', () => api.statusFor(document.uri)?.lookup === 'turned-off');
    const before = cluster.api.requests.length;
    await waitForDiagnostics(document.uri, 'static only', (d) => codes(d).includes('steal-without-filter') && !codes(d).includes('liveness-probe-stolen'));
    await api.whenIdle();
    assert.equal(cluster.api.requests.length, before);
  });

  test('the active config: first of .mirrord/, or MIRRORD_CONFIG_FILE of a launch configuration', async () => {
    const api = await probeGuard();
    const first = await openConfig('.mirrord/a-risky.mirrord.json');
    const other = await openConfig('.mirrord/d-safe.mirrord.json');
    await waitForState(api, 'first is active', () => api.statusFor(first.uri)?.isActive);
    assert.equal(api.statusFor(other.uri)!.isActive, false);
    assert.match(api.statusFor(other.uri)!.activeConfigText, /a-risky/);

    const launch = vscode.workspace.getConfiguration('launch', workspaceUri(''));
    await launch.update(
      'configurations',
      [
        {
          name: 'api (mirrord)',
          type: 'node',
          request: 'launch',
          program: 'x.js',
          env: { MIRRORD_CONFIG_FILE: '${workspaceFolder}/.mirrord/d-safe.mirrord.json' },
        },
      ],
      vscode.ConfigurationTarget.WorkspaceFolder,
    );
    try {
      await waitForState(api, 'launch configuration decides', () => api.statusFor(other.uri)?.isActive);
      assert.match(api.statusFor(other.uri)!.activeConfigDetail, /api \(mirrord\)/);
      assert.equal(api.statusFor(first.uri)!.isActive, false);
    } finally {
      await launch.update('configurations', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
    }
  });

  test('the probe report command opens markdown with the probe table', async () => {
    await openConfig('.mirrord/a-risky.mirrord.json');
    const report = await vscode.commands.executeCommand<vscode.TextDocument>('probeGuard.showProbeReport');
    assert.ok(report);
    assert.equal(report.languageId, 'markdown');
    const text = report.getText();
    assert.match(text, /Probe report/);
    assert.match(text, /\/healthz/);
    assert.match(text, /\|/);
    assert.ok(text.includes(TEST_CONTEXT));
  });

  test('a kubeconfig file change re-runs the lookups', async () => {
    const api = await probeGuard();
    const cluster = await fakeCluster();
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    await waitForDiagnostics(document.uri, 'resolved', (d) => codes(d).includes('liveness-probe-stolen'));
    const fs = await import('node:fs');
    const original = fs.readFileSync(cluster.kubeconfig, 'utf8');
    await config().update('manifests', [], vscode.ConfigurationTarget.Workspace);
    try {
      fs.writeFileSync(cluster.kubeconfig, original.replace(cluster.api.tokenUser.token, 'not-a-valid-token'));
      await waitForState(api, 'unauthorized after the kubeconfig change', async () => {
        const status = (await api.stateFor(document.uri))?.status;
        return status?.kind === 'failed' && status.failure.kind === 'unauthorized';
      });
    } finally {
      fs.writeFileSync(cluster.kubeconfig, original);
    }
    await waitForState(api, 'resolved after the kubeconfig is fixed', async () => (await api.stateFor(document.uri))?.status.kind === 'resolved');
  });
});
