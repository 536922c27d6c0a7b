/**
 * Target completion over LSP: `probe-guard-language-server --stdio` against the project's test API
 * server. Kinds, names (with kind, ready replicas and the engine's verdict under the config),
 * `/container/` and containers, namespaces; JSON, YAML, TOML and the object form; manifests when
 * lookups are off; one LIST per kind and namespace; cancellation; nothing from the cluster untrusted.
 */
import * as assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { CancellationTokenSource, LSPErrorCodes, type CompletionItem, type CompletionList } from 'vscode-languageserver-protocol/node';
import type { KubeObject } from '../../src/core/types';
import type { FakeKubeApi } from '../support/kubeApiServer';
import { container, deployment, pod, statefulSet, withStatus } from '../support/kubeFixtures';
import { KubeProtocolFixture, type KubeWorkspace } from './kubeWorkspaces';
import type { LspTestClient } from './lspTestClient';

const NS = 'store';

/** Objects of this suite's own: two deployments (one half ready), a two-container one, a StatefulSet, another namespace. */
function storeObjects(): KubeObject[] {
  const twoContainers = deployment('cart', { app: 'cart' }, NS);
  twoContainers.spec.template.spec.containers = [container('cart', 8080), { name: 'envoy', image: 'envoy:1', ports: [{ containerPort: 9901 }] }];
  return [
    withStatus(deployment('orders', { app: 'orders' }, NS), 2),
    withStatus(deployment('orders-worker', { app: 'orders-worker' }, NS), 1),
    withStatus(twoContainers, 2),
    withStatus(statefulSet('ledger', { app: 'ledger' }, NS), 3),
    deployment('orders', { app: 'orders' }, 'store-staging'),
    ...edgeObjects(),
  ];
}

/** A namespace whose targets hold no pod template of their own: a Service over a running pod, a Rollout borrowing a Deployment's. */
const EDGE = 'store-edge';
function edgeObjects(): KubeObject[] {
  const web = pod('web-7c9d8f6b4d-x2k9p', { app: 'web' }, { namespace: EDGE });
  web.spec.containers = [container('web', 8080), { name: 'envoy', image: 'envoy:1', ports: [{ containerPort: 9901 }] }];
  return [
    web,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: EDGE },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    { ...deployment('canary-template', { app: 'canary' }, EDGE), spec: { ...deployment('canary-template', { app: 'canary' }, EDGE).spec, replicas: 0 } },
    {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'canary', namespace: EDGE },
      spec: { replicas: 2, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'canary-template' } },
    },
  ];
}

const STEAL = { feature: { network: { incoming: 'steal' } } };
const FILTERED = { feature: { network: { incoming: { mode: 'steal', http_filter: { header_filter: '^User-Agent: (?!kube-probe)' } } } } };

let fixture: KubeProtocolFixture;
let api: FakeKubeApi;

const workspace = (name: string): KubeWorkspace => fixture.workspace(name, NS);
const start = (ws: KubeWorkspace, options: { trusted?: boolean; settings?: Record<string, unknown> } = {}): Promise<LspTestClient> =>
  fixture.client(ws, { trusted: options.trusted ?? true, settings: options.settings });

/** The cursor at the `|` of `marked`, and the text without it. */
function cursorOf(marked: string): { text: string; position: { line: number; character: number } } {
  const at = marked.indexOf('|');
  assert.ok(at >= 0, 'the text marks the cursor with |');
  const before = marked.slice(0, at);
  const lines = before.split('\n');
  return { text: before + marked.slice(at + 1), position: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

async function completeAt(client: LspTestClient, uri: string, marked: string, languageId = 'json'): Promise<CompletionItem[]> {
  const { text, position } = cursorOf(marked);
  if (client.version(uri) === undefined) await client.open(uri, text, languageId);
  else await client.change(uri, text);
  const list = await client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position });
  return list?.items ?? [];
}

function jsonConfig(target: unknown, network: object = STEAL): string {
  return JSON.stringify({ target, ...network }, null, 2);
}

/** `"path": "deployment/or"` with the cursor after what is given, in a pretty-printed config. */
function markedJson(target: Record<string, string> | string, field: string | undefined, network: object = STEAL): string {
  const text = jsonConfig(target, network);
  const value = typeof target === 'string' ? target : target[field ?? 'path'];
  const needle = field ? `"${field}": ${JSON.stringify(value)}` : `"target": ${JSON.stringify(value)}`;
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  const cursor = at + needle.length - 1;
  return text.slice(0, cursor) + '|' + text.slice(cursor);
}

const labels = (items: CompletionItem[]) => items.map((i) => i.label);
const byLabel = (items: CompletionItem[], label: string) => {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `${label} in ${labels(items).join(', ')}`);
  return item;
};
/** LISTs of a kind in one namespace (a not-found lookup's name-filtered LIST across namespaces is another request). */
const listsOf = (plural: string, since: number) =>
  api.requests.slice(since).filter((r) => /\/namespaces\/[^/]+\/[^/]+$/.test(r.path) && r.path.endsWith(`/${plural}`));

before(async () => {
  fixture = await KubeProtocolFixture.start('completion', storeObjects());
  api = fixture.api;
});
afterEach(async () => {
  await fixture.stopClients();
  await api.setFault(undefined);
});
after(() => fixture.close());

describe('language server: target completion', () => {
  test('an empty target offers the kinds mirrord accepts, each re-triggering suggestions', async () => {
    const ws = workspace('kinds');
    const client = await start(ws);
    const items = await completeAt(client, ws.uri('.mirrord/a.mirrord.json'), markedJson('', undefined));
    for (const kind of ['deployment/', 'rollout/', 'statefulset/', 'pod/', 'job/', 'cronjob/', 'replicaset/', 'service/', 'targetless'])
      assert.ok(labels(items).includes(kind), `${kind} in ${labels(items).join(', ')}`);
    const deploymentItem = byLabel(items, 'deployment/');
    assert.equal(deploymentItem.command?.command, 'editor.action.triggerSuggest');
    assert.ok(deploymentItem.textEdit && 'range' in deploymentItem.textEdit);
    assert.equal(deploymentItem.textEdit.newText, 'deployment/');
  });

  test('names of the kind in the target namespace: kind, ready replicas and the verdict of this config', async () => {
    const ws = workspace('names');
    const client = await start(ws);
    const uri = ws.uri('.mirrord/a.mirrord.json');
    const items = await completeAt(client, uri, markedJson({ path: 'deployment/or', namespace: NS }, 'path'));
    assert.deepEqual(labels(items).sort(), ['cart', 'orders', 'orders-worker']);
    const orders = byLabel(items, 'orders');
    assert.match(orders.detail ?? '', /^Deployment · 2\/2 ready · liveness stolen, readiness stolen$/);
    assert.match(byLabel(items, 'orders-worker').detail ?? '', /1\/2 ready/);
    // The edit replaces the name segment only.
    assert.ok(orders.textEdit && 'range' in orders.textEdit);
    assert.equal(orders.textEdit.newText, 'orders');
    const { text } = cursorOf(markedJson({ path: 'deployment/or', namespace: NS }, 'path'));
    const line = text.split('\n')[orders.textEdit.range.start.line];
    assert.equal(line.slice(orders.textEdit.range.start.character, orders.textEdit.range.end.character), 'or');

    // The same names under a config whose filter leaves the probes to the pod.
    const safe = await completeAt(client, uri, markedJson({ path: 'deployment/or', namespace: NS }, 'path', FILTERED));
    assert.match(byLabel(safe, 'orders').detail ?? '', /probes not stolen$/);
    const docs = byLabel(safe, 'orders').documentation;
    assert.ok(docs && typeof docs === 'object' && /namespace store/.test(docs.value), JSON.stringify(docs));

    // Another namespace, another list.
    const staging = await completeAt(client, uri, markedJson({ path: 'deployment/', namespace: 'store-staging' }, 'path'));
    assert.deepEqual(labels(staging), ['orders']);
  });

  test('/container/ after a name, then the containers of that workload', async () => {
    const ws = workspace('containers');
    const client = await start(ws);
    const uri = ws.uri('.mirrord/a.mirrord.json');
    const keyword = await completeAt(client, uri, markedJson({ path: 'deployment/cart/', namespace: NS }, 'path'));
    assert.deepEqual(labels(keyword), ['container/']);
    const containers = await completeAt(client, uri, markedJson({ path: 'deployment/cart/container/', namespace: NS }, 'path'));
    assert.deepEqual(labels(containers), ['cart', 'envoy']);
    assert.match(byLabel(containers, 'cart').detail ?? '', /liveness stolen/);
    assert.match(byLabel(containers, 'envoy').detail ?? '', /no liveness or readiness probe/);
  });

  test("a Service and a workloadRef Rollout are judged by the pod spec they resolve to; the Service's containers are its pods'", async () => {
    const ws = workspace('edge');
    const client = await start(ws);
    const uri = ws.uri('.mirrord/a.mirrord.json');
    const since = api.requests.length;
    const services = await completeAt(client, uri, markedJson({ path: 'service/w', namespace: EDGE }, 'path'));
    assert.deepEqual(labels(services), ['web']);
    assert.match(byLabel(services, 'web').detail ?? '', /^Service · .*liveness stolen, readiness stolen$/);
    const containers = await completeAt(client, uri, markedJson({ path: 'service/web/container/', namespace: EDGE }, 'path'));
    assert.deepEqual(labels(containers), ['web', 'envoy']);
    assert.match(byLabel(containers, 'web').detail ?? '', /liveness stolen/);
    assert.match(byLabel(containers, 'envoy').detail ?? '', /no liveness or readiness probe/);
    const rollouts = await completeAt(client, uri, markedJson({ path: 'rollout/c', namespace: EDGE }, 'path'));
    assert.deepEqual(labels(rollouts), ['canary']);
    assert.match(byLabel(rollouts, 'canary').detail ?? '', /liveness stolen, readiness stolen$/);
    const safe = await completeAt(client, uri, markedJson({ path: 'service/w', namespace: EDGE }, 'path', FILTERED));
    assert.match(byLabel(safe, 'web').detail ?? '', /probes not stolen$/);
    // The pods behind the Service and the Rollout's Deployment: one LIST each for all these requests.
    assert.equal(listsOf('pods', since).length, 1);
    assert.equal(listsOf('deployments', since).length, 1);
    assert.equal(listsOf('services', since).length, 1);
  });

  test('YAML, TOML and the object form; namespaces in target.namespace', async () => {
    const ws = workspace('formats');
    const client = await start(ws);
    const yaml = await completeAt(
      client,
      ws.uri('.mirrord/a.mirrord.yaml'),
      'target:\n  path: statefulset/|\n  namespace: store\nfeature:\n  network:\n    incoming: steal\n',
      'yaml',
    );
    assert.deepEqual(labels(yaml), ['ledger']);
    assert.match(byLabel(yaml, 'ledger').detail ?? '', /^StatefulSet · 3\/3 ready/);
    // No target.namespace: the kubeconfig context's namespace.
    const toml = await completeAt(client, ws.uri('.mirrord/a.mirrord.toml'), 'target = "deployment/c|"\n[feature.network]\nincoming = "steal"\n', 'toml');
    assert.ok(labels(toml).includes('cart'), labels(toml).join(', '));
    const objectForm = await completeAt(client, ws.uri('.mirrord/b.mirrord.json'), '{"target": {"deployment": "cart", "container": "|"}}');
    assert.deepEqual(labels(objectForm), ['cart', 'envoy']);
    const objectName = await completeAt(client, ws.uri('.mirrord/c.mirrord.json'), '{"target": {"stateful_set": "|"}}');
    assert.deepEqual(labels(objectName), ['ledger']);
    const namespaces = await completeAt(client, ws.uri('.mirrord/d.mirrord.json'), '{"target": {"path": "deployment/orders", "namespace": "st|"}}');
    for (const ns of ['store', 'store-staging']) assert.ok(labels(namespaces).includes(ns), labels(namespaces).join(', '));
  });

  test('typing a name costs one LIST of that kind and namespace, shared with the lookup', async () => {
    const ws = workspace('requests');
    const client = await start(ws);
    const uri = ws.uri('.mirrord/a.mirrord.json');
    const since = api.requests.length;
    // A lookup of a name that is not there lists the deployments for its suggestions...
    await client.open(uri, cursorOf(markedJson({ path: 'deployment/ord', namespace: NS }, 'path')).text);
    await client.statusOf(uri, (s) => s.lookup === 'failed');
    assert.equal(listsOf('deployments', since).length, 1);
    // ...and completion while typing the name uses that LIST.
    for (const typed of ['deployment/', 'deployment/o', 'deployment/or', 'deployment/ord', 'deployment/orders'])
      assert.ok(labels(await completeAt(client, uri, markedJson({ path: typed, namespace: NS }, 'path'))).includes('orders'));
    await client.request('probeGuard/whenIdle', {});
    assert.equal(listsOf('deployments', since).length, 1, JSON.stringify(api.requests.slice(since)));
    // A kind of its own is one LIST more.
    assert.ok(labels(await completeAt(client, uri, markedJson({ path: 'statefulset/', namespace: NS }, 'path'))).includes('ledger'));
    assert.ok(labels(await completeAt(client, uri, markedJson({ path: 'statefulset/l', namespace: NS }, 'path'))).includes('ledger'));
    assert.equal(listsOf('statefulsets', since).length, 1);
  });

  test('a completion waiting on a hung LIST is cancelled when the user types on, and the LIST is aborted', async () => {
    const ws = workspace('cancel');
    // Far beyond the test's waits: only the cancellation can end the hung LIST.
    const client = await start(ws, { settings: { timeoutSeconds: 120 } });
    const uri = ws.uri('.mirrord/a.mirrord.json');
    await api.setFault('hang', { path: /\/statefulsets$/ });
    const { text, position } = cursorOf('{"target": {"path": "statefulset/|", "namespace": "store"}}');
    await client.open(uri, text);
    const source = new CancellationTokenSource();
    const pending = client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position }, source);
    await client.waitFor('the LIST to hang', () => api.hangingCount > 0);
    source.cancel();
    await assert.rejects(pending, (error: { code?: number }) => error.code === LSPErrorCodes.RequestCancelled);
    await client.waitFor('the hung LIST to be aborted', () => api.hangingCount === 0);
    await api.setFault(undefined);
    const list = await client.request<CompletionList | null>('textDocument/completion', { textDocument: { uri }, position });
    assert.deepEqual(labels(list?.items ?? []), ['ledger']);
  });

  test('untrusted: kinds only, no request to the cluster and no manifest read', async () => {
    const ws = workspace('untrusted');
    ws.write('k8s/orders.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: from-manifest\n  namespace: store\nspec: {}\n');
    const client = await start(ws, { trusted: false, settings: { manifests: ['k8s'] } });
    const uri = ws.uri('.mirrord/a.mirrord.json');
    const since = api.requests.length;
    assert.ok(labels(await completeAt(client, uri, markedJson('', undefined))).includes('deployment/'));
    assert.deepEqual(await completeAt(client, uri, markedJson({ path: 'deployment/', namespace: NS }, 'path')), []);
    assert.deepEqual(await completeAt(client, uri, markedJson({ path: 'deployment/orders', namespace: '' }, 'namespace')), []);
    await client.request('probeGuard/whenIdle', {});
    assert.equal(api.requests.length - since, 0, JSON.stringify(api.requests.slice(since)));
  });

  test('lookups off: names and containers from probeGuard.manifests, with their file and line', async () => {
    const ws = workspace('manifests');
    ws.write(
      'k8s/app.yaml',
      `---\n${JSON.stringify(deployment('billing', { app: 'billing' }, NS))}\n---\n${JSON.stringify(deployment('other', { app: 'x' }, 'elsewhere'))}\n`,
    );
    const client = await start(ws, { settings: { clusterLookup: { enabled: false }, manifests: ['k8s'] } });
    const uri = ws.uri('.mirrord/a.mirrord.json');
    const since = api.requests.length;
    const items = await completeAt(client, uri, markedJson({ path: 'deployment/', namespace: NS }, 'path'));
    assert.deepEqual(labels(items), ['billing']);
    assert.match(byLabel(items, 'billing').detail ?? '', /^Deployment · from app\.yaml:2 · liveness stolen, readiness stolen$/);
    const containers = await completeAt(client, uri, markedJson({ path: 'deployment/billing/container/', namespace: NS }, 'path'));
    assert.deepEqual(labels(containers), ['billing']);
    // A Service in the manifests: judged by the workload its selector picks, read in the same pass.
    ws.write(
      'k8s/svc.yaml',
      JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'billing-svc', namespace: NS }, spec: { selector: { app: 'billing' } } }),
    );
    const services = await completeAt(client, uri, markedJson({ path: 'service/', namespace: NS }, 'path'));
    assert.deepEqual(labels(services), ['billing-svc']);
    assert.match(byLabel(services, 'billing-svc').detail ?? '', /^Service · from svc\.yaml:1 · liveness stolen, readiness stolen$/);
    assert.deepEqual(labels(await completeAt(client, uri, markedJson({ path: 'service/billing-svc/container/', namespace: NS }, 'path'))), ['billing']);
    assert.equal(api.requests.length - since, 0);
  });
});
