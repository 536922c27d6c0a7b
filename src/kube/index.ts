/**
 * Public API of the cluster layer. esbuild bundles this file into dist/kube.js (client-node apart, in dist/kubeClientNode.js);
 * the CLI and the editor reach it only through lazyKube.ts, so activation never loads client-node.
 */
export type {
  ClusterInfo,
  ClusterResolution,
  ClusterResolver,
  ClusterSettings,
  KubeconfigRequest,
  LivePodsResolution,
  LivePodsResult,
  ResolveOptions,
} from './clusterTypes';
export { DEFAULT_CACHE_TTL_MS, DEFAULT_TIMEOUT_MS, isResolveFailure } from './clusterTypes';
export { createClusterResolver, type ClusterResolverOptions } from './clusterResolver';
export { scrubText } from './scrubSecrets';
