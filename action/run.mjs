// The GitHub Action's step (action.yml): reads the INPUT_* variables, runs `probe-guard check` from
// the probe-guard npm package (npm exec: the same version as the action unless `version` says
// otherwise) in the workspace, prints its report in the log, turns the SARIF results into
// annotations, writes a job summary, and sets the outputs sarif-file and exit-code. The step
// ends with probe-guard's exit code. Plain Node (>= 20), no dependencies: the runner has Node.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const env = process.env;
const actionPath = env.GITHUB_ACTION_PATH || resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workspace = env.GITHUB_WORKSPACE || process.cwd();

function input(name) {
  return (env[`INPUT_${name.toUpperCase().replace(/[- ]/g, '_')}`] ?? '').trim();
}

/** One entry per line; blank lines and `#` comments skipped. */
function lines(name) {
  return input(name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Workflow command escaping (the runner's toolkit rules): data, and property values. */
const escapeData = (text) => String(text).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

function fail(message) {
  process.stdout.write(`::error title=probe-guard::${escapeData(message)}\n`);
  process.exit(2);
}

function setOutput(name, value) {
  if (env.GITHUB_OUTPUT) appendFileSync(env.GITHUB_OUTPUT, `${name}=${value}\n`);
}

const [major] = process.versions.node.split('.').map(Number);
if (major < 20) fail(`probe-guard needs Node 20 or later; this runner has ${process.version} (add actions/setup-node before this step)`);

/** The npm package spec: a version (the action's own by default) or any spec npm takes (a tarball, a tag). */
function packageSpec() {
  const version = input('version') || JSON.parse(readFileSync(join(actionPath, 'package.json'), 'utf8')).version;
  if (/^(latest|next|[~^]?\d[\w.+-]*)$/.test(version)) return `probe-guard@${version}`;
  return existsSync(resolve(workspace, version)) ? resolve(workspace, version) : version;
}

const format = input('format') || 'text';
if (!['text', 'json', 'sarif'].includes(format)) fail(`format must be text, json or sarif (got "${format}")`);
const sarifFile = resolve(workspace, input('sarif-file') || join(env.RUNNER_TEMP || tmpdir(), 'probe-guard.sarif'));

mkdirSync(dirname(sarifFile), { recursive: true });

const args = ['check', ...lines('paths'), '--format', format, '--sarif-output', sarifFile, '--fail-on', input('fail-on') || 'stolen'];
for (const manifest of lines('manifests')) args.push('--manifest', manifest);
for (const rule of lines('rules')) args.push('--rule', rule);
if (input('mirrord-version')) args.push('--mirrord-version', input('mirrord-version'));
if (input('env-file')) {
  // Node itself exits 9 ("node: FILE: not found") on a missing --env-file, even one meant for the script: say it here, exit 2.
  if (!existsSync(resolve(workspace, input('env-file')))) fail(`env-file ${input('env-file')} does not exist`);
  args.push('--env-file', input('env-file'));
}
if (input('kubeconfig')) args.push('--kubeconfig', input('kubeconfig'));

const spec = packageSpec();
process.stdout.write(`probe-guard (${spec}) ${args.join(' ')}\n`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(npm, ['exec', '--yes', `--package=${spec}`, '--', 'probe-guard', ...args], {
  cwd: workspace,
  stdio: 'inherit',
  env: { ...env, FORCE_COLOR: env.FORCE_COLOR ?? '1' },
  shell: process.platform === 'win32',
});
if (run.error) fail(`could not run npm exec ${spec}: ${run.error.message}`);
const exitCode = run.status ?? 2;
setOutput('exit-code', exitCode);

if (existsSync(sarifFile)) {
  setOutput('sarif-file', sarifFile);
  const sarif = JSON.parse(readFileSync(sarifFile, 'utf8'));
  const results = sarif.runs?.[0]?.results ?? [];
  annotate(results);
  summarize(sarif.runs?.[0], results, exitCode);
}
process.exit(exitCode);

/** Each SARIF result as a workflow annotation on its file and line (error, warning or notice). */
function annotate(results) {
  const command = { error: 'error', warning: 'warning', note: 'notice', none: 'notice' };
  for (const result of results) {
    const location = result.locations?.[0]?.physicalLocation;
    const uri = location?.artifactLocation?.uri ?? '';
    const file = uri.startsWith('file:') ? fileURLToPath(uri) : decodeURIComponent(uri);
    const region = location?.region ?? {};
    const properties = [
      `file=${escapeProperty(file)}`,
      `line=${region.startLine ?? 1}`,
      `col=${region.startColumn ?? 1}`,
      `endLine=${region.endLine ?? region.startLine ?? 1}`,
      `endColumn=${region.endColumn ?? region.startColumn ?? 1}`,
      `title=${escapeProperty(`probe-guard [${result.ruleId}]`)}`,
    ];
    process.stdout.write(`::${command[result.level] ?? 'warning'} ${properties.join(',')}::${escapeData(result.message?.text ?? '')}\n`);
  }
}

/** A Markdown table of the findings in the job summary. */
function summarize(run, results, code) {
  if (!env.GITHUB_STEP_SUMMARY) return;
  const configs = run?.artifacts?.length ?? 0;
  const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const out = [
    `### Probe Guard: ${configs} config${configs === 1 ? '' : 's'} checked, ${results.length} finding${results.length === 1 ? '' : 's'}, exit ${code}`,
    '',
  ];
  if (results.length) {
    out.push('| file | line | level | rule | message |', '|---|---|---|---|---|');
    for (const r of results) {
      const location = r.locations?.[0]?.physicalLocation;
      out.push(
        `| ${cell(decodeURIComponent(location?.artifactLocation?.uri ?? ''))} | ${location?.region?.startLine ?? ''} | ${r.level} | ${r.ruleId} | ${cell(r.message?.text ?? '')} |`,
      );
    }
  }
  appendFileSync(env.GITHUB_STEP_SUMMARY, `${out.join('\n')}\n`);
}
