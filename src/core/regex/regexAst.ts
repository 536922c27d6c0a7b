/**
 * The parsed form of a mirrord filter regex (fancy-regex 0.14 dialect), as the translator sees it.
 * Case-insensitivity is recorded on each literal and class, as fancy-regex records it
 * (fancy-regex/fancy-regex:src/lib.rs `Expr::Literal { casei }`, `Expr::Delegate { casei }`):
 * a flag changes the nodes parsed after it, and the emitter folds case node by node, so no
 * JavaScript `i` flag is ever needed.
 */

export type RegexNode =
  | { t: 'empty' }
  | { t: 'literal'; cp: number; caseInsensitive: boolean }
  /** `.`; `dotAll` when the `s` flag was on. */
  | { t: 'any'; dotAll: boolean }
  /** A class handed to regex-syntax: `[...]`, `\d \s \w`, `\p{..}`, `\h`. */
  | { t: 'class'; set: ClassNode; caseInsensitive: boolean }
  | { t: 'assert'; kind: AssertKind }
  /** `\G`: the start of the search, which for `is_match` is the start of the text; unlike an assertion it can be repeated. */
  | { t: 'searchStart' }
  /** `\K`: moves the reported match start; `is_match` (what mirrord calls) does not see it. */
  | { t: 'keepOut' }
  | { t: 'seq'; items: RegexNode[] }
  | { t: 'alt'; alternatives: RegexNode[] }
  /** `capture` is the 1-based group number in the source pattern. */
  | { t: 'group'; capture: number; child: RegexNode }
  | { t: 'look'; behind: boolean; negative: boolean; child: RegexNode }
  | { t: 'atomic'; child: RegexNode }
  | { t: 'repeat'; child: RegexNode; min: number; max: number; greedy: boolean }
  | { t: 'backref'; group: number; position: number };

export type AssertKind = 'textStart' | 'textEnd' | 'lineStart' | 'lineEnd' | 'wordBoundary' | 'notWordBoundary' | 'wordStart' | 'wordEnd';

/**
 * A regex-syntax class (rust-lang/regex:regex-syntax/src/ast/mod.rs `ClassSet`), with property
 * names already resolved to their JavaScript spelling.
 */
export type ClassNode =
  | { k: 'lit'; cp: number }
  | { k: 'range'; lo: number; hi: number }
  | { k: 'perl'; which: 'd' | 's' | 'w'; negated: boolean }
  /** `fragment` is a JS `u`-mode class member such as `\p{Script=Greek}`. */
  | { k: 'prop'; fragment: string; negated: boolean }
  | { k: 'posix'; ranges: [number, number][]; negated: boolean }
  | { k: 'union'; items: ClassNode[] }
  | { k: 'bracket'; negated: boolean; inner: ClassNode }
  | { k: 'op'; op: 'and' | 'minus' | 'xor'; lhs: ClassNode; rhs: ClassNode };

/** A syntax or compile error: fancy-regex would refuse the pattern, so mirrord would not start. */
export class RegexSyntaxError extends Error {}

/** Valid (or possibly valid) for mirrord, but no faithful JS equivalent is produced. */
export class UntranslatableRegexError extends Error {}
