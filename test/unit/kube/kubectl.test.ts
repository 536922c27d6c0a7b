// The test API server answers Debian's kubectl as a real kube-apiserver would: discovery
// (aggregated v2, and the per-group documents when the server does not aggregate), get and list
// with label selectors, -o json / -o yaml, the server-side Table kubectl prints by default, and
// errors as Status objects that kubectl turns into its usual messages.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { type FakeKubeApi, startKubeApiServer, type StartKubeApiServerOptions } from '../../support/kubeApiServer';
import { tempDir, tokenUser, writeSimpleKubeconfig } from '../../support/kubeconfigs';
import { NS, shopObjects } from '../../support/kubeFixtures';

const KUBECTL = '/usr/bin/kubectl';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** kubectl as a child process (async: the server answers from this process's event loop). */
function kubectl(kubeconfig: string, home: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { env: { HOME: home, PATH: process.env.PATH }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

interface Cluster {
  api: FakeKubeApi;
  kubeconfig: string;
  /** A fresh HOME per cluster: kubectl's discovery cache lives there. */
  home: string;
  run(args: string[], kubeconfig?: string): Promise<Run>;
}

async function cluster(options: StartKubeApiServerOptions = {}): Promise<Cluster> {
  const api = await startKubeApiServer({ objects: shopObjects(), ...options });
  const dir = tempDir('probe-guard-kubectl-');
  const kubeconfig = writeSimpleKubeconfig(api, dir, { namespace: NS });
  const home = join(dir, 'home');
  return { api, kubeconfig, home, run: (args, other) => kubectl(other ?? kubeconfig, home, args) };
}

describe('kubectl against the test API server', () => {
  let c: Cluster;
  before(async () => {
    assert.ok(existsSync(KUBECTL), `${KUBECTL} is missing: scripts/provision-test-runtime.sh installs Debian's kubectl`);
    c = await cluster();
  });
  after(() => c?.api.close());

  it('get deployment -o json: discovery, then the object as stored', async () => {
    const before = c.api.requests.length;
    const r = await c.run(['get', 'deployment', 'api', '-n', NS, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const deployment = JSON.parse(r.stdout);
    assert.equal(deployment.kind, 'Deployment');
    assert.equal(deployment.apiVersion, 'apps/v1');
    assert.equal(deployment.metadata.name, 'api');
    assert.equal(deployment.spec.template.spec.containers[0].livenessProbe.httpGet.path, '/healthz');
    // kubectl may also ask for /version first; the discovery documents come before the GET.
    const seen = c.api.requests.slice(before).filter((q) => q.path !== '/version');
    const get = `/apis/apps/v1/namespaces/${NS}/deployments/api`;
    assert.deepEqual(
      seen.slice(0, 2).map((q) => q.path),
      ['/api', '/apis'],
    );
    assert.equal(seen.at(-1)?.path, get);
    // kubectl 1.26+ asks for aggregated discovery (two documents); older ones read each group version.
    if (/as=APIGroupDiscoveryList/.test(seen[0].accept ?? '')) assert.equal(seen.length, 3, seen.map((q) => q.path).join(' '));
    else assert.ok(seen.some((q) => q.path === '/apis/apps/v1'));
  });

  it('get pods -l, as JSON and YAML: only the matching pods, kinds filled in', async () => {
    const json = await c.run(['get', 'pods', '-n', NS, '-l', 'app=api', '-o', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const list = JSON.parse(json.stdout);
    assert.deepEqual(list.items.map((p: any) => [p.kind, p.metadata.name]).sort(), [
      ['Pod', 'api-7d9c-aaaaa'],
      ['Pod', 'api-7d9c-bbbbb'],
    ]);
    const yaml = await c.run(['get', 'pods', '-n', NS, '-l', 'app in (web),app!=api', '-o', 'yaml']);
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.deepEqual(
      parse(yaml.stdout).items.map((p: any) => p.metadata.name),
      ['web-5f5f-ccccc'],
    );
    const query = c.api.requests.filter((q) => q.path === `/api/v1/namespaces/${NS}/pods`).map((q) => q.query.labelSelector);
    assert.deepEqual(query.slice(-2), ['app=api', 'app in (web),app!=api']);
  });

  it('the default output is the server-side Table kubectl asked for', async () => {
    const r = await c.run(['get', 'deployment', 'api', 'web', '-n', NS]);
    assert.equal(r.code, 0, r.stderr);
    const [header, ...rows] = r.stdout.trim().split('\n');
    assert.deepEqual(header.split(/\s+/), ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    assert.deepEqual(
      rows.map((row) => row.split(/\s+/).slice(0, 2)),
      [
        ['api', '0/2'],
        ['web', '0/2'],
      ],
    );
    const pods = await c.run(['get', 'pods', '-n', NS, '-l', 'app=api']);
    assert.equal(pods.code, 0, pods.stderr);
    assert.match(pods.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    assert.match(pods.stdout, /\napi-7d9c-aaaaa\s+1\/1\s+Running\s+4\s+/);
    const asked = c.api.requests.filter((q) => q.path.endsWith('/pods')).at(-1);
    assert.match(asked?.accept ?? '', /as=Table;v=v1;g=meta\.k8s\.io/);
  });

  it('a missing object is a NotFound Status; a missing namespace says so', async () => {
    const r = await c.run(['get', 'deployment', 'nope', '-n', NS, '-o', 'json']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Error from server \(NotFound\): deployments\.apps "nope" not found/);
    const ns = await c.run(['get', 'deployment', 'api', '-n', 'nowhere']);
    assert.equal(ns.code, 1);
    assert.match(ns.stderr, /Error from server \(NotFound\): (deployments\.apps "api"|namespaces "nowhere") not found/);
  });

  it('401 with a token the server does not know, 403 from an RBAC denial', async () => {
    const badToken = writeSimpleKubeconfig(c.api, tempDir(), { namespace: NS, user: tokenUser(c.api, 'not-a-token') });
    const unauthorized = await c.run(['get', 'pods', '-n', NS], badToken);
    assert.equal(unauthorized.code, 1);
    assert.match(unauthorized.stderr, /You must be logged in to the server \(Unauthorized\)/);
    c.api.setForbidden([{ user: 'alice', verb: 'get', resource: 'deployments' }]);
    try {
      const forbidden = await c.run(['get', 'deployment', 'api', '-n', NS, '-o', 'json']);
      assert.equal(forbidden.code, 1);
      assert.match(
        forbidden.stderr,
        /Error from server \(Forbidden\): deployments\.apps "api" is forbidden: User "alice" cannot get resource "deployments" in API group "apps" in the namespace "shop"/,
      );
    } finally {
      c.api.setForbidden([]);
    }
  });

  it('Argo Rollouts through its group; a cluster without the CRD does not have the type', async () => {
    const r = await c.run(['get', 'rollout', 'checkout', '-n', NS, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).spec.workloadRef.name, 'checkout-template');
    const bare = await cluster({ withoutGroups: ['argoproj.io'] });
    try {
      const missing = await bare.run(['get', 'rollouts', '-n', NS]);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /the server doesn't have a resource type "rollouts"/);
    } finally {
      await bare.api.close();
    }
  });
});

describe('kubectl against a test API server without aggregated discovery', () => {
  it('reads /api, /apis and the per-group documents, then gets the object', async () => {
    const c = await cluster({ aggregatedDiscovery: false });
    try {
      const r = await c.run(['get', 'deployment', 'api', '-n', NS, '-o', 'json']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).metadata.name, 'api');
      const paths = new Set(c.api.requests.map((q) => q.path));
      for (const path of ['/api', '/apis', '/api/v1', '/apis/apps/v1', '/apis/batch/v1', '/apis/argoproj.io/v1alpha1'])
        assert.ok(paths.has(path), `kubectl did not read ${path}: ${[...paths].join(' ')}`);
    } finally {
      await c.api.close();
    }
  });
});
