import { getSetEntry } from '../config/configQuery';
import type { TargetReading } from '../target/readTarget';
import type { ConfigNode, Finding, Span, TargetRef } from '../types';
import type { NetworkSettings } from './readNetworkSettings';

/**
 * What mirrord refuses about the target together with other settings, from
 * mirrord/config/src/lib.rs (`LayerConfig::verify`) and target.rs (`Target::requires_operator`):
 * - `copy-target-unsupported`: copy_target with a label, service or targetless target (a rollout
 *   is fine);
 * - `operator-required`: a job, cronjob, statefulset, service, replicaset or label target, or
 *   copy_target, with `"operator": false`;
 * - `label-target-unsupported`: a label target with `multi_cluster: true`, queue splitting or
 *   database branches.
 */
export function targetRuleFindings(root: ConfigNode | undefined, settings: NetworkSettings, target: TargetReading, ref: TargetRef | undefined): Finding[] {
  const findings: Finding[] = [];
  const targetSpan = target.pathNode?.span ?? { start: 0, end: 0 };
  const copyTargetSpan = settings.copyTargetSpan ?? targetSpan;
  if (settings.copyTarget === true && ref && ['service', 'label', 'targetless'].includes(ref.kind)) {
    findings.push(error('copy-target-unsupported', `copy_target does not work with a ${ref.kind} target: mirrord refuses this config.`, copyTargetSpan));
  }

  const operator = getSetEntry(root, 'operator');
  const operatorOff = operator?.value.kind === 'scalar' && operator.value.value === false;
  if (operatorOff && ref && OPERATOR_KINDS.has(ref.kind)) {
    findings.push(error('operator-required', `A ${ref.kind} target needs the mirrord operator: mirrord refuses it with "operator": false.`, targetSpan));
  } else if (operatorOff && settings.copyTarget === true) {
    findings.push(error('operator-required', 'copy_target needs the mirrord operator: mirrord refuses it with "operator": false.', copyTargetSpan));
  }

  if (ref?.kind === 'label') {
    const multiCluster = getSetEntry(root, 'multi_cluster');
    if (multiCluster?.value.kind === 'scalar' && multiCluster.value.value === true) {
      findings.push(
        error(
          'label-target-unsupported',
          'Label targets do not work in multi-cluster sessions: mirrord refuses this config (set "multi_cluster": false).',
          multiCluster.keySpan,
        ),
      );
    }
    const feature = getSetEntry(root, 'feature')?.value;
    const queues = getSetEntry(feature, 'split_queues');
    if (queues && isNonEmpty(queues.value)) {
      findings.push(error('label-target-unsupported', 'Queue splitting does not work with a label target: mirrord refuses this config.', queues.keySpan));
    }
    const branches = getSetEntry(feature, 'db_branches');
    if (branches && isNonEmpty(branches.value)) {
      findings.push(error('label-target-unsupported', 'Database branching does not work with a label target: mirrord refuses this config.', branches.keySpan));
    }
  }
  return findings;
}

const OPERATOR_KINDS = new Set(['job', 'cronjob', 'statefulset', 'service', 'replicaset', 'label']);

function isNonEmpty(node: ConfigNode): boolean {
  if (node.kind === 'array') return node.items.length > 0;
  if (node.kind === 'object') return node.entries.length > 0;
  return false;
}

function error(code: Finding['code'], message: string, span: Span): Finding {
  return { code, severity: 'error', message, span, fixes: [] };
}
