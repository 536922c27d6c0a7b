/**
 * Parser for the regex dialect mirrord's agent compiles: `(?i)` + pattern, through fancy-regex
 * 0.14 (mirrord:mirrord/agent/src/http/filter.rs `Regex::new(&format!("(?i){header}"))`).
 * It follows fancy-regex's own recursive descent (fancy-regex/fancy-regex:src/parse.rs at 0.14.0:
 * `parse_re`, `parse_branch`, `parse_piece`, `parse_atom`, `parse_escape`, `parse_class`,
 * `parse_group`, `parse_flags`, `optional_whitespace`) on the prefixed string, so its quirks come
 * out the same: flags set by a bare `(?i)` run on past the enclosing `)`, `(?:x)` is just `x`,
 * an invalid `{` repetition is a literal, escaped characters are case-sensitive literals,
 * `(?#...)` comments are skipped wherever whitespace may be, and so on.
 * Classes go to regex-syntax (classSyntax.ts). Real errors raise RegexSyntaxError; constructs
 * without a faithful translation are collected and raised as UntranslatableRegexError at the end
 * (an error later in the pattern still wins: mirrord would refuse the pattern either way).
 */

import { ClassExtentMismatch, parseBracketedClass, parseClassEscape } from './classSyntax';
import { type ClassNode, type RegexNode, RegexSyntaxError, UntranslatableRegexError } from './regexAst';

interface Flags {
  caseInsensitive: boolean;
  multiLine: boolean;
  dotAll: boolean;
  swapGreed: boolean;
  ignoreSpace: boolean;
}

export interface ParsedRegex {
  root: RegexNode;
  groupCount: number;
}

/** mirrord's prefix; positions in messages are given in the user's pattern, after it. */
const PREFIX = '(?i)';
/** fancy-regex/fancy-regex:src/lib.rs `MAX_RECURSION`. */
const MAX_RECURSION = 64;
const SAFE_DEPTH = 40;

export function parseMirrordRegex(pattern: string): ParsedRegex {
  return new Parser(PREFIX + pattern).parseAll();
}

class Parser {
  private readonly untranslatable: string[] = [];
  private readonly namedGroups = new Map<string, number>();
  private numericBackrefs = false;
  private currGroup = 0;
  private flags: Flags = { caseInsensitive: false, multiLine: false, dotAll: false, swapGreed: false, ignoreSpace: false };

  constructor(private readonly re: string) {}

  parseAll(): ParsedRegex {
    const [ix, root] = this.parseRe(0, 0);
    if (ix < this.re.length) throw this.invalid(ix, 'unmatched closing parenthesis');
    if (this.untranslatable.length > 0) throw new UntranslatableRegexError(this.untranslatable[0]);
    return { root, groupCount: this.currGroup };
  }

  private at(ix: number): number {
    return Math.max(0, ix - PREFIX.length);
  }

  private invalid(ix: number, message: string): RegexSyntaxError {
    return new RegexSyntaxError(`${message} at position ${this.at(ix)}`);
  }

  private refuse(ix: number, message: string): void {
    this.untranslatable.push(`${message} at position ${this.at(ix)}`);
  }

  // -- structure (parse_re, parse_branch, parse_piece) ------------------------------------------

  private parseRe(ix: number, depth: number): [number, RegexNode] {
    const [afterBranch, child] = this.parseBranch(ix, depth);
    let next = this.optionalWhitespace(afterBranch);
    if (this.re[next] === '|') {
      const alternatives = [child];
      while (this.re[next] === '|') {
        const [after, branch] = this.parseBranch(next + 1, depth);
        alternatives.push(branch);
        next = this.optionalWhitespace(after);
      }
      // fancy-regex returns here, before its numbered/named backreference check.
      return [next, { t: 'alt', alternatives }];
    }
    if (this.numericBackrefs && this.namedGroups.size > 0) {
      throw new RegexSyntaxError('numbered backreference in a pattern with named groups (fancy-regex allows only named backreferences there)');
    }
    return [next, child];
  }

  private parseBranch(ix: number, depth: number): [number, RegexNode] {
    const items: RegexNode[] = [];
    while (ix < this.re.length) {
      const [next, piece] = this.parsePiece(ix, depth);
      if (next === ix) break;
      if (piece.t !== 'empty') items.push(piece);
      ix = next;
    }
    if (items.length === 0) return [ix, { t: 'empty' }];
    return [ix, items.length === 1 ? items[0] : { t: 'seq', items }];
  }

  private parsePiece(start: number, depth: number): [number, RegexNode] {
    const [afterAtom, child] = this.parseAtom(start, depth);
    let ix = this.optionalWhitespace(afterAtom);
    if (ix >= this.re.length) return [ix, child];
    const q = this.re[ix];
    let min: number;
    let max: number;
    if (q === '?') [min, max] = [0, 1];
    else if (q === '*') [min, max] = [0, Infinity];
    else if (q === '+') [min, max] = [1, Infinity];
    else if (q === '{') {
      const repeat = this.parseRepeat(ix);
      if (repeat === undefined) return [ix, child]; // `{` is read as a literal next
      [ix, min, max] = [repeat[0] - 1, repeat[1], repeat[2]];
    } else return [ix, child];
    if (child.t === 'empty' || child.t === 'assert' || child.t === 'look') {
      // What a leading quantifier meets after mirrord's `(?i)`, which parses to nothing.
      throw this.invalid(ix, 'repetition of nothing, of an empty group or of an assertion (target not repeatable)');
    }
    ix = this.optionalWhitespace(ix + 1);
    let greedy = true;
    if (this.re[ix] === '?') {
      greedy = false;
      ix++;
    }
    if (this.flags.swapGreed) greedy = !greedy;
    let node: RegexNode = { t: 'repeat', child, min, max, greedy };
    if (this.re[ix] === '+') {
      ix++;
      node = { t: 'atomic', child: node };
    }
    return [ix, node];
  }

  /** `parse_repeat`: [index after `}`, lo, hi], or undefined when `{` does not start a repetition. */
  private parseRepeat(open: number): [number, number, number] | undefined {
    let ix = this.optionalWhitespace(open + 1);
    if (ix >= this.re.length) return undefined;
    let lo: number;
    let end = ix;
    if (this.re[ix] === ',') lo = 0;
    else {
      const d = this.decimal(ix);
      if (d === undefined) return undefined;
      [end, lo] = d;
    }
    ix = this.optionalWhitespace(end);
    if (ix >= this.re.length) return undefined;
    end = ix;
    let hi: number;
    if (this.re[ix] === '}') hi = lo;
    else if (this.re[ix] === ',') {
      end = this.optionalWhitespace(ix + 1);
      const d = this.decimal(end);
      if (d) [end, hi] = d;
      else hi = Infinity;
    } else return undefined;
    ix = this.optionalWhitespace(end);
    if (ix >= this.re.length || this.re[ix] !== '}') return undefined;
    return [ix + 1, lo, hi];
  }

  /** `parse_decimal`; usize overflow makes it fail, as in Rust. */
  private decimal(ix: number): [number, number] | undefined {
    const m = /^[0-9]+/.exec(this.re.slice(ix));
    if (!m) return undefined;
    const value = Number(m[0]);
    if (!Number.isSafeInteger(value)) return undefined;
    return [ix + m[0].length, value];
  }

  private parseAtom(start: number, depth: number): [number, RegexNode] {
    const ix = this.optionalWhitespace(start);
    if (ix >= this.re.length) return [ix, { t: 'empty' }];
    const c = this.re[ix];
    switch (c) {
      case '.':
        return [ix + 1, { t: 'any', dotAll: this.flags.dotAll }];
      case '^':
        return [ix + 1, { t: 'assert', kind: this.flags.multiLine ? 'lineStart' : 'textStart' }];
      case '$':
        return [ix + 1, { t: 'assert', kind: this.flags.multiLine ? 'lineEnd' : 'textEnd' }];
      case '(':
        return this.parseGroup(ix, depth);
      case '\\':
        return this.parseEscape(ix);
      case '+':
      case '*':
      case '?':
      case '|':
      case ')':
        return [ix, { t: 'empty' }];
      case '[':
        return this.parseClass(ix);
      default: {
        const cp = this.re.codePointAt(ix)!;
        return [ix + (cp > 0xffff ? 2 : 1), { t: 'literal', cp, caseInsensitive: this.flags.caseInsensitive }];
      }
    }
  }

  // -- escapes (parse_escape, parse_hex, backreferences) --------------------------------------

  private parseEscape(ix: number): [number, RegexNode] {
    const e = this.re[ix + 1];
    if (e === undefined) throw this.invalid(ix, 'trailing backslash');
    const end = ix + 2;
    if (/[0-9]/.test(e)) return this.numberedBackref(ix + 1, ix);
    switch (e) {
      case 'k':
        return this.re[end] === "'" ? this.namedBackref(end, "'", "'", true, ix) : this.namedBackref(end, '<', '>', true, ix);
      case 'A':
        return [end, { t: 'assert', kind: 'textStart' }];
      case 'z':
        return [end, { t: 'assert', kind: 'textEnd' }];
      case 'b':
      case 'B':
        if (this.re[end] === '{') throw this.invalid(ix, `invalid escape \\${e}{ (fancy-regex 0.14 has no \\b{...})`);
        return [end, { t: 'assert', kind: e === 'b' ? 'wordBoundary' : 'notWordBoundary' }];
      case '<':
        return [end, { t: 'assert', kind: 'wordStart' }];
      case '>':
        return [end, { t: 'assert', kind: 'wordEnd' }];
      case 'K':
        return [end, { t: 'keepOut' }];
      case 'G':
        return [end, { t: 'searchStart' }];
      default: {
        const item = this.classEscape(ix);
        if (item.kind === 'literal') return [item.end, { t: 'literal', cp: item.cp, caseInsensitive: item.caseInsensitive }];
        return [item.end, { t: 'class', set: item.set, caseInsensitive: item.caseInsensitive }];
      }
    }
  }

  /**
   * The escapes fancy-regex reads the same way inside and outside a class: `\d \s \w`, `\h`
   * (its hex-digit class `[0-9A-Fa-f]`, never folded), `\p`, hex escapes, control escapes, and
   * escaped characters (`make_literal`: always case-sensitive).
   */
  private classEscape(ix: number): EscapeItem {
    const e = this.re[ix + 1];
    const cp = this.re.codePointAt(ix + 1)!;
    const end = ix + 1 + (cp > 0xffff ? 2 : 1);
    const lower = e.toLowerCase();
    if (lower === 'd' || lower === 's' || lower === 'w') {
      const set: ClassNode = { k: 'perl', which: lower, negated: e !== lower };
      return { kind: 'set', end, set, delegate: `\\${e}`, caseInsensitive: this.flags.caseInsensitive };
    }
    if (lower === 'h') {
      const inner: ClassNode = {
        k: 'union',
        items: [
          { k: 'range', lo: 0x30, hi: 0x39 },
          { k: 'range', lo: 0x41, hi: 0x46 },
          { k: 'range', lo: 0x61, hi: 0x66 },
        ],
      };
      const delegate = e === 'h' ? '[0-9A-Fa-f]' : '[^0-9A-Fa-f]';
      return { kind: 'set', end, set: { k: 'bracket', negated: e === 'H', inner }, delegate, caseInsensitive: false };
    }
    if (e === 'x') return this.parseHex(end, 2, ix);
    if (e === 'u') return this.parseHex(end, 4, ix);
    if (e === 'U') return this.parseHex(end, 8, ix);
    if (lower === 'p' && end < this.re.length) {
      let stop = end + 1;
      if (this.re[end] === '{') {
        const close = this.re.indexOf('}', end);
        if (close < 0) throw this.invalid(ix, 'unclosed Unicode class name');
        stop = close + 1;
      } else if (this.re.codePointAt(end)! > 0xffff) stop = end + 2;
      const delegate = this.re.slice(ix, stop);
      const parsed = this.delegateEscape(delegate, ix);
      return { kind: 'set', end: stop, set: parsed, delegate, caseInsensitive: this.flags.caseInsensitive };
    }
    const controls: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, e: 27 };
    if (controls[e] !== undefined) return { kind: 'literal', end, cp: controls[e], caseInsensitive: false };
    if (/[A-Za-z]/.test(e) && !'kAzbB<>KG'.includes(e)) throw this.invalid(ix, `invalid escape \\${e}`);
    return { kind: 'literal', end, cp, caseInsensitive: false };
  }

  private delegateEscape(text: string, ix: number): ClassNode {
    try {
      const parsed = parseClassEscape(text, this.at(ix));
      for (const m of parsed.untranslatable) this.untranslatable.push(m);
      return parsed.node;
    } catch (err) {
      if (err instanceof ClassExtentMismatch) {
        this.refuse(ix, `${text} is read differently by fancy-regex and regex-syntax`);
        return { k: 'union', items: [] };
      }
      throw err;
    }
  }

  /** `parse_hex`: fixed digits, or `{1-8 digits}`. The literal follows the case flag. */
  private parseHex(ix: number, digits: number, start: number): EscapeItem {
    if (ix >= this.re.length) throw this.invalid(start, 'invalid hex escape');
    let hex: string;
    let end: number;
    const fixed = this.re.slice(ix, ix + digits);
    if (fixed.length === digits && /^[0-9A-Fa-f]+$/.test(fixed)) {
      hex = fixed;
      end = ix + digits;
    } else if (this.re[ix] === '{') {
      const m = /^\{([0-9A-Fa-f]{1,8})\}/.exec(this.re.slice(ix));
      if (!m) throw this.invalid(start, 'invalid hex escape');
      hex = m[1];
      end = ix + m[0].length;
    } else throw this.invalid(start, 'invalid hex escape');
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw this.invalid(start, `invalid code point value ${hex}`);
    return { kind: 'literal', end, cp, caseInsensitive: this.flags.caseInsensitive };
  }

  /** `parse_numbered_backref`: all digits, and the number must be below half the prefixed pattern's length. */
  private numberedBackref(ix: number, escape: number): [number, RegexNode] {
    const d = this.decimal(ix);
    if (!d || d[1] >= Math.floor(this.re.length / 2)) throw this.invalid(escape, 'invalid backreference');
    this.numericBackrefs = true;
    return [d[0], { t: 'backref', group: d[1], position: this.at(escape) }];
  }

  /** `parse_named_backref`: a name defined so far, else a number, else (with `-`) relative to the last group opened. */
  private namedBackref(ix: number, open: string, close: string, allowRelative: boolean, escape: number): [number, RegexNode] {
    const id = parseId(this.re.slice(ix), open, close, allowRelative);
    if (!id) throw this.invalid(escape, 'invalid group name in a backreference');
    let group = this.namedGroups.get(id.name);
    if (group === undefined && /^[+-]?[0-9]+$/.test(id.name)) {
      const n = Number(id.name);
      group = n >= 0 ? n : this.currGroup + n + 1 >= 0 ? this.currGroup + n + 1 : undefined;
    }
    if (group === undefined) throw this.invalid(escape, `backreference to an unknown group name "${id.name}"`);
    return [ix + id.skip, { t: 'backref', group, position: this.at(escape) }];
  }

  // -- classes (parse_class, then regex-syntax) -------------------------------------------------

  /** fancy-regex finds the class's extent by counting brackets and rewrites its escapes; regex-syntax reads the result. */
  private parseClass(open: number): [number, RegexNode] {
    let ix = open + 1;
    let cooked = '[';
    let nest = 1;
    if (this.re[ix] === '^') {
      cooked += '^';
      ix++;
    }
    if (this.re[ix] === ']') {
      cooked += ']';
      ix++;
    }
    for (;;) {
      if (ix >= this.re.length) throw this.invalid(open, 'unclosed character class');
      const c = this.re[ix];
      if (c === '\\') {
        const e = this.re[ix + 1];
        if (e === undefined) throw this.invalid(ix, 'trailing backslash');
        if (/[0-9]/.test(e)) {
          this.numberedBackref(ix + 1, ix); // its own errors first, as in fancy-regex
          throw this.invalid(ix, 'backreference inside a character class');
        }
        const item = this.classEscape(ix);
        cooked += item.kind === 'literal' ? escapeInto(item.cp) : item.delegate;
        ix = item.end;
        continue;
      }
      if (c === '[') nest++;
      if (c === ']') {
        nest--;
        if (nest === 0) {
          cooked += ']';
          break;
        }
      }
      const cp = this.re.codePointAt(ix)!;
      cooked += String.fromCodePoint(cp);
      ix += cp > 0xffff ? 2 : 1;
    }
    const caseInsensitive = this.flags.caseInsensitive;
    try {
      const parsed = parseBracketedClass(cooked, this.at(open));
      for (const m of parsed.untranslatable) this.untranslatable.push(m);
      return [ix + 1, { t: 'class', set: parsed.node, caseInsensitive }];
    } catch (err) {
      if (err instanceof ClassExtentMismatch) {
        this.refuse(open, `character class whose brackets fancy-regex and regex-syntax count differently (${JSON.stringify(cooked)})`);
        return [ix + 1, { t: 'class', set: { k: 'union', items: [] }, caseInsensitive }];
      }
      throw err;
    }
  }

  // -- groups and flags (parse_group, parse_flags) ------------------------------------------------

  private parseGroup(open: number, outerDepth: number): [number, RegexNode] {
    const depth = outerDepth + 1;
    if (depth >= MAX_RECURSION) throw this.invalid(open, `groups nested ${MAX_RECURSION} deep (fancy-regex's recursion limit)`);
    // regex-syntax has a nesting limit of its own (250) on what fancy-regex hands it; stay well inside it.
    if (depth === SAFE_DEPTH) this.refuse(open, `groups nested deeper than ${SAFE_DEPTH}`);
    const ix = this.optionalWhitespace(open + 1);
    const rest = this.re.slice(ix);
    let skip = 0;
    let make: (child: RegexNode) => RegexNode;
    if (rest.startsWith('?=') || rest.startsWith('?!') || rest.startsWith('?<=') || rest.startsWith('?<!')) {
      const behind = rest[1] === '<';
      const negative = rest[behind ? 2 : 1] === '!';
      skip = behind ? 3 : 2;
      make = (child) => ({ t: 'look', behind, negative, child });
    } else if (rest.startsWith('?<') || rest.startsWith('?P<')) {
      const python = rest.startsWith('?P<');
      const capture = ++this.currGroup;
      const id = parseId(rest.slice(python ? 2 : 1), '<', '>', false);
      if (!id) throw this.invalid(ix, 'invalid group name');
      // A HashMap insert: a repeated name now means the newer group.
      this.namedGroups.set(id.name, capture);
      skip = id.skip + (python ? 2 : 1);
      make = (child) => ({ t: 'group', capture, child });
    } else if (rest.startsWith('?P=')) {
      return this.namedBackref(ix + 3, '', ')', false, open);
    } else if (rest.startsWith('?>')) {
      skip = 2;
      make = (child) => ({ t: 'atomic', child });
    } else if (rest.startsWith('?(')) {
      // Conditionals have version-dependent semantics; the rest of the pattern is not read.
      throw new UntranslatableRegexError(`conditional (?(...)...) at position ${this.at(open)}`);
    } else if (rest.startsWith('?')) {
      return this.parseFlags(ix, depth);
    } else {
      const capture = ++this.currGroup;
      make = (child) => ({ t: 'group', capture, child });
    }
    const [afterBody, child] = this.parseRe(ix + skip, depth);
    return [this.closeParen(afterBody, open), make(child)];
  }

  private closeParen(at: number, open: number): number {
    const ix = this.optionalWhitespace(at);
    if (ix >= this.re.length) throw this.invalid(open, 'unclosed group');
    if (this.re[ix] !== ')') throw this.invalid(ix, 'expected close paren');
    return ix + 1;
  }

  /** `ix` is at the `?` of `(?`. Flags change as they are read; only `(?flags:...)` restores them. */
  private parseFlags(question: number, depth: number): [number, RegexNode] {
    const start = question + 1;
    const oldFlags = { ...this.flags };
    let ix = start;
    let negate = false;
    const unknownFlag = (at: number): RegexSyntaxError => this.invalid(start, `unknown flag in (?${this.re.slice(start, at + 1)}`);
    for (;;) {
      ix = this.optionalWhitespace(ix);
      if (ix >= this.re.length) throw this.invalid(question - 1, 'unclosed group');
      const c = this.re[ix];
      switch (c) {
        case 'i':
          this.flags.caseInsensitive = !negate;
          break;
        case 'm':
          this.flags.multiLine = !negate;
          break;
        case 's':
          this.flags.dotAll = !negate;
          break;
        case 'U':
          this.flags.swapGreed = !negate;
          break;
        case 'x':
          this.flags.ignoreSpace = !negate;
          break;
        case 'u':
          if (negate) throw this.invalid(ix, '(?-u): non-Unicode mode is not supported by fancy-regex');
          break;
        case '-':
          if (negate) throw unknownFlag(ix);
          negate = true;
          break;
        case ')':
          if (ix === start || (negate && ix === start + 1)) throw unknownFlag(ix);
          return [ix + 1, { t: 'empty' }];
        case ':': {
          if (negate && ix === start + 1) throw unknownFlag(ix);
          const [after, child] = this.parseRe(ix + 1, depth);
          if (after >= this.re.length) throw this.invalid(question - 1, 'unclosed group');
          if (this.re[after] !== ')') throw this.invalid(after, 'expected close paren');
          this.flags = oldFlags;
          // fancy-regex returns the inner expression itself: `(?:^)*` repeats an assertion.
          return [after + 1, child];
        }
        default:
          throw unknownFlag(ix);
      }
      ix++;
    }
  }

  // -- whitespace and comments (optional_whitespace) ---------------------------------------------

  /** Under `(?x)`: space, tab, CR, LF and `#` to the end of the line. Always: `(?#...)`, where `\` escapes the next character. */
  private optionalWhitespace(ix: number): number {
    for (;;) {
      if (ix >= this.re.length) return ix;
      const c = this.re[ix];
      if (this.flags.ignoreSpace && c === '#') {
        const nl = this.re.indexOf('\n', ix);
        if (nl < 0) return this.re.length;
        ix = nl + 1;
      } else if (this.flags.ignoreSpace && (c === ' ' || c === '\r' || c === '\n' || c === '\t')) {
        ix++;
      } else if (this.re.startsWith('(?#', ix)) {
        const open = ix;
        ix += 3;
        for (;;) {
          if (ix >= this.re.length) throw this.invalid(open, 'unclosed comment group');
          if (this.re[ix] === ')') {
            ix++;
            break;
          }
          ix += this.re[ix] === '\\' ? 2 : 1;
        }
      } else return ix;
    }
  }
}

type EscapeItem =
  | { kind: 'literal'; end: number; cp: number; caseInsensitive: boolean }
  | { kind: 'set'; end: number; set: ClassNode; delegate: string; caseInsensitive: boolean };

/** regex_syntax::escape_into for one character: meta characters get a backslash. */
function escapeInto(cp: number): string {
  const ch = String.fromCodePoint(cp);
  return '\\.+*?()|[]{}^$#&-~'.includes(ch) ? `\\${ch}` : ch;
}

/** fancy-regex's `is_id_char`: Rust `char::is_alphanumeric` or `_`. */
const ID_CHAR = /[\p{Alphabetic}\p{N}_]/u;

/** `parse_id`: `open`, an identifier (or `-digits` when relative), `close`. */
function parseId(s: string, open: string, close: string, allowRelative: boolean): { name: string; skip: number } | undefined {
  if (!s.startsWith(open)) return undefined;
  let i = open.length;
  if (allowRelative && s[i] === '-') {
    i++;
    while (i < s.length && /[0-9]/.test(s[i])) i++;
  } else {
    while (i < s.length) {
      const cp = s.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      if (!ID_CHAR.test(ch)) break;
      i += ch.length;
    }
  }
  if (i >= s.length && close !== '') return undefined;
  if (!s.startsWith(close, i)) return undefined;
  if (i === open.length) return undefined;
  return { name: s.slice(open.length, i), skip: i + close.length };
}
