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

type ScanState = 'code' | 'doubleQuoted' | 'singleQuoted' | 'tripleDoubleQuoted' | 'tripleSingleQuoted' | 'lineComment' | 'blockComment';

const TAG_START = /\{[{%#]/;
const CLOSERS: Record<string, string> = { '{': '}}', '%': '%}', '#': '#}' };
const END_RAW = /\{%-?\s*endraw\s*-?%\}/g;

/** Per state, the characters that can change something: a tag start, a delimiter, an escape. */
const STOPS: Record<ScanState, RegExp> = {
  code: /["'#{]/g, // TOML and YAML; JSON has its own below
  doubleQuoted: /["\\{\n\r]/g,
  singleQuoted: /['{\n\r]/g,
  tripleDoubleQuoted: /["\\{]/g,
  tripleSingleQuoted: /['{]/g,
  lineComment: /[{\n\r]/g,
  blockComment: /[*{]/g,
};
const JSON_CODE_STOPS = /["/{]/g;

export function maskTemplates(text: string, format: ConfigFormat): MaskedTemplates {
  if (typeof text !== 'string' || !TAG_START.test(text)) {
    return { masked: typeof text === 'string' ? text : '', spans: [], unterminated: [] };
  }
  return new TemplateScanner(text, format).scan();
}

/** One pass over the text, tracking string and comment state (no per-character allocation). */
class TemplateScanner {
  private readonly chunks: string[] = [];
  private readonly spans: Span[] = [];
  private readonly unterminated: Span[] = [];
  private copiedUpTo = 0;
  private state: ScanState = 'code';
  // Inside `{% raw %}...{% endraw %}` Tera copies text verbatim: no tags there.
  private rawUntil = -1;

  constructor(
    private readonly text: string,
    private readonly format: ConfigFormat,
  ) {}

  scan(): MaskedTemplates {
    const text = this.text;
    const length = text.length;
    let i = 0;
    while (i < length) {
      // Jump straight to the next character that can matter in this state: most of a config is
      // plain text, and a regex skips it far faster than a character loop.
      const interesting = this.format === 'json' && this.state === 'code' ? JSON_CODE_STOPS : STOPS[this.state];
      interesting.lastIndex = i;
      const found = interesting.exec(text);
      if (!found) break;
      i = found.index;
      const ch = text[i];
      if (ch === '{' && i >= this.rawUntil && i + 1 < length && CLOSERS[text[i + 1]] !== undefined) {
        i = this.maskTag(i);
        continue;
      }
      i = this.step(i, ch);
    }
    if (this.spans.length === 0) return { masked: text, spans: [], unterminated: [] };
    this.chunks.push(text.slice(this.copiedUpTo));
    return { masked: this.chunks.join(''), spans: this.spans, unterminated: this.unterminated };
  }

  /** Masks the tag starting at `start`; returns the index after it. */
  private maskTag(start: number): number {
    const text = this.text;
    const opener = text[start + 1];
    const closeAt = text.indexOf(CLOSERS[opener], start + 2);
    const end = closeAt >= 0 ? closeAt + 2 : endOfLine(text, start);
    const span = { start, end };
    this.spans.push(span);
    if (closeAt < 0) this.unterminated.push(span);
    const tag = text.slice(start, end);
    this.chunks.push(text.slice(this.copiedUpTo, start), replacementFor(tag, opener, this.state, this.format));
    this.copiedUpTo = end;
    if (opener === '%' && closeAt >= 0 && /^\{%-?\s*raw\s*-?%\}$/.test(tag)) {
      END_RAW.lastIndex = end;
      const endRaw = END_RAW.exec(text);
      this.rawUntil = endRaw ? endRaw.index : text.length;
    }
    return end;
  }

  /** Advances over one character (or escape / delimiter) outside tags; returns the next index. */
  private step(i: number, ch: string): number {
    const text = this.text;
    const lineBreak = ch === '\n' || ch === '\r';
    switch (this.state) {
      case 'code':
        return this.stepInCode(i, ch);
      case 'doubleQuoted':
        if (ch === '\\') return escapeEnd(text, i);
        // A single-line string (JSON, TOML) that meets a line break is broken: stop it there.
        if (ch === '"' || (lineBreak && this.format !== 'yaml')) this.state = 'code';
        return i + 1;
      case 'singleQuoted':
        if (ch === "'") {
          if (this.format === 'yaml' && text[i + 1] === "'") return i + 2; // YAML's '' escape
          this.state = 'code';
        } else if (lineBreak && this.format !== 'yaml') this.state = 'code';
        return i + 1;
      case 'tripleDoubleQuoted':
        if (ch === '\\') return escapeEnd(text, i);
        if (ch === '"' && text.startsWith('"""', i)) {
          this.state = 'code';
          return i + 3;
        }
        return i + 1;
      case 'tripleSingleQuoted':
        if (ch === "'" && text.startsWith("'''", i)) {
          this.state = 'code';
          return i + 3;
        }
        return i + 1;
      case 'lineComment':
        if (lineBreak) this.state = 'code';
        return i + 1;
      case 'blockComment':
        if (ch === '*' && text[i + 1] === '/') {
          this.state = 'code';
          return i + 2;
        }
        return i + 1;
    }
    return i + 1;
  }

  /** Handles one character outside strings and comments; returns the next index to look at. */
  private stepInCode(i: number, ch: string): number {
    const text = this.text;
    switch (this.format) {
      case 'json':
        if (ch === '"') this.state = 'doubleQuoted';
        else if (ch === '/' && text[i + 1] === '/') {
          this.state = 'lineComment';
          return i + 2;
        } else if (ch === '/' && text[i + 1] === '*') {
          this.state = 'blockComment';
          return i + 2;
        }
        return i + 1;
      case 'toml':
        if (ch === '#') this.state = 'lineComment';
        else if (ch === '"' && text.startsWith('"""', i)) {
          this.state = 'tripleDoubleQuoted';
          return i + 3;
        } else if (ch === "'" && text.startsWith("'''", i)) {
          this.state = 'tripleSingleQuoted';
          return i + 3;
        } else if (ch === '"') this.state = 'doubleQuoted';
        else if (ch === "'") this.state = 'singleQuoted';
        return i + 1;
      case 'yaml': {
        const previous = i > 0 ? text[i - 1] : '\n';
        const afterSpace = previous === ' ' || previous === '\t' || previous === '\n' || previous === '\r';
        if (ch === '#' && afterSpace) this.state = 'lineComment';
        else if ((ch === '"' || ch === "'") && startsYamlScalar(text, i)) {
          this.state = ch === '"' ? 'doubleQuoted' : 'singleQuoted';
        }
        return i + 1;
      }
    }
    return i + 1;
  }
}

/**
 * A quote opens a YAML quoted scalar only where a scalar can begin (`key: 'x'`, `- "x"`), not in
 * the middle of a plain one (`key: don't`): look at the last non-blank character before it.
 */
function startsYamlScalar(text: string, quoteAt: number): boolean {
  let i = quoteAt - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (i < 0 || text[i] === '\n' || text[i] === '\r') return true;
  return ':-[{,?'.includes(text[i]);
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

/** After a backslash escape. Tera does not know about escapes: `\\{{ x }}` still holds a tag. */
function escapeEnd(text: string, backslashAt: number): number {
  return text[backslashAt + 1] === '{' ? backslashAt + 1 : backslashAt + 2;
}
