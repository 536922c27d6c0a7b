/**
 * Loads the engine bundle on first use. From the esbuild bundle (dist/extension.js) it is
 * dist/engine.js next to it; from tsc output (out/src/editor/) it is ./engineModule. The require
 * target is computed at run time so that esbuild does not inline the engine into extension.js.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';

type EngineModule = typeof import('./engineModule');

let loaded: EngineModule | undefined;

export function engine(): EngineModule {
  if (loaded) return loaded;
  const bundle = path.join(__dirname, 'engine.js');
  const dynamicRequire: NodeRequire = require;
  loaded = dynamicRequire(existsSync(bundle) ? bundle : './engineModule') as EngineModule;
  return loaded;
}

export function engineLoaded(): boolean {
  return loaded !== undefined;
}
