import * as path from 'node:path';
import { resolveFromManifests } from '../core/k8s/resolveFromManifests';
import type { LookupRequest, ResolveResult } from '../core/types';
import type { CliOptions } from './cliOptions';
import { loadManifests } from './readInputs';

export interface TargetLookup {
  resolution: ResolveResult;
  /** The namespace the lookup used. */
  namespace: string;
  notes: string[];
}

/** From the manifests when `--manifest` is given, else from the cluster of the active kubeconfig. */
export async function resolveTarget(request: LookupRequest, options: CliOptions, configPath: string): Promise<TargetLookup> {
  if (options.manifests.length > 0) {
    const manifests = loadManifests(options.manifests);
    const namespace = request.namespace ?? options.namespace ?? 'default';
    return { resolution: resolveFromManifests(request.ref, namespace, manifests.objects), namespace, notes: manifests.warnings };
  }
  // Loaded here, not at start-up: client-node is big and `--manifest` runs never need it.
  const { loadKubeModule } = await import('../kube/lazyKube');
  const kube = loadKubeModule();
  const resolver = kube.createClusterResolver();
  const resolution = await resolver.resolve(request, {
    configDir: path.dirname(path.resolve(configPath)),
    overrides: { kubeconfig: options.kubeconfig, context: options.context, namespace: options.namespace },
    env: process.env,
    allowExec: true,
    timeoutMs: options.timeoutSeconds * 1000,
    cacheTtlMs: 0,
  });
  const notes = resolution.info ? [`cluster: context ${resolution.info.context ?? '(none)'}, namespace ${resolution.info.namespace}`] : [];
  const namespace = resolution.ok ? resolution.target.namespace : (resolution.info?.namespace ?? request.namespace ?? 'default');
  return { resolution, namespace, notes };
}
