/** The engine bundle (dist/engine.js), loaded on the first analysis rather than at activation. */
import { loadBundleOrSource } from '../runtime/lazyBundle';
import type * as EngineExports from './engineModule';

type EngineModule = typeof EngineExports;

let loaded: EngineModule | undefined;

export function engine(): EngineModule {
  return (loaded ??= loadBundleOrSource<EngineModule>(__dirname, 'engine.js', 'engineModule'));
}
