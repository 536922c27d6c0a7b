/**
 * The cluster layer's entry point: kubeconfig choice and merge, context and namespace choice,
 * Restricted Mode check (before any request), a shared TTL cache, then the fetch. Never throws and
 * never rejects; every message is scrubbed of credentials on the way out.
 *
 * Two cached pieces with the same key: `resolve` (what the verdicts need: the object and its
 * related objects) and `livePods` (the pods behind it and their events, for hovers and reports,
 * requested only on demand). `livePods` builds on resolve's cached entry, so after a lookup it
 * costs only the pod LIST (none for pod, service and label targets) and the events.
 */
import type { LookupRequest, ResolveFailure, TargetRef } from '../core/types';
import { type ClusterSelection, selectCluster } from './clusterSelection';
import {
  type ClusterInfo,
  type ClusterResolution,
  type ClusterResolver,
  type ClusterSettings,
  DEFAULT_CACHE_TTL_MS,
  DEFAULT_TIMEOUT_MS,
  type KubeconfigRequest,
  type ListRequest,
  type ListResolution,
  type ListResult,
  type ListWhat,
  type LivePodsResolution,
  type LivePodsResult,
  type ResolveOptions,
} from './clusterTypes';
import { type FetchContext, type FetchedTarget, fetchList, fetchLivePods, fetchTarget } from './fetchTarget';
import { forgetExecCredential } from './execCredential';
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
  return (
    !!value && typeof (value as ResolveFailure).kind === 'string' && typeof (value as ResolveFailure).message === 'string' && !('clusters' in (value as object))
  );
}

/** The parts of a target that decide what is fetched. */
function targetKey(ref: TargetRef): string {
  const labels = ref.labels ? Object.entries(ref.labels).sort(([a], [b]) => a.localeCompare(b)) : undefined;
  return JSON.stringify([ref.kind, ref.name ?? null, ref.container ?? null, labels ?? null]);
}

function errorText(err: unknown): string {
  return String((err as Error)?.message ?? err ?? 'unknown error').split('\n')[0];
}

type Session = { ok: true; context: FetchContext; secrets: string[]; close(): void } | { ok: false; failure: ResolveFailure };

const CANCELLED: ResolveFailure = { kind: 'cancelled', message: 'The lookup was cancelled.' };

export function createClusterResolver(options: ClusterResolverOptions = {}): ClusterResolver {
  const now = options.now ?? Date.now;
  const targets = new SharedCache<FetchedTarget>(now);
  const livePodCache = new SharedCache<LivePodsResult>(now);
  const listCache = new SharedCache<ListResult>(now);
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

  /** Auth plus a keep-alive transport for one fetch; `close()` destroys its agent. */
  async function openSession(selection: ClusterSelection, settings: ClusterSettings, signal: AbortSignal): Promise<Session> {
    const secrets = secretsOfUser(selection.userEntry);
    const auth = await prepareAuth(selection, { timeoutMs: settings.timeoutMs, env: settings.env, now }, signal);
    if (!auth.ok) return { ok: false, failure: scrubFailure(auth.failure, secrets) };
    // Whatever the auth produced (an exec plugin's token, a key) is a secret too.
    const authHeader = (auth.options.headers as Record<string, unknown> | undefined)?.Authorization;
    if (typeof authHeader === 'string') secrets.push(authHeader, authHeader.replace(/^\S+\s+/, ''));
    if (typeof auth.options.key === 'string') secrets.push(auth.options.key);
    else if (Buffer.isBuffer(auth.options.key)) secrets.push(auth.options.key.toString('utf8'));
    const proxyUrl = selection.clusterEntry['proxy-url'];
    const transport = createTransport({
      server: selection.info.server,
      requestOptions: auth.options,
      proxyUrl: typeof proxyUrl === 'string' && proxyUrl !== '' ? proxyUrl : undefined,
      timeoutMs: settings.timeoutMs,
      signal,
      onRequest: () => {
        requestCount += 1;
      },
    });
    return {
      ok: true,
      secrets,
      context: { transport, info: selection.info, namespace: selection.info.namespace, timeoutMs: settings.timeoutMs },
      // Close idle sockets of this fetch's agent: nothing lingers after it.
      close: () => transport.close(),
    };
  }

  async function lookup(
    selection: ClusterSelection,
    ref: TargetRef,
    settings: ClusterSettings,
    signal: AbortSignal,
    fingerprint: string,
  ): Promise<FetchedTarget> {
    const session = await openSession(selection, settings, signal);
    if (!session.ok) return { result: { ok: false, failure: session.failure } };
    try {
      const listed = async (what: ListWhat): Promise<ListResult> => {
        const outcome = await cachedList(fingerprint, selection, what, settings, signal, false);
        return outcome.status === 'ok' ? outcome.value : { ok: false, failure: CANCELLED };
      };
      const fetched = await fetchTarget(ref, { ...session.context, listed });
      // A cached exec credential the server refuses (revoked early): the next lookup runs the plugin.
      if (!fetched.result.ok && fetched.result.failure.kind === 'unauthorized' && selection.externalAuth === 'exec')
        forgetExecCredential(selection, settings.env);
      return fetched.result.ok ? fetched : { result: { ok: false, failure: scrubFailure(fetched.result.failure, session.secrets) } };
    } finally {
      session.close();
    }
  }

  /** One LIST of a kind in the selection's namespace (or of the namespaces), through the list cache. */
  function cachedList(
    fingerprint: string,
    selection: ClusterSelection,
    what: ListWhat,
    settings: ClusterSettings,
    signal: AbortSignal | undefined,
    refresh: boolean | undefined,
  ) {
    const key = JSON.stringify([fingerprint, selection.info.context, what === 'namespace' ? '' : selection.info.namespace, what, settings.timeoutMs]);
    return listCache.get(
      key,
      async (s) => {
        const session = await openSession(selection, settings, s);
        if (!session.ok) return { ok: false, failure: session.failure };
        try {
          const listed = await fetchList(what, session.context);
          return listed.ok ? listed : { ok: false, failure: scrubFailure(listed.failure, session.secrets) };
        } finally {
          session.close();
        }
      },
      { ttlMs: settings.cacheTtlMs, signal, refresh, cacheable: (r) => r.ok || r.failure.kind !== 'cancelled' },
    );
  }

  /** resolve's cache entry for the key (fetched when missing, expired or refreshed). */
  function target(
    key: string,
    selection: ClusterSelection,
    ref: TargetRef,
    settings: ClusterSettings,
    signal: AbortSignal | undefined,
    refresh: boolean | undefined,
    fingerprint: string,
  ) {
    return targets.get(key, (s) => lookup(selection, ref, settings, s, fingerprint), {
      ttlMs: settings.cacheTtlMs,
      signal,
      refresh,
      cacheable: (r) => r.result.ok || r.result.failure.kind !== 'cancelled',
    });
  }

  async function loadLivePods(
    key: string,
    selection: ClusterSelection,
    ref: TargetRef,
    settings: ClusterSettings,
    signal: AbortSignal,
    refresh: boolean | undefined,
    fingerprint: string,
  ): Promise<LivePodsResult> {
    const base = await target(key, selection, ref, settings, signal, refresh, fingerprint);
    if (base.status === 'cancelled') return { ok: false, failure: CANCELLED };
    // Already scrubbed by lookup().
    if (!base.value.result.ok) return { ok: false, failure: base.value.result.failure };
    const session = await openSession(selection, settings, signal);
    if (!session.ok) return { ok: false, failure: session.failure };
    try {
      const live = await fetchLivePods(base.value, session.context);
      return live.ok ? live : { ok: false, failure: scrubFailure(live.failure, session.secrets) };
    } finally {
      session.close();
    }
  }

  type Prepared =
    { ok: true; key: string; fingerprint: string; selection: ClusterSelection; secrets: string[] } | { ok: false; failure: ResolveFailure; info?: ClusterInfo };

  /** Everything before a request: the request's shape, kubeconfig, context, Restricted Mode, the cache key. */
  function prepare(request: LookupRequest, settings: ClusterSettings): Prepared {
    if (!request || !request.ref || typeof request.ref.kind !== 'string')
      return { ok: false, failure: { kind: 'unsupported', message: 'No target to look up.' } };
    if (request.ref.kind === 'targetless') return { ok: false, failure: { kind: 'unsupported', message: 'A targetless session has no pod to look up.' } };
    const namespace = request.namespace ?? request.ref.namespace;
    const picked = select({ kubeconfig: request.kubeconfig, kubeContext: request.kubeContext, namespace }, settings);
    if (isFailure(picked)) return { ok: false, failure: scrubFailure(picked, []) };
    const { merged, selection } = picked;
    const secrets = secretsOfUser(selection.userEntry);
    if (!settings.allowExec && selection.externalAuth) {
      const how =
        selection.externalAuth === 'exec'
          ? `an exec plugin (${String(selection.userEntry.exec?.command ?? '?')})`
          : `the auth provider "${String(selection.userEntry['auth-provider']?.name ?? '?')}"`;
      return {
        ok: false,
        failure: scrubFailure(
          {
            kind: 'exec-forbidden',
            message: `User "${selection.info.user}" in context "${selection.info.context}" authenticates with ${how}, which is not run in Restricted Mode. Trust the workspace to let Probe Guard look the target up in the cluster.`,
          },
          secrets,
        ),
        info: selection.info,
      };
    }
    const key = JSON.stringify([merged.fingerprint, selection.info.context, selection.info.namespace, targetKey(request.ref), settings.timeoutMs]);
    return { ok: true, key, fingerprint: merged.fingerprint, selection, secrets };
  }

  type Answer = { ok: false; failure: ResolveFailure; info?: ClusterInfo; fromCache: false; fetchedAt: number };

  /**
   * The frame both lookups share: settings normalised, the kubeconfig chosen (failures typed), and
   * any unexpected error turned into a scrubbed `server-error` instead of a rejection.
   */
  async function guardedLookup<T>(
    request: LookupRequest,
    rawSettings: ClusterSettings,
    what: string,
    run: (
      prepared: Extract<Prepared, { ok: true }>,
      settings: ClusterSettings,
      failed: (failure: ResolveFailure, info?: ClusterInfo) => Answer,
    ) => Promise<T | Answer>,
  ): Promise<T | Answer> {
    const failed = (failure: ResolveFailure, info?: ClusterInfo): Answer => ({ ok: false, failure, info, fromCache: false, fetchedAt: now() });
    let secrets: string[] = [];
    try {
      const settings = normalize(rawSettings);
      const prepared = prepare(request, settings);
      if (!prepared.ok) return failed(prepared.failure, prepared.info);
      secrets = prepared.secrets;
      return await run(prepared, settings, failed);
    } catch (err) {
      return failed({ kind: 'server-error', message: scrubText(`The ${what} failed unexpectedly: ${errorText(err)}.`, secrets) });
    }
  }

  function resolve(request: LookupRequest, rawSettings: ClusterSettings, resolveOptions: ResolveOptions = {}): Promise<ClusterResolution> {
    return guardedLookup<ClusterResolution>(request, rawSettings, 'cluster lookup', async ({ key, fingerprint, selection }, settings, failed) => {
      const outcome = await target(key, selection, request.ref, settings, resolveOptions.signal, resolveOptions.refresh, fingerprint);
      if (outcome.status === 'cancelled') return failed(CANCELLED, selection.info);
      return { ...outcome.value.result, info: selection.info, fromCache: outcome.fromCache, fetchedAt: outcome.fetchedAt };
    });
  }

  function livePods(request: LookupRequest, rawSettings: ClusterSettings, liveOptions: ResolveOptions = {}): Promise<LivePodsResolution> {
    return guardedLookup<LivePodsResolution>(request, rawSettings, 'live pod lookup', async ({ key, fingerprint, selection }, settings, failed) => {
      const refresh = liveOptions.refresh;
      const outcome = await livePodCache.get(key, (signal) => loadLivePods(key, selection, request.ref, settings, signal, refresh, fingerprint), {
        ttlMs: settings.cacheTtlMs,
        signal: liveOptions.signal,
        refresh,
        cacheable: (r) => r.ok || r.failure.kind !== 'cancelled',
      });
      if (outcome.status === 'cancelled') return failed(CANCELLED, selection.info);
      return { ...outcome.value, info: selection.info, fromCache: outcome.fromCache, fetchedAt: outcome.fetchedAt };
    });
  }

  function list(request: ListRequest, rawSettings: ClusterSettings, listOptions: ResolveOptions = {}): Promise<ListResolution> {
    const what: ListWhat | undefined = request && typeof request.what === 'string' ? request.what : undefined;
    // The shape a lookup has, for the kubeconfig, context and Restricted Mode checks it shares.
    const asLookup: LookupRequest = {
      ref: { kind: what === 'namespace' || what === undefined ? 'pod' : what },
      namespace: request?.namespace,
      kubeconfig: request?.kubeconfig,
      kubeContext: request?.kubeContext,
    };
    return guardedLookup<ListResolution>(asLookup, rawSettings, 'listing', async ({ fingerprint, selection }, settings, failed) => {
      if (!what) return failed({ kind: 'unsupported', message: 'Nothing to list.' }, selection.info);
      const outcome = await cachedList(fingerprint, selection, what, settings, listOptions.signal, listOptions.refresh);
      if (outcome.status === 'cancelled') return failed(CANCELLED, selection.info);
      return { ...outcome.value, info: selection.info, fromCache: outcome.fromCache, fetchedAt: outcome.fetchedAt };
    });
  }

  return {
    resolve,
    livePods,
    list,
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
      targets.clear();
      livePodCache.clear();
      listCache.clear();
    },
    get requestCount() {
      return requestCount;
    },
  };
}
