import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { API_POD_NAME } from './support/clusterObjects';
import { type FakeCluster, fakeCluster, TEST_CONTEXT, useTestCluster } from './support/fakeCluster';
import { codes, openConfig, probeGuard, rangeOf, waitForDiagnostics } from './support/harness';

async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

/** Pod LISTs the fake cluster has answered so far (live pods; lookups of deployments never list pods). */
function podLists(cluster: FakeCluster): number {
  return cluster.api.requests.filter((r) => r.path === '/api/v1/namespaces/shop/pods').length;
}

suite('hover', () => {
  suiteSetup(async () => {
    await useTestCluster(await fakeCluster());
    await probeGuard();
  });

  test('on the target: cluster, context, namespace, live pod (fetched by the hover, not the lookup) and the probe table', async () => {
    const cluster = await fakeCluster();
    const api = await probeGuard();
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    await waitForDiagnostics(document.uri, 'resolved', (d) => codes(d).includes('liveness-probe-stolen'));
    // A fresh lookup (the cache is dropped): it fetches the Deployment and no pods.
    const before = podLists(cluster);
    await vscode.commands.executeCommand('probeGuard.refreshTarget');
    await api.whenIdle();
    await waitForDiagnostics(document.uri, 'resolved again', (d) => codes(d).includes('liveness-probe-stolen'));
    assert.equal(podLists(cluster), before, 'the lookup listed pods');
    const text = await hoverText(document, rangeOf(document, 'deployment/api').start.translate(0, 3));
    assert.equal(podLists(cluster), before + 1, 'the hover did not ask for the live pods');
    assert.match(text, /deployment\/api/);
    assert.ok(text.includes(TEST_CONTEXT), `no context in: ${text}`);
    assert.ok(text.includes('shop'), 'no namespace');
    assert.ok(text.includes(cluster.api.url), 'no cluster server');
    assert.ok(text.includes(API_POD_NAME), `no live pod in: ${text}`);
    assert.match(text, /Error \(exit 137\) at 2026-11-20T10:00:00Z/, `no last restart in: ${text}`);
    assert.doesNotMatch(text, /Live pods: (loading|failed)/);
    assert.match(text, /liveness/i);
    assert.match(text, /\/healthz/);
    assert.match(text, /\/ready/);
    assert.match(text, /\|/, 'no table');
  });

  test('on incoming: the same report, live pods from the cache', async () => {
    const cluster = await fakeCluster();
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    const before = cluster.api.requests.length;
    const text = await hoverText(document, rangeOf(document, '"steal"').start.translate(0, 2));
    assert.match(text, /readiness/i);
    assert.match(text, /\/healthz/);
    assert.ok(text.includes(API_POD_NAME), `no live pod in: ${text}`);
    assert.equal(cluster.api.requests.length, before, 'a second hover asked the cluster again');
  });

  test('live pods that cannot be listed: the hover says so and still shows the probes', async () => {
    const cluster = await fakeCluster();
    const api = await probeGuard();
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    await cluster.api.setFault({ status: 403, message: 'pods is forbidden: User "marker-user" cannot list resource "pods"' }, { path: /\/pods$/ });
    try {
      await vscode.commands.executeCommand('probeGuard.refreshTarget');
      await api.whenIdle();
      await waitForDiagnostics(document.uri, 'resolved (the Deployment is readable)', (d) => codes(d).includes('liveness-probe-stolen'));
      const text = await hoverText(document, rangeOf(document, 'deployment/api').start.translate(0, 3));
      assert.match(text, /Live pods: failed: .*403/, `no live pod failure in: ${text}`);
      assert.ok(!text.includes(API_POD_NAME), 'a live pod shown although the list failed');
      assert.match(text, /\/healthz/);
    } finally {
      await cluster.api.setFault(undefined);
      await vscode.commands.executeCommand('probeGuard.refreshTarget');
      await api.whenIdle();
    }
  });

  test('elsewhere: nothing from Probe Guard', async () => {
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    const text = await hoverText(document, rangeOf(document, '"namespace"').start.translate(0, 2));
    assert.doesNotMatch(text, /Lookup/);
  });

  test('an unresolvable target says why and what was assumed', async () => {
    const api = await probeGuard();
    const document = await openConfig('configs/missing.mirrord.json');
    await waitForDiagnostics(document.uri, 'unresolved', (d) => codes(d).includes('target-unresolved'));
    await api.whenIdle();
    const text = await hoverText(document, rangeOf(document, 'deployment/apo').start.translate(0, 3));
    assert.match(text, /apo/);
    assert.match(text, /not found|no deployment/i);
    assert.ok(text.includes('`api`') || text.includes('"api"'), `no suggestion in: ${text}`);
  });
});
