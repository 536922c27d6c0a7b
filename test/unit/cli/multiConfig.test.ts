/**
 * `probe-guard check` over many configs, as CI runs it on a repository: configs found the way the
 * editor finds them, one report over all (text grouped per file with a summary, one JSON object,
 * one SARIF run), the worst exit code, and one cluster lookup per distinct target (counted on the
 * test API server). The binary runs asynchronously: the API server lives in this process.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { RULE_CODES } from '../../../src/core/rules';
import { repoRoot } from '../analyze/analyzeSupport';
import { cliTestEnv } from '../../support/cliEnv';
import { type FakeKubeApi, startKubeApiServer } from '../../support/kubeApiServer';
import { clusterFor, kubeconfigDoc, tokenUser, writeKubeconfig } from '../../support/kubeconfigs';
import { NS, shopObjects } from '../../support/kubeFixtures';

const ROOT = repoRoot();
const BIN = path.join(ROOT, 'bin', 'probe-guard.js');
let tmp = '';
let repo = '';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cliTestEnv(tmp, { KUBECONFIG: path.join(tmp, 'no-kubeconfig'), ...extra });
}

function cli(args: string[], cwd = repo, env = cleanEnv()): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env, timeout: 60_000, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A deployment in namespace shop whose container `app` serves liveness and readiness on 8080. */
function deploymentYaml(name: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
        - name: app
          ports: [{name: http, containerPort: 8080}]
          livenessProbe: {httpGet: {path: /healthz, port: http}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
`;
}

const SAFE_FILTER = '^User-Agent: (?!kube-probe)';

const CONFIGS: Record<string, string> = {
  // steals both probes of api: exit 1
  '.mirrord/api.mirrord.json': `{"target": {"path": "deployment/api", "namespace": "shop"}, "feature": {"network": {"incoming": "steal"}}}\n`,
  // safe: the documented filter
  '.mirrord/web.mirrord.yaml': `target:\n  path: deployment/web\n  namespace: shop\nfeature:\n  network:\n    incoming:\n      mode: steal\n      http_filter:\n        header_filter: "${SAFE_FILTER}"\n`,
  // mirror: no lookup needed
  'services/worker/mirrord.toml': `[target]\npath = "deployment/worker"\nnamespace = "shop"\n\n[feature.network]\nincoming = "mirror"\n`,
  // not in the manifests: exit 3
  'services/gone.mirrord.json': `{"target": {"path": "deployment/gone", "namespace": "shop"}, "feature": {"network": {"incoming": {"mode": "steal", "http_filter": {"header_filter": "${SAFE_FILTER}"}}}}}\n`,
  // ignored by .gitignore: never checked
  'dist/copied.mirrord.json': `{"target": "deployment/api", "feature": {"network": {"incoming": "steal"}}}\n`,
  // in node_modules: never checked
  'node_modules/pkg/mirrord.json': `{"target": "deployment/api", "feature": {"network": {"incoming": "steal"}}}\n`,
};

const FOUND = ['.mirrord/api.mirrord.json', '.mirrord/web.mirrord.yaml', 'services/gone.mirrord.json', 'services/worker/mirrord.toml'];

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-multi-'));
  repo = path.join(tmp, 'repo');
  for (const [file, text] of Object.entries(CONFIGS)) {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  }
  fs.mkdirSync(path.join(repo, 'k8s'));
  fs.writeFileSync(path.join(repo, 'k8s', 'apps.yaml'), ['api', 'web', 'worker'].map(deploymentYaml).join('---\n'));
  fs.writeFileSync(path.join(repo, '.gitignore'), 'dist/\n');
  assert.equal(spawnSync('git', ['init', '-q'], { cwd: repo }).status, 0);
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    assert.equal(build.status, 0, build.stderr);
  }
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('one run over a repository', () => {
  test('no path: the configs the editor would find, one report, the worst exit code (1 beats 3)', async () => {
    const r = await cli(['check', '--manifest', 'k8s', '--format', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      report.configs.map((c: { config: string }) => c.config.split(path.sep).join('/')),
      FOUND,
    );
    assert.deepEqual(
      report.configs.map((c: { exitCode: number }) => c.exitCode),
      [1, 0, 3, 0],
    );
    assert.equal(report.exitCode, 1);
    assert.deepEqual(report.summary, {
      configs: 4,
      failed: 1,
      unresolved: 1,
      unreadable: 0,
      passed: 2,
      findings: { error: 1, warning: 1, information: 1, hint: 0 },
    });
    assert.equal(report.tool.name, 'probe-guard');
    assert.equal(report.failOn, 'stolen');
  });

  test('text: a block per config, then the summary line', async () => {
    const r = await cli(['check', '.', '--manifest', 'k8s']);
    assert.equal(r.code, 1);
    const blocks = r.stdout.trimEnd().split('\n\n');
    const headers = FOUND.map((f) => f.split('/').join(path.sep));
    for (const header of headers) assert.ok(r.stdout.includes(`${header}\n`), `a block for ${header}`);
    assert.equal(blocks.at(-1), '4 configs checked: 1 failed, 1 unresolved, 0 unreadable, 2 passed; findings: 1 error, 1 warning, 1 information, 0 hints');
    assert.match(r.stdout, /No Deployment named "gone" in namespace "shop"/);
    assert.doesNotMatch(r.stdout, /copied|node_modules/);
  });

  test('3 beats 0: only the unresolved and the safe configs', async () => {
    const r = await cli(['check', 'services', '.mirrord/web.mirrord.yaml', '--manifest', 'k8s', '--format', 'json']);
    assert.equal(r.code, 3, r.stdout + r.stderr);
  });

  test('2 beats 1: a config that cannot be read next to a risky one (both reported)', async () => {
    const big = path.join(repo, 'big.mirrord.json');
    fs.writeFileSync(big, `{"x": "${'a'.repeat(17 * 1024 * 1024)}"}`);
    try {
      const r = await cli(['check', 'big.mirrord.json', '.mirrord/api.mirrord.json', '--manifest', 'k8s', '--format', 'json']);
      assert.equal(r.code, 2);
      const report = JSON.parse(r.stdout);
      assert.match(report.configs[0].error, /big\.mirrord\.json is 17 MB; configs over 16 MB are not analysed/);
      assert.equal(report.configs[1].exitCode, 1);
      assert.equal(report.summary.unreadable, 1);
    } finally {
      fs.rmSync(big);
    }
  });

  test('globs, quoted as a shell would pass them; a glob that matches nothing is a warning', async () => {
    const r = await cli(['check', '**/*.json', 'nothing/*.yaml', '--manifest', 'k8s', '--format', 'json']);
    assert.deepEqual(
      JSON.parse(r.stdout).configs.map((c: { config: string }) => c.config.split(path.sep).join('/')),
      ['.mirrord/api.mirrord.json', 'services/gone.mirrord.json'],
    );
    assert.match(r.stderr, /warning: no file matches nothing\/\*\.yaml/);
  });

  test('no config anywhere: exit 2, saying where it looked', async () => {
    const r = await cli(['check', 'k8s', '--manifest', 'k8s']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no mirrord config found in k8s/);
  });

  test('SARIF: one run, results in every file, every rule of the registry, every config an artifact', async () => {
    const r = await cli(['check', '--manifest', 'k8s', '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'unit', 'cli', 'sarif-2.1.0-subset.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: true }).compile<any>(schema);
    assert.ok(validate(sarif), JSON.stringify(validate.errors));
    assert.equal(sarif.runs.length, 1);
    const run = sarif.runs[0];
    assert.deepEqual(
      run.tool.driver.rules.map((rule: { id: string }) => rule.id),
      RULE_CODES,
    );
    const files = new Set(run.results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri));
    assert.deepEqual([...files].sort(), ['.mirrord/api.mirrord.json', 'services/gone.mirrord.json']);
    for (const result of run.results) assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
    assert.deepEqual(
      run.artifacts.map((a: any) => a.location.uri),
      FOUND,
    );
    assert.equal(run.invocations[0].exitCode, 1);
    assert.equal(run.invocations[0].executionSuccessful, true);
  });

  test('--fail-on: a severity counts every finding, never counts none', async () => {
    // Only the unresolved config and the safe one: an information finding (target-unresolved).
    const args = ['check', 'services', '.mirrord/web.mirrord.yaml', '--manifest', 'k8s'];
    assert.equal((await cli([...args, '--fail-on', 'information'])).code, 1);
    assert.equal((await cli([...args, '--fail-on', 'warning'])).code, 3);
    assert.equal((await cli(['check', '.mirrord/api.mirrord.json', '--manifest', 'k8s', '--fail-on', 'never'])).code, 0);
    const readinessOnly = path.join(repo, 'readiness.mirrord.json');
    fs.writeFileSync(readinessOnly, CONFIGS['.mirrord/api.mirrord.json']);
    try {
      const withRule = ['check', 'readiness.mirrord.json', '--manifest', 'k8s', '--rule', 'liveness-probe-stolen=off'];
      assert.equal((await cli(withRule)).code, 1, 'stolen: the readiness probe still fails the run');
      assert.equal((await cli([...withRule, '--fail-on', 'error'])).code, 0, 'error: a readiness warning does not');
    } finally {
      fs.rmSync(readinessOnly);
    }
  });

  test('fix over a folder needs --write; with it, every config is fixed and the run checks clean', async () => {
    const copy = path.join(tmp, 'fixable');
    fs.cpSync(repo, copy, { recursive: true });
    const refused = await cli(['fix', '.mirrord', '--manifest', 'k8s'], copy);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /fix over 2 configs writes them in place: add --write/);
    const fixed = await cli(['fix', '.mirrord', '--manifest', 'k8s', '--write'], copy);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.match(fixed.stderr, /api\.mirrord\.json: applied "Add kube-probe filter"/);
    assert.match(fixed.stderr, /web\.mirrord\.yaml: nothing to fix/);
    assert.equal((await cli(['check', '.mirrord', '--manifest', 'k8s'], copy)).code, 0);
  });

  test('fix --write with no path: the configs check finds are fixed; node_modules and ignored configs are left alone', async () => {
    const copy = path.join(tmp, 'fixable-all');
    fs.cpSync(repo, copy, { recursive: true });
    const fixed = await cli(['fix', '--manifest', 'k8s', '--write'], copy);
    assert.equal(fixed.code, 3, fixed.stderr);
    assert.match(fixed.stderr, /\.mirrord[/\\]api\.mirrord\.json: applied "Add kube-probe filter"/);
    assert.doesNotMatch(fixed.stderr, /copied|node_modules/);
    for (const untouched of ['dist/copied.mirrord.json', 'node_modules/pkg/mirrord.json', 'services/worker/mirrord.toml'])
      assert.equal(fs.readFileSync(path.join(copy, untouched), 'utf8'), CONFIGS[untouched], untouched);
    assert.equal((await cli(['check', '.mirrord/api.mirrord.json', '--manifest', 'k8s'], copy)).code, 0);
  });
});

describe('cluster lookups: one per distinct target', () => {
  let api: FakeKubeApi;
  let kubeconfig = '';
  before(async () => {
    api = await startKubeApiServer({ objects: shopObjects() });
    kubeconfig = writeKubeconfig(tmp, 'kubeconfig.yaml', kubeconfigDoc([{ name: 'shop', cluster: clusterFor(api), user: tokenUser(api), namespace: NS }]));
  });
  after(async () => {
    await api.close();
  });

  /** `count` configs on deployment/api (namespace shop, from the context or the file), one on deployment/web. */
  function configsDir(name: string, count: number): string {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < count; i++) {
      // Every second one names the namespace; the context's namespace is the same one: same target.
      const target = i % 2 ? '{"path": "deployment/api", "namespace": "shop"}' : '"deployment/api"';
      fs.writeFileSync(path.join(dir, `api-${i}.mirrord.json`), `{"target": ${target}, "feature": {"network": {"incoming": "steal"}}}\n`);
    }
    fs.writeFileSync(path.join(dir, 'web.mirrord.json'), `{"target": "deployment/web", "feature": {"network": {"incoming": "steal"}}}\n`);
    return dir;
  }

  const targetRequests = () => api.requests.filter((r) => /\/deployments\/(api|web)$/.test(r.path));

  test('six configs on two targets: two target requests, the same as one config of each', async () => {
    const env = cleanEnv({ KUBECONFIG: kubeconfig });
    const single = configsDir('single', 1);
    api.requests.length = 0;
    const one = await cli(['check', single, '--format', 'json'], tmp, env);
    assert.equal(one.code, 1, one.stderr);
    const perTargetRun = api.requests.length;
    assert.equal(targetRequests().length, 2, JSON.stringify(api.requests));

    const many = configsDir('many', 5);
    api.requests.length = 0;
    const r = await cli(['check', many, '--format', 'json'], tmp, env);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.configs.length, 6);
    assert.ok(report.configs.every((c: { source: string }) => c.source === 'cluster'));
    assert.deepEqual(
      targetRequests()
        .map((x) => x.path.split('/').pop())
        .sort(),
      ['api', 'web'],
      `one request per target: ${JSON.stringify(api.requests.map((x) => x.path))}`,
    );
    assert.equal(api.requests.length, perTargetRun, 'no more requests of any kind than one config per target');
  });

  test("a relative --kubeconfig is from the current folder, not from each config's folder", async () => {
    const dir = configsDir('relative-kubeconfig', 1);
    const r = await cli(['check', dir, '--kubeconfig', path.basename(kubeconfig), '--format', 'json'], path.dirname(kubeconfig));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).configs.map((c: { source: string }) => c.source),
      ['cluster', 'cluster'],
    );
  });

  test('another context is another target: looked up again', async () => {
    const doc = kubeconfigDoc([
      { name: 'shop', cluster: clusterFor(api), user: tokenUser(api), namespace: NS },
      { name: 'staging', cluster: clusterFor(api), user: tokenUser(api), namespace: 'staging' },
    ]);
    const two = writeKubeconfig(tmp, 'two-contexts.yaml', doc);
    const dir = path.join(tmp, 'contexts');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.mirrord.json'), `{"target": "deployment/api", "feature": {"network": {"incoming": "steal"}}}\n`);
    fs.writeFileSync(
      path.join(dir, 'b.mirrord.json'),
      `{"target": "deployment/api", "kube_context": "staging", "feature": {"network": {"incoming": "steal"}}}\n`,
    );
    api.requests.length = 0;
    const r = await cli(['check', dir, '--format', 'json'], tmp, cleanEnv({ KUBECONFIG: two }));
    assert.equal(r.code, 1, r.stderr);
    const namespaces = JSON.parse(r.stdout).configs.map((c: { target: { namespace: string } }) => c.target.namespace);
    assert.deepEqual(namespaces, ['shop', 'staging']);
    assert.equal(api.requests.filter((x) => /\/deployments\/api$/.test(x.path)).length, 2);
  });
});
