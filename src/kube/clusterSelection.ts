/**
 * Picks the context, cluster, user and namespace of a lookup from a merged kubeconfig:
 * context = config's kube_context, else the override, else current-context;
 * namespace = target.namespace, else the override, else the context's, else `default`.
 */
import type { ResolveFailure } from '../core/types';
import type { ClusterInfo, ClusterSettings, KubeconfigRequest } from './clusterTypes';
import type { MergedKubeconfig } from './kubeconfigLoader';

export interface ClusterSelection {
  info: ClusterInfo & { context: string; cluster: string; server: string; user: string };
  clusterEntry: Record<string, any>;
  userEntry: Record<string, any>;
  /** Set when the user runs a program to authenticate: forbidden in Restricted Mode. */
  externalAuth?: 'exec' | 'auth-provider';
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

export function selectCluster(merged: MergedKubeconfig, request: KubeconfigRequest, settings: ClusterSettings): ClusterSelection | ResolveFailure {
  const files = merged.files.join(', ');
  const contextName = nonEmpty(request.kubeContext) ?? nonEmpty(settings.overrides?.context) ?? merged.currentContext;
  if (!contextName) {
    return {
      kind: 'bad-kubeconfig',
      message: `No context: ${files} sets no current-context. Set kube_context in the mirrord config or run \`kubectl config use-context\`.`,
    };
  }
  const context = merged.contexts.get(contextName);
  if (!context) {
    const known = [...merged.contexts.keys()];
    return {
      kind: 'bad-kubeconfig',
      message: `Context "${contextName}" is not defined in ${files}.${known.length ? ` Known contexts: ${known.join(', ')}.` : ''}`,
      suggestions: known,
    };
  }
  const clusterName = nonEmpty(context.cluster) ?? '';
  const clusterEntry = merged.clusters.get(clusterName);
  if (!clusterEntry || !nonEmpty(clusterEntry.server)) {
    return {
      kind: 'bad-kubeconfig',
      message: `Context "${contextName}" uses cluster "${clusterName}", which ${clusterEntry ? 'has no server' : 'is not defined'} in ${files}.`,
    };
  }
  const userName = nonEmpty(context.user) ?? '';
  // A context without a user is legal (anonymous access); a named but undefined user is not.
  const userEntry = userName ? merged.users.get(userName) : {};
  if (!userEntry) return { kind: 'bad-kubeconfig', message: `Context "${contextName}" uses user "${userName}", which is not defined in ${files}.` };
  const namespace = nonEmpty(request.namespace) ?? nonEmpty(settings.overrides?.namespace) ?? nonEmpty(context.namespace) ?? 'default';
  const externalAuth = userEntry.exec ? 'exec' : userEntry['auth-provider'] ? 'auth-provider' : undefined;
  return {
    info: { kubeconfigFiles: merged.files, context: contextName, cluster: clusterName, server: String(clusterEntry.server).trim(), user: userName, namespace },
    clusterEntry,
    userEntry,
    externalAuth,
  };
}
