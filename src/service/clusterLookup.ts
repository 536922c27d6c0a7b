import type { ClusterResolution, ClusterResolver, ClusterSettings, ListRequest, ListResolution, LivePodsResolution } from '../kube/clusterTypes';
import type { LookupRequest } from '../core/types';
import { loadKubeModule } from '../kube/lazyKube';
import type { ServiceLog } from './log';

/**
 * The front ends' handle on the cluster layer. The kube module (client-node, ~1.6 MB) is loaded
 * on the first real lookup, never at start-up, so opening a workspace stays cheap.
 */
export class ClusterLookup {
  private resolver: Promise<ClusterResolver> | undefined;

  constructor(private readonly log: ServiceLog) {}

  /** True once a lookup needed the kube module (tests check activation does not load it). */
  get loaded(): boolean {
    return this.resolver !== undefined;
  }

  private load(): Promise<ClusterResolver> {
    this.resolver ??= Promise.resolve()
      .then(() => loadKubeModule())
      .then((kube) => {
        this.log.info('Loaded the cluster module.');
        return kube.createClusterResolver();
      });
    return this.resolver;
  }

  async resolve(request: LookupRequest, settings: ClusterSettings, options: { signal?: AbortSignal; refresh?: boolean }): Promise<ClusterResolution> {
    const resolver = await this.loadOrFailure();
    return 'failure' in resolver ? resolver : resolver.resolve(request, settings, options);
  }

  /** The live pods behind a target (hover and probe report only), from the resolver's cache. Never rejects. */
  async livePods(request: LookupRequest, settings: ClusterSettings, options: { signal?: AbortSignal; refresh?: boolean }): Promise<LivePodsResolution> {
    const resolver = await this.loadOrFailure();
    return 'failure' in resolver ? resolver : resolver.livePods(request, settings, options);
  }

  /** The objects of a kind (or the namespaces) for target completion, from the resolver's list cache. Never rejects. */
  async list(request: ListRequest, settings: ClusterSettings, options: { signal?: AbortSignal; refresh?: boolean }): Promise<ListResolution> {
    const resolver = await this.loadOrFailure();
    return 'failure' in resolver ? resolver : resolver.list(request, settings, options);
  }

  /** A broken install must show up as a failed lookup, not as an unhandled rejection. */
  private async loadOrFailure(): Promise<ClusterResolver | (ClusterResolution & LivePodsResolution & ListResolution & { ok: false })> {
    try {
      return await this.load();
    } catch (error) {
      this.resolver = undefined;
      const message = `The cluster module could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
      this.log.error(message);
      return { ok: false, failure: { kind: 'unsupported', message }, fromCache: false, fetchedAt: Date.now() };
    }
  }

  async listContexts(settings: ClusterSettings, kubeconfig?: string): Promise<string[]> {
    return (await this.load()).listContexts(settings, kubeconfig);
  }

  /** Empty until the module is loaded: before any lookup there is no cached result to invalidate. */
  async watchedFiles(settings: ClusterSettings, kubeconfig?: string): Promise<string[]> {
    if (!this.resolver) return [];
    return (await this.resolver).watchedFiles(settings, kubeconfig);
  }

  async invalidate(): Promise<void> {
    if (this.resolver) (await this.resolver).invalidate();
  }
}
