/**
 * probeGuard/launchVerdict (the launch.json CodeLens) over stdio against the test API server: the
 * config a launch configuration uses, read from disk or from the open document, with the
 * configuration's MIRRORD_* env over it, its target looked up, and one line about its probes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { LaunchVerdictParams, LaunchVerdictResult } from '../../src/service/lspProtocol';
import { startKubeApiServer, type FakeKubeApi } from '../support/kubeApiServer';
import { writeSimpleKubeconfig } from '../support/kubeconfigs';
import { shopObjects } from '../support/kubeFixtures';
import { LspTestClient } from './lspTestClient';

const STEAL_API = JSON.stringify({ target: { path: 'deployment/api', namespace: 'shop' }, feature: { network: { incoming: 'steal' } } }, null, 2) + '\n';
const MIRROR_API = STEAL_API.replace('"steal"', '"mirror"');
const SAFE_FILTER = '^User-Agent: (?!kube-probe)';

let api: FakeKubeApi;
let root = '';
let clients: LspTestClient[] = [];

function workspace(name: string) {
  const dir = fs.mkdtempSync(path.join(root, `${name}-`));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, KUBECONFIG: writeSimpleKubeconfig(api, home, { namespace: 'shop' }) };
  const write = (relative: string, text: string) => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return pathToFileURL(file).href;
  };
  return { dir, env, write, folderUri: pathToFileURL(dir).href };
}

async function start(ws: ReturnType<typeof workspace>, trusted = true): Promise<LspTestClient> {
  const client = await LspTestClient.start({ workspaceFolder: ws.dir, trusted, env: ws.env });
  clients.push(client);
  return client;
}

function verdict(client: LspTestClient, params: LaunchVerdictParams): Promise<LaunchVerdictResult> {
  return client.request<LaunchVerdictResult>('probeGuard/launchVerdict', params);
}

const apiRequests = () => api.requests.filter((r) => r.path.includes('/deployments/api')).length;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-launch-'));
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

describe('language server: probeGuard/launchVerdict', () => {
  test('a config on disk, looked up in the cluster: the mode, the target, the stolen probes and the config', async () => {
    const ws = workspace('disk');
    const uri = ws.write('.mirrord/api.mirrord.json', STEAL_API);
    const client = await start(ws);
    const result = await verdict(client, { config: { uri }, env: {}, folderUri: ws.folderUri });
    assert.equal(result.title, 'mirrord: steal deployment/api, liveness and readiness stolen · .mirrord/api.mirrord.json');
    assert.equal(result.mode, 'steal');
    assert.equal(result.target, 'deployment/api');
    assert.equal(result.lookup, 'resolved');
    assert.deepEqual(
      result.atRisk.map((r) => `${r.probe}:${r.verdict}`),
      ['liveness:stolen', 'readiness:stolen'],
    );
    assert.ok(apiRequests() > 0, 'the deployment was asked for');
  });

  test("the launch env's MIRRORD_* variables override the file, as mirrord applies them", async () => {
    const ws = workspace('env');
    const uri = ws.write('.mirrord/api.mirrord.json', STEAL_API);
    const client = await start(ws);
    const filtered = await verdict(client, { config: { uri }, env: { MIRRORD_HTTP_HEADER_FILTER: SAFE_FILTER } });
    assert.equal(filtered.title, 'mirrord: steal deployment/api, probes safe · .mirrord/api.mirrord.json');
    assert.ok(
      filtered.details.some((d) => d.startsWith(`MIRRORD_HTTP_HEADER_FILTER=${SAFE_FILTER}`)),
      filtered.details.join('\n'),
    );

    const mirrorUri = ws.write('.mirrord/mirror.mirrord.json', MIRROR_API);
    const stealing = await verdict(client, { config: { uri: mirrorUri }, env: { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'true' } });
    assert.equal(stealing.mode, 'steal');
    assert.match(stealing.title, /^mirrord: steal deployment\/api, liveness and readiness stolen/);
    const mirroring = await verdict(client, { config: { uri: mirrorUri }, env: {} });
    assert.equal(mirroring.title, 'mirrord: mirror deployment/api, no probe stolen · .mirrord/mirror.mirrord.json');
  });

  test("no config file: mirrord's defaults with the env's target and steal", async () => {
    const ws = workspace('none');
    const client = await start(ws);
    const result = await verdict(client, {
      env: { MIRRORD_IMPERSONATED_TARGET: 'deployment/api', MIRRORD_TARGET_NAMESPACE: 'shop', MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'true' },
      folderUri: ws.folderUri,
    });
    assert.equal(result.title, "mirrord: steal deployment/api, liveness and readiness stolen · mirrord's defaults (no config file)");
  });

  test('the open document is judged, not the file on disk; a missing file says so', async () => {
    const ws = workspace('open');
    const uri = ws.write('.mirrord/api.mirrord.json', STEAL_API);
    const client = await start(ws);
    await client.open(uri, MIRROR_API);
    const result = await verdict(client, { config: { uri } });
    assert.equal(result.mode, 'mirror');
    const missing = await verdict(client, { config: { uri: pathToFileURL(path.join(ws.dir, '.mirrord/gone.mirrord.json')).href } });
    assert.equal(missing.problem, 'config file not found');
    assert.equal(missing.title, 'mirrord: config file not found · .mirrord/gone.mirrord.json');
  });

  test('Restricted Mode: no lookup, and a config outside the workspace (or linked out of it) is not read', async () => {
    const ws = workspace('untrusted');
    const inside = ws.write('.mirrord/api.mirrord.json', STEAL_API);
    const outsideDir = fs.mkdtempSync(path.join(root, 'outside-'));
    const outsideFile = path.join(outsideDir, 'secret.mirrord.json');
    fs.writeFileSync(outsideFile, STEAL_API);
    fs.symlinkSync(outsideFile, path.join(ws.dir, '.mirrord', 'link.mirrord.json'));
    const client = await start(ws, false);
    const before = apiRequests();
    const result = await verdict(client, { config: { uri: inside }, env: {} });
    assert.equal(result.title, 'mirrord: steal deployment/api, probes not looked up (Restricted Mode) · .mirrord/api.mirrord.json');
    assert.equal(result.lookup, 'restricted');
    for (const uri of [pathToFileURL(outsideFile).href, pathToFileURL(path.join(ws.dir, '.mirrord', 'link.mirrord.json')).href]) {
      const refused = await verdict(client, { config: { uri }, env: {} });
      assert.equal(refused.problem, 'the config is outside the workspace: not read in Restricted Mode');
      assert.equal(refused.mode, 'unknown');
    }
    assert.equal(apiRequests(), before, 'no API request in Restricted Mode');
  });

  test('garbage params are answered, not crashed on', async () => {
    const ws = workspace('garbage');
    const client = await start(ws);
    for (const params of [null, {}, { config: { uri: 42 } }, { config: { uri: 'untitled:x' } }, { env: 'x', folderUri: 7 }]) {
      const result = await verdict(client, params as LaunchVerdictParams);
      assert.equal(typeof result.title, 'string');
    }
    const ok = await verdict(client, { config: { uri: ws.write('.mirrord/api.mirrord.json', STEAL_API) } });
    assert.equal(ok.mode, 'steal');
  });
});
