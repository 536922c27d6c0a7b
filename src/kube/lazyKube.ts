/**
 * Loads the cluster layer on first use. From the esbuild bundles (dist/extension.js, dist/cli.js)
 * it is dist/kube.js next to the running bundle; from tsc output (out/src/kube/) it is ./index.
 * The require target is computed at run time so esbuild leaves it alone instead of inlining
 * client-node into the extension.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

type KubeModule = typeof import('./index');

let loaded: KubeModule | undefined;

export function loadKubeModule(): KubeModule {
  if (loaded) return loaded;
  const bundle = path.join(__dirname, 'kube.js');
  // `require` through a variable: esbuild cannot see (or bundle) what it loads.
  const dynamicRequire: NodeRequire = require;
  const target = existsSync(bundle) ? bundle : './index';
  loaded = dynamicRequire(target) as KubeModule;
  return loaded;
}
