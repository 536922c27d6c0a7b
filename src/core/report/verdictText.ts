import type { ProbeVerdict } from '../types';

/**
 * Sentences every front end shows the same way (CLI, hover, probe report, diagnostics): kept here
 * so that the editor, the language server and the CLI never word a verdict differently.
 */

/**
 * The condition of a `conditional` verdict, one sentence. When the config names no container,
 * it says which one mirrord picks, since that is what the local app is taken to be a build of.
 */
export function conditionSentence(
  port: number,
  container: string,
  target?: { name?: string; defaulted: boolean; defaultedBy?: 'annotation' | 'first' },
): string {
  const how = target?.defaultedBy === 'annotation' ? "the pod's kubectl.kubernetes.io/default-container" : 'the first one';
  const picked = target?.defaulted && target.name ? ` (mirrord targets container "${target.name}", ${how}, unless the target names a container)` : '';
  return `stolen if your local app listens on :${port}: the containers of a pod share one network, and :${port} is container "${container}"'s port${picked}.`;
}

/** Why a sidecar's probe gets `conditional`, for legends under tables. */
export const CONDITIONAL_EXPLANATION =
  "A probe on another container's port (a sidecar, a mesh proxy) is stolen only if your local app listens on that port too: the containers of a pod share one network.";

/** Whether probes should name their workload: several pod sources (a Service, labels, an ambiguous name). */
export function probesNeedWorkload(probes: ProbeVerdict[]): boolean {
  return new Set(probes.map((p) => p.podDescription)).size > 1;
}
