import type { ObjectShape, Shape } from './keyModelTypes';

/** Short constructors for the generated key model (mirrordKeyModel.generated.ts). */

export const ANY: Shape = { kind: 'any' };
export const NULL: Shape = { kind: 'null' };
export const BOOLEAN: Shape = { kind: 'boolean' };
export const STRING: Shape = { kind: 'string' };

export function strings(...values: string[]): Shape {
  return { kind: 'string', values };
}

export function integer(minimum?: number, maximum?: number): Shape {
  return bounded('integer', minimum, maximum);
}

export function number(minimum?: number, maximum?: number): Shape {
  return bounded('number', minimum, maximum);
}

function bounded(kind: 'integer' | 'number', minimum?: number, maximum?: number): Shape {
  const shape: { kind: 'integer' | 'number'; minimum?: number; maximum?: number } = { kind };
  if (minimum !== undefined) shape.minimum = minimum;
  if (maximum !== undefined) shape.maximum = maximum;
  return shape;
}

export function array(items?: Shape): Shape {
  return items ? { kind: 'array', items } : { kind: 'array' };
}

/** A fixed-length list such as a `[local, remote]` port pair. */
export function tuple(prefixItems: Shape[]): Shape {
  return { kind: 'array', prefixItems, minItems: prefixItems.length, maxItems: prefixItems.length };
}

export function ref(name: string): Shape {
  return { kind: 'ref', ref: name };
}

export function union(...anyOf: Shape[]): Shape {
  return { kind: 'union', anyOf };
}

/** `Option<T>`: the value, or an explicit null meaning "not set". */
export function optional(shape: Shape): Shape {
  return { kind: 'union', anyOf: [shape, NULL] };
}

interface ObjectOptions {
  required?: string[];
  additionalProperties?: Shape;
}

/** An object mirrord closes (`deny_unknown_fields`). */
export function closedObject(id: string, properties: Record<string, Shape>, options: ObjectOptions = {}): ObjectShape {
  return objectShape(id, properties, true, options);
}

/** An object that takes other keys too (a map, or a struct without `deny_unknown_fields`). */
export function openObject(id: string, properties: Record<string, Shape>, options: ObjectOptions = {}): ObjectShape {
  return objectShape(id, properties, false, options);
}

function objectShape(id: string, properties: Record<string, Shape>, closed: boolean, options: ObjectOptions): ObjectShape {
  const shape: ObjectShape = { kind: 'object', id, properties, closed };
  if (options.required) shape.required = options.required;
  if (options.additionalProperties) shape.additionalProperties = options.additionalProperties;
  return shape;
}
