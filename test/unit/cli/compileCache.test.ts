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

test('cached data of another bundle (its digest intact) is rejected by V8, the bundle compiled from source and the cache rewritten', () => {
  run();
  const files = cacheFiles();
  assert.ok(nodeHasCompileCache || files.length === 2);
  if (nodeHasCompileCache) return;
  // Swapped: each file is a well-formed entry, for the other bundle's source.
  const [a, b] = files.map((f) => fs.readFileSync(f));
  fs.writeFileSync(files[0], b);
  fs.writeFileSync(files[1], a);
  const swapped = run();
  assert.equal(swapped.answer, 42);
  assert.deepEqual(swapped.stats, { fromCache: 0, compiled: 0, rejected: 2 });
  assert.deepEqual(run().stats, { fromCache: 2, compiled: 0, rejected: 0 });
});

test('a damaged cache file (garbage, or bytes changed at the same length) is never handed to V8: compiled from source, rewritten', () => {
  run();
  if (nodeHasCompileCache) return;
  const files = cacheFiles();
  assert.equal(files.length, 2);
  // V8 checks only the header and length of its data: changed bytes inside would be a fatal error.
  const damaged = fs.readFileSync(files[0]);
  for (let i = Math.floor(damaged.length / 2); i < Math.min(damaged.length, Math.floor(damaged.length / 2) + 200); i++) damaged[i] ^= 0xff;
  fs.writeFileSync(files[0], damaged);
  fs.writeFileSync(files[1], Buffer.from('not a V8 code cache'));
  const repaired = run();
  assert.equal(repaired.answer, 42);
  assert.deepEqual(repaired.stats, { fromCache: 0, compiled: 2, rejected: 0 });
  assert.deepEqual(run().stats, { fromCache: 2, compiled: 0, rejected: 0 });
});

test('a cache folder open to others is closed again (0700) before it is used', () => {
  run();
  const dir = path.join(tmp, 'cache', 'probe-guard');
  fs.chmodSync(dir, 0o777);
  for (const d of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, d), 0o777);
  assert.equal(run().answer, 42);
  assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  for (const d of fs.readdirSync(dir)) assert.equal(fs.statSync(path.join(dir, d)).mode & 0o777, 0o700);
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
