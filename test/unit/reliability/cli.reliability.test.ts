/**
 * Reliability and security of the engine and the real CLI binary (bin/probe-guard.js -> dist/cli.js):
 * hostile regexes end as `unknown` within their time budget; big configs and manifest folders are
 * handled in bounded time or refused with the size message; credentials never reach any output;
 * an exec plugin never runs when the cluster layer is told not to run one.
 * The CLI runs asynchronously (the fake API server lives in this process) with a kill timeout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { parseManifests } from '../../../src/core/k8s/manifests';
import { resolveFromManifests } from '../../../src/core/k8s/resolveFromManifests';
import { blankIrrelevantDocuments } from '../../../src/service/inputFiles';
import { renderProbeReportMarkdown } from '../../../src/core/report/probeReport';
import type { ResolveResult } from '../../../src/core/types';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import { createBudgetedRegexRunner } from '../../../src/runtime/budgetedRegexRunner';
import { repoRoot } from '../analyze/analyzeSupport';
import { cliTestEnv } from '../../support/cliEnv';
import { type FakeKubeApi, startKubeApiServer } from '../../support/kubeApiServer';
import { clusterFor, kubeconfigDoc, tempDir, writeKubeconfig } from '../../support/kubeconfigs';
import { NS, settingsFor, shopObjects } from '../../support/kubeFixtures';

const ROOT = repoRoot();
const CLI_TIMEOUT_MS = 20_000;
const counts = { cliRuns: 0, hostileEngineCases: 0, secretScenarios: 0, markersChecked: 0 };
let tmp = '';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The real binary, asynchronously (the fake API server must keep serving), killed after a timeout. */
function cli(args: string[], env: NodeJS.ProcessEnv = cleanEnv(), timeout = CLI_TIMEOUT_MS): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/probe-guard.js', ...args],
      { cwd: ROOT, env, timeout, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        counts.cliRuns++;
        const ms = performance.now() - started;
        if (error && (error as NodeJS.ErrnoException & { killed?: boolean }).killed)
          assert.fail(`probe-guard ${args.join(' ')} hung: killed after ${timeout} ms`);
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, ms });
      },
    );
  });
}

function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cliTestEnv(tmp, extra);
}

/** Runs the jobs at most `size` at a time (each is a node process). */
async function pool<T>(jobs: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, jobs.length) }, worker));
  return results;
}

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-reliability-'));
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    assert.equal(build.status, 0, `build failed: ${build.stderr}`);
  }
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  console.log(
    `cli reliability: ${counts.cliRuns} CLI runs, ${counts.hostileEngineCases} hostile-regex engine cases, ${counts.secretScenarios} secret scenarios, ${counts.markersChecked} marker checks`,
  );
});

// ---- 2. hostile regexes -----------------------------------------------------------------------

const A60 = 'a'.repeat(60);
/**
 * 29 a's spread over a long value: `(.*a){30}` can never match, and the backtracking tries every
 * increasing choice of a's (2^29 paths). With fewer a's (2^19) a fast, idle machine finished
 * inside the 100 ms budget and the test depended on the machine's load.
 */
const SPREAD = ('a' + 'b'.repeat(4)).repeat(29);

function hostileManifest(shape: 'a-run' | 'spread'): string {
  const value = shape === 'a-run' ? `${A60}!` : SPREAD;
  const name = shape === 'a-run' ? A60 : 'x-c'; // no "a" in the name: the line has 29 in all
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          ports: [{containerPort: 8080}]
          livenessProbe:
            httpGet:
              path: /${value}
              port: 8080
              httpHeaders:
                - {name: ${name}, value: "${value}"}
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
`;
}

interface HostileCase {
  pattern: string;
  shape: 'a-run' | 'spread';
  where: 'header_filter' | 'path_filter' | 'all_of header' | 'all_of path' | 'any_of header';
}

const HOSTILE: HostileCase[] = [];
for (const where of ['header_filter', 'all_of header', 'any_of header'] as const) {
  HOSTILE.push({ pattern: '^(a+)+$', shape: 'a-run', where }, { pattern: '(a|aa)+$', shape: 'a-run', where }, { pattern: '(?:a+)+b', shape: 'a-run', where });
  HOSTILE.push({ pattern: '(.*a){30}', shape: 'spread', where });
}
for (const where of ['path_filter', 'all_of path'] as const) {
  HOSTILE.push({ pattern: '^/(a+)+$', shape: 'a-run', where }, { pattern: '(a|aa)+$', shape: 'a-run', where }, { pattern: '(?:a+)+b', shape: 'a-run', where });
  HOSTILE.push({ pattern: '(.*a){30}', shape: 'spread', where });
}

function hostileConfig(c: HostileCase): string {
  const item = c.where.endsWith('path') ? { path: c.pattern } : { header: c.pattern };
  const filter =
    c.where === 'header_filter'
      ? { header_filter: c.pattern }
      : c.where === 'path_filter'
        ? { path_filter: c.pattern }
        : c.where.startsWith('all_of')
          ? { all_of: [{ method: 'GET' }, item] }
          : { any_of: [{ method: 'POST' }, item] };
  return JSON.stringify(
    { target: { path: 'deployment/api', namespace: 'shop' }, feature: { network: { incoming: { mode: 'steal', http_filter: filter } } } },
    null,
    2,
  );
}

describe('hostile regexes', () => {
  test(`through the engine with the budgeted runner: ${HOSTILE.length} cases end as unknown, naming the time budget`, () => {
    for (const c of HOSTILE) {
      const objects = parseManifests(hostileManifest(c.shape), 'hostile.yaml').objects;
      const parsed = parseConfig(hostileConfig(c), 'json');
      const runner = createBudgetedRegexRunner();
      const started = performance.now();
      const lookup = analyzeConfig(parsed, undefined, { regexRunner: runner }).lookup!;
      const resolution = resolveFromManifests(lookup.ref, 'shop', objects);
      assert.ok(resolution.ok);
      const analysis = analyzeConfig(parsed, resolution, { regexRunner: runner });
      for (const f of analysis.findings) void f.fixes;
      const elapsed = performance.now() - started;
      assert.ok(elapsed < 10_000, `${c.pattern} (${c.where}) took ${elapsed} ms`);
      const liveness = analysis.probes.find((p) => p.probe.probe === 'liveness')!;
      assert.equal(liveness.verdict, 'unknown', `${c.pattern} (${c.where}): ${liveness.reason}`);
      assert.match(liveness.reason, /time budget/, liveness.reason);
      assert.ok(!analysis.findings.some((f) => f.code === 'internal-error'));
      counts.hostileEngineCases++;
    }
  });

  test('through the CLI: unknown verdicts, exit 0, nothing hangs (json, text, sarif, fix)', async () => {
    const dir = path.join(tmp, 'hostile');
    fs.mkdirSync(dir, { recursive: true });
    const picks = [HOSTILE[0], HOSTILE[3], HOSTILE.find((c) => c.where === 'path_filter')!, HOSTILE.find((c) => c.where === 'all_of path')!];
    for (const [i, c] of picks.entries()) {
      fs.writeFileSync(path.join(dir, `m${i}.yaml`), hostileManifest(c.shape));
      fs.writeFileSync(path.join(dir, `c${i}.mirrord.json`), hostileConfig(c));
    }
    const runs = await Promise.all(
      picks.map((_, i) => cli(['check', path.join(dir, `c${i}.mirrord.json`), '--manifest', path.join(dir, `m${i}.yaml`), '--format', 'json'])),
    );
    for (const [i, r] of runs.entries()) {
      assert.equal(r.code, 0, `${picks[i].pattern}: ${r.stderr}`);
      const report = JSON.parse(r.stdout).configs[0];
      const liveness = report.probes.find((p: { probe: string }) => p.probe === 'liveness');
      assert.equal(liveness.verdict, 'unknown');
      assert.match(liveness.reason, /time budget/);
      console.log(`hostile ${picks[i].pattern} (${picks[i].where}) via CLI: exit ${r.code} in ${Math.round(r.ms)} ms`);
    }
    const others = await Promise.all([
      cli(['check', path.join(dir, 'c0.mirrord.json'), '--manifest', path.join(dir, 'm0.yaml'), '--format', 'sarif']),
      cli(['check', path.join(dir, 'c0.mirrord.json'), '--manifest', path.join(dir, 'm0.yaml')]),
      cli(['fix', path.join(dir, 'c0.mirrord.json'), '--manifest', path.join(dir, 'm0.yaml')]),
    ]);
    for (const r of others) {
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, STACK);
    }
    assert.match(others[1].stdout, /unknown.*\n.*time budget/);
  });

  test('exit 1 when another probe is stolen next to a hostile one; exit 3 when the target is missing', async () => {
    const dir = path.join(tmp, 'hostile-codes');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'm.yaml'), hostileManifest('a-run'));
    const steals = {
      target: { path: 'deployment/api', namespace: 'shop' },
      feature: { network: { incoming: { mode: 'steal', http_filter: { any_of: [{ header: '(a|aa)+$' }, { path: '^/ready$' }] } } } },
    };
    fs.writeFileSync(path.join(dir, 'steals.json'), JSON.stringify(steals));
    fs.writeFileSync(path.join(dir, 'missing.json'), JSON.stringify({ ...steals, target: { path: 'deployment/nope', namespace: 'shop' } }));
    const [stolen, missing] = await Promise.all([
      cli(['check', path.join(dir, 'steals.json'), '--manifest', path.join(dir, 'm.yaml'), '--format', 'json']),
      cli(['check', path.join(dir, 'missing.json'), '--manifest', path.join(dir, 'm.yaml'), '--format', 'json']),
    ]);
    assert.equal(stolen.code, 1, stolen.stderr);
    const probes = JSON.parse(stolen.stdout).configs[0].probes;
    assert.equal(probes.find((p: { probe: string }) => p.probe === 'liveness').verdict, 'unknown');
    assert.equal(probes.find((p: { probe: string }) => p.probe === 'readiness').verdict, 'stolen');
    assert.equal(missing.code, 3, missing.stderr);
  });

  test('20 hostile all_of items: the per-analysis total budget bounds the CLI run', async () => {
    const dir = path.join(tmp, 'hostile-20');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'm.yaml'), hostileManifest('a-run'));
    const items = Array.from({ length: 20 }, (_, i) => ({ header: `(a+)+${'b'.repeat(i + 1)}$` }));
    const config = {
      target: { path: 'deployment/api', namespace: 'shop' },
      feature: { network: { incoming: { mode: 'steal', http_filter: { all_of: items } } } },
    };
    fs.writeFileSync(path.join(dir, 'c.json'), JSON.stringify(config, null, 2));
    const [check, fix] = await Promise.all([
      cli(['check', path.join(dir, 'c.json'), '--manifest', path.join(dir, 'm.yaml'), '--format', 'json']),
      cli(['fix', path.join(dir, 'c.json'), '--manifest', path.join(dir, 'm.yaml')]),
    ]);
    assert.equal(check.code, 0, check.stderr);
    assert.equal(JSON.parse(check.stdout).configs[0].probes[0].verdict, 'unknown');
    assert.equal(fix.code, 0, fix.stderr);
    console.log(
      `20 hostile all_of items via CLI: check ${Math.round(check.ms)} ms, fix ${Math.round(fix.ms)} ms (20 x 100 ms budgets would be 2 s per analysis; the total is 1 s)`,
    );
  });
});

// ---- 3. big files -----------------------------------------------------------------------------

const RISKY_BASE = { target: { path: 'deployment/checkout', namespace: 'shop' }, feature: { network: { incoming: 'steal' } } };

/** A config whose `feature.env.override` (irrelevant to probes) brings it to `bytes`. */
function bigConfigValue(bytes: number): object {
  const override: Record<string, string> = {};
  const entry = 'v'.repeat(200);
  const count = Math.ceil(bytes / 220);
  for (let i = 0; i < count; i++) override[`VAR_${i}`] = entry;
  return { ...RISKY_BASE, feature: { ...RISKY_BASE.feature, env: { override } } };
}

describe('big files', () => {
  test('a 10 MB JSON config and a 10 MB YAML config are analysed within a bound', async () => {
    const dir = path.join(tmp, 'big');
    fs.mkdirSync(dir, { recursive: true });
    const value = bigConfigValue(10 * 1024 * 1024);
    const { stringify } = await import('yaml');
    fs.writeFileSync(path.join(dir, 'big.mirrord.json'), JSON.stringify(value, null, 1));
    fs.writeFileSync(path.join(dir, 'big.mirrord.yaml'), stringify(value));
    for (const file of ['big.mirrord.json', 'big.mirrord.yaml']) {
      const size = fs.statSync(path.join(dir, file)).size;
      assert.ok(size > 9.5 * 1024 * 1024 && size < 16 * 1024 * 1024, `${file} is ${size} bytes`);
      const r = await cli(['check', path.join(dir, file), '--manifest', 'demo/manifests', '--format', 'json'], cleanEnv(), 60_000);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(JSON.parse(r.stdout).configs[0].probes.some((p: { verdict: string }) => p.verdict === 'stolen'));
      console.log(`${file} (${(size / 1048576).toFixed(1)} MB) checked in ${Math.round(r.ms)} ms`);
    }
  });

  test('big manifest files: blanking the documents the lookup cannot use keeps every line number and every usable object', () => {
    const checkout = fs.readFileSync(path.join(ROOT, 'demo', 'manifests', 'checkout.yaml'), 'utf8');
    const filler = Array.from(
      { length: 900 },
      (_, j) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${j}}\ndata:\n  k: |\n    ${'z'.repeat(300)}\n`,
    ).join('');
    const text = filler + '---\n' + checkout + '...\n' + filler;
    const blanked = blankIrrelevantDocuments(text);
    assert.ok(text.length > 256 * 1024 && blanked.length < text.length / 2);
    assert.equal(blanked.split('\n').length, text.split('\n').length);
    const full = parseManifests(text, 'big.yaml').objects.filter((o) => o.object.kind !== 'ConfigMap');
    const fast = parseManifests(blanked, 'big.yaml').objects;
    assert.deepEqual(
      fast.map((o) => o.object),
      full.map((o) => o.object),
    );
    const probePath = ['spec', 'template', 'spec', 'containers', 0, 'livenessProbe'];
    assert.equal(fast[0].lineOf(probePath), full[0].lineOf(probePath));
    assert.ok((fast[0].lineOf(probePath) ?? 0) > 900 * 6, 'the probe sits after the filler');
  });

  test('a 20 MB config: exit 2 with the size message', async () => {
    const file = path.join(tmp, 'huge.mirrord.json');
    fs.writeFileSync(file, JSON.stringify(bigConfigValue(21 * 1024 * 1024)));
    assert.ok(fs.statSync(file).size >= 20 * 1024 * 1024);
    const r = await cli(['check', file, '--manifest', 'demo/manifests']);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /huge\.mirrord\.json is 2\d(\.\d)? MB; configs over 16 MB are not analysed/);
    assert.match(r.stdout, /1 config checked: 0 failed, 0 unresolved, 1 unreadable, 0 passed/);
    const json = await cli(['check', file, '--manifest', 'demo/manifests', '--format', 'json']);
    assert.equal(json.code, 2);
    assert.match(json.stderr, /huge\.mirrord\.json is 2\d(\.\d)? MB/, 'errors go to stderr too with a machine format');
    assert.match(JSON.parse(json.stdout).configs[0].error, /configs over 16 MB are not analysed/);
    fs.rmSync(file);
  });

  test('a 50 MB manifest folder (100 files) is read within a bound; the target is found; over-limit files are skipped with a message', async () => {
    const dir = path.join(tmp, 'manifests50');
    fs.mkdirSync(dir, { recursive: true });
    const doc = (i: number, j: number) =>
      `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}-${j}\n  namespace: shop\ndata:\n  payload: "${'x'.repeat(400)}"\n`;
    for (let i = 0; i < 100; i++) {
      const parts: string[] = [];
      let size = 0;
      for (let j = 0; size < 512 * 1024; j++) {
        const d = doc(i, j);
        parts.push(d);
        size += d.length;
      }
      // One big file also holds the target, after thousands of ConfigMaps: its lines must stay right.
      if (i === 42) parts.push('---\n' + fs.readFileSync(path.join(ROOT, 'demo', 'manifests', 'checkout.yaml'), 'utf8'));
      fs.writeFileSync(path.join(dir, `f${String(i).padStart(3, '0')}.yaml`), parts.join(''));
    }
    const total = fs.readdirSync(dir).reduce((sum, f) => sum + fs.statSync(path.join(dir, f)).size, 0);
    assert.ok(total > 50 * 1024 * 1024 && total < 64 * 1024 * 1024, `${total} bytes`);
    // Over the limits too: a 17 MB file is skipped with a message, and so is what comes after 64 MB in all.
    fs.writeFileSync(path.join(dir, 'a-huge.yaml'), '# ' + 'x'.repeat(17 * 1024 * 1024) + '\n');
    fs.writeFileSync(path.join(dir, 'z-more.yaml'), '# ' + 'y'.repeat(15 * 1024 * 1024) + '\n');
    const r = await cli(['check', 'demo/workspace/.mirrord/risky.mirrord.json', '--manifest', dir, '--format', 'json'], cleanEnv(), 120_000);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout).configs[0];
    assert.equal(report.source, 'manifest');
    assert.ok(report.probes.some((p: { verdict: string }) => p.verdict === 'stolen'));
    assert.match(r.stderr, /skipped .*a-huge\.yaml: 17 MB is over the 16 MB limit for one manifest/);
    assert.match(r.stderr, /skipped .*z-more\.yaml: manifests over 64 MB in all are not read/);
    console.log(
      `50 MB manifest folder (100 files, ${(total / 1048576).toFixed(1)} MB, plus a 17 MB and a 15 MB file over the limits) checked in ${Math.round(r.ms)} ms`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

// ---- 4. secrets never reach the output --------------------------------------------------------

const MARK = {
  token: 'MARKER-TOKEN-9f8e7d6c5b4a',
  keyData: 'MARKER-KEYDATA-1a2b3c4d5e6f',
  password: 'MARKER-PASSWORD-0f1e2d3c4b5a',
  execEnv: 'MARKER-EXECENV-6a5b4c3d2e1f',
};
const MARKERS = Object.values(MARK);
const ECHO = `boom: request had Authorization: Bearer ${MARK.token}; token=${MARK.execEnv}; Authorization: Basic ${Buffer.from(`dev:${MARK.password}`).toString('base64')}`;

function assertNoMarker(text: string, where: string): void {
  counts.markersChecked++;
  for (const m of MARKERS) {
    assert.ok(!text.includes(m), `${m} leaked in ${where}:\n${text}`);
    assert.ok(!text.includes(Buffer.from(m).toString('base64')), `base64 of ${m} leaked in ${where}`);
  }
}

describe('secrets', () => {
  let api: FakeKubeApi;
  let dir: string;
  const scenarios: { name: string; kubeconfig: string }[] = [];

  before(async () => {
    api = await startKubeApiServer({ objects: shopObjects() });
    dir = tempDir('probe-guard-secrets-');
    const keyPem = `-----BEGIN PRIVATE KEY-----\n${MARK.keyData}\n-----END PRIVATE KEY-----\n`;
    const users: Record<string, Record<string, unknown>> = {
      token: { token: MARK.token },
      keyData: { 'client-certificate-data': Buffer.from('not a cert').toString('base64'), 'client-key-data': Buffer.from(keyPem).toString('base64') },
      password: { username: 'dev', password: MARK.password },
      exec: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: process.execPath,
          args: [
            '-e',
            `process.stderr.write('login failed for ' + process.env.SECRET_ENV + ' token=' + process.env.SECRET_ENV + '\\n'); process.stdout.write(JSON.stringify({apiVersion:'client.authentication.k8s.io/v1',kind:'ExecCredential',status:{token: process.env.SECRET_ENV}}));`,
          ],
          env: [{ name: 'SECRET_ENV', value: MARK.execEnv }],
          interactiveMode: 'Never',
        },
      },
    };
    const unreachable = { server: 'https://127.0.0.1:1', 'certificate-authority-data': Buffer.from(api.caPem).toString('base64') };
    const noCa = { server: api.url };
    for (const [userName, user] of Object.entries(users)) {
      const ctx = (name: string, cluster: Record<string, unknown>) => ({ name, cluster, user, namespace: NS });
      scenarios.push({ name: `${userName}@server`, kubeconfig: writeKubeconfig(dir, `${userName}-server.yaml`, kubeconfigDoc([ctx('ctx', clusterFor(api))])) });
      // Unreachable with the token and exec users, TLS failure with the key and password users.
      if (userName === 'token' || userName === 'exec') {
        scenarios.push({
          name: `${userName}@unreachable`,
          kubeconfig: writeKubeconfig(dir, `${userName}-unreachable.yaml`, kubeconfigDoc([ctx('ctx', unreachable)])),
        });
      } else {
        scenarios.push({ name: `${userName}@tls`, kubeconfig: writeKubeconfig(dir, `${userName}-tls.yaml`, kubeconfigDoc([ctx('ctx', noCa)])) });
      }
    }
    const garbage = path.join(dir, 'garbage.yaml');
    fs.writeFileSync(garbage, `users:\n  - name: x\n    user: {token: ${MARK.token}, password: ${MARK.password}\n  ] {{{ : :\n`);
    scenarios.push({ name: 'garbage', kubeconfig: garbage });
  });

  after(async () => {
    await api.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The first case runs every scenario in every format and `fix`; the others `check --format json` on the live server. */
  const FAULTS: { name: string; fault?: Parameters<FakeKubeApi['setFault']>[0]; target: string }[] = [
    // A server (or a proxy in front of it) can only echo what it received: the bearer token
    // (the token user's, or the exec plugin's) or the basic-auth header, never the client key.
    { name: '500 echoing credentials', fault: { status: 500, message: ECHO }, target: 'deployment/api' },
    { name: '401/404 (unknown token, missing target)', target: 'deployment/nope' },
    { name: '403', fault: { status: 403, message: `forbidden for Bearer ${MARK.token}` }, target: 'deployment/api' },
    { name: '404', fault: { status: 404 }, target: 'deployment/api' },
  ];

  for (const faultCase of FAULTS) {
    test(`CLI check (text, json, sarif) and fix against ${faultCase.name}: no marker in stdout or stderr`, async () => {
      await api.setFault(faultCase.fault);
      // The exec plugin's token is the marker: the server accepts it here, so faults apply to it too.
      api.addTokenUser('exec-user', MARK.execEnv);
      const config = path.join(dir, `config-${FAULTS.indexOf(faultCase)}.mirrord.json`);
      fs.writeFileSync(config, JSON.stringify({ target: { path: faultCase.target, namespace: NS }, feature: { network: { incoming: 'steal' } } }));
      const jobs: (() => Promise<CliResult & { what: string }>)[] = [];
      const full = faultCase === FAULTS[0];
      for (const s of full ? scenarios : scenarios.filter((x) => x.name.endsWith('@server'))) {
        counts.secretScenarios++;
        const everyFormat = full && (s.name === 'token@server' || s.name === 'exec@server' || s.name === 'password@tls');
        const variants = everyFormat
          ? [['check', '--format', 'text'], ['check', '--format', 'json'], ['check', '--format', 'sarif'], ['fix']]
          : [['check', '--format', 'json']];
        for (const args of variants) {
          const argv = [args[0], config, ...args.slice(1), '--kubeconfig', s.kubeconfig, '--timeout', '3'];
          jobs.push(() => cli(argv, cleanEnv({ KUBECONFIG: s.kubeconfig })).then((r) => ({ ...r, what: `${s.name} ${args.join(' ')}` })));
        }
      }
      let results: (CliResult & { what: string })[];
      try {
        results = await pool(jobs, 4);
      } finally {
        await api.setFault(undefined);
      }
      const codes = new Set<number | null>();
      for (const r of results) {
        assertNoMarker(r.stdout, `stdout of ${r.what}`);
        assertNoMarker(r.stderr, `stderr of ${r.what}`);
        assert.doesNotMatch(r.stderr, STACK, r.what);
        codes.add(r.code);
      }
      // Every run failed to resolve (3), except where the exec plugin's token got through to a real answer.
      for (const code of codes) assert.ok(code === 1 || code === 3, `exit code ${code}`);
    });
  }

  test('kube-layer failures rendered by the engine report renderer carry no marker', async () => {
    const config = JSON.stringify({ target: { path: 'deployment/api', namespace: NS }, feature: { network: { incoming: 'steal' } } });
    const parsed = parseConfig(config, 'json');
    const lookup = analyzeConfig(parsed).lookup!;
    let rendered = 0;
    await api.setFault({ status: 500, message: ECHO });
    try {
      for (const s of scenarios) {
        const resolution = await createClusterResolver().resolve(
          lookup,
          settingsFor(dir, { overrides: { kubeconfig: s.kubeconfig }, allowExec: true, timeoutMs: 3000 }),
        );
        assert.equal(resolution.ok, false, s.name);
        const analysis = analyzeConfig(parsed, resolution as ResolveResult);
        const markdown = renderProbeReportMarkdown(analysis, resolution as ResolveResult, {
          context: resolution.info?.context,
          namespace: resolution.info?.namespace,
          server: resolution.info?.server,
        });
        assert.match(markdown, /could not be resolved/);
        assertNoMarker(markdown, `report for ${s.name}`);
        assertNoMarker(JSON.stringify(resolution), `resolution of ${s.name}`);
        assertNoMarker(JSON.stringify(analysis.findings), `findings of ${s.name}`);
        rendered++;
      }
    } finally {
      await api.setFault(undefined);
    }
    assert.equal(rendered, scenarios.length);
  });

  // ---- 5. an exec plugin named by an untrusted config -------------------------------------------

  test('a config whose kubeconfig has an exec plugin: the CLI (trusted) runs it; allowExec false never runs it and makes no request', async () => {
    const wsDir = fs.mkdtempSync(path.join(tmp, 'untrusted-'));
    const marker = path.join(wsDir, 'plugin-ran');
    const plugin = path.join(wsDir, 'plugin.js');
    fs.writeFileSync(
      plugin,
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nprocess.stdout.write(JSON.stringify({apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: {token: ${JSON.stringify(api.tokenUser.token)}}}));\n`,
    );
    const user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' } };
    writeKubeconfig(wsDir, 'evil-kubeconfig.yaml', kubeconfigDoc([{ name: 'evil', cluster: clusterFor(api), user, namespace: NS }]));
    const configFile = path.join(wsDir, 'mirrord.json');
    fs.writeFileSync(
      configFile,
      JSON.stringify({ kubeconfig: './evil-kubeconfig.yaml', target: { path: 'deployment/api', namespace: NS }, feature: { network: { incoming: 'steal' } } }),
    );

    // The cluster layer with allowExec false (Restricted Mode): exec-forbidden, no plugin, no request.
    const lookup = analyzeConfig(parseConfig(fs.readFileSync(configFile, 'utf8'), 'json')).lookup!;
    assert.equal(lookup.kubeconfig, './evil-kubeconfig.yaml');
    const before = api.requests.length;
    const resolver = createClusterResolver();
    const denied = await resolver.resolve(lookup, settingsFor(wsDir, { allowExec: false }));
    assert.equal(denied.ok, false);
    if (!denied.ok) assert.equal(denied.failure.kind, 'exec-forbidden');
    assert.equal(fs.existsSync(marker), false, 'the plugin did not run');
    assert.equal(api.requests.length, before, 'no request reached the server');
    assert.equal(resolver.requestCount, 0);
    // Not even with the kubeconfig named through settings or KUBECONFIG instead of the config.
    const viaEnv = await resolver.resolve(
      { ...lookup, kubeconfig: undefined },
      settingsFor(wsDir, { allowExec: false, env: { KUBECONFIG: path.join(wsDir, 'evil-kubeconfig.yaml') } }),
    );
    assert.equal(viaEnv.ok, false);
    assert.equal(fs.existsSync(marker), false);
    assert.equal(api.requests.length, before);

    // The CLI is the user's own command: it runs the plugin, and the lookup succeeds.
    const r = await cli(['check', configFile, '--format', 'json']);
    assert.equal(fs.existsSync(marker), true, 'the CLI ran the plugin');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(JSON.parse(r.stdout).configs[0].source, 'cluster');
  });
});
