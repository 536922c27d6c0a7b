/**
 * Stale pod targets and targets in another namespace over LSP, against the project's test API
 * server: the diagnostic, its quick fix, the edit applied and the re-analysed diagnostics showing
 * the new target's verdicts; a forbidden LIST leaves the plain not-found finding.
 */
import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol/node';
import type { KubeObject } from '../../src/core/types';
import type { FakeKubeApi } from '../support/kubeApiServer';
import { deployment, NS, pod, shopObjects } from '../support/kubeFixtures';
import { KubeProtocolFixture, type KubeWorkspace } from './kubeWorkspaces';
import { applyLspEdits, type LspTestClient } from './lspTestClient';

/** A pod of an older ReplicaSet of deployment/api, gone after a rollout; its ReplicaSet (scaled to 0) is still there. */
const GONE_POD = 'api-5f8c9d7b64-qwxz2';

function objects(): KubeObject[] {
  return [
    ...shopObjects(),
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'api-5f8c9d7b64', namespace: NS, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api', controller: true }] },
      spec: { replicas: 0 },
    },
    deployment('billing', { app: 'billing' }, 'payments'),
    pod('lonely-x2kzq', { run: 'x' }, { namespace: 'payments' }),
  ];
}

const STEAL_YAML = (target: string) => `target: ${target}\nfeature:\n  network:\n    incoming: steal\n`;

let fixture: KubeProtocolFixture;
let api: FakeKubeApi;

const workspace = (name: string): KubeWorkspace => fixture.workspace(name, NS);
const start = (ws: KubeWorkspace): Promise<LspTestClient> => fixture.client(ws);

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code));

/** Lists the quick fixes of the diagnostic with `code`, resolves the one titled `title` and applies it; returns the fixed text. */
async function applyQuickFix(client: LspTestClient, uri: string, text: string, diagnostics: Diagnostic[], code: string, title: string): Promise<string> {
  const diagnostic = diagnostics.find((d) => d.code === code);
  assert.ok(diagnostic, codes(diagnostics).join(','));
  const actions = (await client.codeActions(uri, diagnostic.range, { diagnostics, only: ['quickfix'] })) as CodeAction[];
  const action = actions.find((a) => a.title === title);
  assert.ok(action, JSON.stringify(actions.map((a) => a.title)));
  const resolved = await client.resolve(action);
  const change = resolved.edit?.documentChanges?.[0];
  assert.ok(change && 'textDocument' in change, JSON.stringify(resolved.edit));
  return applyLspEdits(text, change.edits as { range: Diagnostic['range']; newText: string }[]);
}

before(async () => {
  fixture = await KubeProtocolFixture.start('stale', objects());
  api = fixture.api;
});
afterEach(async () => {
  await fixture.stopClients();
  api.setForbidden([]);
});
after(() => fixture.close());

describe('language server: stale pod targets and other namespaces', () => {
  test('a gone pod of deployment/api: stale-pod-target, Target deployment/api instead, then the deployment verdicts', async () => {
    const ws = workspace('stale');
    const client = await start(ws);
    const uri = ws.uri('.mirrord/stale.mirrord.yaml');
    const text = STEAL_YAML(`pod/${GONE_POD}/container/api`);
    await client.open(uri, text, 'yaml');
    const published = await client.diagnosticsOf(uri, (d) => codes(d.diagnostics).includes('stale-pod-target'));
    const stale = published.diagnostics.find((d) => d.code === 'stale-pod-target')!;
    assert.match(String(stale.message), /belonged to deployment\/api \(its ReplicaSet api-5f8c9d7b64 belongs to Deployment api\)/);
    assert.match(String(stale.message), /new names on every rollout/);
    assert.ok(!codes(published.diagnostics).includes('target-unresolved'));
    const fixed = await applyQuickFix(client, uri, text, published.diagnostics, 'stale-pod-target', 'Target deployment/api instead');
    assert.equal(fixed, STEAL_YAML('deployment/api/container/api'));
    await client.change(uri, fixed);
    const after = await client.diagnosticsOf(uri, (d) => codes(d.diagnostics).includes('liveness-probe-stolen'));
    assert.ok(!codes(after.diagnostics).includes('stale-pod-target'));
    assert.ok(codes(after.diagnostics).includes('readiness-probe-stolen'), codes(after.diagnostics).join(','));
  });

  test('a deployment only in another namespace: the hint, Set target.namespace, then its verdicts', async () => {
    const ws = workspace('namespace');
    const client = await start(ws);
    const uri = ws.uri('.mirrord/billing.mirrord.json');
    const text = JSON.stringify({ target: 'deployment/billing', feature: { network: { incoming: 'steal' } } }, null, 2) + '\n';
    await client.open(uri, text);
    const published = await client.diagnosticsOf(uri, (d) => codes(d.diagnostics).includes('target-unresolved'));
    const unresolved = published.diagnostics.find((d) => d.code === 'target-unresolved')!;
    assert.match(String(unresolved.message), /There is one in namespace "payments": set target.namespace/);
    const fixed = await applyQuickFix(client, uri, text, published.diagnostics, 'target-unresolved', 'Set target.namespace to "payments"');
    assert.deepEqual(JSON.parse(fixed).target, { path: 'deployment/billing', namespace: 'payments' });
    await client.change(uri, fixed);
    const after = await client.diagnosticsOf(uri, (d) => codes(d.diagnostics).includes('liveness-probe-stolen'));
    assert.ok(!codes(after.diagnostics).includes('target-unresolved'));
  });

  test('forbidden LISTs: the plain not-found finding, no stale finding and no namespace fix', async () => {
    const user = api.tokenUser.name;
    api.setForbidden([...['pods', 'replicasets', 'deployments', 'rollouts', 'statefulsets'].map((resource) => ({ user, verb: 'list' as const, resource }))]);
    const ws = workspace('forbidden');
    const client = await start(ws);
    const uri = ws.uri('.mirrord/stale.mirrord.yaml');
    await client.open(uri, STEAL_YAML(`pod/${GONE_POD}`), 'yaml');
    const published = await client.diagnosticsOf(uri, (d) => codes(d.diagnostics).includes('target-unresolved'));
    assert.ok(!codes(published.diagnostics).includes('stale-pod-target'));
    const unresolved = published.diagnostics.find((d) => d.code === 'target-unresolved')!;
    assert.match(String(unresolved.message), new RegExp(`Pod "${GONE_POD}" not found in namespace "${NS}"`));
    const actions = (await client.codeActions(uri, unresolved.range, { diagnostics: published.diagnostics, only: ['quickfix'] })) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => a.title).filter((t) => /^(Target|Set target)/.test(t)),
      [],
    );
    // Only the cross-namespace LIST forbidden (a user with namespaced roles): the namespace hint and fix are gone, the rest works.
    api.setForbidden([{ user, verb: 'list', resource: 'pods', clusterScope: true }]);
    const ws2 = workspace('forbidden-cluster-scope');
    const client2 = await start(ws2);
    const uri2 = ws2.uri('.mirrord/lonely.mirrord.yaml');
    await client2.open(uri2, STEAL_YAML('pod/lonely-x2kzq'), 'yaml');
    const plain = await client2.diagnosticsOf(uri2, (d) => codes(d.diagnostics).includes('target-unresolved'));
    const finding = plain.diagnostics.find((d) => d.code === 'target-unresolved')!;
    assert.doesNotMatch(String(finding.message), /payments/);
    assert.ok(
      api.requests.some((r) => r.path === '/api/v1/pods' && r.query.fieldSelector === 'metadata.name=lonely-x2kzq'),
      'the LIST was asked and refused',
    );
  });
});
