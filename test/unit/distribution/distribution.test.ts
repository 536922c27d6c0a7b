/**
 * Probe Guard as other repositories get it, built from this checkout the way a release is:
 * - the `probe-guard` npm package (npm run build:cli-package, `npm pack`), installed from its
 *   tarball into an empty project with `npm install --offline` (it has no dependencies) and run
 *   with npx: --version, a check on a risky and a safe config, a cluster lookup through its lazily
 *   loaded cluster bundle, its language server over stdio;
 * - the GitHub Action: action.yml's step run as the runner runs a composite step (bash, the
 *   step's env with the inputs substituted, GITHUB_* variables, $GITHUB_OUTPUT, the workspace as
 *   the working folder), with the packed tarball as its `version`;
 * - the pre-commit hook: Debian's pre-commit (scripts/provision-test-runtime.sh) running
 *   .pre-commit-hooks.yaml, verbatim from a hook repository, on `git commit` in a repository with
 *   a risky and a safe config.
 * Everything runs offline: npm with `--offline` and an npm cache of its own.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { isMirrordConfigPath } from '../../../src/service/configFiles';
import { repoRoot } from '../analyze/analyzeSupport';
import { LspTestClient } from '../../protocol/lspTestClient';
import { type FakeKubeApi, startKubeApiServer } from '../../support/kubeApiServer';
import { clusterFor, kubeconfigDoc, tokenUser, writeKubeconfig } from '../../support/kubeconfigs';
import { NS, shopObjects } from '../../support/kubeFixtures';

const ROOT = repoRoot();
const VERSION: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
let tmp = '';
let tarball = '';
let project = '';
let npmCache = '';

const RISKY = `{"target": {"path": "deployment/api", "namespace": "shop"}, "feature": {"network": {"incoming": "steal"}}}\n`;
const SAFE = `target:\n  path: deployment/api\n  namespace: shop\nfeature:\n  network:\n    incoming:\n      mode: steal\n      http_filter:\n        header_filter: "^User-Agent: (?!kube-probe)"\n`;
const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: app
          ports: [{name: http, containerPort: 8080}]
          livenessProbe: {httpGet: {path: /healthz, port: http}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
`;

/** The environment of every npm, npx, git and pre-commit run: offline, caches and homes of its own. */
function toolEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      k.startsWith('MIRRORD_') ||
      k.startsWith('npm_') ||
      k.startsWith('GITHUB_') ||
      k.startsWith('INPUT_') ||
      ['KUBECONFIG', 'NO_COLOR', 'FORCE_COLOR'].includes(k)
    )
      continue;
    env[k] = v;
  }
  return {
    ...env,
    HOME: path.join(tmp, 'home'),
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`,
    KUBECONFIG: path.join(tmp, 'no-kubeconfig'),
    npm_config_cache: npmCache,
    npm_config_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    PRE_COMMIT_HOME: path.join(tmp, 'pre-commit-home'),
    ...extra,
  };
}

function sh(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 240_000, env: toolEnv(), ...options });
  assert.equal(r.error, undefined, `${command} ${args.join(' ')}: ${String(r.error)}`);
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

function ok(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const r = sh(command, args, options);
  assert.equal(r.code, 0, `${command} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** A folder with a risky and a safe config and the manifest of their target. */
function writeRepository(dir: string): void {
  fs.mkdirSync(path.join(dir, '.mirrord'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'k8s'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.mirrord', 'risky.mirrord.json'), RISKY);
  fs.writeFileSync(path.join(dir, '.mirrord', 'safe.mirrord.yaml'), SAFE);
  fs.writeFileSync(path.join(dir, 'k8s', 'api.yaml'), MANIFEST);
}

function gitInit(dir: string): void {
  ok('git', ['init', '-q'], { cwd: dir });
  ok('git', ['config', 'user.email', 'dev@example.com'], { cwd: dir });
  ok('git', ['config', 'user.name', 'Dev'], { cwd: dir });
  ok('git', ['config', 'commit.gpgsign', 'false'], { cwd: dir });
}

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-dist-'));
  npmCache = path.join(tmp, 'npm-cache');
  fs.mkdirSync(path.join(tmp, 'home'));
  ok(process.execPath, [path.join(ROOT, 'scripts', 'build-cli-package.mjs')], { cwd: ROOT });
  const packed = ok('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: path.join(ROOT, 'packages', 'cli') });
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(tmp, info.filename);
  assert.ok(fs.existsSync(tarball));
  project = path.join(tmp, 'project');
  fs.mkdirSync(project);
  ok('npm', ['init', '-y'], { cwd: project });
  ok('npm', ['install', '--offline', tarball], { cwd: project });
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the npm package', () => {
  test('the tarball holds the launchers, the bundles, README and licences: nothing else', () => {
    const listed = JSON.parse(ok('npm', ['pack', '--dry-run', '--json'], { cwd: path.join(ROOT, 'packages', 'cli') }).stdout)[0].files.map(
      (f: { path: string }) => f.path,
    );
    assert.deepEqual(listed.sort(), [
      'LICENSE',
      'README.md',
      'THIRD_PARTY_LICENSES.md',
      'bin/probe-guard-language-server.js',
      'bin/probe-guard.js',
      'dist/cli-dotenv.js',
      'dist/cli-ignore.js',
      'dist/cli-tinyglobby.js',
      'dist/cli-toml-eslint-parser.js',
      'dist/cli-yaml.js',
      'dist/cli.js',
      'dist/compileCache.js',
      'dist/kube.js',
      'dist/kubeClientNode.js',
      'dist/server.js',
      'dist/serverWorker.js',
      'package.json',
    ]);
    const licences = fs.readFileSync(path.join(ROOT, 'packages', 'cli', 'THIRD_PARTY_LICENSES.md'), 'utf8');
    for (const bundled of ['@kubernetes/client-node', 'yaml', 'jsonc-parser', 'vscode-languageserver', 'ignore', 'dotenv'])
      assert.match(licences, new RegExp(`^## ${bundled} `, 'm'));
  });

  test('package.json: the name npx runs, both commands, no dependencies, the repository version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'probe-guard', 'package.json'), 'utf8'));
    assert.equal(pkg.name, 'probe-guard');
    assert.equal(pkg.version, VERSION);
    assert.deepEqual(Object.keys(pkg.bin).sort(), ['probe-guard', 'probe-guard-language-server']);
    assert.equal(pkg.dependencies, undefined);
    assert.equal(pkg.scripts, undefined, 'no install scripts');
    assert.equal(pkg.license, 'MIT');
    assert.equal(pkg.engines.node, '>=20');
    assert.deepEqual(fs.readdirSync(path.join(project, 'node_modules')).sort(), ['.bin', '.package-lock.json', 'probe-guard'], 'nothing else was installed');
  });

  test('npx probe-guard --version and a check over a risky and a safe config', () => {
    writeRepository(project);
    assert.equal(ok('npx', ['--offline', 'probe-guard', '--version'], { cwd: project }).stdout, `${VERSION}\n`);
    const r = sh('npx', ['--offline', 'probe-guard', 'check', '.mirrord', '--manifest', 'k8s', '--format', 'json'], { cwd: project });
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      report.configs.map((c: { config: string; exitCode: number }) => [c.config.split(path.sep).join('/'), c.exitCode]),
      [
        ['.mirrord/risky.mirrord.json', 1],
        ['.mirrord/safe.mirrord.yaml', 0],
      ],
    );
    assert.equal(sh('npx', ['--offline', 'probe-guard', 'check', '.mirrord/safe.mirrord.yaml', '--manifest', 'k8s'], { cwd: project }).code, 0);
  });

  /** The package's dist/ files a `probe-guard` process loaded (a --require hook writes require.cache at exit). */
  function loadedBundles(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; loaded: string[] }> {
    const hook = path.join(tmp, 'report-modules.js');
    const out = path.join(tmp, `modules-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(
      hook,
      "process.once('exit', () => require('node:fs').writeFileSync(process.env.REPORT_MODULES, JSON.stringify(Object.keys(require.cache))));\n",
    );
    const bin = path.join(project, 'node_modules', '.bin', 'probe-guard');
    return new Promise((resolve) =>
      execFile(
        bin,
        args,
        { cwd: project, env: { ...env, NODE_OPTIONS: `--require ${hook}`, REPORT_MODULES: out }, encoding: 'utf8' },
        (error, _stdout, stderr) => {
          const dist = path.join(project, 'node_modules', 'probe-guard', 'dist') + path.sep;
          const loaded = (JSON.parse(fs.readFileSync(out, 'utf8')) as string[]).filter((f) => f.startsWith(dist)).map((f) => path.basename(f));
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr, loaded: loaded.sort() });
        },
      ),
    );
  }

  test('a check loads only the bundles its inputs need: no YAML or TOML parser and no file discovery for a JSON config against a cluster', async () => {
    const api: FakeKubeApi = await startKubeApiServer({ objects: shopObjects() });
    try {
      writeRepository(project);
      const kubeconfig = writeKubeconfig(
        tmp,
        'kubeconfig-loaded.yaml',
        kubeconfigDoc([{ name: 'shop', cluster: clusterFor(api), user: tokenUser(api), namespace: NS }]),
      );
      const cluster = await loadedBundles(['check', '.mirrord/risky.mirrord.json', '--format', 'json'], toolEnv({ KUBECONFIG: kubeconfig }));
      assert.equal(cluster.code, 1, cluster.stderr);
      assert.deepEqual(cluster.loaded, ['cli.js', 'compileCache.js', 'kube.js']);
      // A YAML config against manifests: the YAML parser, still no TOML parser or discovery.
      const yaml = await loadedBundles(['check', '.mirrord/safe.mirrord.yaml', '--manifest', 'k8s'], toolEnv());
      assert.equal(yaml.code, 0, yaml.stderr);
      assert.deepEqual(yaml.loaded, ['cli-yaml.js', 'cli.js', 'compileCache.js']);
      // A folder: file discovery too.
      const folder = await loadedBundles(['check', '.mirrord', '--manifest', 'k8s', '--format', 'json'], toolEnv());
      assert.equal(folder.code, 1, folder.stderr);
      assert.ok(folder.loaded.includes('cli-yaml.js') && !folder.loaded.includes('kube.js'), folder.loaded.join(', '));
    } finally {
      await api.close();
    }
  });

  test('a cluster lookup loads the packaged cluster bundle (dist/kube.js) and finds the target', async () => {
    const api: FakeKubeApi = await startKubeApiServer({ objects: shopObjects() });
    try {
      const kubeconfig = writeKubeconfig(
        tmp,
        'kubeconfig.yaml',
        kubeconfigDoc([{ name: 'shop', cluster: clusterFor(api), user: tokenUser(api), namespace: NS }]),
      );
      const bin = path.join(project, 'node_modules', '.bin', 'probe-guard');
      const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
        execFile(
          bin,
          ['check', '.mirrord/risky.mirrord.json', '--format', 'json'],
          { cwd: project, env: toolEnv({ KUBECONFIG: kubeconfig }), encoding: 'utf8' },
          (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
        ),
      );
      assert.equal(r.code, 1, r.stderr);
      const entry = JSON.parse(r.stdout).configs[0];
      assert.equal(entry.source, 'cluster');
      assert.ok(api.requests.some((x) => x.path.endsWith('/deployments/api')));
    } finally {
      await api.close();
    }
  });

  test('probe-guard-language-server --stdio from the package: diagnostics for a risky config', async () => {
    const folder = path.join(tmp, 'lsp-folder');
    writeRepository(folder);
    const client = await LspTestClient.start({
      workspaceFolder: folder,
      trusted: true,
      settings: { manifests: ['k8s'], clusterLookup: { enabled: false } },
      serverPath: path.join(project, 'node_modules', 'probe-guard', 'bin', 'probe-guard-language-server.js'),
      env: toolEnv(),
    });
    try {
      const uri = pathToFileURL(path.join(folder, '.mirrord', 'risky.mirrord.json')).href;
      await client.open(uri, RISKY);
      const published = await client.diagnosticsOf(uri, (d) => d.diagnostics.some((x) => x.code === 'liveness-probe-stolen'));
      assert.ok(published.diagnostics.some((x) => x.code === 'readiness-probe-stolen'));
    } finally {
      await client.stop();
    }
  });

  test('every probe-guard@VERSION and @vVERSION the docs tell users to write is this version', () => {
    for (const doc of ['README.md', 'docs/ci.md', 'packages/cli/README.md', '.pre-commit-hooks.yaml']) {
      const text = fs.readFileSync(path.join(ROOT, doc), 'utf8');
      const versions = [...text.matchAll(/probe-guard@(\d+\.\d+\.\d+)|mirrord-probe-guard@v(\d+\.\d+\.\d+)|rev: v(\d+\.\d+\.\d+)/g)].map(
        (m) => m[1] ?? m[2] ?? m[3],
      );
      assert.ok(versions.length > 0, `${doc} names a version`);
      assert.deepEqual([...new Set(versions)], [VERSION], doc);
    }
  });

  test("the package README documents every option of check's help", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'packages', 'cli', 'README.md'), 'utf8');
    const help = ok(process.execPath, [path.join(ROOT, 'bin', 'probe-guard.js'), 'check', '--help']).stdout;
    const options = [...help.matchAll(/^\s+(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]);
    assert.ok(options.length >= 12, options.join(' '));
    for (const option of options) assert.ok(readme.includes(option), `${option} in packages/cli/README.md`);
  });
});

describe('the GitHub Action', () => {
  const action = parseYaml(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  const step = action.runs.steps[0];

  /** action.yml's step as the runner runs it: inputs (defaults from action.yml) into the step's env, bash in the workspace. */
  function runAction(workspace: string, inputs: Record<string, string>) {
    const runnerTemp = fs.mkdtempSync(path.join(tmp, 'runner-temp-'));
    const outputFile = path.join(runnerTemp, 'output');
    const summaryFile = path.join(runnerTemp, 'summary');
    fs.writeFileSync(outputFile, '');
    const stepEnv: Record<string, string> = {};
    for (const [name, value] of Object.entries(step.env as Record<string, string>)) {
      stepEnv[name] = value.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_m, input: string) => {
        assert.ok(action.inputs[input], `input ${input} is declared`);
        return inputs[input] ?? String(action.inputs[input].default ?? '');
      });
    }
    const r = sh('bash', ['-e', '-c', step.run], {
      cwd: workspace,
      env: toolEnv({
        ...stepEnv,
        GITHUB_ACTIONS: 'true',
        GITHUB_ACTION_PATH: ROOT,
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        RUNNER_TEMP: runnerTemp,
      }),
    });
    const outputs = Object.fromEntries(
      fs
        .readFileSync(outputFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    // eslint-disable-next-line no-control-regex -- the log is coloured (FORCE_COLOR): compare its text.
    const stdout = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    return { ...r, stdout, outputs, summary: fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8') : '' };
  }

  test('action.yml: a composite step running action/run.mjs with every input in its env; the outputs come from that step', () => {
    assert.equal(action.runs.using, 'composite');
    assert.equal(step.shell, 'bash');
    assert.match(step.run, /node "\$GITHUB_ACTION_PATH\/action\/run\.mjs"/);
    for (const input of Object.keys(action.inputs)) {
      assert.equal(step.env[`INPUT_${input.toUpperCase().replace(/-/g, '_')}`], `\${{ inputs.${input} }}`, input);
      assert.ok(action.inputs[input].description, `${input} is described`);
    }
    for (const required of ['paths', 'manifests', 'format', 'fail-on', 'version']) assert.ok(action.inputs[required], required);
    assert.equal(action.outputs['sarif-file'].value, '${{ steps.probe-guard.outputs.sarif-file }}');
    assert.equal(step.id, 'probe-guard');
  });

  test('a risky and a safe config: the step fails, SARIF written and output, annotations on the risky file, a job summary', () => {
    const workspace = path.join(tmp, 'action-workspace');
    writeRepository(workspace);
    gitInit(workspace);
    const r = runAction(workspace, { manifests: 'k8s/', version: tarball });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(r.outputs['exit-code'], '1');
    const sarifFile = r.outputs['sarif-file'];
    assert.ok(sarifFile && fs.existsSync(sarifFile), `sarif-file output: ${sarifFile}`);
    const sarif = JSON.parse(fs.readFileSync(sarifFile, 'utf8'));
    const uris = new Set(sarif.runs[0].results.map((x: any) => x.locations[0].physicalLocation.artifactLocation.uri));
    assert.deepEqual([...uris], ['.mirrord/risky.mirrord.json']);
    assert.match(
      r.stdout,
      /^::error file=\.mirrord\/risky\.mirrord\.json,line=1,col=\d+,endLine=1,endColumn=\d+,title=probe-guard \[liveness-probe-stolen\]::Liveness probe/m,
    );
    assert.match(r.stdout, /^::warning file=\.mirrord\/risky\.mirrord\.json,.*\[readiness-probe-stolen\]/m);
    assert.doesNotMatch(r.stdout, /::(error|warning|notice) file=\.mirrord\/safe/);
    assert.match(r.stdout, /2 configs checked: 1 failed, 0 unresolved, 0 unreadable, 1 passed/, 'the text report is in the log');
    assert.match(r.summary, /### Probe Guard: 2 configs checked, 2 findings, exit 1/);
    assert.match(r.summary, /\| \.mirrord\/risky\.mirrord\.json \| 1 \| error \| liveness-probe-stolen \|/);
  });

  test('only the safe config, or fail-on never: the step passes and still writes SARIF', () => {
    const workspace = path.join(tmp, 'action-workspace');
    const safe = runAction(workspace, { paths: '.mirrord/safe.mirrord.yaml', manifests: 'k8s/', version: tarball, 'sarif-file': 'out/probe-guard.sarif' });
    assert.equal(safe.code, 0, safe.stdout + safe.stderr);
    assert.equal(safe.outputs['sarif-file'], path.join(workspace, 'out', 'probe-guard.sarif'));
    assert.equal(JSON.parse(fs.readFileSync(safe.outputs['sarif-file'], 'utf8')).runs[0].results.length, 0);
    const never = runAction(workspace, { manifests: 'k8s/', version: tarball, 'fail-on': 'never', format: 'json' });
    assert.equal(never.code, 0, never.stdout + never.stderr);
    assert.match(never.stdout, /"exitCode": 0/);
  });

  test('rules (one per line) and a minimum severity: the lowered findings are notices and do not fail; env-file applies MIRRORD_*', () => {
    const workspace = path.join(tmp, 'action-workspace');
    const lowered = runAction(workspace, {
      paths: '.mirrord/risky.mirrord.json',
      manifests: 'k8s/',
      version: tarball,
      rules: 'liveness-probe-stolen=information\nreadiness-probe-stolen=information\n',
      'fail-on': 'warning',
    });
    assert.equal(lowered.code, 0, lowered.stdout + lowered.stderr);
    assert.match(lowered.stdout, /^::notice file=\.mirrord\/risky\.mirrord\.json,.*\[liveness-probe-stolen\]/m);
    assert.doesNotMatch(lowered.stdout, /^::(error|warning) /m);
    const envFile = path.join(tmp, 'action-session.env');
    fs.writeFileSync(envFile, 'MIRRORD_HTTP_HEADER_FILTER="^User-Agent: (?!kube-probe)"\n');
    const filtered = runAction(workspace, { paths: '.mirrord/risky.mirrord.json', manifests: 'k8s/', version: tarball, 'env-file': envFile });
    assert.equal(filtered.code, 0, filtered.stdout + filtered.stderr);
    assert.match(filtered.stdout, /^environment: MIRRORD_HTTP_HEADER_FILTER=\^User-Agent: \(\?!kube-probe\) /m);
  });

  test('a bad input fails the step with an error annotation and probe-guard exit 2', () => {
    const workspace = path.join(tmp, 'action-workspace');
    const r = runAction(workspace, { manifests: 'no-such-folder/', version: tarball });
    assert.equal(r.code, 2);
    assert.equal(r.outputs['exit-code'], '2');
    assert.match(r.stderr, /cannot read manifest no-such-folder/);
    const badFormat = runAction(workspace, { format: 'xml', version: tarball });
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stdout, /^::error title=probe-guard::format must be text, json or sarif/m);
    const missingEnvFile = runAction(workspace, { 'env-file': 'no-such.env', version: tarball });
    assert.equal(missingEnvFile.code, 2);
    assert.match(missingEnvFile.stdout, /^::error title=probe-guard::env-file no-such\.env does not exist/m);
  });
});

describe('the pre-commit hook', () => {
  const hooks = parseYaml(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
  const hook = hooks.find((h: { id: string }) => h.id === 'probe-guard');

  test("the hook: the package of this version, the editor's config names, one run for all files", () => {
    assert.equal(hook.entry, `npx --yes probe-guard@${VERSION} check`);
    assert.equal(hook.language, 'system');
    assert.equal(hook.require_serial, true);
    const files = new RegExp(String(hook.files).replace(/^\(\?i\)/, ''), 'i');
    const names = [
      'mirrord.json',
      '.mirrord/steal.json',
      'svc/api.mirrord.yaml',
      'a/b/.mirrord/x.toml',
      'dev-mirrord.yml',
      'MIRRORD.JSON',
      'package.json',
      'mirrord.md',
      '.mirrord/sub/x.json',
      'k8s/deploy.yaml',
    ];
    for (const name of names) assert.equal(files.test(name), isMirrordConfigPath(name), name);
  });

  test('git commit with the hook installed: refused with a risky config, accepted with the safe one', () => {
    assert.equal(
      spawnSync('pre-commit', ['--version']).status,
      0,
      "pre-commit is missing: run `npm run provision` (scripts/provision-test-runtime.sh installs Debian's pre-commit)",
    );
    // The hook repository: this checkout's .pre-commit-hooks.yaml, verbatim, at a commit.
    const hookRepo = path.join(tmp, 'hook-repo');
    fs.mkdirSync(hookRepo);
    gitInit(hookRepo);
    fs.copyFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), path.join(hookRepo, '.pre-commit-hooks.yaml'));
    ok('git', ['add', '.'], { cwd: hookRepo });
    ok('git', ['commit', '-q', '-m', 'hooks'], { cwd: hookRepo });
    const rev = ok('git', ['rev-parse', 'HEAD'], { cwd: hookRepo }).stdout.trim();

    // The user's repository, with probe-guard as a development dependency (npx runs it offline).
    const repo = path.join(tmp, 'user-repo');
    fs.mkdirSync(repo);
    writeRepository(repo);
    gitInit(repo);
    ok('npm', ['init', '-y'], { cwd: repo });
    ok('npm', ['install', '--offline', '--save-dev', tarball], { cwd: repo });
    fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\n');
    fs.writeFileSync(
      path.join(repo, '.pre-commit-config.yaml'),
      `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: probe-guard\n        args: [--manifest, k8s/]\n`,
    );
    ok('pre-commit', ['install'], { cwd: repo });
    ok('git', ['add', '.gitignore', '.pre-commit-config.yaml', 'package.json', 'package-lock.json', 'k8s'], { cwd: repo });
    ok('git', ['commit', '-q', '-m', 'setup'], { cwd: repo });

    ok('git', ['add', '.mirrord/safe.mirrord.yaml'], { cwd: repo });
    const safe = sh('git', ['commit', '-m', 'safe config'], { cwd: repo });
    assert.equal(safe.code, 0, safe.stdout + safe.stderr);
    assert.match(safe.stdout + safe.stderr, /Probe Guard \(mirrord probes\)\.+Passed/);

    ok('git', ['add', '.mirrord/risky.mirrord.json'], { cwd: repo });
    const risky = sh('git', ['commit', '-m', 'risky config'], { cwd: repo });
    assert.notEqual(risky.code, 0, 'the commit is refused');
    const output = risky.stdout + risky.stderr;
    assert.match(output, /Probe Guard \(mirrord probes\)\.+Failed/);
    assert.match(output, /\.mirrord\/risky\.mirrord\.json:1:\d+ error \[liveness-probe-stolen\]/);
    assert.doesNotMatch(output, /safe\.mirrord\.yaml/, 'only the staged file is checked');
    assert.equal(ok('git', ['log', '--format=%s'], { cwd: repo }).stdout, 'safe config\nsetup\n');
  });
});
