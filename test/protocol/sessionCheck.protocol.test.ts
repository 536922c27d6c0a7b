/**
 * probeGuard/sessionCheck and probeGuard/targetRestarts over stdio (the check before F5 and the
 * breakpoint countdown's restart counts), against the project's test API server: the verdict with
 * the launch's MIRRORD_* environment, the fix edit, fresh restart counts, and Restricted Mode.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { SessionCheckResult, TargetRestartsResult } from '../../src/service/lspProtocol';
import { startKubeApiServer, type FakeKubeApi } from '../support/kubeApiServer';
import { writeSimpleKubeconfig } from '../support/kubeconfigs';
import { pod, shopObjects } from '../support/kubeFixtures';
import { applyLspEdits, LspTestClient } from './lspTestClient';

const RISKY = JSON.stringify({ target: { path: 'deployment/api', namespace: 'shop' }, feature: { network: { incoming: 'steal' } } }, null, 2) + '\n';

let api: FakeKubeApi;
let root = '';
let clients: LspTestClient[] = [];

async function start(name: string, trusted: boolean): Promise<{ client: LspTestClient; uri: string }> {
  const dir = fs.mkdtempSync(path.join(root, `${name}-`));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, KUBECONFIG: writeSimpleKubeconfig(api, home, { namespace: 'shop' }) };
  const client = await LspTestClient.start({ workspaceFolder: dir, trusted, env });
  clients.push(client);
  const uri = pathToFileURL(path.join(dir, '.mirrord', 'risky.mirrord.json')).href;
  await client.open(uri, RISKY);
  return { client, uri };
}

const described = (result: SessionCheckResult) => result.risk.probes.map((p) => `${p.container}/${p.probe} ${p.safeHoldSeconds}-${p.latestSeconds}`);

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-session-'));
  api = await startKubeApiServer({ objects: shopObjects() });
});
afterEach(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  clients = [];
});
after(async () => {
  await api.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('language server: the session check', () => {
  test("the cluster's probes with their windows, and the preferred fix as an edit that makes the config safe", async () => {
    const { client, uri } = await start('trusted', true);
    const result = await client.request<SessionCheckResult>('probeGuard/sessionCheck', { textDocument: { uri }, env: {} });
    assert.equal(result.lookup, 'resolved');
    assert.equal(result.source, 'cluster');
    assert.equal(result.risk.assumed, false);
    assert.deepEqual(described(result), ['api/liveness 21-31', 'api/readiness 11-16']);
    assert.ok(result.fix, 'a fix');
    assert.deepEqual(result.fix.titles, ['Add kube-probe filter']);
    const fixed = applyLspEdits(RISKY, result.fix.edits);
    assert.equal(JSON.parse(fixed).feature.network.incoming.http_filter.header_filter, '^User-Agent: (?!kube-probe)');
    const version = await client.change(uri, fixed);
    const again = await client.request<SessionCheckResult>('probeGuard/sessionCheck', { textDocument: { uri }, env: {} });
    assert.equal(again.version, version);
    assert.deepEqual(again.risk.probes, []);
    assert.equal(again.fix, undefined);
  });

  test("the launch's MIRRORD_* variables count, the document's own diagnostics stay as they were", async () => {
    const { client, uri } = await start('env', true);
    const safe = await client.request<SessionCheckResult>('probeGuard/sessionCheck', {
      textDocument: { uri },
      env: { MIRRORD_HTTP_HEADER_FILTER: '^User-Agent: (?!kube-probe)', PATH: '/ignored' },
    });
    assert.deepEqual(safe.risk.probes, []);
    const other = await client.request<SessionCheckResult>('probeGuard/sessionCheck', {
      textDocument: { uri },
      env: { MIRRORD_IMPERSONATED_TARGET: 'deployment/web' },
    });
    assert.equal(other.risk.target, 'deployment/web');
    assert.equal(other.source, 'cluster');
    assert.deepEqual(described(other), ['web/liveness 21-31', 'web/readiness 11-16']);
    const published = await client.diagnosticsOf(uri, (d) => d.diagnostics.some((x) => x.code === 'liveness-probe-stolen'));
    assert.ok(
      published.diagnostics.every((d) => !String(d.message).includes('web')),
      'the published diagnostics are about deployment/api',
    );
  });

  test('restart counts are read fresh from the cluster', async () => {
    const { client, uri } = await start('restarts', true);
    const first = await client.request<TargetRestartsResult>('probeGuard/targetRestarts', { textDocument: { uri }, env: {} });
    assert.deepEqual(first, {
      kind: 'counts',
      pods: [
        { name: 'api-7d9c-aaaaa', restarts: 4 },
        { name: 'api-7d9c-bbbbb', restarts: 0 },
      ],
    });
    api.addObjects([pod('api-7d9c-bbbbb', { app: 'api' }, { restarts: 1, owner: 'api-7d9c' })]);
    const second = await client.request<TargetRestartsResult>('probeGuard/targetRestarts', { textDocument: { uri }, env: {} });
    assert.ok(second.kind === 'counts');
    assert.equal(second.pods.find((p) => p.name === 'api-7d9c-bbbbb')?.restarts, 1);
    api.addObjects([pod('api-7d9c-bbbbb', { app: 'api' }, { owner: 'api-7d9c' })]);
  });

  test('Restricted Mode: the static verdict, no cluster call, no restart counts', async () => {
    const before = api.requests.length;
    const { client, uri } = await start('untrusted', false);
    const result = await client.request<SessionCheckResult>('probeGuard/sessionCheck', { textDocument: { uri }, env: {} });
    assert.equal(result.lookup, 'restricted');
    assert.equal(result.risk.assumed, true);
    assert.deepEqual(described(result), ['api/liveness 21-31', 'api/readiness 21-31']);
    assert.ok(result.fix, 'the fix does not need the target');
    const restarts = await client.request<TargetRestartsResult>('probeGuard/targetRestarts', { textDocument: { uri }, env: {} });
    assert.equal(restarts.kind, 'unavailable');
    assert.equal(api.requests.length, before, 'no request reached the API server');
  });

  test('bad input is refused, and the server goes on', async () => {
    const { client, uri } = await start('bad', true);
    await assert.rejects(client.request('probeGuard/sessionCheck', { nonsense: true }));
    await assert.rejects(client.request('probeGuard/sessionCheck', { textDocument: { uri: 'file:///not/open/mirrord.json' } }));
    const unavailable = await client.request<TargetRestartsResult>('probeGuard/targetRestarts', null);
    assert.equal(unavailable.kind, 'unavailable');
    const result = await client.request<SessionCheckResult>('probeGuard/sessionCheck', { textDocument: { uri }, env: 'garbage' });
    assert.equal(result.risk.probes.length, 2);
  });
});
