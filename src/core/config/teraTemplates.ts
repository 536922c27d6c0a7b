import type { ConfigFormat, Span } from '../types';

/**
 * mirrord renders the whole config file as a Tera template before parsing it, so `{{ ... }}`,
 * `{% ... %}` and `{# ... #}` may sit anywhere, even where a JSON value belongs. Before handing the
 * text to a format parser we replace each tag with filler of exactly the same length, so every
 * offset the parser reports is still an offset into the original text.
 */

/** Filler for template text inside a string (and for YAML scalars): a private-use character. */
export const TEMPLATE_FILLER = '\uE000';

export interface MaskedTemplates {
  /** Same length as the input; tags replaced by filler the format's parser accepts. */
  masked: string;
  /** Every tag, in text order, non-overlapping. */
  spans: Span[];
  /**
   * Tags whose closing delimiter never comes (a user mid-typing). Each is masked up to the end of
   * its line only, so the rest of the file can still be analysed. Also included in `spans`.
   */
  unterminated: Span[];
}

type ScanState =
  | 'code'
  | 'doubleQuoted'
  | 'singleQuoted'
  | 'tripleDoubleQuoted'
  | 'tripleSingleQuoted'
  | 'lineComment'
  | 'blockComment';

const TAG_START = /\{[{%#]/;
const CLOSERS: Record<string, string> = { '{': '}}', '%': '%}', '#': '#}' };
const END_RAW = /\{%-?\s*endraw\s*-?%\}/g;

export function maskTemplates(text: string, format: ConfigFormat): MaskedTemplates {
  if (typeof text !== 'string' || !TAG_START.test(text)) {
    return { masked: typeof text === 'string' ? text : '', spans: [], unterminated: [] };
  }
  const chunks: string[] = [];
  const spans: Span[] = [];
  const unterminated: Span[] = [];
  let copiedUpTo = 0;
  let state = 'code' as ScanState;
  // YAML only: the last significant character on the current line, to tell whether a quote opens a
  // quoted scalar (`key: 'x'`) or is part of a plain one (`key: don't`). '' means start of line.
  let lastSignificant = '';
  // Inside `{% raw %}...{% endraw %}` Tera copies text verbatim: no tags there.
  let rawUntil = -1;

  const length = text.length;
  let i = 0;
  while (i < length) {
    const ch = text[i];

    if (ch === '{' && i >= rawUntil && i + 1 < length && CLOSERS[text[i + 1]] !== undefined) {
      const opener = text[i + 1];
      const closeAt = text.indexOf(CLOSERS[opener], i + 2);
      const end = closeAt >= 0 ? closeAt + 2 : endOfLine(text, i);
      const span = { start: i, end };
      spans.push(span);
      if (closeAt < 0) unterminated.push(span);
      chunks.push(text.slice(copiedUpTo, i), replacementFor(text.slice(i, end), opener, state, format));
      copiedUpTo = end;
      if (opener === '%' && closeAt >= 0 && /^\{%-?\s*raw\s*-?%\}$/.test(text.slice(i, end))) {
        END_RAW.lastIndex = end;
        const endRaw = END_RAW.exec(text);
        rawUntil = endRaw ? endRaw.index : length;
      }
      if (opener === '{' && state === 'code') lastSignificant = 'x';
      i = end;
      continue;
    }

    switch (state) {
      case 'code':
        i = stepInCode(text, i, format, lastSignificant, (next) => (state = next));
        if (ch === '\n' || ch === '\r') lastSignificant = '';
        else if (ch !== ' ' && ch !== '\t') lastSignificant = ch;
        continue;
      case 'doubleQuoted':
        if (ch === '\\') {
          i += 2;
          continue;
        }
        // A single-line string (JSON, TOML) that meets a line break is broken: stop it there.
        if (ch === '"' || ((ch === '\n' || ch === '\r') && format !== 'yaml')) state = 'code';
        break;
      case 'singleQuoted':
        if (ch === "'") {
          if (format === 'yaml' && text[i + 1] === "'") {
            i += 2; // YAML's '' escape
            continue;
          }
          state = 'code';
        } else if ((ch === '\n' || ch === '\r') && format !== 'yaml') state = 'code';
        break;
      case 'tripleDoubleQuoted':
        if (ch === '\\') {
          i += 2;
          continue;
        }
        if (text.startsWith('"""', i)) {
          state = 'code';
          i += 3;
          continue;
        }
        break;
      case 'tripleSingleQuoted':
        if (text.startsWith("'''", i)) {
          state = 'code';
          i += 3;
          continue;
        }
        break;
      case 'lineComment':
        if (ch === '\n' || ch === '\r') {
          state = 'code';
          lastSignificant = '';
        }
        break;
      case 'blockComment':
        if (ch === '*' && text[i + 1] === '/') {
          state = 'code';
          i += 2;
          continue;
        }
        break;
    }
    i++;
  }
  if (spans.length === 0) return { masked: text, spans, unterminated };
  chunks.push(text.slice(copiedUpTo));
  return { masked: chunks.join(''), spans, unterminated };
}

/** Handles one character outside strings and comments; returns the next index to look at. */
function stepInCode(
  text: string,
  i: number,
  format: ConfigFormat,
  lastSignificant: string,
  enter: (state: ScanState) => void,
): number {
  const ch = text[i];
  switch (format) {
    case 'json':
      if (ch === '"') enter('doubleQuoted');
      else if (ch === '/' && text[i + 1] === '/') {
        enter('lineComment');
        return i + 2;
      } else if (ch === '/' && text[i + 1] === '*') {
        enter('blockComment');
        return i + 2;
      }
      return i + 1;
    case 'toml':
      if (ch === '#') enter('lineComment');
      else if (text.startsWith('"""', i)) {
        enter('tripleDoubleQuoted');
        return i + 3;
      } else if (text.startsWith("'''", i)) {
        enter('tripleSingleQuoted');
        return i + 3;
      } else if (ch === '"') enter('doubleQuoted');
      else if (ch === "'") enter('singleQuoted');
      return i + 1;
    case 'yaml': {
      const previous = i > 0 ? text[i - 1] : '\n';
      const afterSpace = previous === ' ' || previous === '\t' || previous === '\n' || previous === '\r';
      if (ch === '#' && afterSpace) enter('lineComment');
      else if ((ch === '"' || ch === "'") && startsYamlScalar(lastSignificant)) {
        enter(ch === '"' ? 'doubleQuoted' : 'singleQuoted');
      }
      return i + 1;
    }
  }
  return i + 1;
}

/** A quote opens a quoted scalar only where a scalar can begin. */
function startsYamlScalar(lastSignificant: string): boolean {
  return lastSignificant === '' || ':-[{,?'.includes(lastSignificant);
}

function replacementFor(tag: string, opener: string, state: ScanState, format: ConfigFormat): string {
  const n = tag.length;
  switch (state) {
    case 'lineComment':
    case 'blockComment':
      // Whatever Tera renders stays inside the comment; spaces keep the comment going.
      return ' '.repeat(n);
    case 'code':
      if (opener === '{') {
        // An expression stands for a value. YAML takes the filler as a plain scalar (this also works
        // mid-scalar, `image: repo/{{ tag }}:1`); JSON and TOML need a string literal.
        if (format === 'yaml' || n < 2) return TEMPLATE_FILLER.repeat(n);
        return '"' + TEMPLATE_FILLER.repeat(n - 2) + '"';
      }
      // Statements and comments render to nothing (or to whole lines): blank them, keep line breaks.
      return tag.replace(/[^\r\n]/g, ' ');
    default:
      return TEMPLATE_FILLER.repeat(n);
  }
}

function endOfLine(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) return i;
  }
  return text.length;
}
