/**
 * The conventions of a command-line tool, on the real binary: help on stdout with exit 0 (per
 * command too), --version, unknown options named, --quiet, --rule as probeGuard.severity,
 * NO_COLOR/FORCE_COLOR, --output/--sarif-output, and mirrord's MIRRORD_* environment (or
 * --env-file) applied over the file and reported in text, JSON and SARIF.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULE_CODES } from '../../../src/core/rules';
import { parseCliArguments } from '../../../src/cli/cliOptions';
import { sessionEnvironment } from '../../../src/cli/envFile';
import { useColour } from '../../../src/cli/terminal';
import { repoRoot } from '../analyze/analyzeSupport';
import { cliTestEnv } from '../../support/cliEnv';

const ROOT = repoRoot();
const CONFIGS = 'demo/workspace/.mirrord';
const MANIFESTS = 'demo/manifests';
const RISKY = `${CONFIGS}/risky.mirrord.json`;
const SAFE = `${CONFIGS}/safe.mirrord.json`;
const MIRROR = `${CONFIGS}/mirror.mirrord.json`;
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
// eslint-disable-next-line no-control-regex -- an ANSI colour sequence starts with ESC [.
const ANSI = /\x1b\[/;
let tmp = '';

function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return cliTestEnv(tmp, { KUBECONFIG: path.join(tmp, 'none'), ...extra });
}

function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ['bin/probe-guard.js', ...args], { cwd: ROOT, encoding: 'utf8', env: cleanEnv(extraEnv), timeout: 60_000 });
  assert.equal(r.error, undefined, String(r.error));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-conventions-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('help and version', () => {
  const helps: [string[], RegExp][] = [
    [['--help'], /probe-guard check \[<config\|folder\|glob>\.\.\.\]/],
    [['-h'], /probe-guard rules/],
    [['help'], /probe-guard --version/],
    [['check', '--help'], /--fail-on <when>/],
    [['help', 'check'], /--sarif-output <file>/],
    [['fix', '--help'], /--write +fix the files in place/],
    [['fix', '-h', RISKY], /--write/],
    [['rules', '--help'], /Lists every rule code/],
  ];
  for (const [args, expected] of helps) {
    test(`${args.join(' ')}: on stdout, exit 0`, () => {
      const r = run(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, expected);
      assert.equal(r.stderr, '');
    });
  }

  test('check --help and fix --help are not the same text', () => {
    assert.notEqual(run(['check', '--help']).stdout, run(['fix', '--help']).stdout);
  });

  test("--version and -v print package.json's version", () => {
    for (const flag of ['--version', '-v']) {
      const r = run([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${VERSION}\n`);
    }
  });

  test('--help states the exit codes, as check --help and the README do', () => {
    const contract = /Exit codes[^]*2 bad usage[^]*1 a config fails[^]*3 a target could not be resolved[^]*0 otherwise/;
    assert.match(run(['--help']).stdout, contract);
    assert.match(run(['check', '--help']).stdout, contract);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.match(readme, /\*\*Exit codes\*\*[^]*`2` bad usage[^]*`1` a config fails[^]*`3` a target could not be resolved[^]*`0` otherwise/);
  });

  test("README's CLI section names every option of check --help and fix --help; docs/ci.md only options that exist", () => {
    const optionsOf = (text: string) => new Set([...text.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]));
    const helpOptions = new Set([...optionsOf(run(['check', '--help']).stdout), ...optionsOf(run(['fix', '--help']).stdout)]);
    assert.ok(helpOptions.size >= 14, [...helpOptions].join(' '));
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const cliSection = readme.slice(readme.indexOf('## The CLI'), readme.indexOf('\n## ', readme.indexOf('## The CLI') + 1));
    for (const option of helpOptions) assert.ok(cliSection.includes(option), `${option} in README's CLI section`);
    const ci = fs.readFileSync(path.join(ROOT, 'docs', 'ci.md'), 'utf8');
    const mentioned = [...ci.matchAll(/(?<![\w-])(--[a-z][a-z-]+)/g)].map((m) => m[1]).filter((o) => o !== '--yes' && o !== '--save-dev');
    assert.ok(mentioned.length > 0);
    for (const option of mentioned) assert.ok(helpOptions.has(option), `docs/ci.md's ${option} is an option of check or fix`);
  });

  test('rules lists every code of the registry with its default severity', () => {
    const r = run(['rules']);
    assert.equal(r.code, 0);
    for (const code of RULE_CODES) assert.match(r.stdout, new RegExp(`^${code} +(error|warning|information|hint) +\\S`, 'm'));
  });
});

describe('bad usage names what is wrong (exit 2, stderr, nothing on stdout)', () => {
  const cases: [string[], RegExp][] = [
    [['check', SAFE, '--bogus'], /unknown option --bogus\nRun "probe-guard check --help"/],
    [['check', SAFE, '--formatt=json'], /unknown option --formatt/],
    [['check', SAFE, '-x'], /unknown option -x/],
    [['--bogus'], /unknown option --bogus/],
    [['--bogus', 'check', SAFE], /unknown option --bogus before "check"/],
    [['check', SAFE, '--format'], /option --format needs a value/],
    [['check', SAFE, '--quiet=yes'], /option --quiet takes no value/],
    [['check', SAFE, '--rule', 'no-such-rule=off'], /"no-such-rule" is not a Probe Guard rule code/],
    [['check', SAFE, '--rule', 'liveness-probe-stolen=loud'], /the level must be one of error, warning, information, hint, off/],
    [['check', SAFE, '--fail-on', 'sometimes'], /--fail-on must be one of stolen, error, warning, information, hint, never/],
    [['fix', SAFE, '--format', 'json'], /--format only goes with check/],
    [['rules', 'extra'], /unexpected argument "extra"/],
    [['help', 'lint'], /no help for "lint"/],
  ];
  for (const [args, expected] of cases) {
    test(args.join(' '), () => {
      const r = run(args);
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, expected);
      assert.equal(r.stdout, '');
    });
  }
});

describe('--quiet, --rule, colour, output files', () => {
  test('--quiet: only the finding lines; nothing for a clean config', () => {
    const risky = run(['check', RISKY, '--manifest', MANIFESTS, '--quiet']);
    assert.equal(risky.code, 1);
    const lines = risky.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    for (const line of lines)
      assert.match(line, /^demo\/workspace\/\.mirrord\/risky\.mirrord\.json:\d+:\d+ (error|warning) \[(liveness|readiness)-probe-stolen\] /);
    const safe = run(['check', SAFE, '--manifest', MANIFESTS, '-q']);
    assert.equal(safe.code, 0);
    assert.equal(safe.stdout, '');
    assert.equal(safe.stderr, '');
  });

  test('--rule CODE=off drops the finding (and a dropped stolen-probe finding no longer fails); CODE=level changes it', () => {
    const json = (args: string[]) => JSON.parse(run(['check', RISKY, '--manifest', MANIFESTS, '--format', 'json', ...args]).stdout).configs[0];
    const off = run([
      'check',
      RISKY,
      '--manifest',
      MANIFESTS,
      '--rule',
      'liveness-probe-stolen=off',
      '--rule',
      'readiness-probe-stolen=off',
      '--format',
      'json',
    ]);
    assert.equal(off.code, 0);
    assert.deepEqual(JSON.parse(off.stdout).configs[0].findings, []);
    const changed = json(['--rule', 'readiness-probe-stolen=error', '--rule', 'liveness-probe-stolen=hint']);
    assert.deepEqual(
      changed.findings.map((f: { code: string; severity: string }) => `${f.code}:${f.severity}`),
      ['liveness-probe-stolen:hint', 'readiness-probe-stolen:error'],
    );
  });

  test("--rule takes exactly the levels of the editor's probeGuard.severity setting", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const levels: string[] = manifest.contributes.configuration.properties['probeGuard.severity'].additionalProperties.enum;
    assert.ok(levels.includes('off') && levels.includes('error'), levels.join(' '));
    for (const level of levels) {
      const parsed = parseCliArguments(['check', '--rule', `readiness-probe-stolen=${level}`]);
      assert.ok(parsed.kind === 'run');
      assert.deepEqual(parsed.options.rules, { 'readiness-probe-stolen': level });
    }
    assert.throws(() => parseCliArguments(['check', '--rule', 'readiness-probe-stolen=info']), /the level must be one of/);
  });

  test('colour: FORCE_COLOR forces it (even over NO_COLOR), NO_COLOR and FORCE_COLOR=0 keep it off', () => {
    const args = ['check', RISKY, '--manifest', MANIFESTS];
    assert.match(run(args, { FORCE_COLOR: '1' }).stdout, ANSI);
    assert.match(run(args, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout, ANSI);
    assert.doesNotMatch(run(args, { FORCE_COLOR: '0' }).stdout, ANSI);
    assert.doesNotMatch(run(args, { NO_COLOR: '1' }).stdout, ANSI);
    assert.doesNotMatch(run(args).stdout, ANSI, 'not a terminal');
  });

  test('useColour on a terminal', () => {
    assert.equal(useColour({}, true), true);
    assert.equal(useColour({ NO_COLOR: '1' }, true), false);
    assert.equal(useColour({ NO_COLOR: '' }, true), true, 'an empty NO_COLOR does not count (no-color.org)');
    assert.equal(useColour({ TERM: 'dumb' }, true), false);
    assert.equal(useColour({ FORCE_COLOR: 'false' }, true), false);
    assert.equal(useColour({ FORCE_COLOR: '' }, false), true);
  });

  test('--output writes the report to a file; --sarif-output adds SARIF next to the text report', () => {
    const out = path.join(tmp, 'report.json');
    const sarifFile = path.join(tmp, 'report.sarif');
    const r = run(['check', RISKY, '--manifest', MANIFESTS, '--format', 'json', '-o', out]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).configs[0].config, RISKY);
    const both = run(['check', RISKY, '--manifest', MANIFESTS, '--sarif-output', sarifFile]);
    assert.match(both.stdout, /1 config checked: 1 failed/);
    const sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
    assert.equal(sarif.runs[0].results.length, 2);
    const unwritable = run(['check', RISKY, '--manifest', MANIFESTS, '--sarif-output', path.join(tmp, 'no', 'such', 'dir', 'x.sarif')]);
    assert.equal(unwritable.code, 2);
    assert.match(unwritable.stderr, /cannot write .*x\.sarif: no such file/);
  });
});

describe("mirrord's environment", () => {
  test('MIRRORD_AGENT_TCP_STEAL_TRAFFIC=true turns the mirror config into steal, and every report says so', () => {
    const env = { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'true' };
    const text = run(['check', MIRROR, '--manifest', MANIFESTS], env);
    assert.equal(text.code, 1);
    assert.match(text.stdout, /^environment: MIRRORD_AGENT_TCP_STEAL_TRAFFIC=true \(incoming mode steal\)$/m);
    const json = JSON.parse(run(['check', MIRROR, '--manifest', MANIFESTS, '--format', 'json'], env).stdout).configs[0];
    assert.deepEqual(json.environment, [{ name: 'MIRRORD_AGENT_TCP_STEAL_TRAFFIC', value: 'true', effect: 'incoming mode steal' }]);
    const sarif = JSON.parse(run(['check', MIRROR, '--manifest', MANIFESTS, '--format', 'sarif'], env).stdout).runs[0];
    assert.deepEqual(sarif.invocations[0].environmentVariables, { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'true' });
    assert.ok(sarif.results.length > 0);
    for (const result of sarif.results) assert.deepEqual(result.properties.mirrordEnvironment, ['MIRRORD_AGENT_TCP_STEAL_TRAFFIC=true']);
  });

  test('without MIRRORD_* variables nothing is said about the environment', () => {
    const r = run(['check', MIRROR, '--manifest', MANIFESTS]);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout, /environment:/);
    const sarif = JSON.parse(run(['check', MIRROR, '--manifest', MANIFESTS, '--format', 'sarif']).stdout).runs[0];
    assert.equal(sarif.invocations[0].environmentVariables, undefined);
  });

  test('--env-file (dotenv) over the environment: the safe filter from the file protects the risky config', () => {
    const envFile = path.join(tmp, 'session.env');
    fs.writeFileSync(
      envFile,
      `# the launch configuration's env\nMIRRORD_HTTP_HEADER_FILTER="^User-Agent: (?!kube-probe)"\nexport MIRRORD_TARGET_NAMESPACE=shop\n`,
    );
    const r = run(['check', RISKY, '--manifest', MANIFESTS, '--env-file', envFile, '--format', 'json'], { MIRRORD_HTTP_HEADER_FILTER: 'kube-probe' });
    assert.equal(r.code, 0, r.stdout);
    const report = JSON.parse(r.stdout).configs[0];
    assert.deepEqual(
      report.environment.map((o: { name: string; value: string }) => `${o.name}=${o.value}`),
      ['MIRRORD_HTTP_HEADER_FILTER=^User-Agent: (?!kube-probe)', 'MIRRORD_TARGET_NAMESPACE=shop'],
    );
  });

  test('a missing --env-file: a non-zero exit naming the file', () => {
    // Node 20 and 22 read a script's own `--env-file` argument as theirs when the file is missing
    // (nodejs/node#54232) and exit 9 with "node: FILE: not found" before the CLI runs; otherwise
    // the CLI exits 2 with its own message (checked on sessionEnvironment below).
    const r = run(['check', SAFE, '--env-file', 'no/such.env']);
    assert.ok(r.code === 2 || r.code === 9, `exit ${r.code}`);
    assert.match(r.stderr, /no\/such\.env/);
    assert.throws(() => sessionEnvironment({}, ['no/such.env']), /cannot read env file no\/such\.env: no such file/);
    const envFile = path.join(tmp, 'later.env');
    fs.writeFileSync(envFile, 'A=file\n');
    assert.deepEqual(sessionEnvironment({ A: 'process', B: 'kept' }, [envFile]), { A: 'file', B: 'kept' });
  });

  test('an environment value mirrord refuses is an error finding naming the variable', () => {
    const r = run(['check', RISKY, '--manifest', MANIFESTS, '--format', 'json'], { MIRRORD_HTTP_FILTER_PORTS: '80, 8080' });
    const finding = JSON.parse(r.stdout).configs[0].findings.find((f: { code: string }) => f.code === 'invalid-port');
    assert.ok(finding);
    assert.match(finding.message, /MIRRORD_HTTP_FILTER_PORTS="80, 8080" in the environment: .*mirrord refuses to start/);
  });
});
