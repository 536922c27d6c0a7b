/**
 * Which configs a run over files, folders and globs finds (src/service/configDiscovery.ts): the
 * editor's config names, never node_modules or .git, and what git ignores, with git deciding in a
 * work tree and the .gitignore files applied outside one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { discoverConfigs, isGlobPattern } from '../../../src/service/configDiscovery';
import { InputError } from '../../../src/service/inputFiles';

let tmp = '';

const TREE: Record<string, string> = {
  'mirrord.json': '{}',
  'api.mirrord.yaml': 'target: pod/api\n',
  'web/.mirrord/steal.json': '{}',
  'web/.mirrord/old.yml': '{}',
  'web/.mirrord/README.md': '# not a config',
  'web/package.json': '{}',
  'svc/deep/er/worker-mirrord.toml': '',
  'node_modules/tool/mirrord.json': '{}',
  '.git-like/x.mirrord.json': '{}',
  'build/out.mirrord.json': '{}',
  'logs/debug.mirrord.json': '{}',
  'svc/generated/gen.mirrord.json': '{}',
  '.gitignore': 'build/\n*.log\nlogs/debug.mirrord.json\n',
  'svc/.gitignore': 'generated/\n',
};

/** The configs a user expects from TREE: not node_modules, not ignored (build/, logs/debug..., svc/generated/). */
const EXPECTED = [
  '.git-like/x.mirrord.json',
  'api.mirrord.yaml',
  'mirrord.json',
  'svc/deep/er/worker-mirrord.toml',
  'web/.mirrord/old.yml',
  'web/.mirrord/steal.json',
];

function makeTree(dir: string): void {
  for (const [file, text] of Object.entries(TREE)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

const relative = (dir: string, files: string[]) => files.map((f) => path.relative(dir, f).split(path.sep).join('/')).sort();

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-discovery-'));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('config discovery outside git', () => {
  test('a folder: the config names, without node_modules and what the .gitignore files (root and nested) ignore', () => {
    const dir = path.join(tmp, 'plain');
    makeTree(dir);
    const found = discoverConfigs([], dir);
    assert.deepEqual(relative(dir, found.files), EXPECTED);
    assert.deepEqual(found.warnings, []);
  });

  test('a symlinked folder is not followed (no loops, nothing outside the tree)', () => {
    const dir = path.join(tmp, 'links');
    fs.mkdirSync(path.join(dir, 'real'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'real', 'a.mirrord.json'), '{}');
    fs.symlinkSync(dir, path.join(dir, 'real', 'loop'));
    fs.symlinkSync(path.join(tmp, 'plain'), path.join(dir, 'elsewhere'));
    assert.deepEqual(relative(dir, discoverConfigs(['.'], dir).files), ['real/a.mirrord.json']);
  });
});

describe('config discovery in a git work tree', () => {
  let dir = '';
  before(() => {
    dir = path.join(tmp, 'repo');
    makeTree(dir);
    git(dir, 'init', '-q');
    // A file git tracks counts even when an ignore rule matches it; .git/info/exclude is git's too.
    git(dir, 'add', '-f', 'build/out.mirrord.json');
    fs.appendFileSync(path.join(dir, '.git', 'info', 'exclude'), 'svc/deep/\n');
  });

  test('git decides: tracked files, untracked ones it does not ignore, info/exclude applied', () => {
    const found = discoverConfigs([], dir);
    assert.deepEqual(
      relative(dir, found.files),
      EXPECTED.filter((f) => !f.startsWith('svc/deep/'))
        .concat('build/out.mirrord.json')
        .sort(),
    );
  });

  test('a sub-folder of the work tree', () => {
    assert.deepEqual(relative(dir, discoverConfigs(['web'], dir).files), ['web/.mirrord/old.yml', 'web/.mirrord/steal.json']);
  });

  test('a tracked file deleted from the work tree is not listed', () => {
    const clone = path.join(tmp, 'repo-deleted');
    makeTree(clone);
    git(clone, 'init', '-q');
    git(clone, 'add', '.');
    fs.rmSync(path.join(clone, 'api.mirrord.yaml'));
    assert.ok(!relative(clone, discoverConfigs([], clone).files).includes('api.mirrord.yaml'));
  });
});

describe('named files, globs, errors', () => {
  test('a named file is checked whatever its name; the same file named twice is checked once', () => {
    const dir = path.join(tmp, 'plain');
    const found = discoverConfigs(['web/package.json', 'mirrord.json', './mirrord.json', path.join(dir, 'mirrord.json')], dir);
    assert.deepEqual(relative(dir, found.files), ['mirrord.json', 'web/package.json']);
  });

  test('a glob takes any matching name, never node_modules or ignored files', () => {
    const dir = path.join(tmp, 'plain');
    const found = discoverConfigs(['**/*.json'], dir);
    assert.deepEqual(relative(dir, found.files), ['.git-like/x.mirrord.json', 'mirrord.json', 'web/.mirrord/steal.json', 'web/package.json']);
    const inGit = discoverConfigs(['**/*.mirrord.json'], path.join(tmp, 'repo'));
    assert.deepEqual(relative(path.join(tmp, 'repo'), inGit.files), ['.git-like/x.mirrord.json', 'build/out.mirrord.json']);
  });

  test('a glob or folder without configs is a warning; a missing path is an InputError naming it', () => {
    const dir = path.join(tmp, 'plain');
    assert.match(discoverConfigs(['nothing/**/*.toml'], dir).warnings[0], /no file matches nothing\/\*\*\/\*\.toml/);
    fs.mkdirSync(path.join(dir, 'empty'), { recursive: true });
    assert.match(discoverConfigs(['empty'], dir).warnings[0], /no mirrord config in empty/);
    assert.throws(
      () => discoverConfigs(['no/such.mirrord.json'], dir),
      (e: unknown) => e instanceof InputError && /cannot read no\/such\.mirrord\.json: no such file/.test(e.message),
    );
  });

  test('glob characters', () => {
    for (const glob of ['*.json', 'a/**', 'x?.yaml', '{a,b}.toml', '[ab].json']) assert.ok(isGlobPattern(glob), glob);
    for (const plain of ['a.json', '.mirrord', 'dir/sub']) assert.ok(!isGlobPattern(plain), plain);
  });
});
