/**
 * The README's Neovim config, as written there, in Debian's `nvim` (0.7.2 on Debian 12; current
 * Neovim takes the same config): headless, on a risky mirrord config in a trusted folder whose
 * KUBECONFIG points at the test API server. The diagnostic must arrive and the quick fix must
 * remove it (neovim-check.lua does what a user's code action does).
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { startKubeApiServer, type FakeKubeApi } from '../support/kubeApiServer';
import { writeSimpleKubeconfig } from '../support/kubeconfigs';
import { shopObjects } from '../support/kubeFixtures';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const RISKY = JSON.stringify({ target: { path: 'deployment/api', namespace: 'shop' }, feature: { network: { incoming: 'steal' } } }, null, 2) + '\n';

/** The first ```lua block of README.md's Neovim section. */
export function readmeNeovimConfig(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Neovim'));
  const block = /```lua\n([\s\S]*?)```/.exec(section);
  assert.ok(block, 'README.md has no ```lua block under "### Neovim"');
  return block[1];
}

let api: FakeKubeApi;
let dir = '';

before(async () => {
  api = await startKubeApiServer({ objects: shopObjects() });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-nvim-'));
});
after(async () => {
  await api.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('Neovim (built-in LSP client, the README config): the diagnostic arrives and the quick fix removes it', async () => {
  const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  assert.equal(version.error, undefined, "nvim is not installed: scripts/provision-test-runtime.sh installs Debian's neovim");
  const home = path.join(dir, 'home');
  const bin = path.join(dir, 'bin');
  const workspace = path.join(dir, 'workspace');
  for (const d of [home, bin, path.join(workspace, '.mirrord')]) fs.mkdirSync(d, { recursive: true });
  // `probe-guard-language-server` on PATH, as `npm install -g` would put it.
  fs.symlinkSync(path.join(ROOT, 'bin', 'probe-guard-language-server.js'), path.join(bin, 'probe-guard-language-server'));
  const init = path.join(dir, 'init.lua');
  fs.writeFileSync(init, readmeNeovimConfig());
  const config = path.join(workspace, '.mirrord', 'risky.mirrord.json');
  fs.writeFileSync(config, RISKY);
  const result = path.join(dir, 'result.json');
  // Not spawnSync: the test API server lives in this process and must keep answering.
  const child = spawn(
    'nvim',
    ['--headless', '-n', '-i', 'NONE', '-u', init, '-c', `luafile ${path.join(__dirname, '..', '..', '..', 'test', 'editors', 'neovim-check.lua')}`, config],
    {
      cwd: workspace,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, '.config'),
        XDG_DATA_HOME: path.join(home, '.local', 'share'),
        XDG_STATE_HOME: path.join(home, '.local', 'state'),
        KUBECONFIG: writeSimpleKubeconfig(api, home, { namespace: 'shop' }),
        PG_RESULT: result,
      },
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  clearTimeout(timer);
  assert.ok(fs.existsSync(result), `nvim wrote no result (exit ${status}): ${output.slice(-2000)}`);
  const outcome = JSON.parse(fs.readFileSync(result, 'utf8')) as {
    ok?: boolean;
    error?: string;
    title?: string;
    before?: string[];
    after?: string[];
    text?: string;
  };
  // Neovim's LSP log (the server's window/logMessage lines) explains a failed lookup.
  const lspLog = [path.join(home, '.cache', 'nvim', 'lsp.log'), path.join(home, '.local', 'state', 'nvim', 'lsp.log')]
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f, 'utf8').slice(-3000));
  assert.equal(outcome.error, undefined, `${JSON.stringify(outcome)}\n${lspLog.join('\n')}`);
  assert.ok(outcome.before?.includes('liveness-probe-stolen') && outcome.before.includes('readiness-probe-stolen'), JSON.stringify(outcome.before));
  assert.equal(outcome.title, 'Add kube-probe filter');
  assert.equal(outcome.ok, true, JSON.stringify(outcome));
  assert.ok(!outcome.after?.some((c) => c.endsWith('-probe-stolen')), JSON.stringify(outcome.after));
  assert.match(fs.readFileSync(config, 'utf8'), /kube-probe/, 'the fixed file was written');
  assert.ok(
    api.requests.some((r) => /deployments\/api$/.test(r.path)),
    'the target came from the cluster',
  );
});
