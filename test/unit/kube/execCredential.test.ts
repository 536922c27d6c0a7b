// Exec credential plugins run by src/kube/execCredential.ts: token and client-certificate
// credentials, the environment a plugin sees, relative commands, the expiry cache, and plugins that
// hang (killed on timeout or cancel) or fail (typed, scrubbed failures).
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { LookupRequest } from '../../../src/core/types';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import type { ClusterSettings } from '../../../src/kube/clusterTypes';
import { clearExecCredentialCache } from '../../../src/kube/execCredential';
import { type FakeKubeApi, startKubeApiServer } from '../../support/kubeApiServer';
import { tempDir, writeSimpleKubeconfig } from '../../support/kubeconfigs';
import { NS, settingsFor, shopObjects } from '../../support/kubeFixtures';

const apiDeployment: LookupRequest = { ref: { kind: 'deployment', name: 'api' }, namespace: NS };
const V1 = 'client.authentication.k8s.io/v1';
const V1BETA1 = 'client.authentication.k8s.io/v1beta1';

/** A node-script plugin in `dir`; `body` is the script. */
function plugin(dir: string, name: string, body: string, stanza: Record<string, unknown> = {}): Record<string, unknown> {
  const script = join(dir, name);
  writeFileSync(script, body);
  return { exec: { apiVersion: V1, command: process.execPath, args: [script], interactiveMode: 'Never', ...stanza } };
}

function credentialJs(status: string, apiVersion = V1): string {
  return `process.stdout.write(JSON.stringify({apiVersion: ${JSON.stringify(apiVersion)}, kind: 'ExecCredential', status: ${status}}));\n`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    if (err?.code === 'ESRCH') return false;
    throw err;
  }
}

/** Short polling, bounded: resolves as soon as `done()` holds, fails after `limitMs`. */
async function waitFor(done: () => boolean, limitMs: number, what: string): Promise<void> {
  const end = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('exec credential plugins', () => {
  let api: FakeKubeApi;

  before(async () => {
    api = await startKubeApiServer({ objects: shopObjects() });
  });
  after(async () => {
    await api.close();
  });
  beforeEach(() => clearExecCredentialCache());

  async function lookup(
    dir: string,
    user: Record<string, unknown>,
    extra: Partial<ClusterSettings> = {},
    resolver = createClusterResolver(),
    signal?: AbortSignal,
  ) {
    const kubeconfig = writeSimpleKubeconfig(api, dir, { user, fileName: 'kubeconfig.yaml' });
    const before = api.requests.length;
    const result = await resolver.resolve(apiDeployment, settingsFor(dir, { overrides: { kubeconfig }, cacheTtlMs: 0, ...extra }), { signal });
    return { result, requests: api.requests.slice(before) };
  }

  function assertFetchedAs(outcome: Awaited<ReturnType<typeof lookup>>, user: string): void {
    assert.equal(outcome.result.ok, true, outcome.result.ok ? '' : outcome.result.failure.message);
    assert.ok(outcome.requests.length > 0);
    assert.ok(
      outcome.requests.every((r) => r.user === user),
      JSON.stringify(outcome.requests),
    );
  }

  function failureOf(outcome: Awaited<ReturnType<typeof lookup>>) {
    assert.equal(outcome.result.ok, false, 'the lookup should fail');
    if (outcome.result.ok) throw new Error('unreachable');
    return outcome.result.failure;
  }

  it('a plugin printing a token: the lookup uses it', async () => {
    const dir = tempDir();
    assertFetchedAs(await lookup(dir, plugin(dir, 'token.js', credentialJs(`{token: ${JSON.stringify(api.tokenUser.token)}}`))), 'alice');
  });

  it('a plugin printing a client certificate and key: the lookup authenticates with them', async () => {
    const dir = tempDir();
    const status = `{clientCertificateData: ${JSON.stringify(api.certUser.certPem)}, clientKeyData: ${JSON.stringify(api.certUser.keyPem)}}`;
    assertFetchedAs(await lookup(dir, plugin(dir, 'cert.js', credentialJs(status))), 'bob');
  });

  it('the plugin sees settings.env, the stanza env and KUBERNETES_EXEC_INFO, not the process env; PATH comes from settings.env', async () => {
    const dir = tempDir();
    const seen = join(dir, 'seen.json');
    process.env.PROBE_GUARD_TEST_PROCESS_ONLY = 'from-process-env';
    try {
      const body =
        `require('fs').writeFileSync(${JSON.stringify(seen)}, JSON.stringify({fromSettings: process.env.FROM_SETTINGS, fromStanza: process.env.FROM_STANZA, ` +
        `overridden: process.env.OVERRIDDEN, processOnly: process.env.PROBE_GUARD_TEST_PROCESS_ONLY, info: process.env.KUBERNETES_EXEC_INFO}));\n` +
        credentialJs(`{token: ${JSON.stringify(api.tokenUser.token)}}`, V1BETA1);
      const user = plugin(dir, 'env.js', body, {
        apiVersion: V1BETA1,
        // A bare name: looked up on the PATH of settings.env.
        command: 'node',
        env: [
          { name: 'FROM_STANZA', value: 'stanza-value' },
          { name: 'OVERRIDDEN', value: 'stanza-wins' },
        ],
      });
      const env = { PATH: dirname(process.execPath), FROM_SETTINGS: 'settings-value', OVERRIDDEN: 'settings-loses' };
      assertFetchedAs(await lookup(dir, user, { env }), 'alice');
      const got = JSON.parse(readFileSync(seen, 'utf8'));
      assert.equal(got.fromSettings, 'settings-value');
      assert.equal(got.fromStanza, 'stanza-value');
      assert.equal(got.overridden, 'stanza-wins');
      assert.equal(got.processOnly, undefined, 'process.env is not passed on');
      assert.deepEqual(JSON.parse(got.info), { apiVersion: V1BETA1, kind: 'ExecCredential', spec: { interactive: false } });
    } finally {
      delete process.env.PROBE_GUARD_TEST_PROCESS_ONLY;
    }
  });

  it('a relative command with a path separator resolves against the kubeconfig folder', { skip: process.platform === 'win32' }, async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'token.js'), credentialJs(`{token: ${JSON.stringify(api.tokenUser.token)}}`));
    const wrapper = join(dir, 'bin', 'plugin.sh');
    writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} "$(dirname "$0")/token.js"\n`);
    chmodSync(wrapper, 0o755);
    // The process's cwd is not the kubeconfig's folder.
    assert.notEqual(process.cwd(), dir);
    assertFetchedAs(await lookup(dir, { exec: { apiVersion: V1, command: './bin/plugin.sh', interactiveMode: 'Never' } }), 'alice');
  });

  it('a plugin that hangs: timeout naming the plugin and user, and the plugin is killed', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pid');
    const user = plugin(dir, 'hang.js', `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetInterval(() => {}, 1000);\n`);
    const failure = failureOf(await lookup(dir, user, { timeoutMs: 1500 }));
    assert.equal(failure.kind, 'timeout');
    assert.match(failure.message, /hang\.js|node/);
    assert.match(failure.message, /user "test-user"/);
    assert.ok(existsSync(pidFile), 'the plugin had started');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !isAlive(pid), 5000, 'the plugin to exit');
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  });

  it('a plugin that hangs and ignores SIGTERM is killed with SIGKILL', { skip: process.platform === 'win32' }, async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pid');
    const user = plugin(
      dir,
      'stubborn.js',
      `process.on('SIGTERM', () => {});\nrequire('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetInterval(() => {}, 1000);\n`,
    );
    const failure = failureOf(await lookup(dir, user, { timeoutMs: 1500 }));
    assert.equal(failure.kind, 'timeout');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !isAlive(pid), 5000, 'the plugin to be killed');
  });

  it('a cancelled lookup kills the plugin it started', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'pid');
    const user = plugin(dir, 'hang.js', `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetInterval(() => {}, 1000);\n`);
    const controller = new AbortController();
    const pending = lookup(dir, user, { timeoutMs: 30000 }, createClusterResolver(), controller.signal);
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 5000, 'the plugin to start');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    controller.abort();
    assert.equal(failureOf(await pending).kind, 'cancelled');
    await waitFor(() => !isAlive(pid), 5000, 'the plugin to exit');
  });

  it('a plugin that exits 1: exec-failed with the first stderr line, scrubbed', async () => {
    const dir = tempDir();
    const body =
      `process.stderr.write('error: login expired, token=SECRET-MARKER-abc123 secret ' + process.env.PLUGIN_SECRET + '\\n');\n` +
      `process.stderr.write('second line SECOND-LINE-MARKER\\n');\nprocess.exit(1);\n`;
    const user = plugin(dir, 'fail.js', body, { env: [{ name: 'PLUGIN_SECRET', value: 'plugin-env-secret-value-42' }] });
    const outcome = await lookup(dir, user);
    const failure = failureOf(outcome);
    assert.equal(failure.kind, 'exec-failed');
    assert.match(failure.message, /exited with code 1/);
    assert.match(failure.message, /login expired/);
    assert.doesNotMatch(failure.message, /SECRET-MARKER|plugin-env-secret-value-42|SECOND-LINE-MARKER/);
    assert.equal(outcome.requests.length, 0);
  });

  it('a plugin printing no valid ExecCredential: exec-failed, nothing it printed in the message', async () => {
    const dir = tempDir();
    const notJson = failureOf(await lookup(dir, plugin(dir, 'garbage.js', `process.stdout.write('SECRET-MARKER-xyz not json');\n`)));
    assert.equal(notJson.kind, 'exec-failed');
    assert.match(notJson.message, /not print valid JSON/);
    assert.doesNotMatch(notJson.message, /SECRET-MARKER/);
    const noStatus = failureOf(await lookup(dir, plugin(dir, 'shape.js', `process.stdout.write(JSON.stringify({token: 'SECRET-MARKER-xyz'}));\n`)));
    assert.equal(noStatus.kind, 'exec-failed');
    assert.doesNotMatch(noStatus.message, /SECRET-MARKER/);
    const wrongVersion = failureOf(await lookup(dir, plugin(dir, 'version.js', credentialJs(`{token: 'SECRET-MARKER-xyz'}`, V1BETA1))));
    assert.equal(wrongVersion.kind, 'exec-failed');
    assert.match(wrongVersion.message, /v1beta1.*asks for client\.authentication\.k8s\.io\/v1/);
    assert.doesNotMatch(wrongVersion.message, /SECRET-MARKER/);
  });

  it('a command that does not exist: exec-failed', async () => {
    const dir = tempDir();
    const failure = failureOf(await lookup(dir, { exec: { apiVersion: V1, command: join(dir, 'no-such-plugin'), interactiveMode: 'Never' } }));
    assert.equal(failure.kind, 'exec-failed');
    assert.match(failure.message, /could not be started: ENOENT/);
  });

  it('a credential is reused until its expirationTimestamp, then the plugin runs again', async () => {
    const dir = tempDir();
    const runs = join(dir, 'runs');
    const body =
      `require('fs').appendFileSync(${JSON.stringify(runs)}, 'x');\n` +
      credentialJs(`{token: ${JSON.stringify(api.tokenUser.token)}, expirationTimestamp: new Date(Date.now() + 10 * 60 * 1000).toISOString()}`);
    const user = plugin(dir, 'expiring.js', body);
    let now = Date.now();
    const resolver = createClusterResolver({ now: () => now });
    const count = () => (existsSync(runs) ? readFileSync(runs, 'utf8').length : 0);
    assertFetchedAs(await lookup(dir, user, {}, resolver), 'alice');
    assert.equal(count(), 1);
    now += 5 * 60 * 1000;
    assertFetchedAs(await lookup(dir, user, {}, resolver), 'alice');
    assert.equal(count(), 1, 'the cached credential was used');
    now += 6 * 60 * 1000;
    assertFetchedAs(await lookup(dir, user, {}, resolver), 'alice');
    assert.equal(count(), 2, 'the expired credential was replaced');
  });

  it('a cached credential the server refuses is dropped: the next lookup runs the plugin again', async () => {
    const dir = tempDir();
    const runs = join(dir, 'runs');
    const body =
      `require('fs').appendFileSync(${JSON.stringify(runs)}, 'x');\n` +
      credentialJs(`{token: 'revoked-token-123456', expirationTimestamp: new Date(Date.now() + 3600e3).toISOString()}`);
    const user = plugin(dir, 'revoked.js', body);
    const resolver = createClusterResolver();
    assert.equal(failureOf(await lookup(dir, user, {}, resolver)).kind, 'unauthorized');
    assert.equal(failureOf(await lookup(dir, user, {}, resolver)).kind, 'unauthorized');
    assert.equal(readFileSync(runs, 'utf8').length, 2);
  });

  it('Restricted Mode still refuses before anything runs', async () => {
    const dir = tempDir();
    const marker = join(dir, 'ran');
    const user = plugin(
      dir,
      'marker.js',
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n` + credentialJs(`{token: ${JSON.stringify(api.tokenUser.token)}}`),
    );
    const outcome = await lookup(dir, user, { allowExec: false });
    assert.equal(failureOf(outcome).kind, 'exec-forbidden');
    assert.equal(outcome.requests.length, 0);
    assert.equal(existsSync(marker), false);
  });

  it('interactiveMode: Always is refused without running the plugin', async () => {
    const dir = tempDir();
    const marker = join(dir, 'ran');
    const user = plugin(dir, 'interactive.js', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`, { interactiveMode: 'Always' });
    const failure = failureOf(await lookup(dir, user));
    assert.equal(failure.kind, 'exec-failed');
    assert.match(failure.message, /interactive/);
    assert.equal(existsSync(marker), false);
  });
});
