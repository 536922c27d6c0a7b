/**
 * The text of a new mirrord config for one workload: its target (path and namespace) and steal
 * with mirrord's documented kube-probe header filter. Never a `$schema` key (mirrord refuses
 * unknown keys, docs/semantics.md section 1). What a workload's own probes need beyond the recipe
 * (an exec probe's curl, a probe on a port outside the filter's ports) is added by the fix planner
 * and proven by the engine in the service layer (src/service/newConfig.ts).
 */
import { KUBE_PROBE_HEADER_FILTER } from '../analyze/fixPlanner';

export interface NewConfigTarget {
  /** A target kind mirrord accepts in a path: `deployment`, `rollout`, `statefulset`... */
  kind: string;
  name: string;
  container?: string;
  namespace: string;
  /**
   * The kube context the workload was found in, when it was chosen for Probe Guard
   * (`probeGuard.kubeContext`, `--context`): mirrord would otherwise use the kubeconfig's current
   * context, another cluster than the one the config was verified against.
   */
  kubeContext?: string;
}

/** `deployment/api` or `deployment/api/container/app`. */
export function targetPathOf(target: NewConfigTarget): string {
  return target.container ? `${target.kind}/${target.name}/container/${target.container}` : `${target.kind}/${target.name}`;
}

export function newConfigText(target: NewConfigTarget): string {
  const config = {
    ...(target.kubeContext ? { kube_context: target.kubeContext } : {}),
    target: { path: targetPathOf(target), namespace: target.namespace },
    feature: { network: { incoming: { mode: 'steal', http_filter: { header_filter: KUBE_PROBE_HEADER_FILTER } } } },
  };
  return JSON.stringify(config, null, 2) + '\n';
}

/**
 * The file name of the `n`th new config for a workload named `name`: `api.mirrord.json`, then
 * `api-2.mirrord.json`, `api-3.mirrord.json`... (a new config never overwrites one).
 */
export function newConfigFileName(name: string, n = 1): string {
  return n <= 1 ? `${name}.mirrord.json` : `${name}-${n}.mirrord.json`;
}
