import { extractProbes } from '../k8s/probes';
import type { ProbeInfo, ResolveResult } from '../types';

/**
 * Every probe of every container of the target's pods. A Service or label target picks many
 * replicas of one template: the same probe is listed once.
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
}

const extracted = new WeakMap<object, TargetProbe[]>();

function extractAll(resolution: ResolveResult & { ok: true }): TargetProbe[] {
  const seen = new Set<string>();
  const result: TargetProbe[] = [];
  for (const pod of resolution.target.pods) {
    for (const probe of extractProbes(pod.podSpec, pod.specPath)) {
      const key = JSON.stringify([probe.container, probe.probe, probe.handler, probe.port, probe.path, probe.request?.headers]);
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ probe, podDescription: pod.description });
    }
  }
  return result;
}
