import { MIRRORD_KEY_DOCS } from '../config/keyModel/mirrordKeyDocs.generated';
import type { Shape } from '../config/keyModel/keyModelTypes';
import { mirrordShapes, type ConcreteShape, type ShapeResolver } from '../config/keyModel/shapeResolver';

/** A key a config section takes, as mirrord's schema describes it. */
export interface SectionKey {
  key: string;
  /** mirrord's own description (markdown), when its schema has one. */
  description?: string;
  /** What the value may be, e.g. `boolean | object` or `"steal" | "mirror" | "off"`. */
  type: string;
  /** The value can be an object (a TOML table header or a YAML block may follow). */
  takesObject: boolean;
}

/**
 * The keys mirrord takes in the section at `path` (keys from the root; list items are stepped
 * over, so `['feature', 'db_branches']` is the section of each branch), in the schema's order.
 * Every form of the section counts (`feature.network` may be `true` or an object; a database
 * branch's keys depend on its `type`): a key of any of them is offered.
 */
export function sectionKeys(path: readonly string[], resolver: ShapeResolver = mirrordShapes()): SectionKey[] {
  const keys = new Map<string, SectionKey>();
  for (const object of resolver.objectsAt(path)) {
    const docs = MIRRORD_KEY_DOCS[object.id];
    for (const [key, shape] of Object.entries(object.properties)) {
      const known = keys.get(key);
      const description = docs?.[key];
      if (known) {
        known.description ??= description;
        known.type = mergeTypes(known.type, describeShape(shape, resolver));
        known.takesObject ||= takesObject(shape, resolver);
        continue;
      }
      const entry: SectionKey = { key, type: describeShape(shape, resolver), takesObject: takesObject(shape, resolver) };
      if (description) entry.description = description;
      keys.set(key, entry);
    }
  }
  return [...keys.values()];
}

/** The key `key` of the section at `path`, if mirrord's config has it there. */
export function sectionKey(path: readonly string[], key: string, resolver: ShapeResolver = mirrordShapes()): SectionKey | undefined {
  return sectionKeys(path, resolver).find((k) => k.key === key);
}

/** The kinds of value a shape takes, in a short type notation (null left out: it means "not set"). */
export function describeShape(shape: Shape, resolver: ShapeResolver = mirrordShapes()): string {
  const words: string[] = [];
  for (const alternative of resolver.alternatives(shape)) {
    const word = kindWord(alternative);
    if (word && !words.includes(word)) words.push(word);
  }
  return words.length === 0 ? 'null' : words.join(' | ');
}

function kindWord(shape: ConcreteShape): string | undefined {
  switch (shape.kind) {
    case 'any':
      return 'any';
    case 'null':
      return undefined;
    case 'boolean':
      return 'boolean';
    case 'string':
      return shape.values ? shape.values.map((v) => JSON.stringify(v)).join(' | ') : 'string';
    case 'integer':
      return shape.minimum !== undefined && shape.maximum !== undefined ? `integer (${shape.minimum}-${shape.maximum})` : 'integer';
    case 'number':
      return 'number';
    case 'array':
      return 'list';
    case 'object':
      return shape.additionalProperties && Object.keys(shape.properties).length === 0 ? 'map' : 'object';
  }
}

function takesObject(shape: Shape, resolver: ShapeResolver): boolean {
  return resolver.alternatives(shape).some((a) => a.kind === 'object' || a.kind === 'any');
}

function mergeTypes(a: string, b: string): string {
  const words = a.split(' | ');
  for (const word of b.split(' | ')) if (!words.includes(word)) words.push(word);
  return words.join(' | ');
}
