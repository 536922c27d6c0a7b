/**
 * Rust `regex-syntax` 0.8 character-class vocabulary mapped to JS `u`-mode class fragments.
 * Rust's `\d \s \w` are Unicode-aware (UTS#18 Annex C), unlike JS's ASCII ones, so they are
 * spelled out with `\p{..}`. Property names are resolved the way regex-syntax resolves them
 * (rust-lang/regex:regex-syntax/src/unicode.rs `ClassQuery::canonicalize`,
 * `symbolic_name_normalize`), against the ECMAScript alias tables of Mathias Bynens' packages.
 * mirrord's regex-syntax (0.8.11) has Unicode 16.0 tables (regex-syntax/src/unicode_tables/*.rs
 * headers); names added later are errors there.
 */

import propertyAliases from 'unicode-property-aliases-ecmascript';
import canonicalPropertyNames from 'unicode-canonical-property-names-ecmascript';
import valueAliases from 'unicode-match-property-value-ecmascript/data/mappings.js';

/** Rust `\w`: Alphabetic + Mark + Decimal_Number + Connector_Punctuation + Join_Control. */
export const WORD_FRAGMENTS = ['\\p{Alphabetic}', '\\p{M}', '\\p{Nd}', '\\p{Pc}', '\\p{Join_Control}'];
const DIGIT_FRAGMENT = '\\p{Nd}';
const SPACE_FRAGMENT = '\\p{White_Space}';

export function perlFragment(which: 'd' | 's' | 'w'): string {
  return which === 'd' ? DIGIT_FRAGMENT : which === 's' ? SPACE_FRAGMENT : WORD_FRAGMENTS.join('');
}

/** regex-syntax's ASCII classes (regex-syntax/src/hir/translate.rs `ascii_class`). */
const POSIX_CLASSES: Record<string, [number, number][]> = {
  alnum: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  alpha: [
    [0x41, 0x5a],
    [0x61, 0x7a],
  ],
  ascii: [[0, 0x7f]],
  blank: [
    [9, 9],
    [0x20, 0x20],
  ],
  cntrl: [
    [0, 0x1f],
    [0x7f, 0x7f],
  ],
  digit: [[0x30, 0x39]],
  graph: [[0x21, 0x7e]],
  lower: [[0x61, 0x7a]],
  print: [[0x20, 0x7e]],
  punct: [
    [0x21, 0x2f],
    [0x3a, 0x40],
    [0x5b, 0x60],
    [0x7b, 0x7e],
  ],
  space: [
    [9, 13],
    [0x20, 0x20],
  ],
  upper: [[0x41, 0x5a]],
  word: [
    [0x30, 0x39],
    [0x41, 0x5a],
    [0x5f, 0x5f],
    [0x61, 0x7a],
  ],
  xdigit: [
    [0x30, 0x39],
    [0x41, 0x46],
    [0x61, 0x66],
  ],
};

export function posixClass(name: string): [number, number][] | undefined {
  return Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined;
}

/** regex-syntax/src/unicode.rs `symbolic_name_normalize_bytes`: drop an `is` prefix, spaces, `_`, `-` and non-ASCII; lowercase. */
export function rustNormalize(name: string): string {
  let start = 0;
  const startsWithIs = name.length >= 2 && name.slice(0, 2).toLowerCase() === 'is';
  if (startsWithIs) start = 2;
  let out = '';
  for (const ch of name.slice(start)) {
    const cp = ch.codePointAt(0)!;
    if (ch === ' ' || ch === '_' || ch === '-' || cp > 0x7f) continue;
    out += ch.toLowerCase();
  }
  // ISO_Comment's `isc` special case.
  if (startsWithIs && out === 'c') out = 'isc';
  return out;
}

/** Scripts new in Unicode 17, which ECMAScript tables (and Node 20's ICU) know but regex-syntax 0.8.11 (Unicode 16) does not. */
const AFTER_UNICODE_16 = new Set(['berf', 'beriaerfe', 'sidt', 'sidetic', 'tayo', 'taiyo', 'tols', 'tolongsiki']);
/** ECMAScript binary properties that regex-syntax's property_bool table lacks. */
const NOT_IN_REGEX_SYNTAX = new Set(['Changes_When_NFKC_Casefolded']);

interface NameTables {
  binary: Map<string, string>;
  generalCategory: Map<string, string>;
  script: Map<string, string>;
  /** Loose names of properties that are not binary (`\p{Script}` alone is an error). */
  nonBinaryProperties: Set<string>;
}

let tables: NameTables | undefined;

function nameTables(): NameTables {
  if (tables) return tables;
  const binary = new Map<string, string>();
  const nonBinaryProperties = new Set<string>();
  const nonBinary = new Set(['General_Category', 'Script', 'Script_Extensions']);
  for (const name of canonicalPropertyNames) {
    if (nonBinary.has(name)) nonBinaryProperties.add(rustNormalize(name));
    else binary.set(rustNormalize(name), name);
  }
  for (const [alias, name] of propertyAliases) {
    if (nonBinary.has(name)) nonBinaryProperties.add(rustNormalize(alias));
    else binary.set(rustNormalize(alias), name);
  }
  const values = (property: string): Map<string, string> => {
    const out = new Map<string, string>();
    for (const [alias, canonical] of valueAliases.get(property) ?? []) out.set(rustNormalize(alias), canonical);
    return out;
  };
  tables = { binary, generalCategory: values('General_Category'), script: values('Script'), nonBinaryProperties };
  return tables;
}

export type PropertyResolution =
  { kind: 'ok'; fragment: string; negated: boolean } | { kind: 'invalid'; message: string } | { kind: 'untranslatable'; message: string };

/**
 * `\p{body}` / `\pX` as regex-syntax reads it (regex-syntax/src/ast/parse.rs
 * `parse_unicode_class`: `!=`, then `:`, then `=` split name and value; no `^` negation).
 */
export function unicodeProperty(body: string, negatedEscape: boolean, oneLetter: boolean): PropertyResolution {
  const shown = oneLetter ? `\\${negatedEscape ? 'P' : 'p'}${body}` : `\\${negatedEscape ? 'P' : 'p'}{${body}}`;
  let negated = negatedEscape;
  let name: string | undefined;
  let value = body;
  if (!oneLetter) {
    const notEqual = body.indexOf('!=');
    const colon = body.indexOf(':');
    const equal = body.indexOf('=');
    if (notEqual >= 0) {
      name = body.slice(0, notEqual);
      value = body.slice(notEqual + 2);
      negated = !negated;
    } else if (colon >= 0) {
      name = body.slice(0, colon);
      value = body.slice(colon + 1);
    } else if (equal >= 0) {
      name = body.slice(0, equal);
      value = body.slice(equal + 1);
    }
  }
  const t = nameTables();
  const v = rustNormalize(value);
  const notFound = (what: string): PropertyResolution => ({ kind: 'invalid', message: `Unicode ${what} not found in ${shown}` });
  const ok = (fragment: string): PropertyResolution => ({ kind: 'ok', fragment, negated });
  if (name === undefined) {
    // ClassQuery::canonical_binary: binary property, then general category, then script.
    if (v !== 'cf' && v !== 'sc' && v !== 'lc') {
      const binary = t.binary.get(v);
      if (binary !== undefined && NOT_IN_REGEX_SYNTAX.has(binary)) return notFound('property');
      if (binary !== undefined) return ok(`\\p{${binary}}`);
      if (t.nonBinaryProperties.has(v)) return notFound('property (not a binary property)');
    }
    const gc = generalCategory(v);
    if (gc !== undefined) return ok(gc);
    if (AFTER_UNICODE_16.has(v)) return notFound('script (added after Unicode 16, the tables of mirrord\u2019s regex-syntax)');
    const script = t.script.get(v);
    if (script !== undefined) return ok(`\\p{Script=${script}}`);
    // Every property and value name is letters, digits and `.`; anything else cannot exist.
    if (/[^a-z0-9.]/.test(v) || v === '') return notFound('property');
    return { kind: 'untranslatable', message: `Unicode property ${shown} has no known JavaScript equivalent` };
  }
  const n = rustNormalize(name);
  if (n === 'gc' || n === 'generalcategory') {
    const gc = generalCategory(v);
    return gc !== undefined ? ok(gc) : notFound('general category');
  }
  if (n === 'sc' || n === 'script' || n === 'scx' || n === 'scriptextensions') {
    if (AFTER_UNICODE_16.has(v)) return notFound('script (added after Unicode 16, the tables of mirrord\u2019s regex-syntax)');
    const script = t.script.get(v);
    if (script === undefined) return notFound('script');
    return ok(`\\p{${n.startsWith('scx') || n === 'scriptextensions' ? 'Script_Extensions' : 'Script'}=${script}}`);
  }
  if (['age', 'gcb', 'graphemeclusterbreak', 'wb', 'wordbreak', 'sb', 'sentencebreak'].includes(n)) {
    return { kind: 'untranslatable', message: `Unicode property ${shown} has no JavaScript equivalent` };
  }
  // unicode::class supports no other property with a value.
  return notFound('property');
}

function generalCategory(normalized: string): string | undefined {
  // regex-syntax/src/unicode.rs `canonical_gencat`: any, assigned and ascii are general categories there.
  if (normalized === 'any') return '\\p{Any}';
  if (normalized === 'assigned') return '\\p{Assigned}';
  if (normalized === 'ascii') return '\\p{ASCII}';
  const gc = nameTables().generalCategory.get(normalized);
  return gc === undefined ? undefined : `\\p{General_Category=${gc}}`;
}

/**
 * True when a code point may have case variants (conservative: unsure counts as cased).
 * Only used for characters outside ASCII, where the translation is then marked ASCII-only.
 */
export function isCased(cp: number): boolean {
  const ch = String.fromCodePoint(cp);
  if (cp < 0x80) return /[A-Za-z]/.test(ch);
  return ch.toLowerCase() !== ch || ch.toUpperCase() !== ch || cp === 0x345 || /\p{L}|\p{M}|\p{So}|\p{Nl}/u.test(ch);
}

/** A code point as a JS `u`-mode class member or atom that never needs context to be read. */
export function codePointFragment(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x20 || cp === 0x5f) {
    return String.fromCodePoint(cp);
  }
  return `\\u{${cp.toString(16)}}`;
}
