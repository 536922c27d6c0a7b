/**
 * New mirrord Config over LSP, against the project's test API server: probeGuard/newConfigCandidates
 * lists the workloads of the folder's context namespace (kind, name, namespace, containers, ready
 * replicas, source), probeGuard/newConfigText returns a config that the server itself, once the
 * config is opened, resolves and finds safe for every liveness and readiness probe; a refusal says
 * why; an unreachable cluster says so (or falls back to probeGuard.manifests); Restricted Mode
 * makes no API request at all.
 */
import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { DocumentStateResult, NewConfigCandidatesResult, NewConfigTextResult } from '../../src/service/lspProtocol';
import type { KubeObject } from '../../src/core/types';
import { container, deployment, statefulSet, withStatus } from '../support/kubeFixtures';
import { KubeProtocolFixture, type KubeWorkspace } from './kubeWorkspaces';
import type { LspTestClient } from './lspTestClient';

const NS = 'kitchen';

function objects(): KubeObject[] {
  const menu = deployment('menu', { app: 'menu' }, NS);
  menu.spec.template.spec.containers = [
    container('menu', 8080),
    { name: 'envoy', image: 'envoy:1', ports: [{ containerPort: 9901 }], readinessProbe: { httpGet: { path: '/ready', port: 9901 } } },
  ];
  const curl = deployment('oven', { app: 'oven' }, NS);
  curl.spec.template.spec.containers[0].livenessProbe = { exec: { command: ['curl', '-fsS', 'http://localhost:8080/healthz'] }, periodSeconds: 10 };
  const opaque = deployment('fridge', { app: 'fridge' }, NS);
  opaque.spec.template.spec.containers[0].livenessProbe = { exec: { command: ['/bin/sh', '-c', '$(cat /etc/probe)'] } };
  return [
    withStatus(deployment('orders', { app: 'orders' }, NS), 2),
    withStatus(menu, 1),
    curl,
    opaque,
    withStatus(statefulSet('pantry', { app: 'pantry' }, NS), 3),
    deployment('elsewhere', { app: 'elsewhere' }, 'other'),
  ];
}

let fixture: KubeProtocolFixture;

before(async () => {
  fixture = await KubeProtocolFixture.start('newconfig', objects());
});
afterEach(async () => {
  await fixture.stopClients();
  await fixture.api.restore().catch(() => undefined);
});
after(() => fixture.close());

const codes = (state: DocumentStateResult) => state.analysis.findings.map((f) => f.code);

/** Opens the config text as `.mirrord/<file>` and waits for the server's analysis with its target resolved. */
async function openedState(client: LspTestClient, ws: KubeWorkspace, file: string, text: string): Promise<DocumentStateResult> {
  const uri = ws.uri(`.mirrord/${file}`);
  await client.open(uri, text);
  await client.statusOf(uri, (s) => s.lookup === 'resolved' && !s.busy);
  await client.request('probeGuard/whenIdle', {});
  const state = await client.request<DocumentStateResult | null>('probeGuard/documentState', { textDocument: { uri } });
  assert.ok(state, 'the server analysed the opened config');
  return state;
}

function livenessAndReadiness(state: DocumentStateResult): string[] {
  return state.analysis.probes.filter((p) => p.probe.probe !== 'startup').map((p) => `${p.probe.container}/${p.probe.probe}:${p.verdict}`);
}

describe('language server: New mirrord Config', () => {
  test('candidates: the workloads of the context namespace with kind, containers, ready replicas and source; one LIST per kind', async () => {
    const ws = fixture.workspace('candidates', NS);
    const client = await fixture.client(ws);
    const since = fixture.api.requests.length;
    const result = await client.request<NewConfigCandidatesResult>('probeGuard/newConfigCandidates', { folderUri: ws.uri('') });
    assert.equal(result.message, undefined, result.message);
    assert.equal(result.context, 'test');
    assert.deepEqual(
      result.candidates.map(
        (c) => `${c.kind}/${c.name} ${c.namespace} [${c.containers.join(',')}] ${c.replicas ? `${c.replicas.ready}/${c.replicas.desired}` : '-'} ${c.source}`,
      ),
      [
        'deployment/fridge kitchen [fridge] - cluster',
        'deployment/menu kitchen [menu,envoy] 1/2 cluster',
        'deployment/orders kitchen [orders] 2/2 cluster',
        'deployment/oven kitchen [oven] - cluster',
        'statefulset/pantry kitchen [pantry] 3/3 cluster',
      ],
    );
    const lists = fixture.api.requests.slice(since).map((r) => r.path);
    for (const plural of ['deployments', 'statefulsets', 'rollouts']) {
      assert.equal(lists.filter((p) => p.endsWith(`/namespaces/${NS}/${plural}`)).length, 1, `${plural}: ${lists.join(' ')}`);
    }
  });

  test('text: the verified config, which the server resolves and finds safe once it is opened', async () => {
    const ws = fixture.workspace('text', NS);
    const client = await fixture.client(ws);
    const result = await client.request<NewConfigTextResult>('probeGuard/newConfigText', { workload: { kind: 'deployment', name: 'orders', namespace: NS } });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.fileName, 'orders.mirrord.json');
    assert.equal(result.source, 'cluster');
    const config = JSON.parse(result.text);
    assert.deepEqual(config.target, { path: 'deployment/orders', namespace: NS });
    assert.equal(config.feature.network.incoming.mode, 'steal');
    assert.ok(!('$schema' in config));
    const state = await openedState(client, ws, result.fileName, result.text);
    assert.deepEqual(livenessAndReadiness(state), ['orders/liveness:safe', 'orders/readiness:safe']);
    assert.equal(state.analysis.steals, true);
    assert.ok(!codes(state).some((c) => /stolen|unresolved/.test(c)), codes(state).join(','));
  });

  test('text: an exec curl probe gets its fix applied; a chosen container is in the path; both re-analysed safe', async () => {
    const ws = fixture.workspace('fixes', NS);
    const client = await fixture.client(ws);
    const oven = await client.request<NewConfigTextResult>('probeGuard/newConfigText', {
      workload: { kind: 'deployment', name: 'oven', namespace: NS },
      folderUri: ws.uri(''),
    });
    assert.ok(oven.ok, JSON.stringify(oven));
    assert.ok(oven.applied.length > 0, 'a fix beyond the recipe');
    assert.deepEqual(livenessAndReadiness(await openedState(client, ws, oven.fileName, oven.text)), ['oven/liveness:safe', 'oven/readiness:safe']);
    const menu = await client.request<NewConfigTextResult>('probeGuard/newConfigText', {
      workload: { kind: 'deployment', name: 'menu', namespace: NS },
      container: 'menu',
    });
    assert.ok(menu.ok, JSON.stringify(menu));
    assert.equal(JSON.parse(menu.text).target.path, 'deployment/menu/container/menu');
    const state = await openedState(client, ws, menu.fileName, menu.text);
    assert.ok(
      livenessAndReadiness(state).every((v) => v.endsWith(':safe')),
      livenessAndReadiness(state).join(),
    );
    assert.ok(livenessAndReadiness(state).includes('envoy/readiness:safe'));
  });

  test('text refused: a probe the engine cannot judge, a missing workload, a missing container', async () => {
    const ws = fixture.workspace('refused', NS);
    const client = await fixture.client(ws);
    const ask = (params: object) => client.request<NewConfigTextResult>('probeGuard/newConfigText', params);
    const fridge = await ask({ workload: { kind: 'deployment', name: 'fridge', namespace: NS } });
    assert.equal(fridge.ok, false);
    assert.match(!fridge.ok ? fridge.reason : '', /No config that steals from deployment\/fridge was proven safe .*liveness probe of fridge: unknown/);
    const gone = await ask({ workload: { kind: 'deployment', name: 'gone', namespace: NS } });
    assert.match(!gone.ok ? gone.reason : '', /not found in namespace "kitchen"/);
    const noContainer = await ask({ workload: { kind: 'deployment', name: 'orders', namespace: NS }, container: 'sidecar' });
    assert.match(!noContainer.ok ? noContainer.reason : '', /has no container "sidecar"/);
    const garbage = await ask({ workload: 'deployment/orders' });
    assert.equal(garbage.ok, false);
  });

  test('the cluster unreachable: its message; with probeGuard.manifests: the manifests, and why', async () => {
    const ws = fixture.workspace('unreachable', NS);
    const manifest = ws.write('k8s/orders.json', JSON.stringify(deployment('orders', { app: 'orders' }, NS)));
    await fixture.api.setFault('unavailable');
    const plain = await fixture.client(ws, { settings: { timeoutSeconds: 2 } });
    const none = await plain.request<NewConfigCandidatesResult>('probeGuard/newConfigCandidates', {});
    assert.deepEqual(none.candidates, []);
    assert.match(none.message ?? '', /127\.0\.0\.1|reach|connect/i, 'the message says the cluster could not be reached');
    assert.ok(!none.restricted);
    const withManifests = await fixture.client(ws, { settings: { timeoutSeconds: 2, manifests: [manifest] } });
    const listed = await withManifests.request<NewConfigCandidatesResult>('probeGuard/newConfigCandidates', {});
    assert.deepEqual(
      listed.candidates.map((c) => `${c.kind}/${c.name} ${c.source} ${c.line}`),
      ['deployment/orders manifests 0'],
    );
    assert.match(listed.message!, /The cluster did not answer .*these workloads are from the manifests/);
    const text = await withManifests.request<NewConfigTextResult>('probeGuard/newConfigText', {
      workload: { kind: 'deployment', name: 'orders', namespace: NS },
    });
    assert.ok(text.ok, JSON.stringify(text));
    assert.equal(text.source, 'manifests');
  });

  test('Restricted Mode: no API request, no candidates, the text refused, each with the message', async () => {
    const ws = fixture.workspace('restricted', NS);
    const manifest = ws.write('k8s/orders.json', JSON.stringify(deployment('orders', { app: 'orders' }, NS)));
    const since = fixture.api.requests.length;
    const client = await fixture.client(ws, { trusted: false, settings: { manifests: [manifest] } });
    const candidates = await client.request<NewConfigCandidatesResult>('probeGuard/newConfigCandidates', { folderUri: ws.uri('') });
    assert.deepEqual(candidates.candidates, []);
    assert.equal(candidates.restricted, true);
    assert.match(candidates.message!, /Restricted Mode/);
    const text = await client.request<NewConfigTextResult>('probeGuard/newConfigText', { workload: { kind: 'deployment', name: 'orders', namespace: NS } });
    assert.equal(text.ok, false);
    assert.match(!text.ok ? text.reason : '', /Restricted Mode/);
    assert.equal(fixture.api.requests.length, since, 'no request reached the API server');
  });
});
