/**
 * A V8 code cache for the CLI's own bundles, so a `probe-guard` process does not compile
 * dist/cli.js and dist/kube.js from source on every run (bin/probe-guard.js calls this first).
 *
 * Node >= 22.1 has this built in: `module.enableCompileCache(dir)`, used when it exists, with the
 * same user folder as below (or NODE_COMPILE_CACHE), never Node's default in the shared temporary folder. Node 20 has no such API, so there the bundles in `dir`
 * (and only those) are compiled through `vm.Script` with the cached data of the last run, and the
 * code V8 compiled during this run (the lazily compiled functions too) is written back when the
 * process exits. The cache lives in the user's cache folder ($XDG_CACHE_HOME or ~/.cache, in a
 * `probe-guard/v8-<node version>` folder of mode 0700 that must belong to the user), keyed by the
 * bundle's path and a hash of its text; each file starts with a SHA-256 of its data (damaged data
 * is never handed to V8, whose own check would crash on it), V8 rejects data that does not fit its
 * source or flags, and then the bundle is compiled as usual and the entry rewritten. Any failure (no home, read-only file system) leaves Node's
 * own loading in place. PROBE_GUARD_NO_COMPILE_CACHE=1 (or Node's NODE_DISABLE_COMPILE_CACHE=1)
 * turns it off.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module = require('node:module');
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

type CompileFn = (this: NodeJS.Module, content: string, filename: string) => unknown;
interface ModuleInternals {
  prototype: { _compile: CompileFn };
  wrap(script: string): string;
  enableCompileCache?: (dir?: string) => unknown;
}

export type CompileCacheMode = 'node' | 'vm-script' | 'off';

/** What the vm-script cache did in this process (tests read it). */
export const compileCacheStats = { fromCache: 0, compiled: 0, rejected: 0 };

export function enableCompileCache(dir: string, env: NodeJS.ProcessEnv = process.env): CompileCacheMode {
  if (env.PROBE_GUARD_NO_COMPILE_CACHE === '1' || env.NODE_DISABLE_COMPILE_CACHE === '1') return 'off';
  const internals = Module as unknown as ModuleInternals;
  try {
    const cacheDir = userCacheDir(env);
    if (!cacheDir) return 'off';
    if (typeof internals.enableCompileCache === 'function') {
      // Our own folder, not Node's default one in the shared temporary folder; NODE_COMPILE_CACHE wins.
      const result = internals.enableCompileCache(env.NODE_COMPILE_CACHE || cacheDir) as { status?: number } | undefined;
      const statuses = (Module as unknown as { constants?: { compileCacheStatus?: { ENABLED: number; ALREADY_ENABLED: number } } }).constants
        ?.compileCacheStatus;
      const enabled = !statuses || result?.status === statuses.ENABLED || result?.status === statuses.ALREADY_ENABLED;
      return enabled ? 'node' : 'off';
    }
    hookCompile(internals, path.resolve(dir) + path.sep, cacheDir);
    return 'vm-script';
  } catch {
    return 'off';
  }
}

/** `probe-guard/v8-<node version>` in the user's cache folder, made 0700; undefined when it is not the user's own. */
export function userCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const base = env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : undefined);
  if (!base || !path.isAbsolute(base)) return undefined;
  const parent = path.join(base, 'probe-guard');
  const dir = path.join(parent, `v8-${process.version}-${process.arch}`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Whoever can write either folder could hand V8 code to run: both must be the user's own and
  // closed to others (mkdir's mode applies only to the folders it creates).
  for (const folder of [parent, dir]) {
    const stat = fs.lstatSync(folder);
    if (!stat.isDirectory() || (typeof process.getuid === 'function' && stat.uid !== process.getuid())) return undefined;
    if ((stat.mode & 0o077) !== 0) fs.chmodSync(folder, 0o700);
  }
  return dir;
}

/** A cache file: the SHA-256 of the data, then V8's data. V8 checks only the data's header and length. */
const DIGEST_BYTES = 32;

function readCachedData(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const data = bytes.subarray(DIGEST_BYTES);
  // Damaged data that keeps its length would crash V8 (a fatal error, not a rejection): never passed on.
  if (bytes.length <= DIGEST_BYTES || !createHash('sha256').update(data).digest().equals(bytes.subarray(0, DIGEST_BYTES))) return undefined;
  return data;
}

function cacheFileBytes(data: Buffer): Buffer {
  return Buffer.concat([createHash('sha256').update(data).digest(), data]);
}

function hookCompile(internals: ModuleInternals, distPrefix: string, cacheDir: string): void {
  const original = internals.prototype._compile;
  const toWrite: { script: vm.Script; file: string }[] = [];
  internals.prototype._compile = function (this: NodeJS.Module, content: string, filename: string): unknown {
    // Only our own bundles; one that imports dynamically would need a loader vm.Script does not give it.
    if (!filename.startsWith(distPrefix) || content.includes('import(')) return original.call(this, content, filename);
    const file = path.join(cacheDir, `${createHash('sha256').update(filename).update('\0').update(content).digest('hex').slice(0, 32)}.bin`);
    const cachedData = readCachedData(file);
    const script = new vm.Script(internals.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) toWrite.push({ script, file });
    if (!cachedData) compileCacheStats.compiled++;
    else if (script.cachedDataRejected) compileCacheStats.rejected++;
    else compileCacheStats.fromCache++;
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, path.dirname(filename));
  };
  process.once('exit', () => {
    for (const { script, file } of toWrite) {
      try {
        const temp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temp, cacheFileBytes(script.createCachedData()), { mode: 0o600 });
        fs.renameSync(temp, file);
      } catch {
        // A cache that cannot be written only costs the next run its compile time.
      }
    }
  });
}
