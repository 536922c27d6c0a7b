/**
 * A lookup result as plain data, for the language server's worker threads: a manifest origin
 * carries `lineOf`, a function, which cannot cross a thread. It is replaced by the lines of every
 * probe of the target's pod specs (the only paths the engine asks it for) and rebuilt on the
 * other side.
 */
import { extractProbes } from '../core/k8s/probes';
import type { PodSource, ResolveResult, TargetOrigin } from '../core/types';

type PlainOrigin = Omit<TargetOrigin, 'lineOf'> & { lines?: [string, number][] };

/** Same shape as ResolveResult, with every origin's `lineOf` turned into `lines`. */
export type TransferableResolveResult = ResolveResult;

export function toTransferable(result: ResolveResult | undefined): TransferableResolveResult | undefined {
  if (!result?.ok) return result;
  const target = result.target;
  const pods = target.pods.map((pod) => (pod.origin ? { ...pod, origin: plainOrigin(pod.origin, [pod]) } : pod));
  return { ok: true, target: { ...target, origin: plainOrigin(target.origin, target.pods), pods } };
}

export function fromTransferable(result: TransferableResolveResult | undefined): ResolveResult | undefined {
  if (!result?.ok) return result;
  const target = result.target;
  const pods = target.pods.map((pod) => (pod.origin ? { ...pod, origin: liveOrigin(pod.origin) } : pod));
  return { ok: true, target: { ...target, origin: liveOrigin(target.origin), pods } };
}

function plainOrigin(origin: TargetOrigin, pods: PodSource[]): TargetOrigin {
  const { lineOf, ...rest } = origin;
  if (!lineOf) return origin;
  const lines: [string, number][] = [];
  for (const pod of pods) {
    for (const probe of extractProbes(pod.podSpec, pod.specPath)) {
      const line = lineOf(probe.specPath);
      if (line !== undefined) lines.push([JSON.stringify(probe.specPath), line]);
    }
  }
  const plain: PlainOrigin = { ...rest, lines };
  return plain as TargetOrigin;
}

function liveOrigin(origin: TargetOrigin): TargetOrigin {
  const { lines, ...rest } = origin as PlainOrigin;
  if (!lines) return origin;
  const table = new Map(lines);
  return { ...rest, lineOf: (path) => table.get(JSON.stringify(path)) };
}
