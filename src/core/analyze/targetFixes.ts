/**
 * The findings and quick fixes of a target that was not found: a stale pod target (retarget its
 * owner, keeping the container) and a target present in another namespace (set target.namespace).
 * The edits are format-preserving structural edits (JSON, YAML, TOML), in every target form
 * mirrord reads (src/core/target/readTarget.ts).
 */
import { lookupPath } from '../fix/configPath';
import { isPlainRecord, toPlainValue, type JsonValue } from '../fix/jsonValue';
import { replaceEntryEdits, setValueEdits } from '../fix/structuralEdits';
import { OBJECT_PATH_KINDS } from '../target/readTarget';
import { formatTargetRef } from '../target/targetPath';
import type { Finding, Fix, ObjectNode, ParsedConfig, PodOwner, ResolveFailure, TargetSummary, TextEdit } from '../types';
import type { FixTitle } from './fixTitles';
import { unresolvedTargetFinding } from './probeFindings';

/** Where the target's path sits in the file. */
type PathPlace =
  /** A path string: `target`, or `target.path`. */
  | { form: 'string'; path: string[]; advanced: boolean }
  /** An object path (`{pod: NAME, container}`): `path` leads to the kind key. */
  | { form: 'object'; path: string[]; advanced: boolean };

function objectKindKey(node: { entries: { key: string }[] }): string | undefined {
  const keys = node.entries.map((e) => e.key).filter((k) => k in OBJECT_PATH_KINDS);
  return keys.length === 1 ? keys[0] : undefined;
}

function pathPlace(parsed: ParsedConfig): PathPlace | undefined {
  const found = lookupPath(parsed.root, ['target'], parsed.format !== 'toml');
  if (found.kind !== 'found') return undefined;
  const target = found.node;
  if (target.kind === 'scalar') return typeof target.value === 'string' ? { form: 'string', path: ['target'], advanced: false } : undefined;
  if (target.kind !== 'object') return undefined;
  const keys = target.entries.map((e) => e.key);
  if (keys.includes('path') || keys.includes('namespace')) {
    const pathEntries = target.entries.filter((e) => e.key === 'path');
    if (pathEntries.length !== 1) return undefined;
    const value = pathEntries[0].value;
    if (value.kind === 'scalar') return typeof value.value === 'string' ? { form: 'string', path: ['target', 'path'], advanced: true } : undefined;
    if (value.kind !== 'object') return undefined;
    const kindKey = objectKindKey(value);
    return kindKey ? { form: 'object', path: ['target', 'path', kindKey], advanced: true } : undefined;
  }
  const kindKey = objectKindKey(target);
  return kindKey ? { form: 'object', path: ['target', kindKey], advanced: false } : undefined;
}

/** The object-path key mirrord reads for each owner kind (mirrord/config/src/target.rs). */
const OBJECT_KEY: Record<PodOwner['kind'], string> = { deployment: 'deployment', rollout: 'rollout', statefulset: 'stateful_set' };

function titled(message: string, ...args: string[]): FixTitle {
  return { title: message.replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)] ?? ''), titleMessage: { message, args } };
}

export function retargetTitle(owner: Pick<PodOwner, 'kind' | 'name'>): FixTitle {
  return titled('Target {0} instead', `${owner.kind}/${owner.name}`);
}

export function setNamespaceTitle(namespace: string): FixTitle {
  return titled('Set target.namespace to "{0}"', namespace);
}

function fixOf(title: FixTitle, edits: TextEdit[] | undefined, isPreferred: boolean): Fix | undefined {
  return edits && edits.length > 0 ? { ...title, isPreferred, edits } : undefined;
}

/** Retargets the pod target's owner, keeping its container (the string's `/container/C`, the object's `container`). */
export function retargetEdits(parsed: ParsedConfig, owner: Pick<PodOwner, 'kind' | 'name'>, container: string | undefined): TextEdit[] | undefined {
  const place = pathPlace(parsed);
  if (!place) return undefined;
  if (place.form === 'string') return setValueEdits(parsed, place.path, formatTargetRef({ kind: owner.kind, name: owner.name, container }));
  return replaceEntryEdits(parsed, place.path, OBJECT_KEY[owner.kind], owner.name);
}

/** Sets `target.namespace`: the key added to `{path, namespace}`, a path string or object path wrapped as `{path, namespace}`. */
export function setNamespaceEdits(parsed: ParsedConfig, namespace: string): TextEdit[] | undefined {
  const place = pathPlace(parsed);
  if (!place) return undefined;
  if (place.advanced) return setValueEdits(parsed, ['target', 'namespace'], namespace);
  const found = lookupPath(parsed.root, ['target'], parsed.format !== 'toml');
  if (found.kind !== 'found') return undefined;
  const path = toPlainValue(found.node);
  // A template or anything but a path string or object path cannot be rewritten.
  const writable = typeof path === 'string' || (isPlainRecord(path) && objectKindKey(found.node as ObjectNode) !== undefined);
  if (!writable) return undefined;
  return setValueEdits(parsed, ['target'], { path: path as JsonValue, namespace });
}

/** When the environment decides the target (MIRRORD_IMPERSONATED_TARGET, MIRRORD_TARGET_NAMESPACE), the file's target is not the one looked up. */
function envDecides(env: Record<string, string | undefined> | undefined, variable: string): boolean {
  return typeof env?.[variable] === 'string' && env[variable] !== '';
}

/**
 * The finding for a target that was not found: `stale-pod-target` when a pod target's name
 * belongs to a workload, else `target-unresolved`; either with the namespace fixes.
 */
export function notFoundFindings(
  parsed: ParsedConfig,
  failure: ResolveFailure,
  target: TargetSummary,
  env: Record<string, string | undefined> | undefined,
): Finding {
  const fixes: Fix[] = [];
  const ref = target.ref;
  const owner = ref?.kind === 'pod' ? failure.podOwner : undefined;
  if (owner && !envDecides(env, 'MIRRORD_IMPERSONATED_TARGET')) {
    const fix = fixOf(retargetTitle(owner), retargetEdits(parsed, owner, ref?.container), true);
    if (fix) fixes.push(fix);
  }
  if (!envDecides(env, 'MIRRORD_TARGET_NAMESPACE') && !envDecides(env, 'MIRRORD_IMPERSONATED_TARGET')) {
    for (const namespace of failure.otherNamespaces ?? []) {
      const fix = fixOf(setNamespaceTitle(namespace), setNamespaceEdits(parsed, namespace), fixes.length === 0 && !owner);
      if (fix) fixes.push(fix);
    }
  }
  if (owner) {
    const ownerPath = `${owner.kind}/${owner.name}`;
    return {
      code: 'stale-pod-target',
      severity: 'warning',
      message: `${sentence(failure.message)} The pod belonged to ${ownerPath} (${owner.reason}). ${whyStale(owner.kind)}; target ${ownerPath} and mirrord picks one of its running pods.`,
      span: target.span ?? { start: 0, end: 0 },
      fixes,
    };
  }
  const finding = unresolvedTargetFinding(failure, target);
  finding.fixes = fixes;
  return finding;
}

/** Why a pod of this kind of owner is gone: new names per rollout, or a StatefulSet's stable names. */
function whyStale(kind: PodOwner['kind']): string {
  // A StatefulSet keeps its pods' names (`db-0`, `db-1`): a missing one was scaled away or is being recreated.
  if (kind === 'statefulset')
    return "A StatefulSet's pods keep their names, so this ordinal is gone because the set has fewer replicas now (or the pod is being recreated)";
  return "A workload's pods get new names on every rollout, so a pod target goes stale";
}

function sentence(text: string): string {
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}
