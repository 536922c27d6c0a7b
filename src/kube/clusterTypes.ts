/**
 * The public contract of the cluster layer: what the CLI and the editor pass in and get back.
 * Kept free of client-node imports so that type-only imports of it load nothing at run time.
 */
import type { KubeObject, LivePodStatus, LookupRequest, ResolveFailure, ResolveResult, TargetKind } from '../core/types';

export interface ClusterSettings {
  /** Folder of the mirrord config: relative kubeconfig paths resolve against it. */
  configDir: string;
  /** CLI flags / editor settings; the config's own fields win over these. */
  overrides?: { kubeconfig?: string; context?: string; namespace?: string };
  /** KUBECONFIG, HOME, and `$VAR` expansion; also the environment an exec credential plugin runs with. */
  env: Record<string, string | undefined>;
  /** False in VS Code Restricted Mode: never run an exec plugin (or auth provider). */
  allowExec: boolean;
  /** Per HTTP call (and per exec plugin run). Default 5000. */
  timeoutMs: number;
  /** How long a lookup result is reused. Default 30000. */
  cacheTtlMs: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_CACHE_TTL_MS = 30000;

export interface ClusterInfo {
  kubeconfigFiles: string[];
  context?: string;
  cluster?: string;
  server?: string;
  /** The user NAME from the kubeconfig only, never a credential. */
  user?: string;
  namespace: string;
}

export type ClusterResolution = ResolveResult & { info?: ClusterInfo; fromCache: boolean; fetchedAt: number };

export interface ResolveOptions {
  signal?: AbortSignal;
  /** Skip the cache (the fresh result replaces the cached one). */
  refresh?: boolean;
}

/**
 * The live pods behind a target (hover and probe report only; verdicts never need them). Events
 * are best-effort inside a success: `killedByLiveness` stays undefined when they cannot be read.
 */
export type LivePodsResult = { ok: true; pods: LivePodStatus[] } | { ok: false; failure: ResolveFailure };

export type LivePodsResolution = LivePodsResult & { info?: ClusterInfo; fromCache: boolean; fetchedAt: number };

export type KubeconfigRequest = Pick<LookupRequest, 'kubeconfig' | 'kubeContext' | 'namespace'>;

/** What can be listed (target completion): the objects of one target kind in a namespace, or the namespaces. */
export type ListWhat = Exclude<TargetKind, 'label' | 'targetless'> | 'namespace';

export interface ListRequest extends KubeconfigRequest {
  what: ListWhat;
}

/** The objects as the API server sent them (at most a bounded page), with `kind` and `apiVersion` filled in. */
export type ListResult = { ok: true; items: KubeObject[] } | { ok: false; failure: ResolveFailure };

export type ListResolution = ListResult & { info?: ClusterInfo; fromCache: boolean; fetchedAt: number };

export interface ClusterResolver {
  /** Never rejects: every problem is a typed failure. */
  resolve(request: LookupRequest, settings: ClusterSettings, options?: ResolveOptions): Promise<ClusterResolution>;
  /**
   * The live pods behind the target of `request` and the events of those that restarted: requested
   * separately and only on demand (hover, probe report), so a lookup costs what the verdicts need.
   * Cached like `resolve` (same key, TTL, in-flight sharing, `invalidate`, `refresh`); it reuses
   * resolve's cached target data (and fetches it the same way when there is none). Never rejects.
   */
  livePods(request: LookupRequest, settings: ClusterSettings, options?: ResolveOptions): Promise<LivePodsResolution>;
  /**
   * The objects of one kind in the namespace the request selects (or the namespaces), cached like
   * `resolve` (TTL, in-flight sharing, `invalidate`, `refresh`): one LIST per kind and namespace
   * per cache period, shared with resolve's not-found suggestions. Never rejects.
   */
  list(request: ListRequest, settings: ClusterSettings, options?: ResolveOptions): Promise<ListResolution>;
  /** Which kubeconfig files, context, cluster, user and namespace a lookup would use. No network. */
  describe(request: KubeconfigRequest, settings: ClusterSettings): ClusterInfo | ResolveFailure;
  listContexts(settings: ClusterSettings, kubeconfig?: string): string[];
  /** Kubeconfig files whose change must invalidate (including ones that do not exist yet). */
  watchedFiles(settings: ClusterSettings, kubeconfig?: string): string[];
  invalidate(): void;
  /** HTTP requests made so far, for tests and benchmarks. */
  readonly requestCount: number;
}

export function isResolveFailure(value: ClusterInfo | ResolveFailure): value is ResolveFailure {
  return typeof (value as ResolveFailure).kind === 'string' && typeof (value as ResolveFailure).message === 'string';
}
