import type { Span } from '../types';

/** One part of a TOML dotted key (`a`, `"b.c"`, `'d'`). */
export interface TomlKeyPart {
  key: string;
  span: Span;
  quoted: boolean;
}

/** The keys at the start of a TOML line: a `[table]` / `[[array]]` header's, or those before `=`. */
export interface TomlKeyLine {
  header: boolean;
  parts: TomlKeyPart[];
  /** The keys end with a dot: a next part is expected. */
  trailingDot: boolean;
  /** The text after the keys, up to the end given. */
  rest: string;
}

/**
 * Reads the keys at the start of the line [start, end). `partial`: the line is cut at the cursor,
 * so an unterminated quoted key counts as a key typed so far. Undefined when the line does not
 * start with a key or a header (a comment, a value, a blank line is an empty key list).
 */
export function tomlKeyLine(text: string, start: number, end: number, options: { partial?: boolean } = {}): TomlKeyLine | undefined {
  let i = skipSpaces(text, start, end);
  let header = false;
  if (text[i] === '[') {
    header = true;
    i++;
    if (text[i] === '[') i++;
  }
  const parts: TomlKeyPart[] = [];
  let trailingDot = false;
  for (;;) {
    i = skipSpaces(text, i, end);
    if (i >= end) break;
    const part = readPart(text, i, end, options.partial === true);
    if (!part) break;
    parts.push(part);
    trailingDot = false;
    i = skipSpaces(text, part.span.end, end);
    if (text[i] !== '.' || i >= end) break;
    trailingDot = true;
    i++;
  }
  const rest = text.slice(Math.min(i, end), end);
  if (!options.partial) {
    // A complete line: the keys must be followed by what follows keys.
    if (parts.length === 0 || trailingDot) return undefined;
    if (header ? !rest.trimStart().startsWith(']') : !rest.trimStart().startsWith('=')) return undefined;
  }
  return { header, parts, trailingDot, rest };
}

/** The path of the last `[table]` or `[[array]]` header before `offset` ([] at the top). */
export function tomlTablePathBefore(text: string, offset: number): string[] {
  let end = offset;
  while (end > 0) {
    let start = end;
    while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
    const line = tomlKeyLine(text, start, end);
    if (line?.header) return line.parts.map((p) => p.key);
    end = start - 1;
    if (end > 0 && text[end] === '\n' && text[end - 1] === '\r') end--;
  }
  return [];
}

function readPart(text: string, at: number, end: number, partial: boolean): TomlKeyPart | undefined {
  const quote = text[at];
  if (quote === '"' || quote === "'") {
    let i = at + 1;
    let key = '';
    while (i < end && text[i] !== quote) {
      if (quote === '"' && text[i] === '\\' && i + 1 < end) {
        key += unescape(text[i + 1]);
        i += 2;
        continue;
      }
      key += text[i];
      i++;
    }
    if (i >= end) return partial ? { key, span: { start: at, end }, quoted: true } : undefined;
    return { key, span: { start: at, end: i + 1 }, quoted: true };
  }
  let i = at;
  while (i < end && /[A-Za-z0-9_-]/.test(text[i])) i++;
  return i > at ? { key: text.slice(at, i), span: { start: at, end: i }, quoted: false } : undefined;
}

function unescape(ch: string): string {
  switch (ch) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    default:
      return ch;
  }
}

function skipSpaces(text: string, at: number, end: number): number {
  let i = at;
  while (i < end && (text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}
