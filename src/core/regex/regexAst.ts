/**
 * The parsed form of a mirrord filter regex (fancy-regex 0.14 dialect), as the translator sees it.
 * Every node that can depend on letter case records whether case-insensitivity was on where it
 * was written, so the emitter can tell whether one JS `i` flag describes the whole pattern.
 */

export type RegexNode =
  | { t: 'empty' }
  | { t: 'literal'; cp: number; caseInsensitive: boolean }
  /** `.`; `dotAll` when the `s` flag was on. */
  | { t: 'any'; dotAll: boolean }
  | { t: 'class'; set: ClassSet; caseInsensitive: boolean }
  | { t: 'assert'; kind: AssertKind }
  | { t: 'seq'; items: RegexNode[] }
  | { t: 'alt'; alternatives: RegexNode[] }
  /** `capture` is the 1-based group number in the source pattern, or null for `(?:...)`. */
  | { t: 'group'; capture: number | null; child: RegexNode }
  | { t: 'look'; behind: boolean; negative: boolean; child: RegexNode }
  | { t: 'atomic'; child: RegexNode }
  | { t: 'repeat'; child: RegexNode; min: number; max: number; greedy: boolean }
  | { t: 'backref'; group: number; caseInsensitive: boolean; position: number };

export type AssertKind = 'textStart' | 'textEnd' | 'lineStart' | 'lineEnd' | 'wordBoundary' | 'notWordBoundary';

/**
 * A character class as a union of JS `u`-mode class-body fragments (`a-z`, `\p{L}`, `\u{2d}`)
 * plus "negated items". A negated item (`\W`, `\P{L}`, `[:^alpha:]`, `[^...]` nested) is kept
 * apart because Rust case-folds BEFORE it complements, while JS (`iu`) complements first:
 * emitting it as `(?![frags])[^]` gives Rust's meaning in both modes.
 */
export interface ClassSet {
  negated: boolean;
  fragments: string[];
  negatedItems: string[][];
  /** False only when every member is certainly caseless (digits, punctuation...). */
  cased: boolean;
}

/** A syntax error: fancy-regex would refuse the pattern. */
export class RegexSyntaxError extends Error {}

/** Valid (or possibly valid) for mirrord, but no faithful JS equivalent is produced. */
export class UntranslatableRegexError extends Error {}
