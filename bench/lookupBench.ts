/**
 * Target lookup through the cluster layer (src/kube), cold (a new resolver: kubeconfig load, auth,
 * TLS, the object) and warm (the shared cache), against the floor: one direct
 * @kubernetes/client-node AppsV1Api.readNamespacedDeployment to the same fake API server.
 * The live pods are not part of a lookup (hover and probe report request them on demand with
 * ClusterResolver.livePods); their cost after a lookup is measured on its own, outside the goal.
 * Then the whole `probe-guard check` process against kubectl's (./kubectlBench.ts).
 */
import { AppsV1Api, KubeConfig } from '@kubernetes/client-node';
import type { LookupRequest } from '../src/core/types';
import { loadKubeModule } from '../src/kube/lazyKube';
import { startDemoCluster } from '../test/support/demoCluster';
import { demoClusterSettings } from './demoTarget';
import { compareWithKubectl, type KubectlComparison } from './kubectlBench';
import { median, round, sampleInterleaved } from './stats';

export interface LookupResult {
  cold_ms: number;
  warm_ms: number;
  /** cold lookup / raw client call (new KubeConfig + client each time, like a cold lookup). */
  vs_raw_client_ratio: number;
  raw_client_ms: number;
  /** The raw call on a reused client (keep-alive connection): the absolute floor. */
  raw_client_reused_ms: number;
  /** HTTP requests per cold lookup (the object GET; live pods are not part of a lookup). */
  requests_per_cold_lookup: number;
  /** What a first hover adds after a lookup: livePods on the resolver that resolved (pods LIST, events of restarted pods). */
  live_pods_after_lookup: { ms: number; requests: number };
  /** The same comparison for a deployment whose pods never restarted (no events request). */
  quiet_target: { name: string; cold_ms: number; vs_raw_client_ratio: number; requests_per_cold_lookup: number };
  /** A cold `probe-guard check` process over a `kubectl get deployment -o json` process (warm discovery cache). */
  vs_kubectl_ratio: number;
  cli_vs_kubectl: KubectlComparison;
}

export async function runLookupBench(log: (line: string) => void): Promise<LookupResult> {
  const demo = await startDemoCluster();
  try {
    const kube = loadKubeModule();
    const settings = demoClusterSettings(demo, 3_600_000);
    const request = (name: string): LookupRequest => ({ ref: { kind: 'deployment', name }, namespace: 'shop' });
    const rawCall = async (api: AppsV1Api, name: string): Promise<void> => {
      const deployment = await api.readNamespacedDeployment({ name, namespace: 'shop' });
      if (deployment.metadata?.name !== name) throw new Error('raw client read the wrong object');
    };
    const rawClient = (): AppsV1Api => {
      const kc = new KubeConfig();
      kc.loadFromFile(demo.kubeconfig);
      return kc.makeApiClient(AppsV1Api);
    };
    const cold = async (name: string): Promise<void> => {
      const resolution = await kube.createClusterResolver().resolve(request(name), settings);
      if (!resolution.ok || resolution.fromCache) throw new Error(`cold lookup failed: ${JSON.stringify(resolution)}`);
    };
    const warmResolver = kube.createClusterResolver();
    await warmResolver.resolve(request('checkout'), settings);
    const warm = async (): Promise<void> => {
      const resolution = await warmResolver.resolve(request('checkout'), settings);
      if (!resolution.fromCache) throw new Error('warm lookup missed the cache');
    };
    const reused = rawClient();

    const countRequests = async (name: string): Promise<number> => {
      const before = demo.api.requests.length;
      await cold(name);
      return demo.api.requests.length - before;
    };
    const perLookup = await countRequests('checkout');
    const perQuiet = await countRequests('search');

    // A hover after a lookup: the target is in resolve's cache, so livePods costs the pods and events.
    const liveSamples: number[] = [];
    let liveRequests = 0;
    for (let i = 0; i < 35; i++) {
      const resolver = kube.createClusterResolver();
      await resolver.resolve(request('checkout'), settings);
      const before = demo.api.requests.length;
      const t0 = performance.now();
      const live = await resolver.livePods(request('checkout'), settings);
      const ms = performance.now() - t0;
      if (!live.ok || live.pods.length === 0) throw new Error(`live pods failed: ${JSON.stringify(live)}`);
      liveRequests = demo.api.requests.length - before;
      if (i >= 5) liveSamples.push(ms);
    }

    const budget = { timeMs: 4000, minRuns: 30, maxRuns: 400, warmup: 5 };
    const s = await sampleInterleaved(
      {
        cold: () => cold('checkout'),
        coldQuiet: () => cold('search'),
        raw: () => rawCall(rawClient(), 'checkout'),
        rawReused: () => rawCall(reused, 'checkout'),
      },
      budget,
    );
    const w = await sampleInterleaved({ warm }, { timeMs: 1000, minRuns: 200, maxRuns: 20000, warmup: 50 });
    const [c, cq, r, rr, wm] = [median(s.cold), median(s.coldQuiet), median(s.raw), median(s.rawReused), median(w.warm)];
    const lp = median(liveSamples);
    const cli = await compareWithKubectl(demo, log);
    log(
      `  lookup: cold ${c.toFixed(2)} ms (${perLookup} requests), quiet ${cq.toFixed(2)} ms (${perQuiet}), warm ${wm.toFixed(4)} ms, raw client ${r.toFixed(2)} ms, reused raw client ${rr.toFixed(2)} ms (${s.cold.length} runs); live pods after a lookup ${lp.toFixed(2)} ms (${liveRequests} requests)`,
    );
    return {
      cold_ms: round(c, 3),
      warm_ms: round(wm, 4),
      vs_raw_client_ratio: round(c / r, 3),
      raw_client_ms: round(r, 3),
      raw_client_reused_ms: round(rr, 3),
      requests_per_cold_lookup: perLookup,
      live_pods_after_lookup: { ms: round(lp, 3), requests: liveRequests },
      quiet_target: { name: 'search', cold_ms: round(cq, 3), vs_raw_client_ratio: round(cq / r, 3), requests_per_cold_lookup: perQuiet },
      vs_kubectl_ratio: round(cli.probe_guard_ms / cli.kubectl_ms, 3),
      cli_vs_kubectl: cli,
    };
  } finally {
    await demo.close();
  }
}

/** The CLI-vs-kubectl half of the lookup bench alone (`runBenchmarks --only kubectl`). */
export async function runKubectlBench(log: (line: string) => void): Promise<Pick<LookupResult, 'vs_kubectl_ratio' | 'cli_vs_kubectl'>> {
  const demo = await startDemoCluster();
  try {
    const cli = await compareWithKubectl(demo, log);
    return { vs_kubectl_ratio: round(cli.probe_guard_ms / cli.kubectl_ms, 3), cli_vs_kubectl: cli };
  } finally {
    await demo.close();
  }
}
