// Every way a kubeconfig can authenticate reaches the fake API server as the right user; exec
// plugins run only when allowed, and in Restricted Mode no request is made at all.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LookupRequest } from '../../../src/core/types';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import { type FakeKubeApi, startKubeApiServer } from '../../support/kubeApiServer';
import { certUser, execUser, tempDir, tokenFileUser, writeSimpleKubeconfig } from '../../support/kubeconfigs';
import { NS, settingsFor, shopObjects } from '../../support/kubeFixtures';

const apiDeployment: LookupRequest = { ref: { kind: 'deployment', name: 'api' }, namespace: NS };

describe('cluster auth', () => {
  let api: FakeKubeApi;
  let plain: FakeKubeApi;

  before(async () => {
    api = await startKubeApiServer({ objects: shopObjects() });
    plain = await startKubeApiServer({ tls: false, objects: shopObjects() });
  });
  after(async () => {
    await api.close();
    await plain.close();
  });

  async function resolveWith(server: FakeKubeApi, user: Record<string, unknown> | undefined, ca: 'data' | 'file' = 'data', dir = tempDir()) {
    const kubeconfig = writeSimpleKubeconfig(server, dir, { user, ca });
    const before = server.requests.length;
    const result = await createClusterResolver().resolve(apiDeployment, settingsFor(dir, { overrides: { kubeconfig } }));
    return { result, requests: server.requests.slice(before) };
  }

  function assertFetchedAs(outcome: Awaited<ReturnType<typeof resolveWith>>, user: string): void {
    assert.equal(outcome.result.ok, true, outcome.result.ok ? '' : outcome.result.failure.message);
    assert.ok(outcome.requests.length > 0);
    assert.ok(
      outcome.requests.every((r) => r.user === user),
      JSON.stringify(outcome.requests),
    );
    assert.ok(outcome.requests.some((r) => r.path === `/apis/apps/v1/namespaces/${NS}/deployments/api`));
  }

  it('bearer token with the CA as data', async () => {
    assertFetchedAs(await resolveWith(api, undefined, 'data'), 'alice');
  });

  it('bearer token with the CA as a file', async () => {
    assertFetchedAs(await resolveWith(api, undefined, 'file'), 'alice');
  });

  it('token file relative to the kubeconfig, trailing newline trimmed', async () => {
    const dir = tempDir();
    assertFetchedAs(await resolveWith(api, tokenFileUser(api, dir), 'data', dir), 'alice');
  });

  it('client certificate and key as files', async () => {
    assertFetchedAs(await resolveWith(api, certUser(api)), 'bob');
  });

  it('client certificate and key as data', async () => {
    assertFetchedAs(await resolveWith(api, certUser(api, true)), 'bob');
  });

  it('plain http with insecure-skip-tls-verify', async () => {
    assertFetchedAs(await resolveWith(plain, { token: plain.tokenUser.token }), 'alice');
  });

  it('exec plugin, when allowed, runs and its token is used', async () => {
    const dir = tempDir();
    const marker = join(dir, 'ran');
    assertFetchedAs(await resolveWith(api, execUser(api, dir, { marker }), 'data', dir), 'alice');
    assert.ok(existsSync(marker), 'the plugin ran');
  });

  it('exec plugin in Restricted Mode: exec-forbidden, plugin not run, no request made', async () => {
    const dir = tempDir();
    const marker = join(dir, 'ran');
    const kubeconfig = writeSimpleKubeconfig(api, dir, { user: execUser(api, dir, { marker }) });
    const before = api.requests.length;
    const resolver = createClusterResolver();
    const result = await resolver.resolve(apiDeployment, settingsFor(dir, { allowExec: false, overrides: { kubeconfig } }));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.failure.kind, 'exec-forbidden');
    assert.match(result.failure.message, /not run in Restricted Mode/);
    assert.equal(api.requests.length, before, 'the server saw no request');
    assert.equal(resolver.requestCount, 0);
    assert.equal(existsSync(marker), false, 'the plugin did not run');
  });

  it('auth-provider users are refused in Restricted Mode too', async () => {
    const dir = tempDir();
    const kubeconfig = writeSimpleKubeconfig(api, dir, {
      user: { 'auth-provider': { name: 'oidc', config: { 'id-token': 'eyJhbGciOi.secretpart.sig', 'client-secret': 'oidc-client-secret-1' } } },
    });
    const result = await createClusterResolver().resolve(apiDeployment, settingsFor(dir, { allowExec: false, overrides: { kubeconfig } }));
    assert.equal(result.ok ? 'ok' : result.failure.kind, 'exec-forbidden');
    assert.doesNotMatch(JSON.stringify(result), /secretpart|oidc-client-secret-1/);
  });

  it('an exec plugin that fails: exec-failed, its secret env value scrubbed', async () => {
    const dir = tempDir();
    const kubeconfig = writeSimpleKubeconfig(api, dir, { user: execUser(api, dir, { fail: true }) });
    const before = api.requests.length;
    const result = await createClusterResolver().resolve(apiDeployment, settingsFor(dir, { overrides: { kubeconfig } }));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.failure.kind, 'exec-failed');
    assert.match(result.failure.message, /plugin login failed/);
    assert.doesNotMatch(result.failure.message, /plugin-env-secret-value-42/);
    assert.equal(api.requests.length, before);
  });
});
