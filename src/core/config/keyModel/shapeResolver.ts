import type { KeyModel, ObjectShape, Shape } from './keyModelTypes';
import { MIRRORD_KEY_MODEL } from './mirrordKeyModel.generated';

/** A shape that is neither a union nor a reference: what a value is checked against. */
export type ConcreteShape = Exclude<Shape, { kind: 'union' } | { kind: 'ref' }>;

/**
 * Reads the key model: unions flattened, references followed (each definition once per chain,
 * so a recursive definition cannot loop).
 */
export class ShapeResolver {
  constructor(readonly model: KeyModel = MIRRORD_KEY_MODEL) {}

  get root(): Shape {
    return this.model.root;
  }

  /** The alternatives a value may take for `shape`. */
  alternatives(shape: Shape | undefined): ConcreteShape[] {
    const out: ConcreteShape[] = [];
    if (shape) this.collect(shape, out, new Set());
    return out;
  }

  private collect(shape: Shape, out: ConcreteShape[], seen: Set<string>): void {
    if (shape.kind === 'union') {
      for (const alt of shape.anyOf) this.collect(alt, out, seen);
    } else if (shape.kind === 'ref') {
      if (seen.has(shape.ref)) return;
      const target = this.model.defs[shape.ref];
      if (!target) {
        out.push({ kind: 'any' });
        return;
      }
      const next = new Set(seen);
      next.add(shape.ref);
      this.collect(target, out, next);
    } else {
      out.push(shape);
    }
  }

  objects(shape: Shape | undefined): ObjectShape[] {
    return this.alternatives(shape).filter((s): s is ObjectShape => s.kind === 'object');
  }

  /**
   * The object shapes that apply at `path` (keys from the root; array items are skipped over, so
   * `['feature', 'db_branches', 'type']` reaches into the list's items). Follows every
   * alternative: `feature.network` is both `true`/`false` and an object.
   */
  objectsAt(path: readonly string[]): ObjectShape[] {
    let shapes: Shape[] = [this.root];
    for (const key of path) {
      const next: Shape[] = [];
      for (const shape of shapes) {
        for (const alt of this.alternatives(shape)) {
          if (alt.kind === 'array') {
            for (const item of this.itemShapes(alt)) for (const obj of this.objects(item)) pushChild(obj, key, next);
          } else if (alt.kind === 'object') pushChild(alt, key, next);
        }
      }
      shapes = next;
    }
    const objects: ObjectShape[] = [];
    for (const shape of shapes) {
      for (const alt of this.alternatives(shape)) {
        if (alt.kind === 'object') objects.push(alt);
        else if (alt.kind === 'array') for (const item of this.itemShapes(alt)) objects.push(...this.objects(item));
      }
    }
    return unique(objects);
  }

  itemShapes(shape: Extract<Shape, { kind: 'array' }>): Shape[] {
    if (shape.prefixItems) return [...shape.prefixItems];
    return shape.items ? [shape.items] : [];
  }
}

function pushChild(obj: ObjectShape, key: string, out: Shape[]): void {
  const child = obj.properties[key] ?? obj.additionalProperties;
  if (child) out.push(child);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

let defaultResolver: ShapeResolver | undefined;

/** The resolver over mirrord's own key model (one shared instance). */
export function mirrordShapes(): ShapeResolver {
  return (defaultResolver ??= new ShapeResolver());
}
