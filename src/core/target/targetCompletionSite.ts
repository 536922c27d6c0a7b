import { getEntry } from '../config/configQuery';
import type { ConfigNode, ObjectNode, ParsedConfig, Span, TargetKind } from '../types';
import { OBJECT_PATH_KINDS } from './readTarget';
import { PREFIX_KINDS } from './targetPath';

/**
 * Where in a config's `target` the cursor is, for completing target values: the `target` string
 * (or `target.path`), a name or container in an object path (`{"deployment": "api", "container":
 * "app"}`), or `target.namespace`. Works on the format-neutral tree, so JSON, YAML and TOML alike.
 */
export type TargetCompletionSite =
  /** `target` / `target.path` as a string: `typed` is its text up to the cursor. */
  | { slot: 'path'; content: Span; typed: string; namespace?: string }
  /** The name of an object path's workload key. */
  | { slot: 'object-name'; kind: CompletableKind; content: Span; typed: string; namespace?: string }
  /** The `container` of an object path whose workload is named. */
  | { slot: 'object-container'; kind: CompletableKind; name: string; content: Span; typed: string; namespace?: string }
  | { slot: 'namespace'; content: Span; typed: string };

/** Target kinds that name one object (not `label`, not `targetless`). */
export type CompletableKind = Exclude<TargetKind, 'label' | 'targetless'>;

/** What the text of a path string up to the cursor asks for next. */
export type PathStage =
  | { stage: 'kind' }
  | { stage: 'name'; kind: CompletableKind; prefix: string }
  | { stage: 'container-keyword'; kind: CompletableKind; name: string; prefix: string }
  | { stage: 'container'; kind: CompletableKind; name: string; prefix: string };

/** The site at `offset`, or undefined when the cursor is not in a target value Probe Guard completes. */
export function targetCompletionSite(parsed: ParsedConfig, offset: number): TargetCompletionSite | undefined {
  try {
    return siteUnsafe(parsed, offset);
  } catch {
    return undefined;
  }
}

function siteUnsafe(parsed: ParsedConfig, offset: number): TargetCompletionSite | undefined {
  const target = getEntry(parsed.root, 'target')?.value;
  if (!target) return undefined;
  if (target.kind === 'scalar') {
    const content = valueContent(parsed.text, target, offset);
    return content && { slot: 'path', content, typed: parsed.text.slice(content.start, offset) };
  }
  if (target.kind !== 'object') return undefined;
  const namespaceNode = getEntry(target, 'namespace')?.value;
  const namespace = stringOf(namespaceNode);
  if (namespaceNode?.kind === 'scalar') {
    const content = valueContent(parsed.text, namespaceNode, offset);
    if (content) return { slot: 'namespace', content, typed: parsed.text.slice(content.start, offset) };
  }
  const path = getEntry(target, 'path')?.value;
  if (path?.kind === 'scalar') {
    const content = valueContent(parsed.text, path, offset);
    return content && { slot: 'path', content, typed: parsed.text.slice(content.start, offset), ...(namespace ? { namespace } : {}) };
  }
  // An object path, directly as `target` or under `target.path`.
  const objectPath = path?.kind === 'object' ? path : target;
  return objectPathSite(parsed.text, objectPath, offset, namespace);
}

function objectPathSite(text: string, node: ObjectNode, offset: number, namespace: string | undefined): TargetCompletionSite | undefined {
  const kindEntry = node.entries.find((e) => e.key in OBJECT_PATH_KINDS && OBJECT_PATH_KINDS[e.key] !== 'label');
  if (!kindEntry || kindEntry.value.kind !== 'scalar') return undefined;
  const kind = OBJECT_PATH_KINDS[kindEntry.key] as CompletableKind;
  const extra = namespace ? { namespace } : {};
  const nameContent = valueContent(text, kindEntry.value, offset);
  if (nameContent) return { slot: 'object-name', kind, content: nameContent, typed: text.slice(nameContent.start, offset), ...extra };
  const container = getEntry(node, 'container')?.value;
  const name = stringOf(kindEntry.value);
  if (!name || container?.kind !== 'scalar') return undefined;
  const content = valueContent(text, container, offset);
  return content && { slot: 'object-container', kind, name, content, typed: text.slice(content.start, offset), ...extra };
}

/**
 * The text of a string value without its quotes, when `offset` is inside it (at either end
 * included). An empty YAML value (`target: `) is an empty string at its place. Not for a number or
 * a boolean, nor across lines (a multi-line string is no target).
 */
function valueContent(text: string, node: ConfigNode, offset: number): Span | undefined {
  if (node.kind !== 'scalar' || !(typeof node.value === 'string' || node.value === null)) return undefined;
  const raw = text.slice(node.span.start, node.span.end);
  if (node.value === null && raw.trim() !== '') return undefined; // `null`, `~`
  let { start, end } = node.span;
  const quote = text[start];
  if (quote === '"' || quote === "'") {
    start += 1;
    if (end > start && text[end - 1] === quote) end -= 1;
  }
  if (offset < start || offset > end) return undefined;
  if (text.slice(start, end).includes('\n')) return undefined;
  return { start, end };
}

function stringOf(node: ConfigNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' && node.value !== '' ? node.value : undefined;
}

/**
 * What a path string typed so far asks for: a kind (`deploy`), a name (`deployment/ap`), the
 * `/container/` keyword (`deployment/api/`), or a container (`deployment/api/container/a`).
 * Undefined for forms that name no single object (`label/...`, `targetless`) or an unknown kind.
 */
export function pathStage(typed: string): PathStage | undefined {
  const segments = typed.split('/');
  if (segments.length === 1) return { stage: 'kind' };
  const kind = PREFIX_KINDS[segments[0]];
  if (!kind || kind === 'label' || kind === 'targetless') return undefined;
  const completable = kind as CompletableKind;
  if (segments.length === 2) return { stage: 'name', kind: completable, prefix: `${segments[0]}/` };
  const name = segments[1];
  if (name === '') return undefined;
  const base = `${segments[0]}/${name}/`;
  if (segments.length === 3) return { stage: 'container-keyword', kind: completable, name, prefix: base };
  if (segments.length === 4 && segments[2] === 'container') return { stage: 'container', kind: completable, name, prefix: `${base}container/` };
  return undefined;
}
