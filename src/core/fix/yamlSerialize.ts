import type { JsonValue } from './jsonValue';

/**
 * YAML text for values we insert. Strings stay plain only when plainly safe (a word-like string
 * that no YAML 1.1 or 1.2 reader takes for a bool, null or number); everything else is
 * double-quoted with JSON escapes, which are valid YAML escapes. Regexes such as
 * `^User-Agent: (?!kube-probe)` therefore come out quoted.
 */

const PLAIN_SAFE = /^[A-Za-z_][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./-]+)*$/;
const LOOKS_TYPED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;

export function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return PLAIN_SAFE.test(value) && !LOOKS_TYPED.test(value) ? value : JSON.stringify(value);
  return String(value);
}

/** One-line flow form: `{mode: steal, ports: [80, 8080]}`. */
export function yamlFlow(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return yamlScalar(value);
  if (Array.isArray(value)) return '[' + value.map(yamlFlow).join(', ') + ']';
  return (
    '{' +
    Object.entries(value)
      .map(([key, item]) => yamlScalar(key) + ': ' + yamlFlow(item))
      .join(', ') +
    '}'
  );
}

/** Values written on the same line as their key: scalars, empty collections, short scalar lists. */
export function fitsOnKeyLine(value: JsonValue): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    return value.every((item) => item === null || typeof item !== 'object') && yamlFlow(value).length <= 60;
  }
  return Object.keys(value).length === 0;
}

/** Block lines for `key: value` at `indent`; nested collections one `unit` deeper. */
export function yamlEntryLines(key: string, value: JsonValue, indent: string, unit: string): string[] {
  const head = indent + yamlScalar(key) + ':';
  if (fitsOnKeyLine(value)) return [head + ' ' + yamlFlow(value)];
  return [head, ...yamlBlockLines(value, indent + unit, unit)];
}

/** Block lines for a non-empty object or array, every line starting with `indent`. */
export function yamlBlockLines(value: JsonValue, indent: string, unit: string): string[] {
  if (value === null || typeof value !== 'object') return [indent + yamlScalar(value)];
  if (Array.isArray(value)) return value.flatMap((item) => yamlItemLines(item, indent, unit));
  return Object.entries(value).flatMap(([key, item]) => yamlEntryLines(key, item, indent, unit));
}

/** `- item` lines at `indent`; an object item starts on the dash's line. */
export function yamlItemLines(item: JsonValue, indent: string, unit: string): string[] {
  if (fitsOnKeyLine(item) || Array.isArray(item)) return [indent + '- ' + yamlFlow(item)];
  const lines = yamlBlockLines(item, indent + '  ', unit);
  return [indent + '- ' + lines[0].slice(indent.length + 2), ...lines.slice(1)];
}
