import { isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import type { KubeObject } from '../types';

/** One Kubernetes object from a manifest file, able to point back at its lines. */
export interface ManifestObject {
  object: KubeObject;
  file?: string;
  /** Zero-based line of that JSON path inside this object, or undefined when the path is not there. */
  lineOf(path: (string | number)[]): number | undefined;
}

export interface ParsedManifests {
  objects: ManifestObject[];
  /** One line each, already naming the file and line; never fatal. */
  problems: string[];
}

/**
 * Parses a manifest file: multi-document YAML or JSON (JSON is YAML), with `kind: List` and
 * `*List` objects flattened into their items. A document that does not parse (typically a Helm
 * template with `{{ }}` in it) is skipped with a problem; the other documents are kept.
 * Never throws.
 */
export function parseManifests(text: string, file?: string): ParsedManifests {
  const result: ParsedManifests = { objects: [], problems: [] };
  if (typeof text !== 'string') return result;
  const where = file ?? 'manifest';
  let documents: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, { prettyErrors: false });
    documents = Array.isArray(parsed) ? parsed : [];
  } catch (error) {
    result.problems.push(`${where}: cannot be parsed as YAML or JSON (${errorText(error)}).`);
    return result;
  }
  const lineAt = lineLookup(text);
  documents.forEach((doc, index) => {
    const docLine = lineAt(rangeStart(doc.contents) ?? doc.range?.[0] ?? 0) + 1;
    if (doc.errors.length > 0) {
      const first = doc.errors[0];
      const line = first.pos ? lineAt(first.pos[0]) + 1 : docLine;
      const helm = /\{\{|\{%/.test(text.slice(doc.range[0], doc.range[2])) ? ' (it looks like a Helm/Go template: render it first)' : '';
      result.problems.push(`${where}:${line}: document ${index + 1} skipped: ${firstLine(first.message)}${helm}.`);
      return;
    }
    if (doc.contents === null) return; // empty document, e.g. a trailing `---`
    if (hasCollectionKey(doc.contents)) {
      // `name: {{ .Values.name }}` is valid YAML (a flow map used as a key): an unrendered template.
      result.problems.push(
        `${where}:${docLine}: document ${index + 1} skipped: it contains unrendered template expressions ({{ }}); render it first (helm template).`,
      );
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      result.problems.push(`${where}:${docLine}: document ${index + 1} skipped: ${errorText(error)}.`);
      return;
    }
    addObject(value, doc.contents, [], { doc, where, docIndex: index, lineAt, file }, result);
  });
  return result;
}

interface DocContext {
  doc: Document.Parsed;
  where: string;
  docIndex: number;
  lineAt: (offset: number) => number;
  file?: string;
}

/** Adds one object (or the items of a List), `prefix` being its path inside the document. */
function addObject(value: unknown, root: unknown, prefix: (string | number)[], ctx: DocContext, result: ParsedManifests): void {
  const at = `${ctx.where}:${lineOfPath(root, prefix, ctx.lineAt) !== undefined ? (lineOfPath(root, prefix, ctx.lineAt) as number) + 1 : '?'}`;
  if (!isPlainObject(value)) {
    if (value !== null && value !== undefined) result.problems.push(`${at}: document ${ctx.docIndex + 1} is not a Kubernetes object.`);
    return;
  }
  const kind = value.kind;
  if (typeof kind !== 'string' || kind.length === 0) {
    result.problems.push(`${at}: an object without "kind" was skipped.`);
    return;
  }
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items))) {
    const items = Array.isArray(value.items) ? value.items : [];
    items.forEach((item, i) => addObject(item, root, [...prefix, 'items', i], ctx, result));
    return;
  }
  result.objects.push({
    object: value as KubeObject,
    file: ctx.file,
    lineOf: (path) => {
      try {
        return Array.isArray(path) ? lineOfPath(root, [...prefix, ...path], ctx.lineAt) : undefined;
      } catch {
        return undefined;
      }
    },
  });
}

/**
 * The line of the node at `path`. For a mapping key, the line of the key itself (so
 * `['spec','template']` points at `template:`, not at the first line of its contents).
 */
function lineOfPath(root: unknown, path: (string | number)[], lineAt: (offset: number) => number): number | undefined {
  let node: unknown = root;
  let offset = rangeStart(root);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
      if (!pair) return undefined;
      offset = rangeStart(pair.key) ?? rangeStart(pair.value);
      node = pair.value;
    } else if (isSeq(node)) {
      if (typeof segment !== 'number') return undefined;
      const item = node.items[segment];
      if (item === undefined) return undefined;
      offset = rangeStart(item);
      node = item;
    } else {
      return undefined;
    }
  }
  return offset === undefined ? undefined : lineAt(offset);
}

function hasCollectionKey(node: unknown): boolean {
  if (isMap(node)) return node.items.some((p) => (p.key !== null && !isScalar(p.key)) || hasCollectionKey(p.value));
  if (isSeq(node)) return node.items.some(hasCollectionKey);
  return false;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as YamlNode | null | undefined)?.range;
  return Array.isArray(range) ? range[0] : undefined;
}

/** Offset to zero-based line, by binary search over line starts. */
function lineLookup(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/\.$/, '');
}

function errorText(error: unknown): string {
  return error instanceof Error ? firstLine(error.message) : String(error);
}
