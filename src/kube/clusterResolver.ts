/**
 * The cluster layer's entry point: kubeconfig choice and merge, context and namespace choice,
 * Restricted Mode check (before any request), a shared TTL cache, then the fetch. Never throws and
 * never rejects; every message is scrubbed of credentials on the way out.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupRequest, ResolveFailure, ResolveResult, TargetRef } from '../core/types';
import { type ClusterSelection, selectCluster } from './clusterSelection';
import {
  type ClusterInfo,
  type ClusterResolution,
  type ClusterResolver,
  type ClusterSettings,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_TIMEOUT_MS,
  type KubeconfigRequest,
  type ResolveOptions,
} from './clusterTypes';
import { fetchTarget } from './fetchTarget';
import { prepareAuth } from './kubeAuth';
import { chooseKubeconfigFiles, loadKubeconfig, type MergedKubeconfig } from './kubeconfigLoader';
import { createTransport } from './kubeHttp';
import { scrubFailure, scrubText, secretsOfUser } from './scrubSecrets';
import { SharedCache } from './sharedCache';

export interface ClusterResolverOptions {
  /** Clock for cache ages (tests inject one instead of sleeping). */
  now?: () => number;
}

function normalize(settings: ClusterSettings): ClusterSettings {
  const s = settings ?? ({} as ClusterSettings);
  return {
    configDir: typeof s.configDir === 'string' && s.configDir ? s.configDir : process.cwd(),
    overrides: s.overrides ?? {},
    env: s.env ?? {},
    allowExec: s.allowExec === true,
    timeoutMs: Number.isFinite(s.timeoutMs) && s.timeoutMs > 0 ? s.timeoutMs : DEFAULT_TIMEOUT_MS,
    cacheTtlMs: Number.isFinite(s.cacheTtlMs) && s.cacheTtlMs >= 0 ? s.cacheTtlMs : DEFAULT_CACHE_TTL_MS,
  };
}

function isFailure(value: unknown): value is ResolveFailure {
  return !!value && typeof (value as ResolveFailure).kind === 'string' && typeof (value as ResolveFailure).message === 'string' && !('clusters' in (value as object));
}

/** The parts of a target that decide what is fetched. */
function targetKey(ref: TargetRef): string {
  const labels = ref.labels ? Object.entries(ref.labels).sort(([a], [b]) => a.localeCompare(b)) : undefined;
  return JSON.stringify([ref.kind, ref.name ?? null, ref.container ?? null, labels ?? null]);
}

function errorText(err: unknown): string {
  return String((err as Error)?.message ?? err ?? 'unknown error').split('\n')[0];
}

/**
 * client-node's agent does not keep connections alive, so each of a lookup's sequential requests
 * (object, pods, events) paid a new TCP + TLS handshake. The same TLS options on a keep-alive agent
 * let them share one connection; proxy agents are left as they are. The agent is destroyed when
 * the lookup ends, as before.
 */
function withKeepAlive(options: https.RequestOptions): https.RequestOptions {
  const agent = options.agent;
  if (!agent || agent.constructor !== https.Agent && agent.constructor !== http.Agent) return options;
  const agentOptions = (agent as https.Agent & { options: https.AgentOptions }).options;
  const keepAlive = agent instanceof https.Agent ? new https.Agent({ ...agentOptions, keepAlive: true }) : new http.Agent({ ...agentOptions, keepAlive: true });
  agent.destroy();
  return { ...options, agent: keepAlive };
}

export function createClusterResolver(options: ClusterResolverOptions = {}): ClusterResolver {
  const now = options.now ?? Date.now;
  const cache = new SharedCache<ResolveResult>(now);
  let requestCount = 0;

  function load(kubeconfig: string | undefined, settings: ClusterSettings): MergedKubeconfig | ResolveFailure {
    return loadKubeconfig(chooseKubeconfigFiles(kubeconfig, settings));
  }

  function select(request: KubeconfigRequest, settings: ClusterSettings): { merged: MergedKubeconfig; selection: ClusterSelection } | ResolveFailure {
    const merged = load(request.kubeconfig, settings);
    if (isFailure(merged)) return merged;
    const selection = selectCluster(merged, request, settings);
    if (isFailure(selection)) return selection;
    return { merged, selection };
  }

  async function lookup(selection: ClusterSelection, ref: TargetRef, settings: ClusterSettings, signal: AbortSignal): Promise<ResolveResult> {
    const secrets = secretsOfUser(selection.userEntry);
    const auth = await prepareAuth(selection, settings.timeoutMs, signal);
    if (!auth.ok) return { ok: false, failure: scrubFailure(auth.failure, secrets) };
    // Whatever the auth produced (an exec plugin's token, a key) is a secret too.
    const authHeader = (auth.options.headers as Record<string, unknown> | undefined)?.Authorization;
    if (typeof authHeader === 'string') secrets.push(authHeader, authHeader.replace(/^\S+\s+/, ''));
    if (typeof auth.options.key === 'string') secrets.push(auth.options.key);
    else if (Buffer.isBuffer(auth.options.key)) secrets.push(auth.options.key.toString('utf8'));
    const requestOptions = withKeepAlive(auth.options);
    const transport = createTransport({
      server: selection.info.server,
      requestOptions,
      timeoutMs: settings.timeoutMs,
      signal,
      onRequest: () => {
        requestCount += 1;
      },
    });
    try {
      const result = await fetchTarget(ref, { transport, info: selection.info, namespace: selection.info.namespace, timeoutMs: settings.timeoutMs });
      return result.ok ? result : { ok: false, failure: scrubFailure(result.failure, secrets) };
    } finally {
      // Close idle sockets of this lookup's agent: nothing lingers after a resolve.
      (requestOptions.agent as { destroy?: () => void } | undefined)?.destroy?.();
    }
  }

  async function resolve(request: LookupRequest, rawSettings: ClusterSettings, resolveOptions: ResolveOptions = {}): Promise<ClusterResolution> {
    const settings = normalize(rawSettings);
    const failed = (failure: ResolveFailure, info?: ClusterInfo): ClusterResolution => ({ ok: false, failure, info, fromCache: false, fetchedAt: now() });
    let secrets: string[] = [];
    try {
      if (!request || !request.ref || typeof request.ref.kind !== 'string') return failed({ kind: 'unsupported', message: 'No target to look up.' });
      if (request.ref.kind === 'targetless') return failed({ kind: 'unsupported', message: 'A targetless session has no pod to look up.' });
      const namespace = request.namespace ?? request.ref.namespace;
      const picked = select({ kubeconfig: request.kubeconfig, kubeContext: request.kubeContext, namespace }, settings);
      if (isFailure(picked)) return failed(scrubFailure(picked, secrets));
      const { merged, selection } = picked;
      secrets = secretsOfUser(selection.userEntry);
      if (!settings.allowExec && selection.externalAuth) {
        const how = selection.externalAuth === 'exec' ? `an exec plugin (${String(selection.userEntry.exec?.command ?? '?')})` : `the auth provider "${String(selection.userEntry['auth-provider']?.name ?? '?')}"`;
        return failed(
          scrubFailure(
            {
              kind: 'exec-forbidden',
              message: `User "${selection.info.user}" in context "${selection.info.context}" authenticates with ${how}, which is not run in Restricted Mode. Trust the workspace to let Probe Guard look the target up in the cluster.`,
            },
            secrets,
          ),
          selection.info,
        );
      }
      const key = JSON.stringify([merged.fingerprint, selection.info.context, selection.info.namespace, targetKey(request.ref), settings.timeoutMs]);
      const outcome = await cache.get(key, (signal) => lookup(selection, request.ref, settings, signal), {
        ttlMs: settings.cacheTtlMs,
        signal: resolveOptions.signal,
        refresh: resolveOptions.refresh,
        cacheable: (r) => r.ok || r.failure.kind !== 'cancelled',
      });
      if (outcome.status === 'cancelled') return failed({ kind: 'cancelled', message: 'The lookup was cancelled.' }, selection.info);
      return { ...outcome.value, info: selection.info, fromCache: outcome.fromCache, fetchedAt: outcome.fetchedAt };
    } catch (err) {
      // A bug or an unexpected library error: still a typed answer, never a rejection.
      return failed({ kind: 'server-error', message: scrubText(`The cluster lookup failed unexpectedly: ${errorText(err)}.`, secrets) });
    }
  }

  return {
    resolve,
    describe(request, rawSettings) {
      try {
        const picked = select(request ?? {}, normalize(rawSettings));
        if (isFailure(picked)) return picked;
        return picked.selection.info;
      } catch (err) {
        return { kind: 'bad-kubeconfig', message: scrubText(`The kubeconfig cannot be used: ${errorText(err)}.`, []) };
      }
    },
    listContexts(rawSettings, kubeconfig) {
      try {
        const merged = load(kubeconfig, normalize(rawSettings));
        return isFailure(merged) ? [] : [...merged.contexts.keys()];
      } catch {
        return [];
      }
    },
    watchedFiles(rawSettings, kubeconfig) {
      try {
        return chooseKubeconfigFiles(kubeconfig, normalize(rawSettings)).files;
      } catch {
        return [];
      }
    },
    invalidate() {
      cache.clear();
    },
    get requestCount() {
      return requestCount;
    },
  };
}
