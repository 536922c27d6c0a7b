import type { ProbeInfo } from '../types';

/**
 * mirrord steals a remote port only when the local app listens on it, and the local app is a
 * build of the TARGET container. So a probe on a port of another container of the pod (a sidecar,
 * a mesh proxy) is at risk only if the local app happens to listen there too: the containers of a
 * pod share one network (docs/semantics.md section 4).
 */
export interface PortOwnership {
  /** The container mirrord targets (the config's, else the first that is not a mesh proxy). */
  targetContainer?: string;
  /** True when the config names no container, so mirrord's default choice applies. */
  defaulted: boolean;
  /** How mirrord's default choice was made: the pod's default-container annotation, or the first container it does not skip. */
  defaultedBy?: 'annotation' | 'first';
  /** Ports the target container declares or probes. */
  own: Set<number>;
  /** Ports other containers declare or probe, with the first such container. */
  others: Map<number, string>;
}

/**
 * Containers mirrord never picks by default: it takes the first other one
 * (mirrord:mirrord/kube/src/api/container.rs, SKIP_NAMES, Telepresence's traffic-agent included).
 */
const SKIPPED_CONTAINERS = new Set([
  'kuma-sidecar',
  'kuma-init',
  'istio-proxy',
  'istio-init',
  'linkerd-proxy',
  'linkerd-init',
  'vault-agent',
  'vault-agent-init',
  'queue-proxy', // Knative
  'traffic-agent',
]);

/**
 * The pod annotation mirrord honours before its skip list when the target names no container
 * (mirrord:mirrord/kube/src/api/runtime.rs, DEFAULT_CONTAINER_ANNOTATION; container.rs, choose_container).
 */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

/**
 * `annotations` are the pod's (a workload's pod template's): mirrord takes the container its
 * default-container annotation names, when the pod has one of that name, before the skip list.
 */
export function portOwnership(podSpec: any, probes: ProbeInfo[], configured: string | undefined, annotations?: unknown): PortOwnership {
  const containers: any[] = Array.isArray(podSpec?.containers) ? podSpec.containers.filter(isObject) : [];
  const sidecars: any[] = Array.isArray(podSpec?.initContainers) ? podSpec.initContainers.filter((c: any) => isObject(c) && c.restartPolicy === 'Always') : [];
  const annotated = isObject(annotations) ? annotations[DEFAULT_CONTAINER_ANNOTATION] : undefined;
  const byAnnotation = typeof annotated === 'string' ? containers.find((c) => c.name === annotated)?.name : undefined;
  const targetContainer =
    configured ??
    (byAnnotation as string | undefined) ??
    containers.find((c) => typeof c.name === 'string' && !SKIPPED_CONTAINERS.has(c.name))?.name ??
    (containers[0]?.name as string | undefined);
  const own = new Set<number>();
  const others = new Map<number, string>();
  const add = (container: string, port: unknown) => {
    if (typeof port !== 'number') return;
    if (container === targetContainer) own.add(port);
    else if (!others.has(port)) others.set(port, container);
  };
  for (const container of [...containers, ...sidecars]) {
    for (const declared of Array.isArray(container.ports) ? container.ports : []) add(container.name, declared?.containerPort);
  }
  for (const probe of probes) if (probe.handler !== 'exec') add(probe.container, probe.port);
  for (const port of own) others.delete(port);
  const defaulted = configured === undefined;
  return { targetContainer, defaulted, defaultedBy: defaulted ? (byAnnotation ? 'annotation' : 'first') : undefined, own, others };
}

/**
 * The container whose port `port` is, when it is not the target container's: undefined for the
 * target's own ports (and for ports nobody declares that a target container's probe uses).
 */
export function otherContainerOf(port: number, probe: ProbeInfo, ownership: PortOwnership): string | undefined {
  if (ownership.own.has(port)) return undefined;
  const other = ownership.others.get(port);
  if (other) return other;
  return probe.container === ownership.targetContainer ? undefined : probe.container;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
