/**
 * Parser for the regex dialect mirrord's agent compiles: fancy-regex 0.14 (which hands classes and
 * plain parts to the Rust `regex` crate), with `(?i)` in front. Modelled on fancy-regex's own
 * recursive-descent parser so that quirks (a `{` that is not a valid repetition is a literal,
 * `(?:x)` is just `x`, flags set by a bare `(?i)` run to the end) come out the same.
 * Anything whose meaning differs between fancy-regex versions, or that JS cannot express,
 * raises UntranslatableRegexError; real syntax errors raise RegexSyntaxError.
 */

import { type ClassSet, type RegexNode, RegexSyntaxError, UntranslatableRegexError } from './regexAst';
import { codePointFragment, isCased, perlClass, posixClass, unicodeProperty } from './unicodeClasses';

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

/** fancy-regex refuses deeper nesting; beyond it we do not guess. */
const MAX_DEPTH = 64;
/** Larger counts may hit the Rust regex size limit: do not guess either. */
const MAX_REPEAT = 1000;

export function parseMirrordRegex(pattern: string): ParsedRegex {
  const parser = new Parser(pattern);
  return parser.parseAll();
}

const invalid = (message: string): RegexSyntaxError => new RegexSyntaxError(message);
const untranslatable = (message: string): UntranslatableRegexError => new UntranslatableRegexError(message);

class Parser {
  private pos = 0;
  private groupCount = 0;
  private readonly namedGroups = new Map<string, number>();
  /** mirrord prepends `(?i)`. */
  private flags: Flags = { caseInsensitive: true, multiLine: false, dotAll: false, swapGreed: false, ignoreSpace: false };

  constructor(private readonly re: string) {}

  parseAll(): ParsedRegex {
    if (this.re.length === 0) throw invalid('empty pattern');
    const root = this.parseAlternation(0);
    if (this.pos < this.re.length) {
      // Only an unmatched `)` stops the top-level alternation early.
      throw invalid(`unmatched closing parenthesis at position ${this.pos}`);
    }
    return { root, groupCount: this.groupCount };
  }

  // -- structure ------------------------------------------------------------------------------

  private parseAlternation(depth: number): RegexNode {
    const alternatives = [this.parseBranch(depth)];
    this.skipSpace();
    while (this.peek() === '|') {
      this.pos++;
      alternatives.push(this.parseBranch(depth));
      this.skipSpace();
    }
    return alternatives.length === 1 ? alternatives[0] : { t: 'alt', alternatives };
  }

  private parseBranch(depth: number): RegexNode {
    const items: RegexNode[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      const piece = this.parsePiece(depth);
      if (piece.t !== 'empty') items.push(piece);
    }
    if (items.length === 0) return { t: 'empty' };
    return items.length === 1 ? items[0] : { t: 'seq', items };
  }

  private parsePiece(depth: number): RegexNode {
    const atomStart = this.pos;
    const c = this.peek();
    if (c === '*' || c === '+' || c === '?') {
      throw invalid(`repetition operator missing expression at position ${atomStart}`);
    }
    let node = this.parseAtom(depth);
    for (;;) {
      this.skipSpace();
      const quantifierStart = this.pos;
      const q = this.peek();
      let min: number;
      let max: number;
      if (q === '?') [min, max] = [0, 1];
      else if (q === '*') [min, max] = [0, Infinity];
      else if (q === '+') [min, max] = [1, Infinity];
      else if (q === '{') {
        const range = this.tryParseRepeatRange();
        if (range === undefined) return node; // not a repetition: `{` is read as a literal next
        [min, max] = range;
      } else return node;
      if (q !== '{') this.pos++;
      if (node.t === 'empty' || node.t === 'assert' || node.t === 'look') {
        throw invalid(`repetition of an empty expression or assertion at position ${quantifierStart}`);
      }
      if (min > max) throw invalid(`invalid repetition range {${min},${max}} at position ${quantifierStart}`);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
        throw untranslatable(`repetition count above ${MAX_REPEAT} at position ${quantifierStart}`);
      }
      this.skipSpace();
      let greedy = true;
      if (this.peek() === '?') {
        greedy = false;
        this.pos++;
      }
      if (this.flags.swapGreed) greedy = !greedy;
      node = { t: 'repeat', child: node, min, max, greedy };
      if (this.peek() === '+') {
        // Possessive: fancy-regex turns `x*+` into the atomic group `(?>x*)`.
        this.pos++;
        node = { t: 'atomic', child: node };
      }
      // fancy-regex allows no second quantifier: `a**` fails on the next atom.
      this.skipSpace();
      const next = this.peek();
      if (next === '*' || next === '+' || next === '?') {
        throw invalid(`repetition operator missing expression at position ${this.pos}`);
      }
      return node;
    }
  }

  /** `{n}`, `{n,}`, `{n,m}`, `{,m}`; undefined (position unchanged) when not a repetition. */
  private tryParseRepeatRange(): [number, number] | undefined {
    const m = /^\{\s*(\d*)\s*(?:(,)\s*(\d*)\s*)?\}/.exec(this.re.slice(this.pos));
    if (!m) return undefined;
    if (!this.flags.ignoreSpace && /\s/.test(m[0])) return undefined;
    if (m[1] === '' && m[2] === undefined) return undefined;
    const min = m[1] === '' ? 0 : Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    this.pos += m[0].length;
    return [min, max];
  }

  private parseAtom(depth: number): RegexNode {
    const start = this.pos;
    const c = this.peek()!;
    switch (c) {
      case '.':
        this.pos++;
        return { t: 'any', dotAll: this.flags.dotAll };
      case '^':
        this.pos++;
        return { t: 'assert', kind: this.flags.multiLine ? 'lineStart' : 'textStart' };
      case '$':
        this.pos++;
        return { t: 'assert', kind: this.flags.multiLine ? 'lineEnd' : 'textEnd' };
      case '(':
        return this.parseGroup(depth);
      case '[':
        return this.classNode(this.parseClass());
      case '\\':
        return this.parseEscape();
      default: {
        const cp = this.re.codePointAt(start)!;
        this.pos += cp > 0xffff ? 2 : 1;
        return this.literal(cp);
      }
    }
  }

  private literal(cp: number): RegexNode {
    return { t: 'literal', cp, caseInsensitive: this.flags.caseInsensitive };
  }

  private classNode(set: ClassSet): RegexNode {
    return { t: 'class', set, caseInsensitive: this.flags.caseInsensitive };
  }

  // -- groups and flags -----------------------------------------------------------------------

  private parseGroup(depth: number): RegexNode {
    const open = this.pos;
    if (depth + 1 >= MAX_DEPTH) throw untranslatable(`groups nested deeper than ${MAX_DEPTH} at position ${open}`);
    this.pos++;
    this.skipSpace();
    const rest = this.re.slice(this.pos);
    const within = (child: () => RegexNode, wrap: (inner: RegexNode) => RegexNode): RegexNode => {
      const inner = child();
      this.expectClose(open);
      return wrap(inner);
    };
    const body = (): RegexNode => this.parseAlternation(depth + 1);

    if (rest.startsWith('?#')) {
      const end = this.re.indexOf(')', this.pos);
      if (end < 0) throw invalid(`unclosed comment group at position ${open}`);
      this.pos = end + 1;
      return { t: 'empty' };
    }
    for (const [prefix, behind, negative] of [
      ['?=', false, false],
      ['?!', false, true],
      ['?<=', true, false],
      ['?<!', true, true],
    ] as const) {
      if (rest.startsWith(prefix)) {
        this.pos += prefix.length;
        return within(body, (child) => ({ t: 'look', behind, negative, child }));
      }
    }
    if (rest.startsWith('?P<') || rest.startsWith('?<')) {
      this.pos += rest.startsWith('?P<') ? 3 : 2;
      const name = this.parseGroupName('>', open);
      if (this.namedGroups.has(name)) {
        // fancy-regex keeps the last, the regex crate refuses: depends on the pattern's path.
        throw untranslatable(`duplicate group name "${name}" at position ${open}`);
      }
      const capture = ++this.groupCount;
      this.namedGroups.set(name, capture);
      return within(body, (child) => ({ t: 'group', capture, child }));
    }
    if (rest.startsWith("?'")) throw untranslatable(`quote-named group (?'name'...) at position ${open} (not in every fancy-regex version)`);
    if (rest.startsWith('?P=')) {
      this.pos += 3;
      const name = this.parseGroupName(')', open);
      return this.namedBackref(name, open);
    }
    if (rest.startsWith('?P>')) throw untranslatable(`subroutine call (?P>...) at position ${open}`);
    if (rest.startsWith('?(')) throw untranslatable(`conditional (?(...)...) at position ${open}`);
    if (rest.startsWith('?>')) {
      this.pos += 2;
      return within(body, (child) => ({ t: 'atomic', child }));
    }
    if (rest.startsWith('?')) return this.parseFlagGroup(open, depth);
    const capture = ++this.groupCount;
    return within(body, (child) => ({ t: 'group', capture, child }));
  }

  private expectClose(open: number): void {
    this.skipSpace();
    if (this.peek() !== ')') throw invalid(`unclosed group at position ${open}`);
    this.pos++;
  }

  private parseGroupName(terminator: string, open: number): string {
    const end = this.re.indexOf(terminator, this.pos);
    const name = end < 0 ? '' : this.re.slice(this.pos, end);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      if (end >= 0 && /^[\p{L}\p{N}_.[\]]+$/u.test(name)) {
        throw untranslatable(`group name "${name}" at position ${open}: allowed characters differ between versions`);
      }
      throw invalid(`invalid group name at position ${open}`);
    }
    this.pos = end + terminator.length;
    return name;
  }

  /** `(?flags)` or `(?flags:...)`; `pos` is at the `?`. */
  private parseFlagGroup(open: number, depth: number): RegexNode {
    const start = this.pos + 1;
    this.pos = start;
    const old = { ...this.flags };
    const next = { ...this.flags };
    let negate = false;
    const unknownFlag = (): RegexSyntaxError => invalid(`unknown flag (?${this.re.slice(start, this.pos + 1)} at position ${open}`);
    for (;;) {
      this.skipSpace();
      const c = this.peek();
      if (c === undefined) throw invalid(`unclosed group at position ${open}`);
      switch (c) {
        case 'i':
          next.caseInsensitive = !negate;
          break;
        case 'm':
          next.multiLine = !negate;
          break;
        case 's':
          next.dotAll = !negate;
          break;
        case 'U':
          next.swapGreed = !negate;
          break;
        case 'x':
          next.ignoreSpace = !negate;
          break;
        case 'u':
          if (negate) throw untranslatable(`(?-u) at position ${open}: non-Unicode mode is not supported by fancy-regex`);
          break;
        case '-':
          if (negate) throw unknownFlag();
          negate = true;
          break;
        case ')': {
          if (this.pos === start || (negate && this.pos === start + 1)) throw unknownFlag();
          this.pos++;
          if (depth > 0 && !sameFlags(old, next)) {
            // fancy-regex lets these leak past the enclosing `)`, the regex crate does not.
            throw untranslatable(
              `inline flags (?${this.re.slice(start, this.pos)} inside a group at position ${open}: their scope differs between regex engines`,
            );
          }
          this.flags = next;
          return { t: 'empty' };
        }
        case ':': {
          if (negate && this.pos === start + 1) throw unknownFlag();
          this.pos++;
          this.flags = next;
          const child = this.parseAlternation(depth + 1);
          this.expectClose(open);
          this.flags = old;
          // fancy-regex returns the inner expression itself: `(?:^)*` is a repeated assertion.
          return child;
        }
        default:
          throw unknownFlag();
      }
      this.pos++;
    }
  }

  // -- escapes --------------------------------------------------------------------------------

  private parseEscape(): RegexNode {
    const start = this.pos;
    const e = this.re[start + 1];
    if (e === undefined) throw invalid(`trailing backslash at position ${start}`);
    if (/[0-9]/.test(e)) {
      const m = /^[0-9]+/.exec(this.re.slice(start + 1))!;
      this.pos = start + 1 + m[0].length;
      const group = Number(m[0]);
      if (group === 0) throw untranslatable(`backreference \\0 at position ${start}`);
      if (group > this.groupCount) {
        // fancy-regex 0.14 checks existence when compiling; forward references are not expressible in JS.
        throw untranslatable(`backreference \\${m[0]} to a group not yet opened at position ${start}`);
      }
      return { t: 'backref', group, caseInsensitive: this.flags.caseInsensitive, position: start };
    }
    switch (e) {
      case 'k': {
        this.pos = start + 2;
        if (this.peek() !== '<') throw untranslatable(`\\k without <name> at position ${start}`);
        this.pos++;
        const end = this.re.indexOf('>', this.pos);
        const name = end < 0 ? '' : this.re.slice(this.pos, end);
        if (/^[+-]?\d+$/.test(name)) throw untranslatable(`numbered or relative \\k<${name}> at position ${start}`);
        this.pos = start + 3;
        return this.namedBackref(this.parseGroupName('>', start), start);
      }
      case 'A':
        this.pos = start + 2;
        return { t: 'assert', kind: 'textStart' };
      case 'z':
        this.pos = start + 2;
        return { t: 'assert', kind: 'textEnd' };
      case 'b':
      case 'B':
        if (this.re[start + 2] === '{') throw untranslatable(`\\${e}{...} boundary at position ${start}`);
        this.pos = start + 2;
        return { t: 'assert', kind: e === 'b' ? 'wordBoundary' : 'notWordBoundary' };
      case 'Z':
      case '<':
      case '>':
      case 'h':
      case 'H':
      case 'K':
      case 'G':
      case 'O':
      case 'g':
        throw untranslatable(`\\${e} at position ${start} (not supported, or different, in mirrord's fancy-regex 0.14)`);
      default: {
        const item = this.parseCharOrSetEscape(start);
        if (item.kind === 'char') return this.literal(item.cp);
        return this.classNode({
          negated: false,
          fragments: item.negated ? [] : item.fragments,
          negatedItems: item.negated ? [item.fragments] : [],
          cased: item.cased,
        });
      }
    }
  }

  /** Escapes allowed both inside and outside classes. `pos` is at the backslash. */
  private parseCharOrSetEscape(start: number): ClassAtom {
    const e = this.re[start + 1];
    if (e === undefined) throw invalid(`trailing backslash at position ${start}`);
    const perl = perlClass(e);
    if (perl) {
      this.pos = start + 2;
      return { kind: 'set', fragments: perl.fragments, negated: perl.negated, cased: perl.cased };
    }
    if (e === 'p' || e === 'P') {
      let body: string;
      if (this.re[start + 2] === '{') {
        const end = this.re.indexOf('}', start + 3);
        if (end < 0) throw invalid(`unclosed Unicode class name at position ${start}`);
        body = this.re.slice(start + 3, end);
        this.pos = end + 1;
      } else if (this.re[start + 2] !== undefined) {
        body = String.fromCodePoint(this.re.codePointAt(start + 2)!);
        this.pos = start + 2 + body.length;
      } else {
        throw invalid(`trailing \\${e} at position ${start}`);
      }
      const prop = unicodeProperty(body, e === 'P');
      if (!prop.ok) throw untranslatable(`${prop.message} (at position ${start})`);
      return { kind: 'set', fragments: [prop.fragment], negated: prop.negated, cased: prop.cased };
    }
    if (e === 'x' || e === 'u' || e === 'U') return this.parseHexEscape(start, e === 'x' ? 2 : e === 'u' ? 4 : 8);
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11, e: 27 };
    if (simple[e] !== undefined) {
      this.pos = start + 2;
      return { kind: 'char', cp: simple[e] };
    }
    if (/[A-Za-z]/.test(e)) throw invalid(`invalid escape \\${e} at position ${start}`);
    // Any other escaped character (punctuation, space, non-ASCII) stands for itself.
    const cp = this.re.codePointAt(start + 1)!;
    this.pos = start + 1 + (cp > 0xffff ? 2 : 1);
    return { kind: 'char', cp };
  }

  private parseHexEscape(start: number, digits: number): ClassAtom {
    const after = start + 2;
    const fixed = this.re.slice(after, after + digits);
    let hex: string;
    if (fixed.length === digits && /^[0-9A-Fa-f]+$/.test(fixed)) {
      hex = fixed;
      this.pos = after + digits;
    } else {
      const m = /^\{([0-9A-Fa-f]{1,8})\}/.exec(this.re.slice(after));
      if (!m) throw invalid(`invalid hex escape at position ${start}`);
      hex = m[1];
      this.pos = after + m[0].length;
    }
    const cp = parseInt(hex, 16);
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw invalid(`invalid code point ${hex} at position ${start}`);
    return { kind: 'char', cp };
  }

  private namedBackref(name: string, position: number): RegexNode {
    const group = this.namedGroups.get(name);
    if (group === undefined) throw invalid(`unknown group name "${name}" in backreference at position ${position}`);
    return { t: 'backref', group, caseInsensitive: this.flags.caseInsensitive, position };
  }

  // -- classes (regex crate syntax) -----------------------------------------------------------

  /** `pos` is at `[`. */
  private parseClass(): ClassSet {
    const open = this.pos;
    this.pos++;
    const set: ClassSet = { negated: false, fragments: [], negatedItems: [], cased: false };
    if (this.peek() === '^') {
      set.negated = true;
      this.pos++;
    }
    let first = true;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw invalid(`unclosed character class at position ${open}`);
      if (c === ']' && !first) {
        this.pos++;
        return set;
      }
      if (this.flags.ignoreSpace && (/\s/.test(c) || c === '#')) {
        throw untranslatable(`whitespace or # inside a class under (?x) at position ${this.pos}`);
      }
      const two = this.re.slice(this.pos, this.pos + 2);
      if (two === '&&' || two === '~~' || (two === '--' && !first)) {
        throw untranslatable(`class set operation ${two} at position ${this.pos}`);
      }
      if (c === '[') {
        this.parseNestedClassItem(set);
        first = false;
        continue;
      }
      const itemStart = this.pos;
      const lo = this.parseClassAtom(first);
      if (this.re.startsWith('--', this.pos)) throw untranslatable(`class set operation -- at position ${this.pos}`);
      if (lo.kind === 'char' && this.peek() === '-' && this.re[this.pos + 1] !== ']' && this.re[this.pos + 1] !== undefined) {
        this.pos++;
        if (this.peek() === '[') throw untranslatable(`range ending in a nested class at position ${itemStart}`);
        const hi = this.parseClassAtom(false);
        if (hi.kind !== 'char') throw invalid(`invalid range boundary at position ${itemStart}: must be a single character`);
        if (hi.cp < lo.cp) throw invalid(`invalid character class range at position ${itemStart}`);
        set.fragments.push(`${codePointFragment(lo.cp)}-${codePointFragment(hi.cp)}`);
        set.cased ||= rangeIsCased(lo.cp, hi.cp);
      } else if (lo.kind === 'char') {
        set.fragments.push(codePointFragment(lo.cp));
        set.cased ||= isCased(lo.cp);
      } else {
        if (lo.negated) set.negatedItems.push(lo.fragments);
        else set.fragments.push(...lo.fragments);
        set.cased ||= lo.cased;
      }
      first = false;
    }
  }

  private parseNestedClassItem(set: ClassSet): void {
    const m = /^\[:(\^?)([a-z]+):\]/.exec(this.re.slice(this.pos));
    if (m) {
      const posix = posixClass(m[2]);
      // regex-syntax re-reads an unknown name as a nested class (`[:alfa:]`): do not guess.
      if (!posix) throw untranslatable(`unknown POSIX class [:${m[2]}:] at position ${this.pos}`);
      this.pos += m[0].length;
      if (m[1] === '^') set.negatedItems.push(posix.fragments);
      else set.fragments.push(...posix.fragments);
      set.cased ||= posix.cased;
      return;
    }
    if (this.re.startsWith('[:', this.pos)) throw untranslatable(`"[:" inside a class at position ${this.pos}`);
    const nestedStart = this.pos;
    const nested = this.parseClass();
    set.cased ||= nested.cased;
    if (!nested.negated) {
      set.fragments.push(...nested.fragments);
      set.negatedItems.push(...nested.negatedItems);
    } else if (nested.negatedItems.length === 0) {
      set.negatedItems.push(nested.fragments);
    } else {
      throw untranslatable(`negated nested class with negated members at position ${nestedStart}`);
    }
  }

  private parseClassAtom(first: boolean): ClassAtom {
    const start = this.pos;
    const c = this.peek()!;
    if (c === '\\') {
      const e = this.re[start + 1];
      if (e !== undefined && /[0-9]/.test(e)) throw invalid(`backreference inside a character class at position ${start}`);
      if (e !== undefined && 'kAzbBZ<>hHKGOg'.includes(e)) {
        throw untranslatable(`\\${e} inside a character class at position ${start}`);
      }
      return this.parseCharOrSetEscape(start);
    }
    if (c === '-' && !first && this.re[start + 1] !== ']') {
      throw untranslatable(`"-" in the middle of a class at position ${start} (ambiguous in the regex crate)`);
    }
    const cp = this.re.codePointAt(start)!;
    this.pos += cp > 0xffff ? 2 : 1;
    return { kind: 'char', cp };
  }

  // -- lexing helpers -------------------------------------------------------------------------

  private peek(): string | undefined {
    return this.re[this.pos];
  }

  /** Under `(?x)`: skips whitespace and `#` comments up to the end of the line. */
  private skipSpace(): void {
    if (!this.flags.ignoreSpace) return;
    for (;;) {
      const c = this.peek();
      if (c !== undefined && /\s/.test(c)) this.pos++;
      else if (c === '#') {
        const nl = this.re.indexOf('\n', this.pos);
        this.pos = nl < 0 ? this.re.length : nl + 1;
      } else return;
    }
  }
}

type ClassAtom = { kind: 'char'; cp: number } | { kind: 'set'; fragments: string[]; negated: boolean; cased: boolean };

function sameFlags(a: Flags, b: Flags): boolean {
  return (
    a.caseInsensitive === b.caseInsensitive &&
    a.multiLine === b.multiLine &&
    a.dotAll === b.dotAll &&
    a.swapGreed === b.swapGreed &&
    a.ignoreSpace === b.ignoreSpace
  );
}

/** Conservative: any range reaching letters or non-ASCII may be case-relevant. */
function rangeIsCased(lo: number, hi: number): boolean {
  if (hi >= 0x80) return true;
  return lo <= 0x7a && hi >= 0x41 && !(hi < 0x61 && lo > 0x5a);
}
