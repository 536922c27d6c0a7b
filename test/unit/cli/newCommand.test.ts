/**
 * `probe-guard new <kind/name>` on the real binary: the verified config printed (and `check` on it
 * passes against the same cluster), `--write [DIR]` never overwriting, `--manifest`, refusals with
 * the reason and their exit codes, usage errors.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '../analyze/analyzeSupport';
import { cliTestEnv } from '../../support/cliEnv';
import { startKubeApiServer, type FakeKubeApi } from '../../support/kubeApiServer';
import { clusterFor, kubeconfigDoc, tokenUser, writeKubeconfig } from '../../support/kubeconfigs';
import { deployment, NS, shopObjects } from '../../support/kubeFixtures';

const BIN = path.join(repoRoot(), 'bin', 'probe-guard.js');
let tmp = '';
let api: FakeKubeApi;
let kubeconfig = '';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const env = cliTestEnv(tmp, { KUBECONFIG: kubeconfig, ...extraEnv });
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env, timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

function folder(name: string): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A deployment whose liveness probe runs a command the engine cannot read. */
function opaqueDeployment(): object {
  const object = deployment('vault', { app: 'vault' });
  object.spec.template.spec.containers[0].livenessProbe = { exec: { command: ['/bin/sh', '-c', '$(cat /etc/probe)'] } };
  return object;
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-cli-new-'));
  api = await startKubeApiServer({ objects: [...shopObjects(), opaqueDeployment() as never] });
  kubeconfig = writeKubeconfig(tmp, 'kubeconfig.yaml', kubeconfigDoc([{ name: 'shop', cluster: clusterFor(api), user: tokenUser(api), namespace: NS }]));
});
after(async () => {
  await api.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('probe-guard new', () => {
  test('prints the verified config; check on it against the same cluster passes', async () => {
    const dir = folder('print');
    const result = await cli(['new', 'deployment/api'], dir);
    assert.equal(result.code, 0, result.stderr);
    const config = JSON.parse(result.stdout);
    assert.deepEqual(config.target, { path: 'deployment/api', namespace: NS });
    assert.equal(config.feature.network.incoming.mode, 'steal');
    assert.ok(!('$schema' in config));
    assert.match(result.stderr, /verified against deployment\/api in namespace "shop" \(cluster\): no liveness or readiness probe stolen/);
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing written without --write');
    fs.writeFileSync(path.join(dir, 'api.mirrord.json'), result.stdout);
    const check = await cli(['check', 'api.mirrord.json', '--format', 'json'], dir);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const report = JSON.parse(check.stdout);
    const probes = report.configs[0].probes.map((p: { probe: string; verdict: string }) => `${p.probe}:${p.verdict}`);
    assert.deepEqual(probes, ['liveness:safe', 'readiness:safe']);
  });

  test('--kubeconfig: the config, and a warning (even with --quiet) that mirrord reads its own kubeconfig', async () => {
    const dir = folder('kubeconfig');
    const result = await cli(['new', 'deployment/api', '--kubeconfig', kubeconfig, '--quiet'], dir, { KUBECONFIG: path.join(dir, 'missing.yaml') });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).target.path, 'deployment/api');
    assert.ok(!('kubeconfig' in JSON.parse(result.stdout)));
    assert.match(result.stderr, /^probe-guard: warning: Found through the kubeconfig .*run mirrord with KUBECONFIG=/m);
    assert.doesNotMatch(result.stderr, /verified against/, '--quiet keeps the other notes out');
  });

  test('--write DIR: DIR/.mirrord/NAME.mirrord.json, then NAME-2 (the first is not overwritten); --write alone: the current folder', async () => {
    const dir = folder('write');
    const first = await cli(['new', 'deployment/web', '--write', 'app'], dir);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.trim(), path.join('app', '.mirrord', 'web.mirrord.json'));
    const written = path.join(dir, 'app', '.mirrord', 'web.mirrord.json');
    const text = fs.readFileSync(written, 'utf8');
    assert.equal(JSON.parse(text).target.path, 'deployment/web');
    fs.writeFileSync(written, text.replace('"steal"', '"mirror"'));
    const second = await cli(['new', '--write', 'app', 'deployment/web'], dir);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout.trim(), path.join('app', '.mirrord', 'web-2.mirrord.json'));
    assert.match(fs.readFileSync(written, 'utf8'), /"mirror"/, 'the first file is untouched');
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'app', '.mirrord', 'web-2.mirrord.json'), 'utf8')).target.path, 'deployment/web');
    const here = await cli(['new', 'statefulset/db', '--write', '--quiet'], dir);
    assert.equal(here.code, 0, here.stderr);
    assert.equal(here.stdout.trim(), path.join('.mirrord', 'db.mirrord.json'));
    assert.equal(here.stderr, '');
    // A dangling symlink holds its name too: the next free name, not a loop on that one.
    fs.symlinkSync(path.join(dir, 'nowhere.json'), path.join(dir, 'app', '.mirrord', 'web-3.mirrord.json'));
    const third = await cli(['new', 'deployment/web', '--write', 'app'], dir);
    assert.equal(third.code, 0, third.stderr);
    assert.equal(third.stdout.trim(), path.join('app', '.mirrord', 'web-4.mirrord.json'));
    assert.equal(fs.existsSync(path.join(dir, 'nowhere.json')), false, 'nothing written through the link');
  });

  test('a container (in the path or --container) and --namespace; --manifest instead of the cluster', async () => {
    const dir = folder('options');
    const staging = await cli(['new', 'deployment/api/container/api', '--namespace', 'staging'], dir);
    assert.equal(staging.code, 0, staging.stderr);
    assert.deepEqual(JSON.parse(staging.stdout).target, { path: 'deployment/api/container/api', namespace: 'staging' });
    const manifest = path.join(dir, 'orders.json');
    fs.writeFileSync(manifest, JSON.stringify(deployment('orders', { app: 'orders' }, 'kitchen')));
    const fromManifest = await cli(['new', 'deploy/orders', '--container', 'orders', '--namespace', 'kitchen', '--manifest', 'orders.json'], dir, {
      KUBECONFIG: path.join(tmp, 'missing-kubeconfig'),
    });
    assert.equal(fromManifest.code, 0, fromManifest.stderr);
    assert.deepEqual(JSON.parse(fromManifest.stdout).target, { path: 'deployment/orders/container/orders', namespace: 'kitchen' });
    assert.match(fromManifest.stderr, /\(manifests\)/);
  });

  test('refused: a probe the engine cannot judge (exit 1, nothing written), not found and no such container (exit 3)', async () => {
    const dir = folder('refused');
    const vault = await cli(['new', 'deployment/vault', '--write'], dir);
    assert.equal(vault.code, 1, vault.stderr);
    assert.match(vault.stderr, /no config written for deployment\/vault: .*liveness probe of vault: unknown/);
    assert.equal(vault.stdout, '');
    assert.ok(!fs.existsSync(path.join(dir, '.mirrord')), 'nothing written');
    const missing = await cli(['new', 'deployment/nope'], dir);
    assert.equal(missing.code, 3, missing.stderr);
    assert.match(missing.stderr, /no config written for deployment\/nope: .*"nope" not found/);
    const noContainer = await cli(['new', 'deployment/api', '--container', 'sidecar'], dir);
    assert.equal(noContainer.code, 3);
    assert.match(noContainer.stderr, /has no container "sidecar" \(its containers: api\)/);
  });

  test('--manifest without --namespace: the one namespace that has it; in two: exit 3 and the --namespace choices', async () => {
    const dir = folder('namespaces');
    fs.writeFileSync(
      path.join(dir, 'k8s.json'),
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'List',
        items: [deployment('solo', { app: 'solo' }, 'front'), deployment('twin', { app: 'twin' }, 'a'), deployment('twin', { app: 'twin' }, 'b')],
      }),
    );
    const solo = await cli(['new', 'deployment/solo', '--manifest', 'k8s.json'], dir);
    assert.equal(solo.code, 0, solo.stderr);
    assert.deepEqual(JSON.parse(solo.stdout).target, { path: 'deployment/solo', namespace: 'front' });
    const twin = await cli(['new', 'deployment/twin', '--manifest', 'k8s.json'], dir);
    assert.equal(twin.code, 3, twin.stderr);
    assert.match(twin.stderr, /pick one with --namespace a or --namespace b/);
  });

  test('the cluster unreachable: exit 3 with the reason', async () => {
    const dead = writeKubeconfig(
      tmp,
      'dead.yaml',
      kubeconfigDoc([{ name: 'dead', cluster: { server: 'http://127.0.0.1:1', 'insecure-skip-tls-verify': true }, user: { token: 'x' }, namespace: NS }]),
    );
    const result = await cli(['new', 'deployment/api', '--kubeconfig', dead, '--timeout', '2'], folder('dead'));
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /no config written for deployment\/api: .*127\.0\.0\.1:1/);
  });

  test('usage: no workload, a pod, two containers, bad options; new --help and help new', async () => {
    const dir = folder('usage');
    for (const [args, message] of [
      [['new'], /name the workload/],
      [['new', 'pod/api-7d9c-aaaaa'], /a new config targets a workload: deployment\/NAME, rollout\/NAME, statefulset\/NAME/],
      [['new', 'deployment/api/container/a', '--container', 'b'], /two containers/],
      [['new', 'deployment/api', 'deployment/web'], /one workload at a time/],
      [['new', 'deployment/api', '--format', 'json'], /unknown option --format/],
      [['new', 'deployment/API'], /not a Kubernetes object name/],
    ] as const) {
      const result = await cli([...args], dir);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
    }
    for (const args of [
      ['new', '--help'],
      ['help', 'new'],
    ]) {
      const help = await cli(args, dir);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Usage: probe-guard new <kind\/name>/);
      assert.match(help.stdout, /--write \[DIR\]/);
    }
    assert.match((await cli(['--help'], dir)).stdout, /probe-guard new +<kind\/name>/);
  });
});
