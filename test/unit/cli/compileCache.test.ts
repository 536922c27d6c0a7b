/**
 * The code cache bin/probe-guard.js sets up (src/runtime/compileCache.ts), in fresh Node processes
 * over a folder of small bundles: the first run compiles and writes the cache, the next runs
 * compile from it, data that does not fit is rejected and rewritten, files outside the folder are
 * left to Node, stack traces keep the bundle's path, and PROBE_GUARD_NO_COMPILE_CACHE=1 turns it off.
 * On a Node with module.enableCompileCache (>= 22.1), that is used instead. No timing is asserted.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import Module = require('node:module');
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';

const CACHE_MODULE = path.resolve(__dirname, '..', '..', '..', 'src', 'runtime', 'compileCache.js');
const nodeHasCompileCache = typeof (Module as unknown as { enableCompileCache?: unknown }).enableCompileCache === 'function';
let tmp = '';
let dist = '';

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-compile-cache-'));
  dist = path.join(tmp, 'pkg', 'dist');
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(
    path.join(dist, 'main.js'),
    "exports.answer = require('./part.js').half * 2;\nexports.where = __filename;\nexports.fail = () => { throw new Error('from main'); };\n",
  );
  fs.writeFileSync(path.join(dist, 'part.js'), 'exports.half = 21;\n');
  fs.writeFileSync(path.join(tmp, 'outside.js'), 'exports.outside = true;\n');
  fs.writeFileSync(
    path.join(tmp, 'run.js'),
    `const cache = require(${JSON.stringify(CACHE_MODULE)});
const mode = cache.enableCompileCache(${JSON.stringify(dist)});
const main = require(${JSON.stringify(path.join(dist, 'main.js'))});
const outside = require(${JSON.stringify(path.join(tmp, 'outside.js'))});
let stack = '';
try { main.fail(); } catch (error) { stack = error.stack; }
process.stdout.write(JSON.stringify({ mode, answer: main.answer, where: main.where, outside: outside.outside, stack, stats: cache.compileCacheStats }));
`,
  );
});

after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [path.join(tmp, 'run.js')], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: tmp, XDG_CACHE_HOME: path.join(tmp, 'cache'), ...env },
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as {
    mode: string;
    answer: number;
    where: string;
    outside: boolean;
    stack: string;
    stats: { fromCache: number; compiled: number; rejected: number };
  };
}

function cacheFiles(): string[] {
  const base = path.join(tmp, 'cache', 'probe-guard');
  if (!fs.existsSync(base)) return [];
  return fs.readdirSync(base).flatMap((d) => fs.readdirSync(path.join(base, d)).map((f) => path.join(base, d, f)));
}

test('the first run writes a cache for the bundles in the folder, the next one compiles from it', () => {
  const first = run();
  assert.equal(first.answer, 42);
  assert.equal(first.where, path.join(dist, 'main.js'));
  assert.equal(first.outside, true);
  assert.match(first.stack, new RegExp(`from main[\\s\\S]*${path.join(dist, 'main.js').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  if (nodeHasCompileCache) {
    assert.equal(first.mode, 'node');
    return;
  }
  assert.equal(first.mode, 'vm-script');
  assert.deepEqual(first.stats, { fromCache: 0, compiled: 2, rejected: 0 });
  const files = cacheFiles();
  assert.equal(files.length, 2, 'one cache file per bundle in the folder, none for outside.js');
  assert.equal(fs.statSync(path.dirname(files[0])).mode & 0o777, 0o700);
  const second = run();
  assert.equal(second.answer, 42);
  assert.deepEqual(second.stats, { fromCache: 2, compiled: 0, rejected: 0 });
});

test('cached data that does not fit is rejected, the bundle compiled from source and the cache rewritten', () => {
  run();
  const files = cacheFiles();
  assert.ok(nodeHasCompileCache || files.length === 2);
  for (const f of files) fs.writeFileSync(f, Buffer.from('not a V8 code cache'));
  const broken = run();
  assert.equal(broken.answer, 42);
  if (nodeHasCompileCache) return;
  assert.deepEqual(broken.stats, { fromCache: 0, compiled: 0, rejected: 2 });
  assert.deepEqual(run().stats, { fromCache: 2, compiled: 0, rejected: 0 });
});

test('a changed bundle gets a new cache entry (the key hashes its text)', () => {
  assert.equal(run().answer, 42);
  if (nodeHasCompileCache) return;
  const before = cacheFiles().length;
  fs.appendFileSync(path.join(dist, 'part.js'), '// changed\n');
  const changed = run();
  assert.equal(changed.answer, 42);
  assert.deepEqual(changed.stats, { fromCache: 1, compiled: 1, rejected: 0 });
  assert.equal(cacheFiles().length, before + 1);
});

test('PROBE_GUARD_NO_COMPILE_CACHE=1 turns it off', () => {
  fs.rmSync(path.join(tmp, 'cache'), { recursive: true, force: true });
  const off = run({ PROBE_GUARD_NO_COMPILE_CACHE: '1' });
  assert.equal(off.mode, 'off');
  assert.equal(off.answer, 42);
  assert.deepEqual(cacheFiles(), []);
});
