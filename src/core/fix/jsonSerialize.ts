import type { JsonValue } from './jsonValue';

/** Layout of the file the value goes into. */
export interface BlockStyle {
  /** One indentation step: `'  '`, `'    '` or `'\t'`. */
  indentUnit: string;
  eol: string;
}

/** Short arrays of scalars stay on one line (`[8080, 9090]`), like people write them. */
const COMPACT_ARRAY_MAX = 60;

/**
 * JSON text for `value` as it would appear at a spot whose line is indented by `baseIndent`:
 * objects one key per line, short scalar arrays compact.
 */
export function serializeJson(value: JsonValue, style: BlockStyle, baseIndent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = baseIndent + style.indentUnit;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const compact = serializeJsonInline(value);
    if (value.every((item) => item === null || typeof item !== 'object') && compact.length <= COMPACT_ARRAY_MAX) {
      return compact;
    }
    const items = value.map((item) => inner + serializeJson(item, style, inner));
    return '[' + style.eol + items.join(',' + style.eol) + style.eol + baseIndent + ']';
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, item]) => inner + JSON.stringify(key) + ': ' + serializeJson(item, style, inner));
  return '{' + style.eol + lines.join(',' + style.eol) + style.eol + baseIndent + '}';
}

/** One-line JSON with a space after `:` and `,`: for objects and arrays written on one line. */
export function serializeJsonInline(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(serializeJsonInline).join(', ') + ']';
  const entries = Object.entries(value).map(([key, item]) => JSON.stringify(key) + ': ' + serializeJsonInline(item));
  return '{' + entries.join(', ') + '}';
}
