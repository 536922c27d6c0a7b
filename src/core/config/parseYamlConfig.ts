import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Pair } from 'yaml';
import type { ConfigNode, ObjectEntry, Span, SyntaxProblem } from '../types';
import { keyOrTemplateSource, scalarOrTemplate, type TreeBuildContext } from './templateLocator';

/**
 * YAML with the 1.2 core schema, which is what serde_yaml reads: `on`/`yes`/`off` stay strings,
 * `true`/`false`/`null`/numbers are typed. Only the first document counts.
 */
export function parseYamlConfig(masked: string, context: TreeBuildContext, problems: SyntaxProblem[]): ConfigNode | undefined {
  const documents = parseAllDocuments(masked, {
    version: '1.2',
    schema: 'core',
    merge: false,
    prettyErrors: false,
    intAsBigInt: false,
    // The converter reports duplicates itself (at the whole key); the library's own check compares
    // every key with every earlier one, quadratic in a map's size (seconds on a 1 MB config).
    uniqueKeys: false,
  });
  if (!Array.isArray(documents) || documents.length === 0) return undefined;
  const document = documents[0];
  for (const error of document.errors) {
    // Duplicates are reported by the converter, at the whole repeated key (uniqueKeys is off).
    if (error.code === 'DUPLICATE_KEY') continue;
    problems.push({ message: error.message, span: { start: error.pos[0], end: Math.max(error.pos[0], error.pos[1]) } });
  }
  if (documents.length > 1) {
    const second = documents[1];
    const start = second.range ? second.range[0] : masked.length;
    const marker = masked.lastIndexOf('---', start);
    const span = marker >= 0 ? { start: marker, end: marker + 3 } : { start, end: start };
    problems.push({ message: 'more than one YAML document: mirrord reads only the first', span });
  }
  const converter = new YamlConverter(document as Document, context, problems);
  return converter.convert(document.contents, 0);
}

/** Deeper nesting than this is not a config: stop instead of exhausting the stack. */
const MAX_DEPTH = 500;

class YamlConverter {
  /** Anchored nodes being expanded right now, to cut alias cycles (`a: &x [*x]`). */
  private readonly expanding = new Set<unknown>();

  constructor(
    private readonly document: Document,
    private readonly context: TreeBuildContext,
    private readonly problems: SyntaxProblem[],
  ) {}

  convert(node: unknown, depth: number): ConfigNode | undefined {
    if (node === null || node === undefined || depth > MAX_DEPTH) return undefined;
    if (isAlias(node)) return this.convertAlias(node, depth);
    if (isScalar(node)) {
      const span = spanOf(node.range);
      return scalarOrTemplate(this.context, span, scalarValue(node.value, this.context.text, span));
    }
    if (isMap(node)) {
      const entries: ObjectEntry[] = [];
      const seenKeys = new Set<string>();
      for (const pair of node.items) {
        const entry = this.convertPair(pair as Pair<unknown, unknown>, depth);
        if (!entry) continue;
        if (seenKeys.has(entry.key)) {
          this.problems.push({ message: `duplicate key "${entry.key}" (mirrord rejects duplicate keys)`, span: entry.keySpan });
        }
        seenKeys.add(entry.key);
        entries.push(entry);
      }
      return { kind: 'object', span: spanOf(node.range), entries };
    }
    if (isSeq(node)) {
      const items: ConfigNode[] = [];
      for (const item of node.items) {
        // A `key: value` inside a flow sequence comes back as a bare pair: treat it as a one-entry map.
        if (isPair(item)) {
          const entry = this.convertPair(item as Pair<unknown, unknown>, depth);
          if (entry) items.push({ kind: 'object', span: entry.span, entries: [entry] });
          continue;
        }
        const converted = this.convert(item, depth + 1);
        if (converted) items.push(converted);
      }
      return { kind: 'array', span: spanOf(node.range), items };
    }
    return undefined;
  }

  private convertAlias(alias: { range?: unknown; resolve(doc: Document): unknown }, depth: number): ConfigNode {
    const span = spanOf(alias.range);
    let target: unknown;
    try {
      target = alias.resolve(this.document);
    } catch {
      target = undefined;
    }
    // An unknown anchor or a cycle: keep it as a value we cannot know, like a template.
    if (!target || this.expanding.has(target)) {
      return { kind: 'template', span, text: this.context.text.slice(span.start, span.end) };
    }
    this.expanding.add(target);
    const converted = this.convert(target, depth + 1);
    this.expanding.delete(target);
    if (!converted) return { kind: 'template', span, text: this.context.text.slice(span.start, span.end) };
    // The alias itself is where the value is used; its insides keep the anchor's spans.
    return converted.kind === 'template' ? { ...converted, span, text: this.context.text.slice(span.start, span.end) } : { ...converted, span };
  }

  private convertPair(pair: Pair<unknown, unknown>, depth: number): ObjectEntry | undefined {
    let keyNode: unknown = pair.key;
    if (isAlias(keyNode)) {
      try {
        keyNode = keyNode.resolve(this.document) ?? keyNode;
      } catch {
        // keep the alias; reported below as a key we cannot use
      }
    }
    if (!isScalar(keyNode)) {
      const span = keyNode && typeof keyNode === 'object' && 'range' in keyNode ? spanOf((keyNode as { range?: unknown }).range) : undefined;
      this.problems.push({
        message: keyNode ? 'only plain keys are supported here: this entry is skipped' : 'missing key: this entry is skipped',
        span: span ?? { start: 0, end: 0 },
      });
      return undefined;
    }
    const keySpan = spanOf(pair.key && typeof pair.key === 'object' && 'range' in pair.key ? (pair.key as { range?: unknown }).range : keyNode.range);
    const parsedKey = typeof keyNode.value === 'string' ? keyNode.value : this.context.text.slice(keySpan.start, keySpan.end);
    const key = keyOrTemplateSource(this.context, keySpan, parsedKey);
    const value: ConfigNode = this.convert(pair.value, depth + 1) ?? {
      // `key:` with nothing after it is null in YAML.
      kind: 'scalar',
      span: { start: keySpan.end, end: keySpan.end },
      value: null,
    };
    return { key, keySpan, value, span: { start: keySpan.start, end: Math.max(keySpan.end, value.span.end) } };
  }
}

function spanOf(range: unknown): Span {
  if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number') {
    return { start: range[0], end: Math.max(range[0], range[1]) };
  }
  return { start: 0, end: 0 };
}

function scalarValue(value: unknown, text: string, span: Span): string | number | boolean | null {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'bigint') return Number(value);
  if (value === undefined) return null;
  // Anything else (a tagged value the core schema does not know): keep the source text.
  return text.slice(span.start, span.end);
}
