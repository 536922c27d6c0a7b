import type { ConfigNode, ObjectNode, RuleCode, Span, TargetKind, TargetRef } from '../types';
import { parseTargetPath, setOwn } from './targetPath';

/** A problem found while reading `target` (`invalid-target`; unknown keys come from the key model). */
export interface TargetProblem {
  message: string;
  span: Span;
  code: Extract<RuleCode, 'invalid-target' | 'unknown-key'>;
}

export interface TargetReading {
  /** Undefined when there is no target, it is invalid, or it is templated. */
  ref?: TargetRef;
  /** True when a Tera template decides (part of) the target: its value is unknown until rendered. */
  templated: boolean;
  problems: TargetProblem[];
  /** The node whose text names the target, for squiggles and hovers. */
  pathNode?: ConfigNode;
  namespaceNode?: ConfigNode;
}

/**
 * Object-path keys, as mirrord's `Target` enum deserializes them (untagged structs, one per kind,
 * each with an optional `container`).
 */
export const OBJECT_PATH_KINDS: Record<string, TargetKind> = {
  pod: 'pod',
  deployment: 'deployment',
  rollout: 'rollout',
  job: 'job',
  cron_job: 'cronjob',
  stateful_set: 'statefulset',
  service: 'service',
  replica_set: 'replicaset',
  labels: 'label',
};

/**
 * Reads the `target` section of a mirrord config in every form mirrord accepts
 * (`mirrord/config/src/target.rs`): a path string, `{path, namespace}`, or an object path such as
 * `{deployment, container}`, which mirrord also accepts directly as `target`.
 * Never throws: malformed input becomes a problem.
 */
export function readTarget(targetNode: ConfigNode | undefined): TargetReading {
  try {
    return readTargetUnsafe(targetNode);
  } catch {
    // Defensive: a hand-built or corrupt tree must not take the analysis down.
    return { templated: false, problems: [] };
  }
}

function readTargetUnsafe(node: ConfigNode | undefined): TargetReading {
  const reading: TargetReading = { templated: false, problems: [] };
  if (!node) return reading;
  if (node.kind === 'template') {
    reading.templated = true;
    reading.pathNode = node;
    return reading;
  }
  if (node.kind === 'scalar' && node.value === null) return reading; // `target: null` = no target
  if (node.kind === 'scalar' || node.kind === 'array') {
    readPathValue(node, reading);
    return reading;
  }
  // An object: `{path, namespace}` or an object path given directly.
  const keys = node.entries.map((e) => e.key);
  const isAdvanced = keys.includes('path') || keys.includes('namespace');
  if (!isAdvanced) {
    readPathValue(node, reading);
    return reading;
  }
  // Other keys are unknown keys, reported from the key model (analyze/keyModelFindings.ts).
  for (const entry of node.entries) {
    if (entry.key === 'namespace') reading.namespaceNode = entry.value;
  }
  const pathEntry = lastEntry(node, 'path');
  if (pathEntry && !(pathEntry.value.kind === 'scalar' && pathEntry.value.value === null)) {
    readPathValue(pathEntry.value, reading);
  }
  const namespace = reading.namespaceNode ? readNamespace(reading.namespaceNode, reading) : undefined;
  if (reading.templated) {
    delete reading.ref;
  } else if (reading.ref && namespace !== undefined) {
    reading.ref.namespace = namespace;
  }
  return reading;
}

/** Reads a target path: a string, or an object path like `{deployment, container}`. */
function readPathValue(node: ConfigNode, reading: TargetReading): void {
  reading.pathNode = node;
  if (node.kind === 'template') {
    reading.templated = true;
    return;
  }
  if (node.kind === 'scalar') {
    if (typeof node.value !== 'string') {
      reading.problems.push(invalid(node.span, `The target must be a string such as "deployment/NAME", not ${describeScalar(node.value)}.`));
      return;
    }
    if (hasTemplateMarker(node.value)) {
      reading.templated = true;
      return;
    }
    const parsed = parseTargetPath(node.value);
    if (parsed.ok) reading.ref = parsed.ref;
    else reading.problems.push(invalid(node.span, parsed.message));
    return;
  }
  if (node.kind === 'array') {
    reading.problems.push(invalid(node.span, 'The target must be a string such as "deployment/NAME" or an object, not a list.'));
    return;
  }
  readObjectPath(node, reading);
}

/** `{"deployment": "x", "container": "c"}` and friends; `{"labels": {"app": "x"}}`. */
function readObjectPath(node: ObjectNode, reading: TargetReading): void {
  const kindEntries = node.entries.filter((e) => e.key in OBJECT_PATH_KINDS);
  if (kindEntries.length === 0) {
    reading.problems.push(invalid(node.span, `The target object names no workload: add one of ${Object.keys(OBJECT_PATH_KINDS).join(', ')}.`));
    return;
  }
  if (kindEntries.length > 1) {
    reading.problems.push(
      invalid(kindEntries[1].keySpan, `The target object names more than one workload (${kindEntries.map((e) => e.key).join(', ')}): keep exactly one.`),
    );
    return;
  }
  const kindEntry = kindEntries[0];
  const kind = OBJECT_PATH_KINDS[kindEntry.key];
  reading.pathNode = kindEntry.value;
  const ref: TargetRef = { kind };

  const value = kindEntry.value;
  if (value.kind === 'template') {
    reading.templated = true;
  } else if (kind === 'label') {
    const labels = readLabelsObject(value, reading);
    if (!labels) return;
    ref.labels = labels;
  } else {
    const name = nonEmptyString(value);
    if (name === undefined) {
      reading.problems.push(invalid(value.span, `"${kindEntry.key}" must be a non-empty name string.`));
      return;
    }
    ref.name = name;
  }

  const containerEntry = lastEntry(node, 'container');
  if (containerEntry && !(containerEntry.value.kind === 'scalar' && containerEntry.value.value === null)) {
    if (containerEntry.value.kind === 'template') {
      reading.templated = true;
    } else {
      const container = nonEmptyString(containerEntry.value);
      if (container === undefined) {
        reading.problems.push(invalid(containerEntry.value.span, '"container" must be a non-empty container name.'));
        return;
      }
      ref.container = container;
    }
  }
  if (!reading.templated) reading.ref = ref;
}

function readLabelsObject(node: ConfigNode, reading: TargetReading): Record<string, string> | undefined {
  if (node.kind !== 'object') {
    reading.problems.push(invalid(node.span, '"labels" must be an object of label names to values, e.g. {"app": "api"}.'));
    return undefined;
  }
  if (node.entries.length === 0) {
    reading.problems.push(invalid(node.span, 'A label target must contain at least one label.'));
    return undefined;
  }
  const labels: Record<string, string> = {};
  for (const entry of node.entries) {
    if (entry.value.kind === 'template') {
      reading.templated = true;
      continue;
    }
    if (entry.value.kind !== 'scalar' || typeof entry.value.value !== 'string') {
      reading.problems.push(invalid(entry.value.span, `The value of label "${entry.key}" must be a string.`));
      return undefined;
    }
    setOwn(labels, entry.key, entry.value.value);
  }
  return labels;
}

function readNamespace(node: ConfigNode, reading: TargetReading): string | undefined {
  if (node.kind === 'template') {
    reading.templated = true;
    return undefined;
  }
  if (node.kind === 'scalar' && node.value === null) return undefined;
  if (node.kind === 'scalar' && typeof node.value === 'string' && hasTemplateMarker(node.value)) {
    reading.templated = true;
    return undefined;
  }
  const namespace = nonEmptyString(node);
  if (namespace === undefined) {
    reading.problems.push(invalid(node.span, 'The target namespace must be a non-empty string.'));
    return undefined;
  }
  return namespace;
}

function lastEntry(node: ObjectNode, key: string) {
  // Duplicate keys: the last one wins, as in most JSON parsers.
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i].key === key) return node.entries[i];
  return undefined;
}

function nonEmptyString(node: ConfigNode): string | undefined {
  return node.kind === 'scalar' && typeof node.value === 'string' && node.value.length > 0 ? node.value : undefined;
}

function hasTemplateMarker(text: string): boolean {
  return /\{\{|\{%|\{#/.test(text);
}

function describeScalar(value: string | number | boolean | null): string {
  return value === null ? 'null' : `the ${typeof value} ${String(value)}`;
}

function invalid(span: Span, message: string): TargetProblem {
  return { code: 'invalid-target', span, message };
}
