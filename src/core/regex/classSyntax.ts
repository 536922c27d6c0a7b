/**
 * regex-syntax 0.8's reading of a bracketed class (rust-lang/regex:regex-syntax/src/ast/parse.rs
 * `parse_set_class`, `parse_set_class_open`, `parse_set_class_range`, `maybe_parse_ascii_class`,
 * `parse_unicode_class`), applied to the text fancy-regex hands it. fancy-regex has already
 * rewritten every escape (fancy-regex/fancy-regex:src/parse.rs `parse_class`), so only escaped
 * meta characters, `\d \s \w` (and negations) and `\p`/`\P` reach this parser.
 */

import { type ClassNode, RegexSyntaxError } from './regexAst';
import { posixClass, unicodeProperty } from './unicodeClasses';

/** The class ended before the text did, or ran past it: fancy-regex and regex-syntax disagree on the brackets. */
export class ClassExtentMismatch extends Error {}

export interface ClassParseResult {
  node: ClassNode;
  /** Untranslatable parts found (the class is otherwise valid). */
  untranslatable: string[];
}

const invalid = (m: string): RegexSyntaxError => new RegexSyntaxError(m);

export function parseBracketedClass(text: string, position: number): ClassParseResult {
  const p = new ClassParser(text, position);
  const node = p.bracketed();
  if (p.pos !== text.length) throw new ClassExtentMismatch();
  return { node, untranslatable: p.untranslatable };
}

/** `\d`, `\W`, `\pL`, `\p{Greek}`... outside a class: the whole text is one escape. */
export function parseClassEscape(text: string, position: number): ClassParseResult {
  const p = new ClassParser(text, position);
  const node = p.escape();
  if (node.k === 'lit' || p.pos !== text.length) throw new ClassExtentMismatch();
  return { node, untranslatable: p.untranslatable };
}

class ClassParser {
  pos = 0;
  readonly untranslatable: string[] = [];

  constructor(
    private readonly s: string,
    /** Position of the class in the user's pattern, for messages. */
    private readonly at: number,
  ) {}

  private unclosed(): never {
    // An unclosed class inside fancy-regex's extent means regex-syntax's class runs on past it.
    throw new ClassExtentMismatch();
  }

  bracketed(): ClassNode {
    this.pos++; // '['
    if (this.eof()) this.unclosed();
    let negated = false;
    if (this.ch() === '^') {
      negated = true;
      this.pos++;
      if (this.eof()) this.unclosed();
    }
    let items: ClassNode[] = [];
    while (this.ch() === '-') {
      items.push({ k: 'lit', cp: 0x2d });
      this.pos++;
      if (this.eof()) this.unclosed();
    }
    if (items.length === 0 && this.ch() === ']') {
      items.push({ k: 'lit', cp: 0x5d });
      this.pos++;
      if (this.eof()) this.unclosed();
    }
    // Set operations are left-associative: `a&&b--c` is `(a&&b)--c` (push_class_op / pop_class_op).
    let lhs: ClassNode | undefined;
    let pending: 'and' | 'minus' | 'xor' | undefined;
    const union = (): ClassNode => ({ k: 'union', items });
    for (;;) {
      if (this.eof()) this.unclosed();
      const c = this.ch();
      const two = this.s.slice(this.pos, this.pos + 2);
      if (c === '[') {
        const ascii = this.asciiClass();
        items.push(ascii ?? this.bracketed());
        continue;
      }
      if (c === ']') {
        this.pos++;
        let inner = union();
        if (pending && lhs) inner = { k: 'op', op: pending, lhs, rhs: inner };
        return { k: 'bracket', negated, inner };
      }
      if (two === '&&' || two === '--' || two === '~~') {
        this.pos += 2;
        const operand = union();
        lhs = pending && lhs ? { k: 'op', op: pending, lhs, rhs: operand } : operand;
        pending = two === '&&' ? 'and' : two === '--' ? 'minus' : 'xor';
        items = [];
        continue;
      }
      items.push(this.range());
    }
  }

  private range(): ClassNode {
    const start = this.pos;
    const first = this.item();
    if (this.eof()) this.unclosed();
    const next = this.s[this.pos + 1];
    if (this.ch() !== '-' || next === ']' || next === '-') return first;
    this.pos++;
    if (this.eof()) this.unclosed();
    const second = this.item();
    if (first.k !== 'lit' || second.k !== 'lit') {
      throw invalid(`invalid range boundary in a character class at position ${this.at + start}: must be a single character`);
    }
    if (second.cp < first.cp) throw invalid(`invalid character class range at position ${this.at + start}: the start is greater than the end`);
    return { k: 'range', lo: first.cp, hi: second.cp };
  }

  private item(): ClassNode {
    if (this.ch() === '\\') return this.escape();
    const cp = this.s.codePointAt(this.pos)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return { k: 'lit', cp };
  }

  escape(): ClassNode {
    const start = this.pos;
    const e = this.s[this.pos + 1];
    if (e === undefined) throw invalid(`trailing backslash at position ${this.at + start}`);
    const lower = e.toLowerCase();
    if (lower === 'd' || lower === 's' || lower === 'w') {
      this.pos += 2;
      return { k: 'perl', which: lower, negated: e !== lower };
    }
    if (e === 'p' || e === 'P') return this.unicode(e === 'P');
    // Escaped meta character (fancy-regex re-escapes literals with regex_syntax::escape_into).
    const cp = this.s.codePointAt(this.pos + 1)!;
    this.pos += 1 + (cp > 0xffff ? 2 : 1);
    return { k: 'lit', cp };
  }

  private unicode(negatedEscape: boolean): ClassNode {
    const start = this.pos;
    this.pos += 2;
    if (this.eof()) throw invalid(`unexpected end of pattern in a Unicode class escape at position ${this.at + start}`);
    let body: string;
    let oneLetter = false;
    if (this.ch() === '{') {
      const end = this.s.indexOf('}', this.pos);
      if (end < 0) throw invalid(`unclosed Unicode class name at position ${this.at + start}`);
      body = this.s.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      if (this.ch() === '\\') throw invalid(`invalid Unicode class at position ${this.at + start}`);
      body = String.fromCodePoint(this.s.codePointAt(this.pos)!);
      this.pos += body.length;
      oneLetter = true;
    }
    const resolved = unicodeProperty(body, negatedEscape, oneLetter);
    if (resolved.kind === 'invalid') throw invalid(`${resolved.message} (at position ${this.at + start})`);
    if (resolved.kind === 'untranslatable') {
      this.untranslatable.push(`${resolved.message} (at position ${this.at + start})`);
      return { k: 'prop', fragment: '\\p{Any}', negated: false };
    }
    return { k: 'prop', fragment: resolved.fragment, negated: resolved.negated };
  }

  /** `[:alpha:]`, `[:^digit:]`; undefined (position unchanged) when the text is not one. */
  private asciiClass(): ClassNode | undefined {
    const m = /^\[:(\^?)([^:]*):\]/.exec(this.s.slice(this.pos));
    if (!m) return undefined;
    const ranges = posixClass(m[2]);
    if (!ranges) return undefined; // regex-syntax re-reads it as a nested class
    this.pos += m[0].length;
    return { k: 'posix', ranges, negated: m[1] === '^' };
  }

  private ch(): string {
    return this.s[this.pos];
  }

  private eof(): boolean {
    return this.pos >= this.s.length;
  }
}
