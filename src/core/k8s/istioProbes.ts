import type { MeshRewrite } from '../types';

/**
 * Istio's probe rewriting (on by default): the injector points each probe of an app container at
 * pilot-agent, `httpGet :15020/app-health/<container>/livez|readyz|startupz`, and keeps the
 * original probes in the `ISTIO_KUBE_APP_PROBERS` env of the `istio-proxy` container, as JSON keyed
 * by that path. pilot-agent re-sends the original request to the app over loopback with the
 * kubelet's headers, where mirrord's loopback redirect takes it
 * (docs/semantics.md section 3). So the original probe is the one to judge. Linkerd rewrites nothing: its pods need nothing here.
 */

const REWRITTEN_PATH = /^\/app-health\/[^/]+\/(?:livez|readyz|startupz)$/;

/** The original probes by rewritten path; undefined when the pod has no istio-proxy container. */
export function istioOriginalProbes(podSpec: Record<string, any>): Map<string, Record<string, any>> | undefined {
  const containers = [...listOf(podSpec.containers), ...listOf(podSpec.initContainers)];
  const proxy = containers.find((c) => isObject(c) && c.name === 'istio-proxy');
  if (!proxy) return undefined;
  const originals = new Map<string, Record<string, any>>();
  const env = listOf(proxy.env).find((e) => isObject(e) && e.name === 'ISTIO_KUBE_APP_PROBERS');
  if (!env || typeof env.value !== 'string') return originals;
  try {
    const parsed = JSON.parse(env.value);
    if (isObject(parsed)) for (const [key, value] of Object.entries(parsed)) if (isObject(value)) originals.set(key, value);
  } catch {
    // Unreadable: every rewritten probe then says its original is unknown.
  }
  return originals;
}

export interface IstioRewriteReading {
  mesh: MeshRewrite;
  /** The original probe (with its handler), absent when it could not be found. */
  original?: Record<string, any>;
}

/** Whether this probe is one Istio rewrote, and its original. */
export function istioRewrite(
  probe: Record<string, any>,
  container: Record<string, any>,
  originals: Map<string, Record<string, any>> | undefined,
): IstioRewriteReading | undefined {
  if (!originals || container.name === 'istio-proxy') return undefined;
  const httpGet = probe.httpGet;
  if (!isObject(httpGet) || typeof httpGet.path !== 'string' || !REWRITTEN_PATH.test(httpGet.path)) return undefined;
  const port = typeof httpGet.port === 'number' ? httpGet.port : Number(httpGet.port);
  const mesh: MeshRewrite = { proxy: 'istio', rewrittenPort: Number.isInteger(port) ? port : 15020, rewrittenPath: httpGet.path };
  const original = originals.get(httpGet.path);
  const hasHandler = original && ['httpGet', 'grpc', 'tcpSocket', 'exec'].some((h) => isObject(original[h]));
  if (!original || !hasHandler) {
    mesh.problem = `Istio rewrote this probe to go through pilot-agent (${httpGet.path}), but its original is not in the ISTIO_KUBE_APP_PROBERS env of istio-proxy.`;
    return { mesh };
  }
  return { mesh, original };
}

function listOf(value: unknown): any[] {
  return Array.isArray(value) ? value : [];
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
