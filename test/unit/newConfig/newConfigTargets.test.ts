/**
 * New mirrord Config's policy (src/service/newConfigTargets.ts): which workloads are offered (the
 * cluster, the manifests when lookups are off or the cluster cannot answer, nothing untrusted),
 * and the verified text for a picked one (looked up again, container checked, refused with the
 * reason when a probe cannot be kept safe); the free file name.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import type { KubeObject, ResolveResult } from '../../../src/core/types';
import type { ListRequest, ListResolution, ClusterResolution } from '../../../src/kube/clusterTypes';
import { silentLog } from '../../../src/service/log';
import { manifestCatalog } from '../../../src/service/manifestCatalog';
import { resolveFromManifestFiles } from '../../../src/service/manifestResolution';
import { verifiedNewConfig } from '../../../src/service/newConfig';
import { freeConfigFileName, listNewConfigCandidates, newConfigTextFor } from '../../../src/service/newConfigTargets';
import { readSettings, type SettingKey } from '../../../src/service/settings';
import { candidateResolution } from '../../../src/service/targetCatalog';
import { container, deployment, withStatus } from '../../support/kubeFixtures';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-newconfig-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const place = { configDir: root, baseDir: root, env: {} };

function settings(values: Partial<Record<SettingKey, unknown>>) {
  return readSettings((key) => values[key], true);
}

const INFO = { kubeconfigFiles: [], context: 'dev', namespace: 'shop' };

/** A cluster that lists `objects` per kind (or fails with `failure`) and records each LIST. */
function fakeCluster(objects: Record<string, KubeObject[]>, failure?: ListResolution & { ok: false }) {
  const lists: ListRequest[] = [];
  return {
    lists,
    async list(request: ListRequest): Promise<ListResolution> {
      lists.push(request);
      if (failure) return failure;
      if (request.what === 'rollout' && !objects.rollout) {
        return {
          ok: false,
          failure: { kind: 'not-found', message: 'The cluster does not serve rollouts (argoproj.io/v1alpha1): is its CRD installed?' },
          info: INFO,
          fromCache: false,
          fetchedAt: 0,
        };
      }
      return { ok: true, items: objects[request.what] ?? [], info: INFO, fromCache: false, fetchedAt: 0 };
    },
  };
}

const catalogOptions = (trusted = true) => ({ trusted, readManifests: manifestCatalog });

function writeManifest(name: string, objects: KubeObject[]): string {
  const file = path.join(root, name);
  fs.writeFileSync(file, objects.map((o) => JSON.stringify(o)).join('\n---\n'));
  return file;
}

describe('New mirrord Config: the candidates', () => {
  test('from the cluster: deployments and statefulsets of the context namespace with ready replicas; no rollouts CRD is no problem', async () => {
    const cart = deployment('cart', { app: 'cart' });
    cart.spec.template.spec.containers.push({ name: 'envoy', image: 'envoy' });
    const ledger = { ...deployment('ledger', { app: 'ledger' }), kind: 'StatefulSet' };
    const cluster = fakeCluster({ deployment: [withStatus(deployment('api', { app: 'api' }), 1), withStatus(cart, 2)], statefulset: [ledger] });
    const result = await listNewConfigCandidates(cluster, place, {}, settings({}), catalogOptions());
    assert.equal(result.message, undefined, result.message);
    assert.equal(result.context, 'dev');
    assert.deepEqual(
      result.candidates.map(
        (c) => `${c.kind}/${c.name} ${c.namespace} ${c.containers.join('+')} ${c.replicas ? `${c.replicas.ready}/${c.replicas.desired}` : '-'} ${c.source}`,
      ),
      ['deployment/api shop api 1/2 cluster', 'deployment/cart shop cart+envoy 2/2 cluster', 'statefulset/ledger shop ledger - cluster'],
    );
    assert.deepEqual(cluster.lists.map((l) => l.what).sort(), ['deployment', 'rollout', 'statefulset']);
  });

  test('untrusted: nothing listed, no cluster call, the Restricted Mode message', async () => {
    const cluster = fakeCluster({ deployment: [deployment('api', { app: 'api' })] });
    const result = await listNewConfigCandidates(cluster, place, {}, settings({}), catalogOptions(false));
    assert.deepEqual(result.candidates, []);
    assert.equal(result.restricted, true);
    assert.match(result.message!, /Restricted Mode/);
    assert.equal(cluster.lists.length, 0);
  });

  test('the cluster unreachable, no manifests: its message; with manifests: theirs, every namespace they name, and why', async () => {
    const unreachable = {
      ok: false as const,
      failure: { kind: 'unreachable' as const, message: 'Cannot reach https://10.0.0.1:6443.' },
      fromCache: false,
      fetchedAt: 0,
    };
    const none = await listNewConfigCandidates(fakeCluster({}, unreachable), place, {}, settings({}), catalogOptions());
    assert.deepEqual(none.candidates, []);
    assert.equal(none.message, 'Cannot reach https://10.0.0.1:6443.');
    const file = writeManifest('two-namespaces.json', [deployment('api', { app: 'api' }, 'shop'), deployment('billing', { app: 'billing' }, 'payments')]);
    const fromManifests = await listNewConfigCandidates(fakeCluster({}, unreachable), place, {}, settings({ manifests: [file] }), catalogOptions());
    assert.deepEqual(
      fromManifests.candidates.map((c) => `${c.namespace}/${c.name} ${c.source} ${c.line}`),
      ['payments/billing manifests 2', 'shop/api manifests 0'],
    );
    assert.match(fromManifests.message!, /The cluster did not answer \(Cannot reach .*\); these workloads are from the manifests/);
  });

  test('lookups off: the manifests only (no cluster call); neither: a message', async () => {
    const file = writeManifest('one.json', [deployment('api', { app: 'api' })]);
    const cluster = fakeCluster({ deployment: [deployment('other', { app: 'o' })] });
    const result = await listNewConfigCandidates(cluster, place, {}, settings({ 'clusterLookup.enabled': false, manifests: [file] }), catalogOptions());
    assert.deepEqual(
      result.candidates.map((c) => c.name),
      ['api'],
    );
    assert.equal(cluster.lists.length, 0);
    const off = await listNewConfigCandidates(cluster, place, {}, settings({ 'clusterLookup.enabled': false }), catalogOptions());
    assert.match(off.message!, /Cluster lookups are off/);
  });

  test('an empty namespace says so', async () => {
    const result = await listNewConfigCandidates(fakeCluster({}), place, { namespace: 'empty' }, settings({}), catalogOptions());
    assert.deepEqual(result.candidates, []);
    assert.match(result.message!, /No deployment, rollout or statefulset found in namespace "empty"/);
  });
});

describe('New mirrord Config: the text', () => {
  const verify = (target: Parameters<typeof verifiedNewConfig>[0], resolution: Parameters<typeof verifiedNewConfig>[1]) =>
    verifiedNewConfig(target, resolution);
  const textOptions = { trusted: true, log: silentLog, resolveManifests: resolveFromManifestFiles, verify };

  /** A cluster whose lookup finds `object` (as the resolver would, its pod template). */
  function resolvingCluster(object: KubeObject | undefined) {
    const asked: string[] = [];
    return {
      asked,
      async resolve(request: { ref: { kind: string; name?: string; container?: string }; namespace?: string }): Promise<ClusterResolution> {
        asked.push(`${request.ref.kind}/${request.ref.name}${request.ref.container ? `/${request.ref.container}` : ''} in ${request.namespace ?? '-'}`);
        const resolution: ResolveResult | undefined =
          object && object.metadata?.name === request.ref.name
            ? candidateResolution('deployment', object, request.namespace ?? 'shop', 'cluster', request.ref.container)
            : undefined;
        if (resolution) return { ...resolution, info: INFO, fromCache: false, fetchedAt: 0 };
        return {
          ok: false,
          failure: { kind: 'not-found', message: `Deployment "${request.ref.name}" not found in namespace "shop" (context "dev").` },
          info: INFO,
          fromCache: false,
          fetchedAt: 0,
        };
      },
    };
  }

  test('a cluster workload: looked up again, the verified text with its namespace, the file name', async () => {
    const cluster = resolvingCluster(deployment('api', { app: 'api' }));
    const result = await newConfigTextFor(cluster, place, { kind: 'deployment', name: 'api', namespace: 'shop' }, settings({}), textOptions);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(cluster.asked, ['deployment/api in shop']);
    assert.equal(result.fileName, 'api.mirrord.json');
    assert.equal(result.source, 'cluster');
    const config = JSON.parse(result.text);
    assert.deepEqual(config.target, { path: 'deployment/api', namespace: 'shop' });
    assert.ok(!('$schema' in config));
    assert.ok(!('kube_context' in config), "the kubeconfig's current context: mirrord's too, so not written");
    const resolution = candidateResolution('deployment', deployment('api', { app: 'api' }), 'shop', 'cluster')!;
    const verdicts = analyzeConfig(parseConfig(result.text, 'json'), resolution).probes.map((p) => `${p.probe.probe}:${p.verdict}`);
    assert.deepEqual(verdicts, ['liveness:safe', 'readiness:safe']);
  });

  test("a context chosen for Probe Guard (probeGuard.kubeContext, --context) is written as kube_context: mirrord would use the kubeconfig's current one", async () => {
    const cluster = resolvingCluster(deployment('api', { app: 'api' }));
    const fromSetting = await newConfigTextFor(
      cluster,
      place,
      { kind: 'deployment', name: 'api', namespace: 'shop' },
      settings({ kubeContext: 'dev' }),
      textOptions,
    );
    assert.ok(fromSetting.ok, JSON.stringify(fromSetting));
    assert.equal(JSON.parse(fromSetting.text).kube_context, 'dev');
    const fromRequest = await newConfigTextFor(
      cluster,
      place,
      { kind: 'deployment', name: 'api', namespace: 'shop', kubeContext: 'dev' },
      settings({}),
      textOptions,
    );
    assert.ok(fromRequest.ok);
    const config = JSON.parse(fromRequest.text);
    assert.equal(config.kube_context, 'dev');
    // Still a config mirrord takes, verified safe.
    const resolution = candidateResolution('deployment', deployment('api', { app: 'api' }), 'shop', 'cluster')!;
    const analysis = analyzeConfig(parseConfig(fromRequest.text, 'json'), resolution);
    assert.deepEqual(
      analysis.findings.filter((f) => f.severity === 'error' || f.severity === 'warning'),
      [],
    );
    assert.deepEqual(
      analysis.probes.map((p) => p.verdict),
      ['safe', 'safe'],
    );
  });

  test('a kubeconfig chosen for Probe Guard: the result says mirrord does not read it; none chosen, or from the manifests: no note', async () => {
    const cluster = resolvingCluster(deployment('api', { app: 'api' }));
    const chosen = await newConfigTextFor(
      cluster,
      place,
      { kind: 'deployment', name: 'api', namespace: 'shop', kubeconfig: '/home/dev/other.yaml' },
      settings({}),
      textOptions,
    );
    assert.ok(chosen.ok);
    assert.match(chosen.kubeconfigNote ?? '', /mirrord does not read on its own .*KUBECONFIG=/);
    assert.ok(!('kubeconfig' in JSON.parse(chosen.text)), 'no path of this machine in the config');
    const plain = await newConfigTextFor(cluster, place, { kind: 'deployment', name: 'api', namespace: 'shop' }, settings({}), textOptions);
    assert.ok(plain.ok);
    assert.equal(plain.kubeconfigNote, undefined);
  });

  test('a container the workload does not have, a workload that is not there: refused with the reason', async () => {
    const cluster = resolvingCluster(deployment('api', { app: 'api' }));
    const noContainer = await newConfigTextFor(cluster, place, { kind: 'deployment', name: 'api', container: 'sidecar' }, settings({}), textOptions);
    assert.equal(noContainer.ok, false);
    assert.match(!noContainer.ok ? noContainer.reason : '', /deployment\/api has no container "sidecar" \(its containers: api\)/);
    const missing = await newConfigTextFor(cluster, place, { kind: 'deployment', name: 'gone' }, settings({}), textOptions);
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.reason : '', /Deployment "gone" not found/);
    assert.deepEqual(
      [noContainer, missing].map((r) => (r.ok ? 'ok' : r.why)),
      ['unresolved', 'unresolved'],
    );
  });

  test('a probe the engine cannot judge: refused, naming the probe', async () => {
    const opaque = deployment('api', { app: 'api' });
    opaque.spec.template.spec.containers[0].livenessProbe = { exec: { command: ['/bin/sh', '-c', '$(cat /probe)'] } };
    const result = await newConfigTextFor(resolvingCluster(opaque), place, { kind: 'deployment', name: 'api' }, settings({}), textOptions);
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.reason, /liveness probe of api: unknown/);
    assert.equal(result.why, 'unsafe');
    assert.deepEqual(
      result.probes.map((p) => `${p.probe}:${p.verdict}`),
      ['liveness:unknown'],
    );
  });

  test('from the manifests (lookups off): the workload of the named namespace, a second port fixed and proven', async () => {
    const twoPorts = deployment('web', { app: 'web' }, 'front');
    twoPorts.spec.template.spec.containers = [
      { ...container('web', 8080), readinessProbe: { httpGet: { path: '/ready', port: 9090 } } },
      { name: 'envoy', image: 'envoy', ports: [{ containerPort: 9901 }] },
    ];
    const file = writeManifest('web.json', [twoPorts]);
    const result = await newConfigTextFor(
      resolvingCluster(undefined),
      place,
      { kind: 'deployment', name: 'web', namespace: 'front', container: 'web' },
      settings({ 'clusterLookup.enabled': false, manifests: [file] }),
      textOptions,
    );
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.source, 'manifests');
    assert.deepEqual(JSON.parse(result.text).target, { path: 'deployment/web/container/web', namespace: 'front' });
  });

  test('no namespace given and the workload in exactly one other namespace: that one; in two: refused, naming both', async () => {
    const file = writeManifest('elsewhere.json', [
      deployment('solo', { app: 'solo' }, 'front'),
      deployment('twin', { app: 'twin' }, 'a'),
      deployment('twin', { app: 'twin' }, 'b'),
    ]);
    const manifestsOnly = settings({ 'clusterLookup.enabled': false, manifests: [file] });
    const solo = await newConfigTextFor(resolvingCluster(undefined), place, { kind: 'deployment', name: 'solo' }, manifestsOnly, textOptions);
    assert.ok(solo.ok, JSON.stringify(solo));
    assert.deepEqual(JSON.parse(solo.text).target, { path: 'deployment/solo', namespace: 'front' });
    const twin = await newConfigTextFor(resolvingCluster(undefined), place, { kind: 'deployment', name: 'twin' }, manifestsOnly, textOptions);
    assert.equal(twin.ok, false);
    assert.deepEqual(!twin.ok && twin.otherNamespaces, ['a', 'b']);
  });

  test('untrusted, bad names, a kind that is no workload: refused before any lookup', async () => {
    const cluster = resolvingCluster(deployment('api', { app: 'api' }));
    for (const [request, trusted, reason, why] of [
      [{ kind: 'deployment', name: 'api' }, false, /Restricted Mode/, 'restricted'],
      [{ kind: 'pod', name: 'api-1' }, true, /targets a deployment, rollout, statefulset/, 'invalid'],
      [{ kind: 'deployment', name: '../../etc' }, true, /not a Kubernetes object name/, 'invalid'],
      [{ kind: 'deployment', name: 'api', namespace: 'a/b' }, true, /not a namespace name/, 'invalid'],
    ] as const) {
      const result = await newConfigTextFor(cluster, place, request, settings({}), { ...textOptions, trusted });
      assert.equal(result.ok, false);
      assert.match(!result.ok ? result.reason : '', reason);
      assert.equal(!result.ok && result.why, why);
    }
    assert.deepEqual(cluster.asked, []);
  });

  test('the file name: the first free one of name, name-2, name-3', () => {
    const taken = new Set(['api.mirrord.json', 'api-2.mirrord.json']);
    assert.equal(
      freeConfigFileName('api', (f) => taken.has(f)),
      'api-3.mirrord.json',
    );
    assert.equal(
      freeConfigFileName('web', (f) => taken.has(f)),
      'web.mirrord.json',
    );
  });
});
