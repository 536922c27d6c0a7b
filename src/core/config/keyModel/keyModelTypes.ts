/**
 * The shape of mirrord's config, as generated from its published schema by
 * scripts/generate-key-model.mjs: for every section, which keys it takes, which it refuses
 * (`closed`: mirrord's `deny_unknown_fields`) and what kind of value each key holds.
 */
export type Shape =
  /** Anything (a structure mirrord does not describe, e.g. `SingleOrVec`). */
  | { kind: 'any' }
  | { kind: 'null' }
  | { kind: 'boolean' }
  | { kind: 'integer'; minimum?: number; maximum?: number }
  | { kind: 'number'; minimum?: number; maximum?: number }
  /** `values`: the only strings accepted (an enum, or a serde tag). */
  | { kind: 'string'; values?: readonly string[] }
  | { kind: 'array'; items?: Shape; prefixItems?: readonly Shape[]; minItems?: number; maxItems?: number }
  | ObjectShape
  /** Any one of these (serde's untagged enums, `Option`s, `ToggleableConfig`, `VecOrSingle`). */
  | { kind: 'union'; anyOf: readonly Shape[] }
  /** A named definition of `KeyModel.defs`. */
  | { kind: 'ref'; ref: string };

export interface ObjectShape {
  kind: 'object';
  /** Unique in the model; the key of the object's documentation. */
  id: string;
  properties: Readonly<Record<string, Shape>>;
  required?: readonly string[];
  /** mirrord refuses keys not in `properties` (and not matched by `additionalProperties`). */
  closed: boolean;
  /** The shape of every other key's value (a map such as `env.override`). */
  additionalProperties?: Shape;
}

export interface KeyModel {
  root: Shape;
  defs: Readonly<Record<string, Shape>>;
}
