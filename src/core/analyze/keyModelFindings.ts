import type { ObjectShape, Shape } from '../config/keyModel/keyModelTypes';
import { mirrordShapes, type ConcreteShape, type ShapeResolver } from '../config/keyModel/shapeResolver';
import { applyTextEdits } from '../fix/applyTextEdits';
import { editsAreSound } from '../fix/editVerification';
import { toPlainValue, type PlainTree } from '../fix/jsonValue';
import { closestKey } from '../text/closestKey';
import type { ArrayNode, ConfigNode, Finding, Fix, ObjectEntry, ObjectNode, ParsedConfig, ScalarNode, Span, TextEdit } from '../types';

/**
 * Everything in the file mirrord's deserializer refuses, section by section, checked against the
 * key model generated from mirrord's schema (src/core/config/keyModel):
 * - `unknown-key`: a key an object mirrord closes (`deny_unknown_fields`) does not take, with the
 *   closest known key (and a fix renaming it), or the section it belongs to;
 * - `schema-key`: a root `"$schema"` (mirrord refuses it like any unknown key);
 * - `invalid-type`: a value of a kind the key never takes (a list for `method_filter`, an object
 *   for `header_filter`), a string outside an enum, an integer out of range, keys that no variant
 *   of the section takes together;
 * - `missing-key`: a key mirrord requires (a serde field without a default).
 * Templated values and keys are never judged; in YAML a scalar's type is not judged either
 * (mirrord's YAML reader may coerce `"8080"` or `8080` to what the key wants).
 */
export function keyModelFindings(parsed: ParsedConfig, resolver: ShapeResolver = mirrordShapes()): Finding[] {
  const root = parsed.root;
  if (!root) return [];
  const checker = new ShapeChecker(parsed, resolver);
  checker.check(root, resolver.root, [], undefined);
  return checker.findings;
}

type PathStep = string | number;

class ShapeChecker {
  readonly findings: Finding[] = [];
  private plainRoot: PlainTree | undefined;

  constructor(
    private readonly parsed: ParsedConfig,
    private readonly resolver: ShapeResolver,
  ) {}

  /** `ownerKey`: the key span of the entry holding `node` (where a missing key is reported). */
  check(node: ConfigNode, shape: Shape, path: PathStep[], ownerKey: Span | undefined): void {
    if (node.kind === 'template') return;
    const alternatives = this.resolver.alternatives(shape);
    if (alternatives.length === 0 || alternatives.some((a) => a.kind === 'any')) return;
    switch (node.kind) {
      case 'scalar':
        this.checkScalar(node, alternatives, path);
        return;
      case 'array':
        this.checkArray(node, alternatives, path, ownerKey);
        return;
      case 'object':
        this.checkObject(node, alternatives, path, ownerKey);
        return;
    }
  }

  private checkScalar(node: ScalarNode, alternatives: ConcreteShape[], path: PathStep[]): void {
    const value = node.value;
    const sameKind = alternatives.filter((a) => acceptsKind(a, value));
    if (sameKind.length === 0) {
      // YAML scalars are text until a type asks for them: leave string/number/bool to mirrord.
      if (this.parsed.format === 'yaml' && value !== null && alternatives.some((a) => a.kind === 'string' || isNumeric(a) || a.kind === 'boolean')) return;
      this.report('invalid-type', `${describePath(path)} must be ${expectation(alternatives)}, not ${describeValue(value)}.`, node.span);
      return;
    }
    if (typeof value === 'string') {
      if (sameKind.some((a) => a.kind === 'string' && !a.values)) return;
      const allowed = sameKind.flatMap((a) => (a.kind === 'string' ? (a.values ?? []) : []));
      if (!allowed.includes(value)) {
        const near = closestKey(value, allowed);
        const hint = near ? ` Did you mean "${near}"?` : '';
        this.report(
          'invalid-type',
          `${describePath(path)} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(value)}.${hint}`,
          node.span,
        );
      }
      return;
    }
    if (typeof value === 'number') {
      const numeric = sameKind.filter(isNumeric);
      if (numeric.some((a) => (a.kind === 'integer' ? this.isIntegerLiteral(node) && inBounds(a, value) : inBounds(a, value)))) return;
      const integer = numeric.find((a) => a.kind === 'integer');
      if (integer) this.report('invalid-type', `${describePath(path)} must be ${integerText(integer)}, not ${this.sourceOf(node)}.`, node.span);
    }
  }

  private checkArray(node: ArrayNode, alternatives: ConcreteShape[], path: PathStep[], ownerKey: Span | undefined): void {
    const arrays = alternatives.filter((a): a is Extract<ConcreteShape, { kind: 'array' }> => a.kind === 'array');
    if (arrays.length === 0) {
      this.report('invalid-type', `${describePath(path)} must be ${expectation(alternatives)}, not a list.`, node.span);
      return;
    }
    if (arrays.length === 1 && arrays[0].prefixItems) {
      const tuple = arrays[0].prefixItems;
      if (node.items.length !== tuple.length && !this.touchesTemplate(node.span)) {
        this.report('invalid-type', `${describePath(path)} must be a list of exactly ${tuple.length} values, not ${node.items.length}.`, node.span);
        return;
      }
      node.items.forEach((item, i) => this.check(item, tuple[i] ?? { kind: 'any' }, [...path, i], ownerKey));
      return;
    }
    const itemShapes = arrays.flatMap((a) => (a.prefixItems ? [...a.prefixItems] : a.items ? [a.items] : [{ kind: 'any' } as Shape]));
    const itemShape: Shape = itemShapes.length === 1 ? itemShapes[0] : { kind: 'union', anyOf: itemShapes };
    node.items.forEach((item, i) => this.check(item, itemShape, [...path, i], ownerKey));
  }

  private checkObject(node: ObjectNode, alternatives: ConcreteShape[], path: PathStep[], ownerKey: Span | undefined): void {
    let candidates = alternatives.filter((a): a is ObjectShape => a.kind === 'object');
    if (candidates.length === 0) {
      this.report('invalid-type', `${describePath(path)} must be ${expectation(alternatives)}, not an object.${objectHint(path, node)}`, node.span);
      return;
    }
    const templated = this.touchesTemplate(node.span);
    const allClosed = candidates.every((c) => c.closed && !c.additionalProperties);

    // A serde-tagged enum (`"type": "pg"`): the tag picks the variant.
    const tag = discriminator(candidates, this.resolver);
    const allVariants = candidates;
    let variantKnown = candidates.length === 1;
    if (tag) {
      const entry = lastEntry(node, tag.key);
      const value = entry?.value;
      if (value?.kind === 'scalar' && typeof value.value === 'string') {
        const picked = candidates.filter((c) => tag.values.get(c) === value.value);
        if (picked.length > 0) {
          candidates = picked;
          variantKnown = picked.length === 1;
        } else if (allClosed) {
          const allowed = [...new Set(tag.values.values())];
          const near = closestKey(value.value, allowed);
          this.report(
            'invalid-type',
            `${describePath([...path, tag.key])} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(value.value)}.${near ? ` Did you mean "${near}"?` : ''}`,
            value.span,
          );
          return;
        }
      } else if (!entry && allClosed && !templated && candidates.every((c) => c.required?.includes(tag.key))) {
        const allowed = [...new Set(tag.values.values())];
        this.report(
          'missing-key',
          `${describePath(path)} needs "${tag.key}" (one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}): mirrord refuses it without.`,
          ownerKey ?? headOf(node),
        );
      }
    }

    let unknownKeys = 0;
    const open = candidates.some((c) => !c.closed);
    // Suggestions come from the variants that take the keys already there (`{path, namespace}`
    // in `target` is the advanced form: "container" is not one of its keys).
    const knownPresent = node.entries.map((e) => e.key).filter((k) => candidates.some((c) => k in c.properties));
    const fitting = candidates.filter((c) => knownPresent.every((k) => k in c.properties));
    const suggestFrom = fitting.length > 0 ? fitting : candidates;
    for (const entry of node.entries) {
      if (isTemplateKey(entry.key)) continue;
      const owners = candidates.filter((c) => Object.prototype.hasOwnProperty.call(c.properties, entry.key));
      if (owners.length > 0) {
        const childShapes = owners.map((o) => o.properties[entry.key]);
        this.check(entry.value, childShapes.length === 1 ? childShapes[0] : { kind: 'union', anyOf: childShapes }, [...path, entry.key], entry.keySpan);
        continue;
      }
      const maps = candidates.filter((c) => c.additionalProperties);
      if (maps.length > 0) {
        const valueShapes = maps.map((m) => m.additionalProperties!);
        this.check(entry.value, valueShapes.length === 1 ? valueShapes[0] : { kind: 'union', anyOf: valueShapes }, [...path, entry.key], entry.keySpan);
        continue;
      }
      if (open) continue;
      unknownKeys++;
      // A key of the tag's other variants (`location` is a Redis branch's key, not a MySQL one's).
      const otherTags = tag ? [...new Set(allVariants.filter((c) => !candidates.includes(c) && entry.key in c.properties).map((c) => tag.values.get(c)))] : [];
      const variantHint =
        tag && otherTags.length > 0
          ? ` "${entry.key}" is a key only with ${otherTags.map((v) => `"${tag.key}": ${JSON.stringify(v)}`).join(' or ')}.`
          : undefined;
      this.unknownKey(entry, suggestFrom, path, variantHint);
    }
    if (templated || unknownKeys > 0) return;

    // Keys of different variants of an untagged enum (`{"header": ..., "path": ...}` in all_of).
    if (!variantKnown && allClosed) {
      const present = new Set(node.entries.map((e) => e.key));
      const fits = candidates.filter((c) => [...present].every((k) => k in c.properties) && (c.required ?? []).every((r) => present.has(r)));
      if (fits.length === 0) {
        const forms = candidates.map((c) => `{${Object.keys(c.properties).join(', ')}}`).join(', ');
        this.report(
          'invalid-type',
          `${describePath(path)} takes one of ${forms}: mirrord accepts no form with ${[...present].map((k) => `"${k}"`).join(' and ') || 'no keys'}.`,
          node.span,
        );
        return;
      }
      if (fits.length === 1) candidates = fits;
      variantKnown = fits.length === 1;
    }
    if (variantKnown && candidates.length === 1) {
      for (const key of candidates[0].required ?? []) {
        if (lastEntry(node, key)) continue;
        this.report('missing-key', `${describePath(path)} needs "${key}": mirrord refuses it without.`, ownerKey ?? headOf(node));
      }
    }
  }

  private unknownKey(entry: ObjectEntry, candidates: ObjectShape[], path: PathStep[], variantHint?: string): void {
    if (path.length === 0 && entry.key === '$schema') {
      this.report('schema-key', 'mirrord rejects unknown keys, "$schema" included: remove it (Probe Guard applies its schema by file name).', entry.keySpan);
      return;
    }
    const known = new Set(candidates.flatMap((c) => Object.keys(c.properties)));
    const near = closestKey(entry.key, known);
    const where = path.length === 0 ? 'at the top level' : `in ${describePath(path)}`;
    let hint = '';
    if (near) hint = ` Did you mean "${near}"?`;
    else if (variantHint) hint = variantHint;
    else {
      const elsewhere = this.keyHome(entry.key, path);
      if (elsewhere) hint = ` "${entry.key}" belongs in ${elsewhere}.`;
    }
    const message = `Unknown key "${entry.key}" ${where}: mirrord rejects unknown keys.${hint}`;
    const keyPath = [...path, entry.key];
    // The rename is verified by re-parsing the file: done only when someone asks for the fixes.
    this.findings.push(
      new LazyFixFinding('unknown-key', message, entry.keySpan, () => {
        const fix = near ? this.renameFix(entry, near, keyPath) : undefined;
        return fix ? [fix] : [];
      }),
    );
  }

  /** Where a key that is unknown here is a key: the known section sharing most of `path`. */
  private keyHome(key: string, path: PathStep[]): string | undefined {
    const homes = keyHomes(this.resolver).get(key);
    if (!homes) return undefined;
    const here = path.filter((p): p is string => typeof p === 'string');
    let best: { home: string[]; score: number } | undefined;
    for (const home of homes) {
      let shared = 0;
      while (shared < here.length && shared < home.length && here[shared] === home[shared]) shared++;
      const score = shared * 100 - home.length;
      if (!best || score > best.score) best = { home, score };
    }
    return best ? (best.home.length === 0 ? 'the top level' : best.home.join('.')) : undefined;
  }

  /** Renames the key in place, offered only when the edited file reads back with just that change. */
  private renameFix(entry: ObjectEntry, newKey: string, path: PathStep[]): Fix | undefined {
    const text = this.parsed.text;
    const source = text.slice(entry.keySpan.start, entry.keySpan.end);
    let newText: string | undefined;
    if (this.parsed.format === 'json') newText = JSON.stringify(newKey);
    else if (source === entry.key) newText = newKey;
    else if (source === JSON.stringify(entry.key)) newText = JSON.stringify(newKey);
    else if (source === `'${entry.key}'`) newText = `'${newKey}'`;
    if (!newText) return undefined;
    const edits: TextEdit[] = [{ offset: entry.keySpan.start, length: entry.keySpan.end - entry.keySpan.start, newText }];
    this.plainRoot ??= toPlainValue(this.parsed.root!) as PlainTree;
    const expected = renamedKey(this.plainRoot, path, newKey);
    if (!expected || !editsAreSound(this.parsed, edits, expected)) return undefined;
    // Sanity: the edit changes only the key text.
    if (applyTextEdits(text, edits).length !== text.length - source.length + newText.length) return undefined;
    // Not preferred: the closest key is a guess, which fix-all must not apply on its own.
    return { title: `Rename "${entry.key}" to "${newKey}"`, isPreferred: false, edits };
  }

  private report(code: Finding['code'], message: string, span: Span): void {
    this.findings.push({ code, severity: 'error', message, span, fixes: [] });
  }

  private touchesTemplate(span: Span): boolean {
    return this.parsed.templateSpans.some((t) => t.start < span.end && t.end > span.start);
  }

  private sourceOf(node: ConfigNode): string {
    return this.parsed.text.slice(node.span.start, node.span.end);
  }

  /** `8080.0` and `8e3` are numbers, but serde_json does not read them as integers. */
  private isIntegerLiteral(node: ScalarNode): boolean {
    if (typeof node.value !== 'number' || !Number.isInteger(node.value)) return false;
    if (this.parsed.format !== 'json') return true;
    return !/[.eE]/.test(this.sourceOf(node));
  }
}

/** A finding whose fixes are worked out on first access (a quick-fix menu, `probe-guard fix`). */
export class LazyFixFinding implements Finding {
  severity: Finding['severity'] = 'error';
  private computed: Fix[] | undefined;
  constructor(
    readonly code: Finding['code'],
    readonly message: string,
    readonly span: Span,
    private readonly plan: () => Fix[],
  ) {}
  get fixes(): Fix[] {
    return (this.computed ??= this.plan());
  }
}

function acceptsKind(shape: ConcreteShape, value: ScalarNode['value']): boolean {
  if (value === null) return shape.kind === 'null';
  switch (typeof value) {
    case 'boolean':
      return shape.kind === 'boolean';
    case 'number':
      return isNumeric(shape);
    case 'string':
      return shape.kind === 'string';
    default:
      return false;
  }
}

function isNumeric(shape: ConcreteShape): shape is Extract<ConcreteShape, { kind: 'integer' | 'number' }> {
  return shape.kind === 'integer' || shape.kind === 'number';
}

function inBounds(shape: { minimum?: number; maximum?: number }, value: number): boolean {
  return (shape.minimum === undefined || value >= shape.minimum) && (shape.maximum === undefined || value <= shape.maximum);
}

function integerText(shape: { minimum?: number; maximum?: number }): string {
  if (shape.minimum !== undefined && shape.maximum !== undefined) return `an integer from ${shape.minimum} to ${shape.maximum}`;
  if (shape.minimum === 0) return 'a whole number of 0 or more';
  return 'an integer';
}

/** "a string or a list", from the alternatives a key takes (null left out: it only means "not set"). */
function expectation(alternatives: ConcreteShape[]): string {
  const words: string[] = [];
  const add = (word: string) => {
    if (!words.includes(word)) words.push(word);
  };
  for (const alt of alternatives) {
    switch (alt.kind) {
      case 'boolean':
        add('true or false');
        break;
      case 'string':
        add(alt.values ? alt.values.map((v) => JSON.stringify(v)).join(' or ') : 'a string');
        break;
      case 'integer':
        add(alt.minimum !== undefined && alt.maximum !== undefined ? `an integer (${alt.minimum}-${alt.maximum})` : 'an integer');
        break;
      case 'number':
        add('a number');
        break;
      case 'array':
        add('a list');
        break;
      case 'object':
        add(alt.additionalProperties && Object.keys(alt.properties).length === 0 ? 'a map of names to values' : 'an object');
        break;
      default:
        break;
    }
  }
  if (words.length === 0) return 'left out (or null)';
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function describeValue(value: ScalarNode['value']): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)})`;
  if (typeof value === 'boolean') return String(value);
  return String(value);
}

/** The two value mistakes users make most, with what they meant. */
function objectHint(path: PathStep[], node: ObjectNode): string {
  const last = path[path.length - 1];
  if (last === 'header_filter' && node.entries.some((e) => e.key === 'query')) return ' A jq query goes in "header_filter_jq" (a string).';
  return '';
}

export function describePath(path: PathStep[]): string {
  if (path.length === 0) return 'the config';
  let out = '';
  for (const step of path) out += typeof step === 'number' ? `[${step}]` : out ? `.${step}` : step;
  return out;
}

function headOf(node: ConfigNode): Span {
  return { start: node.span.start, end: Math.min(node.span.end, node.span.start + 1) };
}

function lastEntry(node: ObjectNode, key: string): ObjectEntry | undefined {
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i].key === key) return node.entries[i];
  return undefined;
}

function isTemplateKey(key: string): boolean {
  return /\{[{%#]/.test(key);
}

interface Discriminator {
  key: string;
  values: Map<ObjectShape, string>;
}

/** The serde tag of a set of variants: a key every variant has, with one constant each. */
function discriminator(candidates: ObjectShape[], resolver: ShapeResolver): Discriminator | undefined {
  if (candidates.length < 2) return undefined;
  for (const key of Object.keys(candidates[0].properties)) {
    const values = new Map<ObjectShape, string>();
    for (const candidate of candidates) {
      const prop = candidate.properties[key];
      const alts = prop ? resolver.alternatives(prop) : [];
      if (alts.length !== 1 || alts[0].kind !== 'string' || alts[0].values?.length !== 1) break;
      values.set(candidate, alts[0].values[0]);
    }
    // Variants may share a value (Redis's local and remote forms are both `"type": "redis"`).
    if (values.size === candidates.length && new Set(values.values()).size > 1) return { key, values };
  }
  return undefined;
}

const homesCache = new WeakMap<ShapeResolver, Map<string, string[][]>>();

/** Every key of the model, with the sections (paths of keys from the root) that take it. */
function keyHomes(resolver: ShapeResolver): Map<string, string[][]> {
  const cached = homesCache.get(resolver);
  if (cached) return cached;
  const homes = new Map<string, string[][]>();
  const visit = (shape: Shape, path: string[], seen: Set<string>) => {
    if (path.length > 8) return;
    for (const alt of resolver.alternatives(shape)) {
      if (alt.kind === 'array') {
        for (const item of resolver.itemShapes(alt)) visit(item, path, seen);
        continue;
      }
      if (alt.kind !== 'object' || seen.has(alt.id)) continue;
      const next = new Set(seen);
      next.add(alt.id);
      for (const [key, child] of Object.entries(alt.properties)) {
        const list = homes.get(key) ?? [];
        if (!list.some((p) => p.join('.') === path.join('.'))) list.push(path);
        homes.set(key, list);
        visit(child, [...path, key], next);
      }
    }
  };
  visit(resolver.root, [], new Set());
  homesCache.set(resolver, homes);
  return homes;
}

/** A copy of `tree` with the key at `path` (its last step) renamed; undefined if the path is not there. */
function renamedKey(tree: PlainTree, path: PathStep[], newKey: string): PlainTree | undefined {
  if (path.length === 0 || tree === null || typeof tree !== 'object') return undefined;
  const [step, ...rest] = path;
  if (Array.isArray(tree)) {
    if (typeof step !== 'number' || step >= tree.length) return undefined;
    const child = rest.length === 0 ? undefined : renamedKey(tree[step], rest, newKey);
    if (!child) return undefined;
    const copy = [...tree];
    copy[step] = child;
    return copy;
  }
  const record = tree as Record<string, PlainTree>;
  if (typeof step !== 'string' || !Object.prototype.hasOwnProperty.call(record, step)) return undefined;
  const copy: Record<string, PlainTree> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === step && rest.length === 0) {
      Object.defineProperty(copy, newKey, { value, enumerable: true, writable: true, configurable: true });
    } else if (key === step) {
      const child = renamedKey(value, rest, newKey);
      if (!child) return undefined;
      copy[key] = child;
    } else copy[key] = value;
  }
  return copy;
}
