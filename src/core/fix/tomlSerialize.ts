import type { JsonValue } from './jsonValue';

/**
 * TOML text for values we insert. TOML has no null: such values cannot be written (undefined).
 * Strings with backslashes (regexes) become literal strings `'^a\.b'` when they can, so they read
 * the same as in JSON; otherwise basic strings with escapes.
 */

const BARE_KEY = /^[A-Za-z0-9_-]+$/;

export function tomlKey(key: string): string {
  return BARE_KEY.test(key) ? key : tomlBasicString(key);
}

export function tomlString(value: string): string {
  // eslint-disable-next-line no-control-regex -- TOML literal strings cannot hold control characters: this finds them.
  const literalSafe = !/['\u0000-\u001f\u007f]/.test(value);
  return value.includes('\\') && literalSafe ? "'" + value + "'" : tomlBasicString(value);
}

/** JSON's escapes are TOML's, except that TOML also wants DEL escaped. */
function tomlBasicString(value: string): string {
  return JSON.stringify(value).replace(/\u007f/g, '\\u007F');
}

/** One-line form: `{ mode = "steal", ports = [80, 8080] }`. */
export function tomlInline(value: JsonValue): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string') return tomlString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = value.map(tomlInline);
    return items.every((item) => item !== undefined) ? '[' + items.join(', ') + ']' : undefined;
  }
  const entries = Object.entries(value).map(([key, item]) => {
    const written = tomlInline(item);
    return written === undefined ? undefined : tomlKey(key) + ' = ' + written;
  });
  if (entries.some((entry) => entry === undefined)) return undefined;
  return entries.length === 0 ? '{}' : '{ ' + entries.join(', ') + ' }';
}

/** How deeply objects nest inside `value` (a flat object is 1). */
export function objectDepth(value: JsonValue): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  const deepest = children.reduce<number>((max, child) => Math.max(max, objectDepth(child)), 0);
  return Array.isArray(value) ? deepest : deepest + 1;
}
