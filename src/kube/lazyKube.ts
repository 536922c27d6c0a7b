/**
 * The cluster layer (dist/kube.js, and client-node behind it), loaded by the first lookup that needs it:
 * client-node is most of the extension's weight and activation must not pay for it.
 */
import { loadBundleOrSource } from '../runtime/lazyBundle';
import type * as KubeExports from './index';

type KubeModule = typeof KubeExports;

let loaded: KubeModule | undefined;

export function loadKubeModule(): KubeModule {
  return (loaded ??= loadBundleOrSource<KubeModule>(__dirname, 'kube.js', 'index'));
}
