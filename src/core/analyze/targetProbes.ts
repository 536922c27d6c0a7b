import { extractProbes } from '../k8s/probes';
import type { PodSource, ProbeInfo, ResolveResult } from '../types';
import { portOwnership, type PortOwnership } from './containerPorts';

/**
 * Every probe of every container of the target's pods, each with the pod source it belongs to.
 * Replicas of one template come as one pod source, so the same probe is listed once per workload.
 */
export function probesOfTarget(resolution: ResolveResult & { ok: true }): TargetProbe[] {
  // The same resolution object comes back on every keystroke: extract its probes once.
  const cached = extracted.get(resolution);
  if (cached) return cached;
  const result = extractAll(resolution);
  extracted.set(resolution, result);
  return result;
}

export interface TargetProbe {
  probe: ProbeInfo;
  podDescription: string;
  pod: PodSource;
  /** Which ports of the pod are the target container's, and which another container's. */
  ports: PortOwnership;
}

const extracted = new WeakMap<object, TargetProbe[]>();

function extractAll(resolution: ResolveResult & { ok: true }): TargetProbe[] {
  const seen = new Set<string>();
  const result: TargetProbe[] = [];
  for (const pod of resolution.target.pods) {
    const probes = extractProbes(pod.podSpec, pod.specPath);
    const ports = portOwnership(pod.podSpec, probes, resolution.target.ref.container, podAnnotations(pod));
    for (const probe of probes) {
      const key = JSON.stringify([pod.description, probe.container, probe.probe, probe.handler, probe.port, probe.path, probe.request?.headers, probe.command]);
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ probe, podDescription: pod.description, pod, ports });
    }
  }
  return result;
}

/** The annotations of the pod a pod source stands for: the metadata next to its spec (a Pod's, a template's). */
function podAnnotations(pod: PodSource): unknown {
  let node: any = pod.object;
  for (const key of pod.specPath.slice(0, -1)) node = node?.[key];
  return node?.metadata?.annotations;
}
