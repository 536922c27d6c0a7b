/**
 * The resolved target the engine benchmarks analyse against: deployment/checkout from
 * demo/manifests, resolved the way `probe-guard check --manifest` does it (no cluster needed).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseManifests, type ManifestObject } from '../src/core/k8s/manifests';
import { resolveFromManifests } from '../src/core/k8s/resolveFromManifests';
import type { ResolveResult } from '../src/core/types';
import type { ClusterSettings } from '../src/kube/clusterTypes';
import { findManifestsDir, type DemoCluster } from '../test/support/demoCluster';

export function demoManifests(): ManifestObject[] {
  const dir = findManifestsDir(__dirname);
  if (!dir) throw new Error('demo/manifests not found');
  const objects: ManifestObject[] = [];
  for (const name of readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()) {
    const file = join(dir, name);
    objects.push(...parseManifests(readFileSync(file, 'utf8'), file).objects);
  }
  return objects;
}

export function demoResolution(): ResolveResult {
  const result = resolveFromManifests({ kind: 'deployment', name: 'checkout' }, 'shop', demoManifests());
  if (!result.ok) throw new Error(`demo target did not resolve: ${result.failure.message}`);
  return result;
}

/** Cluster settings that point the cluster layer at the demo cluster's kubeconfig. */
export function demoClusterSettings(demo: DemoCluster, cacheTtlMs: number): ClusterSettings {
  return {
    configDir: dirname(demo.kubeconfig),
    overrides: { kubeconfig: demo.kubeconfig },
    env: { HOME: process.env.HOME },
    allowExec: true,
    timeoutMs: 5000,
    cacheTtlMs,
  };
}
