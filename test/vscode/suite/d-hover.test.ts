import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { API_POD_NAME } from './support/clusterObjects';
import { fakeCluster, TEST_CONTEXT, useTestCluster } from './support/fakeCluster';
import { codes, openConfig, probeGuard, rangeOf, waitForDiagnostics } from './support/harness';

async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

suite('hover', () => {
  suiteSetup(async () => {
    await useTestCluster(await fakeCluster());
    await probeGuard();
  });

  test('on the target: cluster, context, namespace, live pod and the probe table', async () => {
    const cluster = await fakeCluster();
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    await waitForDiagnostics(document.uri, 'resolved', (d) => codes(d).includes('liveness-probe-stolen'));
    const text = await hoverText(document, rangeOf(document, 'deployment/api').start.translate(0, 3));
    assert.match(text, /deployment\/api/);
    assert.ok(text.includes(TEST_CONTEXT), `no context in: ${text}`);
    assert.ok(text.includes('shop'), 'no namespace');
    assert.ok(text.includes(cluster.api.url), 'no cluster server');
    assert.ok(text.includes(API_POD_NAME), `no live pod in: ${text}`);
    assert.match(text, /liveness/i);
    assert.match(text, /\/healthz/);
    assert.match(text, /\/ready/);
    assert.match(text, /\|/, 'no table');
  });

  test('on incoming: the same report', async () => {
    const document = await openConfig('.mirrord/a-risky.mirrord.json');
    const text = await hoverText(document, rangeOf(document, '"steal"').start.translate(0, 2));
    assert.match(text, /readiness/i);
    assert.match(text, /\/healthz/);
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
