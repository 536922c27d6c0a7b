import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Loads a part of the extension on first use: the esbuild bundle `bundle` (dist/kube.js,
 * dist/engine.js) when it sits in `dir` next to the running bundle, else the tsc output `source`
 * (tests run from out/). The path is computed at run time so esbuild cannot inline the module.
 */
export function loadBundleOrSource<T>(dir: string, bundle: string, source: string): T {
  const bundled = path.join(dir, bundle);
  const dynamicRequire: NodeRequire = require;
  return dynamicRequire(existsSync(bundled) ? bundled : path.join(dir, source)) as T;
}
