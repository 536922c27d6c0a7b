/**
 * Turns a parsed mirrord regex into JS RegExp source (`u` flag only) that matches exactly the
 * same strings, or exactly the same ASCII strings when `asciiOnly` is set.
 * Rust semantics spelled out explicitly instead of relying on JS flags:
 * - case-insensitivity is per literal and per class (classEmit.ts), as fancy-regex 0.14 records
 *   it, so `(?-i)` parts, escaped (case-sensitive) literals and exact backreferences mix freely;
 * - `.` is `[^\n]` (Rust excludes only `\n`; JS also excludes `\r`, U+2028, U+2029);
 * - `(?m)^`/`$` are look-arounds on `\n` only (JS `m` also breaks lines at `\r`...);
 * - `\b`, `\<`, `\>` use Rust's Unicode word characters;
 * - atomic groups become `(?=(x))\N`, which commits to the first way `x` matched.
 * It also applies fancy-regex's compile-time checks (fancy-regex/fancy-regex:src/analyze.rs,
 * src/compile.rs): backreferences to groups not opened yet, and look-behinds that are not of
 * constant length, are errors there.
 */

import { emitClass } from './classEmit';
import { type ClassNode, type RegexNode, RegexSyntaxError, UntranslatableRegexError } from './regexAst';
import { codePointFragment, isCased, WORD_FRAGMENTS } from './unicodeClasses';

export interface EmittedRegex {
  source: string;
  flags: string;
  /** Exact only on text whose characters are all ASCII (Unicode classes or non-ASCII case folding involved). */
  asciiOnly: boolean;
}

const WORD = `[${WORD_FRAGMENTS.join('')}]`;
const ANY = '[^]';

export function emitJsRegex(root: RegexNode): EmittedRegex {
  checkBackrefNumbers(root);
  checkRepeatRanges(root);
  checkLookbehinds(root);
  checkBackrefs(root, []);
  const emitter = new Emitter();
  // RegExp('') reports its source as `(?:)`; use that spelling so the two agree.
  const source = emitter.emit(root) || '(?:)';
  return { source, flags: 'u', asciiOnly: emitter.asciiOnly };
}

const untranslatable = (message: string): UntranslatableRegexError => new UntranslatableRegexError(message);

/** analyze.rs `Expr::Backref`: the group must have been opened (in pattern order) before the reference. */
function checkBackrefNumbers(root: RegexNode): void {
  let opened = 0;
  walk(root, (node) => {
    if (node.t === 'group') opened = Math.max(opened, node.capture);
    if (node.t === 'backref') {
      if (node.group > opened) throw new RegexSyntaxError(`backreference \\${node.group} at position ${node.position} to a group that does not exist (yet)`);
      if (node.group === 0) throw untranslatable(`backreference to group 0 at position ${node.position}`);
    }
  });
}

/**
 * `a{3,2}` parses in fancy-regex; regex-syntax refuses it when the repetition is delegated to it
 * (lib.rs `to_str`, ast/parse.rs RepetitionCountInvalid). Around fancy-only parts fancy-regex's own
 * VM runs it, with no clear meaning.
 */
function checkRepeatRanges(root: RegexNode): void {
  walk(root, (node) => {
    if (node.t !== 'repeat' || node.min <= node.max) return;
    let fancy = false;
    walk(
      node.child,
      (inner) => (fancy ||= inner.t === 'backref' || inner.t === 'look' || inner.t === 'atomic' || inner.t === 'keepOut' || inner.t === 'searchStart'),
    );
    if (fancy) throw untranslatable(`repetition {${node.min},${node.max}} with its minimum above its maximum`);
    throw new RegexSyntaxError(`invalid repetition range {${node.min},${node.max}}: the minimum is above the maximum`);
  });
}

/**
 * fancy-regex 0.14 needs a look-behind (or each top-level alternative of it) to have a constant
 * length (compile.rs `compile_lookaround_inner`: LookBehindNotConst). JS runs a look-behind right to
 * left, so backreferences (and our atomic-group emulation, which is one) inside it would see
 * their group too late: refuse those.
 */
function checkLookbehinds(root: RegexNode): void {
  walk(root, (node) => {
    if (node.t !== 'look' || !node.behind) return;
    const alternatives = node.child.t === 'alt' && size(node.child).constant === false ? node.child.alternatives : [node.child];
    for (const alternative of alternatives) {
      if (!size(alternative).constant) throw new RegexSyntaxError('look-behind of variable length (fancy-regex 0.14 requires a constant length)');
    }
    walk(node.child, (inner) => {
      if (inner.t === 'backref' || inner.t === 'atomic') {
        throw untranslatable(`${inner.t === 'atomic' ? 'atomic group or possessive quantifier' : 'backreference'} inside a look-behind`);
      }
    });
  });
}

/** analyze.rs `min_size` / `const_size`, in characters. */
function size(node: RegexNode): { min: number; constant: boolean } {
  switch (node.t) {
    case 'empty':
    case 'assert':
    case 'look':
    case 'keepOut':
    case 'searchStart':
      return { min: 0, constant: true };
    case 'literal':
    case 'any':
    case 'class':
      return { min: 1, constant: true };
    case 'seq': {
      let min = 0;
      let constant = true;
      for (const item of node.items) {
        const s = size(item);
        min += s.min;
        constant &&= s.constant;
      }
      return { min, constant };
    }
    case 'alt': {
      const sizes = node.alternatives.map(size);
      const min = Math.min(...sizes.map((s) => s.min));
      return { min, constant: sizes.every((s) => s.constant && s.min === sizes[0].min) };
    }
    case 'group':
    case 'atomic':
      return size(node.child);
    case 'repeat': {
      const s = size(node.child);
      return { min: s.min * node.min, constant: s.constant && node.min === node.max };
    }
    case 'backref':
      return { min: 0, constant: false };
  }
}

/**
 * A JS backreference to a group that has not matched matches the empty string; fancy-regex's
 * fails (vm.rs `Insn::Backref`). Only accept backrefs whose group has certainly matched:
 * it closes earlier in a sequence enclosing the backref, reached only through groups, sequences
 * and repetitions with a minimum of at least one.
 */
function checkBackrefs(node: RegexNode, certainGroups: number[]): number[] {
  // Returns the groups that have certainly matched once `node` has matched.
  switch (node.t) {
    case 'backref':
      if (!certainGroups.includes(node.group)) {
        throw untranslatable(`backreference at position ${node.position} to a group that may not have matched`);
      }
      return certainGroups;
    case 'seq': {
      let known = certainGroups;
      for (const item of node.items) known = checkBackrefs(item, known);
      return known;
    }
    case 'group':
      return [...checkBackrefs(node.child, certainGroups), node.capture];
    case 'atomic':
      return checkBackrefs(node.child, certainGroups);
    case 'repeat': {
      const inner = checkBackrefs(node.child, certainGroups);
      return node.min >= 1 ? inner : certainGroups;
    }
    case 'alt':
      for (const alternative of node.alternatives) checkBackrefs(alternative, certainGroups);
      return certainGroups;
    case 'look':
      checkBackrefs(node.child, certainGroups);
      return certainGroups;
    default:
      return certainGroups;
  }
}

export function walk(node: RegexNode, visit: (node: RegexNode) => void): void {
  visit(node);
  switch (node.t) {
    case 'seq':
      node.items.forEach((item) => walk(item, visit));
      break;
    case 'alt':
      node.alternatives.forEach((alternative) => walk(alternative, visit));
      break;
    case 'group':
    case 'look':
    case 'atomic':
    case 'repeat':
      walk(node.child, visit);
      break;
    default:
      break;
  }
}

class Emitter {
  /** JS capture count so far; atomic-group emulation adds captures of its own. */
  private jsGroups = 0;
  private readonly groupMap = new Map<number, number>();
  asciiOnly = false;

  emit(node: RegexNode): string {
    switch (node.t) {
      case 'empty':
      case 'keepOut':
        return '';
      case 'searchStart':
        return '^';
      case 'literal':
        return this.literal(node.cp, node.caseInsensitive);
      case 'any':
        return node.dotAll ? ANY : '[^\\n]';
      case 'class':
        return this.cls(node.set, node.caseInsensitive);
      case 'assert':
        return this.assertion(node.kind);
      case 'seq':
        return node.items.map((item) => (item.t === 'alt' ? `(?:${this.emit(item)})` : this.emit(item))).join('');
      case 'alt':
        return node.alternatives.map((alternative) => this.emit(alternative)).join('|');
      case 'group': {
        const jsIndex = ++this.jsGroups;
        const inner = this.emit(node.child);
        this.groupMap.set(node.capture, jsIndex);
        return `(${inner})`;
      }
      case 'look':
        return `(?${node.behind ? '<' : ''}${node.negative ? '!' : '='}${this.emit(node.child)})`;
      case 'atomic': {
        const jsIndex = ++this.jsGroups;
        return `(?:(?=(${this.emit(node.child)}))\\${jsIndex})`;
      }
      case 'repeat':
        return `${this.atom(node.child)}${quantifier(node.min, node.max)}${node.greedy ? '' : '?'}`;
      case 'backref': {
        const jsIndex = this.groupMap.get(node.group);
        if (jsIndex === undefined) throw untranslatable(`backreference at position ${node.position}`);
        return `(?:\\${jsIndex})`;
      }
    }
  }

  private literal(cp: number, caseInsensitive: boolean): string {
    if (!caseInsensitive || !isCased(cp)) return literalAtom(cp);
    if (cp < 0x80 || cp === 0x17f || cp === 0x212a) return this.cls({ k: 'lit', cp }, true);
    // Outside ASCII the fold orbit comes from Node's case mappings: exact on ASCII text only
    // (no ASCII character folds to it).
    this.asciiOnly = true;
    const ch = String.fromCodePoint(cp);
    const variants = new Set([cp]);
    for (const v of [ch.toLowerCase(), ch.toUpperCase()]) if ([...v].length === 1) variants.add(v.codePointAt(0)!);
    return `[${[...variants].map(codePointFragment).join('')}]`;
  }

  private cls(set: ClassNode, caseInsensitive: boolean): string {
    const emitted = emitClass(set, caseInsensitive);
    if (emitted.asciiOnly) this.asciiOnly = true;
    return emitted.source;
  }

  private assertion(kind: string): string {
    switch (kind) {
      case 'textStart':
        return '^';
      case 'textEnd':
        return '$';
      case 'lineStart':
        return '(?<![^\\n])';
      case 'lineEnd':
        return '(?![^\\n])';
    }
    this.asciiOnly = true;
    switch (kind) {
      case 'wordBoundary':
        return `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
      case 'notWordBoundary':
        return `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;
      case 'wordStart':
        return `(?<!${WORD})(?=${WORD})`;
      default:
        return `(?<=${WORD})(?!${WORD})`;
    }
  }

  /** The operand of a quantifier: a single atom. */
  private atom(node: RegexNode): string {
    const text = this.emit(node);
    if (node.t === 'group' || node.t === 'atomic' || node.t === 'backref') return text;
    if (SINGLE_CHAR.test(text) || SINGLE_CLASS.test(text)) return text;
    return `(?:${text})`;
  }
}

const SINGLE_CHAR = /^(?:[^\\()[\]{}|^$*+?.]|\\u\{[0-9a-f]+\}|\\[^u])$/u;
const SINGLE_CLASS = /^\[(?:[^\\[\]]|\\p\{[^}]*\}|\\u\{[0-9a-f]+\}|\\.)*\]$/u;

function quantifier(min: number, max: number): string {
  if (min === 0 && max === 1) return '?';
  if (min === 0 && max === Infinity) return '*';
  if (min === 1 && max === Infinity) return '+';
  if (max === Infinity) return `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

/** Printable ASCII that is not special outside a class in `u` mode stays readable. */
function literalAtom(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (/^[A-Za-z0-9 !"#%&',\-:;<=>@_`~]$/.test(ch)) return ch;
  if (/^[\^$\\.*+?()[\]{}|/]$/.test(ch)) return `\\${ch}`;
  return `\\u{${cp.toString(16)}}`;
}
