/**
 * `lookup.vs_kubectl_ratio`: a cold `probe-guard check` of the risky demo config against the test
 * API server (deployment/checkout), over `kubectl get deployment checkout -n shop -o json` against
 * the same server, both as whole processes (start-up, bundle or binary load, kubeconfig, TLS, the
 * GET, output). Samples are interleaved round by round so load on the machine hits both alike.
 *
 * kubectl keeps a discovery cache on disk (~/.kube/cache): the headline ratio is against kubectl
 * with a warm cache (what a user normally runs, and the faster kubectl); a kubectl that must read
 * discovery first (an empty --cache-dir per run) is reported beside it. So are the floors that
 * explain Probe Guard's share: an empty `node` process, and `probe-guard check --manifest` (the
 * same analysis without the cluster layer and client-node).
 *
 * The CLI is the npm package users install (packages/cli, production bundles, built by the bench).
 * Its runs share one HOME, so after the warm-up they load the V8 code cache bin/probe-guard.js
 * keeps (src/runtime/compileCache.ts), as a user's second and later runs do; the same check with
 * the cache off is reported beside it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { DemoCluster } from '../test/support/demoCluster';
import { repoRoot } from './bundleBench';
import { productionCli } from './cliBench';
import { median, round } from './stats';

export const KUBECTL = '/usr/bin/kubectl';

export interface KubectlComparison {
  /** Median wall time of a cold `probe-guard check` that looks the target up in the cluster. */
  probe_guard_ms: number;
  /** `kubectl get deployment -o json`, discovery cache warm. */
  kubectl_ms: number;
  /** The same kubectl call with an empty discovery cache (it reads /api and /apis first). */
  kubectl_cold_cache_ms: number;
  vs_kubectl_cold_cache_ratio: number;
  /** `node -e ''`: what any Node CLI pays before its first line runs. */
  node_startup_ms: number;
  /** `probe-guard check --manifest demo/manifests`: the same verdicts without the cluster layer. */
  probe_guard_manifest_ms: number;
  /**
   * The cluster check with PROBE_GUARD_NO_COMPILE_CACHE=1: every bundle compiled from source, as on
   * a first run (the headline runs use the V8 code cache the earlier runs wrote, as a user's do).
   */
  probe_guard_no_compile_cache_ms: number;
  runs: number;
  /** The CLI measured (packages/cli/bin/probe-guard.js) and the size of its dist/cli.js. */
  cli: string;
  cli_bundle_kb: number;
}

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    execFile(command, args, { env, cwd: repoRoot(), maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      const ms = performance.now() - t0;
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), ms });
    });
  });
}

function check(condition: boolean, what: string, exit: Exit): void {
  if (!condition) throw new Error(`${what} (exit ${exit.code}): ${exit.stderr.slice(0, 500)}`);
}

export async function compareWithKubectl(demo: DemoCluster, log: (line: string) => void): Promise<KubectlComparison> {
  const root = repoRoot();
  const home = mkdtempSync(join(tmpdir(), 'probe-guard-bench-kubectl-'));
  const env = { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin' };
  const config = join(root, 'demo', 'workspace', '.mirrord', 'risky.mirrord.json');
  // The CLI users install: the npm package's production (minified) bundles, not the dev dist/.
  const cli = productionCli();
  let coldCaches = 0;
  const samples = {
    probeGuard: async (): Promise<number> => {
      const r = await run(process.execPath, [cli, 'check', config, '--kubeconfig', demo.kubeconfig, '--format', 'json'], env);
      const report = r.code === 1 ? JSON.parse(r.stdout).configs[0] : undefined;
      check(report?.source === 'cluster' && report?.target?.name === 'checkout', 'probe-guard check did not resolve deployment/checkout from the cluster', r);
      return r.ms;
    },
    kubectl: async (): Promise<number> => {
      const r = await run(KUBECTL, ['--kubeconfig', demo.kubeconfig, 'get', 'deployment', 'checkout', '-n', 'shop', '-o', 'json'], env);
      check(r.code === 0 && JSON.parse(r.stdout).metadata?.name === 'checkout', 'kubectl get deployment failed', r);
      return r.ms;
    },
    kubectlColdCache: async (): Promise<number> => {
      const cacheDir = join(home, `cold-cache-${coldCaches++}`);
      const r = await run(
        KUBECTL,
        ['--kubeconfig', demo.kubeconfig, '--cache-dir', cacheDir, 'get', 'deployment', 'checkout', '-n', 'shop', '-o', 'json'],
        env,
      );
      rmSync(cacheDir, { recursive: true, force: true });
      check(r.code === 0, 'kubectl get deployment (empty cache) failed', r);
      return r.ms;
    },
    probeGuardNoCompileCache: async (): Promise<number> => {
      const r = await run(process.execPath, [cli, 'check', config, '--kubeconfig', demo.kubeconfig, '--format', 'json'], {
        ...env,
        PROBE_GUARD_NO_COMPILE_CACHE: '1',
      });
      check(r.code === 1 && JSON.parse(r.stdout).configs[0].source === 'cluster', 'probe-guard check without the compile cache failed', r);
      return r.ms;
    },
    nodeStartup: async (): Promise<number> => (await run(process.execPath, ['-e', ''], env)).ms,
    manifest: async (): Promise<number> => {
      const r = await run(process.execPath, [cli, 'check', config, '--manifest', join(root, 'demo', 'manifests'), '--format', 'json'], env);
      check(r.code === 1 && JSON.parse(r.stdout).configs[0].source === 'manifest', 'probe-guard check --manifest failed', r);
      return r.ms;
    },
  };
  const times: Record<keyof typeof samples, number[]> = {
    probeGuard: [],
    kubectl: [],
    kubectlColdCache: [],
    probeGuardNoCompileCache: [],
    nodeStartup: [],
    manifest: [],
  };
  try {
    // Warm-up: kubectl's discovery cache, the OS file cache for node, the bundles and kubectl.
    for (let i = 0; i < 2; i++) for (const sample of Object.values(samples)) await sample();
    const started = performance.now();
    for (let round = 0; round < 80; round++) {
      for (const [name, sample] of Object.entries(samples)) times[name as keyof typeof samples].push(await sample());
      if (round + 1 >= 25 && performance.now() - started > 25_000) break;
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)])) as Record<keyof typeof samples, number>;
  log(
    `  CLI vs kubectl: probe-guard check ${m.probeGuard.toFixed(1)} ms, kubectl get ${m.kubectl.toFixed(1)} ms (empty discovery cache ${m.kubectlColdCache.toFixed(1)} ms) = ${(m.probeGuard / m.kubectl).toFixed(2)}x; without the compile cache ${m.probeGuardNoCompileCache.toFixed(1)} ms; node start-up ${m.nodeStartup.toFixed(1)} ms, check --manifest ${m.manifest.toFixed(1)} ms (${times.probeGuard.length} runs each)`,
  );
  return {
    probe_guard_ms: round(m.probeGuard, 1),
    kubectl_ms: round(m.kubectl, 1),
    kubectl_cold_cache_ms: round(m.kubectlColdCache, 1),
    vs_kubectl_cold_cache_ratio: round(m.probeGuard / m.kubectlColdCache, 3),
    node_startup_ms: round(m.nodeStartup, 1),
    probe_guard_manifest_ms: round(m.manifest, 1),
    probe_guard_no_compile_cache_ms: round(m.probeGuardNoCompileCache, 1),
    runs: times.probeGuard.length,
    cli: relative(root, cli),
    cli_bundle_kb: Math.round(statSync(join(dirname(cli), '..', 'dist', 'cli.js')).size / 102.4) / 10,
  };
}
