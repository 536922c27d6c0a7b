/**
 * Turns a parsed mirrord regex into JS RegExp source (always with the `u` flag, plus `i` when the
 * pattern is case-insensitive) that matches exactly the same strings.
 * Rust semantics spelled out explicitly instead of relying on JS flags:
 * - `.` is `[^\n]` (Rust excludes only `\n`; JS also excludes `\r`, U+2028, U+2029);
 * - `(?m)^`/`$` are look-arounds on `\n` only (JS `m` also breaks lines at `\r`...);
 * - `\b` uses Rust's Unicode word characters;
 * - atomic groups become `(?=(x))\N`, which commits to the first way `x` matched.
 */

import { type ClassSet, type RegexNode, UntranslatableRegexError } from './regexAst';
import { isCased, WORD_FRAGMENTS } from './unicodeClasses';

export interface EmittedRegex {
  source: string;
  flags: string;
}

const WORD = `[${WORD_FRAGMENTS.join('')}]`;
const ANY = '[^]';

export function emitJsRegex(root: RegexNode): EmittedRegex {
  const caseInsensitive = decideCaseMode(root);
  checkBackrefs(root, []);
  checkLookbehinds(root);
  const emitter = new Emitter();
  const source = emitter.emit(root);
  return { source, flags: caseInsensitive ? 'iu' : 'u' };
}

const untranslatable = (message: string): UntranslatableRegexError => new UntranslatableRegexError(message);

/**
 * JS (Node 20) has one `i` flag for the whole pattern. Decide it, or refuse when `(?-i)` parts
 * and case-insensitive parts both contain something case can change.
 */
function decideCaseMode(root: RegexNode): boolean {
  let insensitive = false;
  let sensitive = false;
  walk(root, (node) => {
    if (node.t === 'literal' || node.t === 'class' || node.t === 'backref') {
      const cased = node.t === 'literal' ? isCased(node.cp) : node.t === 'class' ? node.set.cased : true;
      if (!cased) return;
      if (node.caseInsensitive) insensitive = true;
      else sensitive = true;
    }
    if (node.t === 'backref' && node.caseInsensitive) {
      // PR fancy-regex#160 (2025) made backrefs honour (?i); mirrord's 0.14 compares exact text.
      throw untranslatable(
        `backreference at position ${node.position} under case-insensitive matching (mirrord's fancy-regex 0.14 compares it case-sensitively; JavaScript cannot)`,
      );
    }
  });
  if (insensitive && sensitive) {
    throw untranslatable('(?-i) makes part of the pattern case-sensitive; JavaScript in Node 20 cannot mix case modes');
  }
  return !sensitive;
}

/**
 * A JS backreference to a group that has not matched matches the empty string; fancy-regex's
 * behaviour there is version-dependent. Only accept backrefs whose group has certainly matched:
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
    case 'group': {
      const inner = checkBackrefs(node.child, certainGroups);
      return node.capture === null ? inner : [...inner, node.capture];
    }
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

/**
 * fancy-regex 0.14 needs each alternative of a look-behind to have a fixed length. JS runs a
 * look-behind right to left, so backreferences (and our atomic-group emulation, which is one)
 * inside it would see their group too late: refuse those.
 */
function checkLookbehinds(root: RegexNode): void {
  walk(root, (node) => {
    if (node.t !== 'look' || !node.behind) return;
    walk(node.child, (inner) => {
      if (inner.t === 'backref' || inner.t === 'atomic') {
        throw untranslatable(`${inner.t === 'atomic' ? 'atomic group or possessive quantifier' : 'backreference'} inside a look-behind`);
      }
    });
    const alternatives = node.child.t === 'alt' ? node.child.alternatives : [node.child];
    for (const alternative of alternatives) {
      if (fixedWidth(alternative) === undefined) {
        throw untranslatable('look-behind of variable length (fancy-regex 0.14 requires a fixed length)');
      }
    }
  });
}

function fixedWidth(node: RegexNode): number | undefined {
  switch (node.t) {
    case 'empty':
    case 'assert':
    case 'look':
      return 0;
    case 'literal':
    case 'any':
    case 'class':
      return 1;
    case 'seq': {
      let total = 0;
      for (const item of node.items) {
        const w = fixedWidth(item);
        if (w === undefined) return undefined;
        total += w;
      }
      return total;
    }
    case 'alt': {
      const widths = node.alternatives.map(fixedWidth);
      return widths.every((w) => w !== undefined && w === widths[0]) ? widths[0] : undefined;
    }
    case 'group':
    case 'atomic':
      return fixedWidth(node.child);
    case 'repeat': {
      const w = fixedWidth(node.child);
      return w !== undefined && node.min === node.max ? w * node.min : undefined;
    }
    case 'backref':
      return undefined;
  }
}

function walk(node: RegexNode, visit: (node: RegexNode) => void): void {
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

  emit(node: RegexNode): string {
    switch (node.t) {
      case 'empty':
        return '';
      case 'literal':
        return literalAtom(node.cp);
      case 'any':
        return node.dotAll ? ANY : '[^\\n]';
      case 'class':
        return classSource(node.set);
      case 'assert':
        return assertion(node.kind);
      case 'seq':
        return node.items.map((item) => this.emitInSequence(item)).join('');
      case 'alt':
        return node.alternatives.map((alternative) => this.emit(alternative)).join('|');
      case 'group': {
        if (node.capture === null) return `(?:${this.emit(node.child)})`;
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

  /** Alternations inside a sequence need a group of their own. */
  private emitInSequence(node: RegexNode): string {
    return node.t === 'alt' ? `(?:${this.emit(node)})` : this.emit(node);
  }

  /** The operand of a quantifier: a single atom. */
  private atom(node: RegexNode): string {
    const text = this.emit(node);
    const single = node.t === 'literal' || node.t === 'any' || node.t === 'group' || node.t === 'atomic' || node.t === 'backref';
    if (single) return text;
    if (node.t === 'class' && text.startsWith('[')) return text;
    return `(?:${text})`;
  }
}

function quantifier(min: number, max: number): string {
  if (min === 0 && max === 1) return '?';
  if (min === 0 && max === Infinity) return '*';
  if (min === 1 && max === Infinity) return '+';
  if (max === Infinity) return `{${min},}`;
  return min === max ? `{${min}}` : `{${min},${max}}`;
}

function assertion(kind: string): string {
  switch (kind) {
    case 'textStart':
      return '^';
    case 'textEnd':
      return '$';
    case 'lineStart':
      return '(?<![^\\n])';
    case 'lineEnd':
      return '(?![^\\n])';
    case 'wordBoundary':
      return `(?:(?<=${WORD})(?!${WORD})|(?<!${WORD})(?=${WORD}))`;
    default:
      return `(?:(?<=${WORD})(?=${WORD})|(?<!${WORD})(?!${WORD}))`;
  }
}

/** Printable ASCII that is not special outside a class in `u` mode stays readable. */
function literalAtom(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (/^[A-Za-z0-9 !"#%&',\-:;<=>@_`~]$/.test(ch)) return ch;
  if (/^[\^$\\.*+?()[\]{}|/]$/.test(ch)) return `\\${ch}`;
  return `\\u{${cp.toString(16)}}`;
}

/** See ClassSet: negated members become `(?![...])[^]` so folding happens before negation. */
function classSource(set: ClassSet): string {
  const parts: string[] = [];
  if (set.fragments.length > 0) parts.push(`[${set.fragments.join('')}]`);
  for (const item of set.negatedItems) parts.push(`(?![${item.join('')}])${ANY}`);
  if (parts.length === 0) {
    // An empty class matches nothing; its negation matches anything.
    return set.negated ? ANY : '[]';
  }
  if (set.negatedItems.length === 0) {
    return set.negated ? `[^${set.fragments.join('')}]` : parts[0];
  }
  const union = parts.length === 1 ? parts[0] : `(?:${parts.join('|')})`;
  return set.negated ? `(?!${union})${ANY}` : union;
}
