/**
 * The real `probe-guard` binary (bin/probe-guard.js -> dist/cli.js), run as a user runs it on one
 * config: exit codes, the JSON contract of a config's entry, SARIF 2.1.0, `fix` and `fix --write`,
 * clean errors. Runs over many configs are in multiConfig.test.ts, the CLI conventions in
 * conventions.test.ts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { repoRoot } from '../analyze/analyzeSupport';
import { cliTestEnv } from '../../support/cliEnv';

const ROOT = repoRoot();
const CONFIGS = 'demo/workspace/.mirrord';
const MANIFESTS = 'demo/manifests';
const SAFE = `${CONFIGS}/safe.mirrord.json`;
const RISKY = `${CONFIGS}/risky.mirrord.json`;

let tmp = '';
let deadKubeconfig = '';

/** A clean environment: no MIRRORD_* overrides, no real kubeconfig, no colour settings. */
function cleanEnv(): NodeJS.ProcessEnv {
  return cliTestEnv(tmp, { KUBECONFIG: deadKubeconfig });
}

function run(args: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
  const result = spawnSync(process.execPath, ['bin/probe-guard.js', ...args], { cwd: ROOT, encoding: 'utf8', env, timeout: 60_000 });
  assert.equal(result.error, undefined, String(result.error));
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What a stack trace looks like on stderr. */
const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

function assertNoStack(stderr: string): void {
  assert.doesNotMatch(stderr, STACK, `stack trace on stderr:\n${stderr}`);
  assert.doesNotMatch(stderr, /\b(TypeError|ReferenceError|SyntaxError|RangeError):/, stderr);
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-cli-'));
  deadKubeconfig = path.join(tmp, 'kubeconfig.yaml');
  fs.writeFileSync(
    deadKubeconfig,
    `apiVersion: v1
kind: Config
clusters:
  - name: dead
    cluster:
      server: http://127.0.0.1:1
      insecure-skip-tls-verify: true
contexts:
  - name: dead
    context: {cluster: dead, user: dev, namespace: shop}
current-context: dead
users:
  - name: dev
    user: {token: s3cr3t-token-value}
`,
  );
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli.js'))) {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    assert.equal(build.status, 0, `build failed: ${build.stderr}`);
  }
  assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'cli.js')));
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Zero-based line/character -> offset, as the JSON contract counts. */
function offsetOf(text: string, line: number, character: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line; i++) offset += lines[i].length + 1;
  return offset + character;
}

describe('exit codes', () => {
  test('0: a safe demo config with --manifest', () => {
    const r = run(['check', SAFE, '--manifest', MANIFESTS]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /no findings/);
  });

  test('1: a config mirrord would refuse (an error finding), even with no probe at risk', () => {
    const file = path.join(tmp, 'refused.mirrord.json');
    fs.writeFileSync(
      file,
      '{"target": {"path": "deployment/checkout", "namespace": "shop"}, "feature": {"network": {"incoming": {"mode": "mirror", "prots": [8080]}}}}\n',
    );
    const r = run(['check', file, '--manifest', MANIFESTS]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /error \[unknown-key\]/);
    assert.doesNotMatch(r.stdout, /STOLEN/);
    assert.equal(run(['check', file, '--manifest', MANIFESTS, '--fail-on', 'never']).code, 0, '--fail-on never still turns it off');
    const targetless = path.join(tmp, 'targetless-steal.mirrord.json');
    fs.writeFileSync(targetless, '{"target": "targetless", "feature": {"network": {"incoming": "steal"}}}\n');
    assert.equal(run(['check', targetless]).code, 1, 'steal without a target is refused by mirrord');
  });

  test('check --help documents the exit code contract', () => {
    const r = run(['check', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stderr + r.stdout, /by default a liveness or readiness probe would be stolen, or the\s+config has an error finding/);
  });

  test('0: a mirror config', () => {
    assert.equal(run(['check', `${CONFIGS}/mirror.mirrord.json`, '--manifest', MANIFESTS]).code, 0);
  });

  test('1: a config that steals liveness/readiness probes', () => {
    const r = run(['check', RISKY, '--manifest', MANIFESTS]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /STOLEN/);
    assert.match(r.stdout, /\[liveness-probe-stolen\]/);
  });

  test('1: the other risky demo configs too, and 0 for the safe ones', () => {
    const expected: Record<string, number> = {
      'backwards-filter.mirrord.json': 1,
      'custom-ua.mirrord.json': 1,
      'grpc.mirrord.toml': 1,
      'sidecar.mirrord.yaml': 0,
      'rollout.mirrord.json': 0,
    };
    for (const [file, code] of Object.entries(expected)) {
      const r = run(['check', `${CONFIGS}/${file}`, '--manifest', MANIFESTS]);
      assert.equal(r.code, code, `${file}: ${r.stdout}${r.stderr}`);
    }
  });

  const usage: [string, string[], RegExp][] = [
    ['no arguments', [], /missing command/],
    ['an unknown command', ['lint', SAFE], /unknown command/],
    ['an unknown flag', ['check', SAFE, '--bogus'], /unknown option --bogus/],
    ['a missing config', ['check', 'no/such/mirrord.json', '--manifest', MANIFESTS], /cannot read no\/such\/mirrord\.json: no such file/],
    ['a folder without configs', ['check', 'demo/manifests', '--manifest', MANIFESTS], /no mirrord config found in demo\/manifests/],
    ['a missing manifest', ['check', RISKY, '--manifest', 'no/such/manifests'], /cannot read manifest/],
    ['a bad --format', ['check', SAFE, '--format', 'xml'], /--format must be text, json or sarif/],
    ['--write with check', ['check', SAFE, '--write'], /--write only goes with fix/],
    ['a bad --timeout', ['check', SAFE, '--timeout', '-3'], /--timeout/],
    ['a bad --mirrord-version', ['check', SAFE, '--mirrord-version', 'latest'], /--mirrord-version/],
  ];
  for (const [name, args, message] of usage) {
    test(`2: ${name}`, () => {
      const r = run(args);
      assert.equal(r.code, 2, `${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', 'nothing on stdout');
      assertNoStack(r.stderr);
    });
  }

  test('0 for --help, with the usage on stdout', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage:/);
    assert.equal(r.stderr, '');
  });

  test('3: the target is not in the manifests', () => {
    const r = run(['check', RISKY, '--manifest', `${MANIFESTS}/search.yaml`]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stdout, /No Deployment named "checkout" in namespace "shop"/);
    assertNoStack(r.stderr);
  });

  test('3: no cluster reachable (kubeconfig server http://127.0.0.1:1), and the token is never printed', () => {
    const r = run(['check', RISKY, '--kubeconfig', deadKubeconfig, '--timeout', '5', '--format', 'json']);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const report = JSON.parse(r.stdout).configs[0];
    assert.equal(report.exitCode, 3);
    assert.ok(
      report.notes.some((n: string) => /127\.0\.0\.1:1/.test(n)),
      'the note is in the entry too',
    );
    assert.equal(report.source, null);
    assert.deepEqual(report.probes, []);
    const codes = report.findings.map((f: { code: string }) => f.code).sort();
    assert.deepEqual(codes, ['steal-without-filter', 'target-unresolved']);
    assert.match(r.stderr, /127\.0\.0\.1:1/);
    assert.doesNotMatch(r.stdout + r.stderr, /s3cr3t-token-value/);
    assertNoStack(r.stderr);
  });

  test('0 without a cluster when the config does not steal (no lookup needed)', () => {
    const r = run(['check', `${CONFIGS}/mirror.mirrord.json`, '--kubeconfig', deadKubeconfig, '--timeout', '5']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
});

describe('--format json', () => {
  test("a config's entry has exactly the contract's shape, positions zero-based", () => {
    const r = run(['check', RISKY, '--manifest', MANIFESTS, '--format', 'json']);
    assert.equal(r.code, 1);
    const run1 = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(run1).sort(), ['configs', 'exitCode', 'failOn', 'summary', 'tool']);
    assert.equal(run1.configs.length, 1);
    const report = run1.configs[0];
    assert.deepEqual(Object.keys(report).sort(), ['config', 'environment', 'error', 'exitCode', 'findings', 'notes', 'probes', 'source', 'target']);
    assert.equal(report.exitCode, 1);
    assert.equal(report.error, null);
    assert.deepEqual(report.environment, []);
    assert.equal(report.config, RISKY);
    assert.deepEqual(report.target, { kind: 'deployment', name: 'checkout', namespace: 'shop', container: null });
    assert.equal(report.source, 'manifest');
    assert.equal(report.probes.length, 2);
    for (const p of report.probes) {
      assert.deepEqual(Object.keys(p).sort(), ['condition', 'container', 'handler', 'path', 'port', 'probe', 'reason', 'verdict', 'workload']);
      assert.equal(typeof p.reason, 'string');
      assert.ok(['stolen', 'safe', 'unknown', 'conditional'].includes(p.verdict));
      assert.equal(p.condition, null);
      assert.equal(p.workload, 'deployment/checkout');
    }
    assert.deepEqual(
      report.probes.map((p: any) => [p.container, p.probe, p.handler, p.port, p.path, p.verdict]),
      [
        ['checkout', 'liveness', 'httpGet', 8080, '/healthz', 'stolen'],
        ['checkout', 'readiness', 'httpGet', 8080, '/ready', 'stolen'],
      ],
    );
    const text = fs.readFileSync(path.join(ROOT, RISKY), 'utf8');
    assert.deepEqual(
      report.findings.map((f: any) => [f.code, f.severity]),
      [
        ['liveness-probe-stolen', 'error'],
        ['readiness-probe-stolen', 'warning'],
      ],
    );
    for (const f of report.findings) {
      assert.deepEqual(Object.keys(f).sort(), ['code', 'message', 'range', 'severity']);
      assert.deepEqual(Object.keys(f.range).sort(), ['end', 'start']);
      assert.deepEqual(Object.keys(f.range.start).sort(), ['character', 'line']);
      const start = offsetOf(text, f.range.start.line, f.range.start.character);
      const end = offsetOf(text, f.range.end.line, f.range.end.character);
      assert.equal(text.slice(start, end), '"steal"', 'the range covers the "steal" value (zero-based)');
    }
  });

  test("exec/tcpSocket probes have path null; a sidecar's probe is conditional, with its condition", () => {
    const r = run(['check', `${CONFIGS}/sidecar.mirrord.yaml`, '--manifest', MANIFESTS, '--format', 'json']);
    assert.equal(r.code, 0, 'a conditional sidecar probe is information');
    const report = JSON.parse(r.stdout).configs[0];
    assert.deepEqual(report.target, { kind: 'pod', name: 'ledger', namespace: 'shop', container: 'ledger' });
    const byContainer = report.probes.map((p: any) => [p.container, p.probe, p.handler, p.port, p.path, p.verdict]);
    assert.deepEqual(byContainer.sort(), [
      ['envoy', 'readiness', 'httpGet', 15021, '/healthz/ready', 'conditional'],
      ['ledger', 'liveness', 'tcpSocket', 8080, null, 'safe'],
      ['ledger', 'readiness', 'exec', 8080, null, 'safe'],
    ]);
    const envoy = report.probes.find((p: any) => p.container === 'envoy');
    assert.match(envoy.condition, /^stolen if your local app listens on :15021: the containers of a pod share one network/);
    const plain = run(['check', `${CONFIGS}/sidecar.mirrord.yaml`, '--manifest', MANIFESTS]).stdout;
    assert.match(plain, /maybe {3}envoy: readiness httpGet :15021\/healthz\/ready\n {10}stolen if your local app listens on :15021/);
    const text = fs.readFileSync(path.join(ROOT, CONFIGS, 'sidecar.mirrord.yaml'), 'utf8');
    const finding = report.findings.find((f: any) => f.code === 'sidecar-probe-conditional');
    const start = offsetOf(text, finding.range.start.line, finding.range.start.character);
    const end = offsetOf(text, finding.range.end.line, finding.range.end.character);
    assert.equal(text.slice(start, end), '[8080]');
  });

  test('a config with no target: target null', () => {
    const file = path.join(tmp, 'targetless.mirrord.json');
    fs.writeFileSync(file, '{"target": "targetless", "feature": {"network": {"incoming": "mirror"}}}\n');
    const r = run(['check', file, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout).configs[0];
    assert.equal(report.source, null);
    assert.deepEqual(report.target, { kind: 'targetless', name: null, namespace: 'default', container: null });
    const none = path.join(tmp, 'none.mirrord.json');
    fs.writeFileSync(none, '{"feature": {"fs": "read"}}\n');
    assert.equal(JSON.parse(run(['check', none, '--format', 'json']).stdout).configs[0].target, null);
  });
});

describe('--format sarif', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test', 'unit', 'cli', 'sarif-2.1.0-subset.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: true }).compile<any>(schema);

  for (const file of ['risky.mirrord.json', 'safe.mirrord.json', 'grpc.mirrord.toml', 'sidecar.mirrord.yaml']) {
    test(`valid SARIF 2.1.0 for ${file}`, () => {
      const r = run(['check', `${CONFIGS}/${file}`, '--manifest', MANIFESTS, '--format', 'sarif']);
      const sarif = JSON.parse(r.stdout);
      assert.ok(validate(sarif), JSON.stringify(validate.errors, null, 2));
      const json = JSON.parse(run(['check', `${CONFIGS}/${file}`, '--manifest', MANIFESTS, '--format', 'json']).stdout).configs[0];
      const results = sarif.runs[0].results;
      assert.equal(results.length, json.findings.length);
      results.forEach((result: any, i: number) => {
        const finding = json.findings[i];
        assert.equal(result.ruleId, finding.code);
        assert.equal(result.level, { error: 'error', warning: 'warning', information: 'note', hint: 'note' }[finding.severity as string]);
        const region = result.locations[0].physicalLocation.region;
        assert.equal(region.startLine, finding.range.start.line + 1, 'one-based line');
        assert.equal(region.startColumn, finding.range.start.character + 1, 'one-based column');
        assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, `${CONFIGS}/${file}`);
        assert.ok(
          sarif.runs[0].tool.driver.rules.some((rule: any) => rule.id === result.ruleId),
          'every ruleId is described',
        );
      });
    });
  }

  test('the schema rejects what it should (it is not vacuous)', () => {
    const good = JSON.parse(run(['check', RISKY, '--manifest', MANIFESTS, '--format', 'sarif']).stdout);
    const bad = (mutate: (s: any) => void) => {
      const copy = structuredClone(good);
      mutate(copy);
      return validate(copy);
    };
    assert.equal(
      bad((s) => (s.version = '2.0.0')),
      false,
    );
    assert.equal(
      bad((s) => delete s.runs[0].tool.driver.name),
      false,
    );
    assert.equal(
      bad((s) => (s.runs[0].results[0].level = 'information')),
      false,
    );
    assert.equal(
      bad((s) => delete s.runs[0].results[0].message.text),
      false,
    );
    assert.equal(
      bad((s) => (s.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0)),
      false,
    );
    assert.equal(
      bad((s) => delete s.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri),
      false,
    );
  });
});

describe('fix', () => {
  test('prints the fixed file on stdout and leaves the file alone', () => {
    const before = fs.readFileSync(path.join(ROOT, RISKY), 'utf8');
    const r = run(['fix', RISKY, '--manifest', MANIFESTS]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /applied "Add kube-probe filter"/);
    assert.equal(fs.readFileSync(path.join(ROOT, RISKY), 'utf8'), before);
    const fixed = JSON.parse(r.stdout);
    assert.deepEqual(fixed.feature.network.incoming, { mode: 'steal', http_filter: { header_filter: '^User-Agent: (?!kube-probe)' } });
    assert.deepEqual({ ...fixed.feature.network, incoming: undefined }, { ...JSON.parse(before).feature.network, incoming: undefined });
  });

  for (const file of ['risky.mirrord.json', 'backwards-filter.mirrord.json', 'custom-ua.mirrord.json', 'grpc.mirrord.toml', 'sidecar.mirrord.yaml']) {
    test(`fix --write on a copy of ${file}: fixed in place, then a second run changes nothing`, () => {
      const copy = path.join(tmp, file);
      fs.copyFileSync(path.join(ROOT, CONFIGS, file), copy);
      const original = fs.readFileSync(copy, 'utf8');
      const first = run(['fix', copy, '--manifest', MANIFESTS, '--write']);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(first.stdout, '', '--write prints nothing on stdout');
      const fixed = fs.readFileSync(copy, 'utf8');
      assert.notEqual(fixed, original);
      for (const comment of original.split('\n').filter((l) => l.trimStart().startsWith('#'))) assert.ok(fixed.includes(comment), `comment kept: ${comment}`);
      const check = run(['check', copy, '--manifest', MANIFESTS]);
      assert.equal(check.code, 0, `the fixed file checks clean:\n${check.stdout}`);
      const second = run(['fix', copy, '--manifest', MANIFESTS, '--write']);
      assert.equal(second.code, 0);
      assert.match(second.stderr, /nothing to fix/);
      assert.equal(fs.readFileSync(copy, 'utf8'), fixed, 'the second fix --write changes nothing');
    });
  }

  test('the demo README names the fix each demo config gets, and `fix` applies exactly that one', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'demo', 'README.md'), 'utf8');
    const titles: Record<string, string> = {
      'risky.mirrord.json': 'Add kube-probe filter',
      'backwards-filter.mirrord.json': 'Add kube-probe filter',
      'grpc.mirrord.toml': 'Add kube-probe filter',
      'custom-ua.mirrord.json': 'Exclude /health from the filter',
      'sidecar.mirrord.yaml': 'Add 15021 to http_filter.ports',
    };
    for (const [file, title] of Object.entries(titles)) {
      const r = run(['fix', `${CONFIGS}/${file}`, '--manifest', MANIFESTS]);
      assert.equal(r.stderr.trim(), `probe-guard: ${CONFIGS}/${file}: applied "${title}"`, file);
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${file}\``));
      assert.ok(row?.includes(`**${title}**`), `demo/README.md's row for ${file} names "${title}"`);
    }
  });

  test("a stale pod target: retargeted to its Deployment, then the Deployment's probes are fixed", () => {
    const file = path.join(tmp, 'stale.mirrord.json');
    fs.writeFileSync(
      file,
      `{"target": {"path": "pod/checkout-7c9d8f6b4d-x2k9p/container/checkout", "namespace": "shop"}, "feature": {"network": {"incoming": "steal"}}}\n`,
    );
    const r = run(['fix', file, '--manifest', MANIFESTS]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /applied "Target deployment\/checkout instead"/);
    assert.match(r.stderr, /applied "Add kube-probe filter/);
    const fixed = JSON.parse(r.stdout);
    assert.deepEqual(fixed.target, { path: 'deployment/checkout/container/checkout', namespace: 'shop' });
    assert.equal(fixed.feature.network.incoming.http_filter.header_filter, '^User-Agent: (?!kube-probe)');
    const copy = path.join(tmp, 'stale-fixed.mirrord.json');
    fs.writeFileSync(copy, r.stdout);
    assert.equal(run(['check', copy, '--manifest', MANIFESTS]).code, 0, 'the fixed file checks clean');
  });

  test('a target only in another namespace: target.namespace set, then fixed against its probes', () => {
    const file = path.join(tmp, 'elsewhere.mirrord.yaml');
    fs.writeFileSync(file, 'target: deployment/checkout\nfeature:\n  network:\n    incoming: steal\n');
    const r = run(['fix', file, '--manifest', MANIFESTS, '--namespace', 'default']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /applied "Set target\.namespace to \\"shop\\""|applied "Set target\.namespace to "shop""/);
    assert.match(r.stdout, /namespace: shop/);
    assert.match(r.stdout, /kube-probe/);
  });

  test('a target object on several lines, only in another namespace: the namespace is added after a comma, and the file still parses', () => {
    const file = path.join(tmp, 'elsewhere-object.mirrord.json');
    fs.writeFileSync(file, '{\n  "target": {\n    "path": "deployment/checkout"\n  },\n  "feature": {"network": {"incoming": "steal"}}\n}\n');
    const r = run(['fix', file, '--manifest', MANIFESTS, '--namespace', 'default', '--write']);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /trailing comma/);
    const fixed = fs.readFileSync(file, 'utf8');
    assert.match(fixed, /"path": "deployment\/checkout",\n {4}"namespace": "shop"\n {2}\}/);
    assert.equal(JSON.parse(fixed).target.namespace, 'shop');
  });

  test('a retarget whose new target is not found is not applied', () => {
    const file = path.join(tmp, 'stale-container.mirrord.json');
    const text = `{"target": {"path": "pod/checkout-7c9d8f6b4d-x2k9p/container/nope", "namespace": "shop"}, "feature": {"network": {"incoming": "steal"}}}\n`;
    fs.writeFileSync(file, text);
    const r = run(['fix', file, '--manifest', MANIFESTS]);
    assert.match(r.stderr, /did not apply "Target deployment\/checkout instead": .*nope/);
    assert.ok(r.stdout.includes('pod/checkout-7c9d8f6b4d-x2k9p/container/nope'), r.stdout);
    assertNoStack(r.stderr);
  });

  test('fix when no fix is certainly correct: the file is printed unchanged, exit 1', () => {
    const file = path.join(tmp, 'anyof.mirrord.json');
    const text = `{
  "target": {"path": "deployment/checkout", "namespace": "shop"},
  "feature": {"network": {"incoming": {"mode": "steal", "http_filter": {"any_of": [{"path": "^/"}, {"query": ".user"}]}}}}
}
`;
    fs.writeFileSync(file, text);
    const manifest = path.join(tmp, 'one-port.yaml');
    fs.writeFileSync(
      manifest,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout, namespace: shop}
spec:
  selector: {matchLabels: {app: checkout}}
  template:
    metadata: {labels: {app: checkout}}
    spec:
      containers:
        - name: checkout
          ports: [{name: http, containerPort: 8080}]
          livenessProbe:
            httpGet: {path: /healthz, port: http}
`,
    );
    const r = run(['fix', file, '--manifest', manifest]);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stdout, text);
    assert.match(r.stderr, /no fix is certainly correct/);
  });
});

describe('bad input never shows a stack trace', () => {
  const inputs: [string, string, string][] = [
    ['binary garbage', 'garbage.mirrord.json', '\u0000\u0001\uFFFD{{{[[["'],
    ['broken JSON', 'broken.mirrord.json', '{"target": "deployment/checkout", "feature": {"network": {"incoming": "steal",'],
    ['broken YAML', 'broken.mirrord.yaml', 'target: [\nfeature: {network: : :\n  - -'],
    ['broken TOML', 'broken.mirrord.toml', '[feature.network\nincoming = = "steal"\n[[['],
    ['an unterminated template', 'tpl.mirrord.json', '{"target": "{{ get_env(name="T")", "feature": {"network": {"incoming": "steal"}}}'],
    ['an empty file', 'empty.mirrord.json', ''],
  ];
  for (const [name, file, text] of inputs) {
    test(name, () => {
      const full = path.join(tmp, file);
      fs.writeFileSync(full, text);
      for (const format of ['text', 'json', 'sarif']) {
        const r = run(['check', full, '--manifest', MANIFESTS, '--format', format]);
        assert.ok(r.code !== null && [0, 1, 2, 3].includes(r.code), `exit ${r.code}`);
        assertNoStack(r.stderr);
        assert.doesNotMatch(r.stderr, /unexpected failure/);
        if (format !== 'text') JSON.parse(r.stdout);
      }
    });
  }

  test('a config that is not UTF-8 (Latin-1, UTF-16) is refused with the reason, and fix --write leaves its bytes alone', () => {
    const risky = fs.readFileSync(path.join(ROOT, RISKY), 'utf8');
    const cases: [string, Buffer, RegExp][] = [
      [
        'latin1.mirrord.json',
        Buffer.from(risky.replace('{', '{\n  "agent": {"labels": {"owner": "Jos\u00e9"}},'), 'latin1'),
        /latin1\.mirrord\.json is not UTF-8 text/,
      ],
      ['utf16.mirrord.json', Buffer.from(`\ufeff${risky}`, 'utf16le'), /utf16\.mirrord\.json is UTF-16 text/],
    ];
    for (const [file, bytes, reason] of cases) {
      const full = path.join(tmp, file);
      fs.writeFileSync(full, bytes);
      const fix = run(['fix', full, '--manifest', MANIFESTS, '--write']);
      assert.equal(fix.code, 2, fix.stderr);
      assert.match(fix.stderr, reason);
      assertNoStack(fix.stderr);
      assert.deepEqual(fs.readFileSync(full), bytes, `${file} is not rewritten`);
      const check = run(['check', full, '--manifest', MANIFESTS, '--format', 'json']);
      assert.equal(check.code, 2);
      assert.match(JSON.parse(check.stdout).configs[0].error, reason);
    }
  });

  test('a .json config with a byte order mark fails (mirrord refuses it), and fix --write removes the mark and fixes the rest', () => {
    const risky = fs.readFileSync(path.join(ROOT, RISKY), 'utf8');
    const full = path.join(tmp, 'bom.mirrord.json');
    fs.writeFileSync(full, `\ufeff${risky}`);
    const check = run(['check', full, '--manifest', MANIFESTS, '--format', 'json']);
    assert.equal(check.code, 1, check.stderr);
    const [bom] = JSON.parse(check.stdout).configs[0].findings;
    assert.equal(bom.code, 'syntax-error');
    assert.match(bom.message, /starts with a byte order mark/);
    const fix = run(['fix', full, '--manifest', MANIFESTS, '--write']);
    assert.equal(fix.code, 0, fix.stderr);
    assert.match(fix.stderr, /applied "Remove the byte order mark"/);
    const fixed = fs.readFileSync(full, 'utf8');
    assert.equal(fixed.charCodeAt(0), 0x7b, 'starts with "{"');
    assert.deepEqual(JSON.parse(fixed).feature.network.incoming.http_filter, { header_filter: '^User-Agent: (?!kube-probe)' });
    assert.equal(run(['check', full, '--manifest', MANIFESTS]).code, 0);
  });

  test('a garbage manifest file is skipped with a warning, not a crash', () => {
    const manifest = path.join(tmp, 'garbage.yaml');
    fs.writeFileSync(manifest, 'kind: [\n\u0000: {{ .Values.x }}\n');
    const r = run(['check', RISKY, '--manifest', manifest, '--manifest', MANIFESTS, '--format', 'json']);
    assert.equal(r.code, 1);
    assertNoStack(r.stderr);
    assert.match(r.stderr, /garbage\.yaml/);
  });
});

describe('text output', () => {
  test('no ANSI colour when stdout is not a TTY', () => {
    for (const config of [RISKY, SAFE, `${CONFIGS}/sidecar.mirrord.yaml`]) {
      const r = run(['check', config, '--manifest', MANIFESTS]);
      // eslint-disable-next-line no-control-regex -- an ANSI colour sequence starts with ESC [.
      assert.doesNotMatch(r.stdout + r.stderr, /\x1b\[/);
    }
  });

  test('findings are listed in file order, whatever rule found them', () => {
    const config = path.join(tmp, 'order.mirrord.json');
    // The probe findings sit on "steal" (line 4), the unknown key after it (line 5), the unknown target key before it (line 2).
    fs.writeFileSync(
      config,
      '{\n  "target": { "path": "deployment/checkout", "namespace": "shop", "nmespace": "x" },\n  "feature": {\n    "network": { "incoming": "steal" },\n    "bogus_key": true\n  }\n}\n',
    );
    const json = JSON.parse(run(['check', config, '--manifest', MANIFESTS, '--format', 'json', '--fail-on', 'never']).stdout).configs[0];
    const lines = json.findings.map((f: { range: { start: { line: number } } }) => f.range.start.line);
    assert.ok(new Set(lines).size >= 3, `findings on three lines: ${JSON.stringify(json.findings.map((f: { code: string }) => f.code))}`);
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    );
    const text = run(['check', config, '--manifest', MANIFESTS, '--fail-on', 'never']).stdout;
    const printed = [...text.matchAll(/order\.mirrord\.json:(\d+):\d+ /g)].map((m) => Number(m[1]) - 1);
    assert.deepEqual(printed, lines, text);
  });

  test('findings are printed as file:line:column (one-based) with the code', () => {
    const r = run(['check', RISKY, '--manifest', MANIFESTS]);
    const json = JSON.parse(run(['check', RISKY, '--manifest', MANIFESTS, '--format', 'json']).stdout).configs[0];
    const f = json.findings[0];
    assert.ok(r.stdout.includes(`${RISKY}:${f.range.start.line + 1}:${f.range.start.character + 1} error [liveness-probe-stolen]`), r.stdout);
  });
});
