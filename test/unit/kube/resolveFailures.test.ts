// Every failure class comes back as a typed, actionable ResolveFailure (never a rejection), and no
// message carries the token or the client key.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { LookupRequest, ResolveFailure } from '../../../src/core/types';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import type { ClusterResolution } from '../../../src/kube/clusterTypes';
import { type FakeKubeApi, startKubeApiServer } from '../../support/kubeApiServer';
import { certUser, tempDir, writeGarbageKubeconfig, writeSimpleKubeconfig } from '../../support/kubeconfigs';
import { NS, settingsFor, shopObjects } from '../../support/kubeFixtures';
import { foreignClientCertificate } from '../../support/testCertificates';

const apiDeployment: LookupRequest = { ref: { kind: 'deployment', name: 'api' }, namespace: NS };

describe('cluster failures', () => {
  let api: FakeKubeApi;
  let dir: string;
  let kubeconfig: string;
  const failures: ResolveFailure[] = [];

  before(async () => {
    api = await startKubeApiServer({ objects: shopObjects() });
    dir = tempDir();
    kubeconfig = writeSimpleKubeconfig(api, dir, { context: 'shop-ctx' });
  });
  beforeEach(async () => {
    await api.setFault(undefined);
    api.setForbidden([]);
  });
  after(async () => {
    await api.close();
    // Collected from every test below: no credential anywhere.
    const text = JSON.stringify(failures);
    assert.ok(failures.length >= 10);
    assert.ok(!text.includes(api.tokenUser.token), 'token leaked');
    assert.ok(!text.includes('PRIVATE KEY'), 'key leaked');
    assert.ok(!text.includes(api.certUser.keyPem.split('\n')[1]), 'key leaked');
  });

  async function failWith(
    request: LookupRequest,
    extra: Parameters<typeof settingsFor>[1] = {},
    file = kubeconfig,
  ): Promise<ResolveFailure & { resolution: ClusterResolution }> {
    const resolution = await createClusterResolver().resolve(request, settingsFor(dir, { overrides: { kubeconfig: file }, ...extra }));
    assert.equal(resolution.ok, false, 'expected a failure');
    if (resolution.ok) throw new Error('unreachable');
    failures.push(resolution.failure);
    return { ...resolution.failure, resolution };
  }

  it('unreachable: connection refused names the server and context', async () => {
    await api.setFault('unavailable');
    const f = await failWith(apiDeployment);
    assert.equal(f.kind, 'unreachable');
    assert.match(f.message, /connection refused/);
    assert.ok(f.message.includes(api.url) && f.message.includes('shop-ctx'));
    await api.restore();
  });

  it('tls: no CA configured says the certificate is self-signed and suggests certificate-authority', async () => {
    const noCa = writeSimpleKubeconfig(api, dir, { fileName: 'no-ca', ca: 'none' });
    const f = await failWith(apiDeployment, {}, noCa);
    assert.equal(f.kind, 'tls');
    assert.match(f.message, /self-signed|not trust/);
    assert.match(f.message, /certificate-authority/);
  });

  it('401: a wrong token names the user and context, never the token', async () => {
    const bad = writeSimpleKubeconfig(api, dir, { fileName: 'bad-token', user: { token: 'wrong-token-0123456789' } });
    const f = await failWith(apiDeployment, {}, bad);
    assert.equal(f.kind, 'unauthorized');
    assert.match(f.message, /user "test-user" in context "test" were rejected.*expired or wrong/);
    assert.doesNotMatch(f.message, /wrong-token-0123456789/);
  });

  it('401: a client certificate from an unknown CA', async () => {
    const foreign = foreignClientCertificate();
    const file = writeSimpleKubeconfig(api, dir, { fileName: 'foreign', user: { 'client-certificate': foreign.certFile, 'client-key': foreign.keyFile } });
    const f = await failWith(apiDeployment, {}, file);
    assert.equal(f.kind, 'unauthorized');
  });

  it('403: names the verb, resource and namespace', async () => {
    api.setForbidden([{ user: 'alice', verb: 'get', resource: 'deployments' }]);
    const f = await failWith(apiDeployment);
    assert.equal(f.kind, 'forbidden');
    assert.match(f.message, /may not get deployments\.apps in namespace "shop"/);
    assert.match(f.message, /alice/);
  });

  it('404: suggests the closest names of that kind in that namespace', async () => {
    const f = await failWith({ ref: { kind: 'deployment', name: 'apii' }, namespace: NS });
    assert.equal(f.kind, 'not-found');
    assert.equal(f.suggestions?.[0], 'api');
    assert.ok(!f.suggestions?.includes('web') || f.suggestions.indexOf('web') > 0);
    assert.match(f.message, /Deployment "apii" not found in namespace "shop".*Did you mean "api"/);
    assert.ok(
      api.requests.some((r) => r.path === `/apis/apps/v1/namespaces/${NS}/deployments` && r.user === 'alice'),
      'listed the kind',
    );
  });

  it('404 where listing is forbidden: still not-found, without suggestions', async () => {
    api.setForbidden([{ user: 'alice', verb: 'list', resource: 'deployments' }]);
    const f = await failWith({ ref: { kind: 'deployment', name: 'apii' }, namespace: NS });
    assert.equal(f.kind, 'not-found');
    assert.equal(f.suggestions, undefined);
  });

  it('404 in an empty namespace says so', async () => {
    const f = await failWith({ ref: { kind: 'deployment', name: 'api' }, namespace: 'nothing-here' });
    assert.equal(f.kind, 'not-found');
    assert.match(f.message, /there are no deployments in namespace "nothing-here"/);
  });

  it('timeout: a hanging server fails within timeoutMs and the stuck request is aborted', async () => {
    await api.setFault('hang');
    const closed = once(api.events, 'hang-closed');
    const started = Date.now();
    const f = await failWith(apiDeployment, { timeoutMs: 300 });
    assert.equal(f.kind, 'timeout');
    assert.match(f.message, /within 300 ms/);
    await closed; // the server saw the client give up on the request
    assert.equal(api.hangingCount, 0);
    assert.ok(Date.now() - started < 10000, 'generous upper bound');
  });

  it('500: server-error with the server status message', async () => {
    await api.setFault({ status: 500, message: 'etcdserver: request timed out' });
    const f = await failWith(apiDeployment);
    assert.equal(f.kind, 'server-error');
    assert.match(f.message, /500.*etcdserver: request timed out/);
  });

  it('a connection dropped mid-answer', async () => {
    await api.setFault('drop');
    const f = await failWith(apiDeployment);
    assert.equal(f.kind, 'unreachable');
    assert.match(f.message, /dropped/);
  });

  it('garbage kubeconfig: bad-kubeconfig naming the file and line, no content quoted', async () => {
    const garbage = writeGarbageKubeconfig(dir);
    const f = await failWith(apiDeployment, {}, garbage);
    assert.equal(f.kind, 'bad-kubeconfig');
    assert.ok(f.message.includes(garbage));
    const leaky = join(dir, 'leaky');
    writeFileSync(leaky, `users:\n- name: u\n  user:\n    token: ${api.tokenUser.token}\n  : [ broken {\n`);
    const g = await failWith(apiDeployment, {}, leaky);
    assert.equal(g.kind, 'bad-kubeconfig');
    assert.ok(!g.message.includes(api.tokenUser.token));
  });

  it('a kubeconfig file that does not exist', async () => {
    const f = await failWith(apiDeployment, {}, join(dir, 'missing-file'));
    assert.equal(f.kind, 'bad-kubeconfig');
    assert.match(f.message, /does not exist/);
  });

  it('a missing context lists the known ones', async () => {
    const f = await failWith({ ...apiDeployment, kubeContext: 'prod' });
    assert.equal(f.kind, 'bad-kubeconfig');
    assert.match(f.message, /Context "prod" is not defined.*shop-ctx/);
    assert.deepEqual(f.suggestions, ['shop-ctx']);
  });

  it('a missing CA file is a bad kubeconfig, not a crash', async () => {
    const file = join(dir, 'missing-ca');
    writeFileSync(
      file,
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: api.url, 'certificate-authority': 'nope/ca.crt' } }],
        users: [{ name: 'u', user: { token: api.tokenUser.token } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    const f = await failWith(apiDeployment, {}, file);
    assert.equal(f.kind, 'bad-kubeconfig');
    assert.match(f.message, /ENOENT/);
  });

  it('the client key never appears, even when the server rejects the cert user', async () => {
    api.setForbidden([{ user: 'bob', verb: 'get', resource: 'deployments' }]);
    const file = writeSimpleKubeconfig(api, dir, { fileName: 'cert-data', user: certUser(api, true) });
    const f = await failWith(apiDeployment, {}, file);
    assert.equal(f.kind, 'forbidden');
    assert.match(f.message, /bob/);
  });

  it('cancellation through the signal', async () => {
    await api.setFault('hang');
    const controller = new AbortController();
    const closed = once(api.events, 'hang-closed');
    api.events.once('request', () => controller.abort());
    const resolution = await createClusterResolver().resolve(apiDeployment, settingsFor(dir, { overrides: { kubeconfig } }), { signal: controller.signal });
    assert.equal(resolution.ok ? 'ok' : resolution.failure.kind, 'cancelled');
    await closed;
  });

  it('bad input never throws', async () => {
    const resolver = createClusterResolver();
    const r1 = await resolver.resolve(undefined as unknown as LookupRequest, undefined as never);
    assert.equal(r1.ok, false);
    const r2 = await resolver.resolve({ ref: { kind: 'targetless' } }, settingsFor(dir));
    assert.equal(r2.ok ? 'ok' : r2.failure.kind, 'unsupported');
    assert.equal(resolver.listContexts(undefined as never).length >= 0, true);
    assert.equal(typeof resolver.describe({}, settingsFor(dir, { env: {} })), 'object');
  });
});
