/**
 * Rust `regex` character-class vocabulary mapped to JS `u`-mode class fragments.
 * Rust's `\d \s \w` are Unicode-aware (UTS#18 Annex C), unlike JS's ASCII ones, so they are
 * spelled out with `\p{..}`. Unicode table versions may differ slightly between Rust's tables
 * and V8's ICU for very recently assigned characters; header lines are ASCII in practice.
 */

/** Rust `\w`: Alphabetic + Mark + Decimal_Number + Connector_Punctuation + Join_Control. */
export const WORD_FRAGMENTS = ['\\p{Alphabetic}', '\\p{M}', '\\p{Nd}', '\\p{Pc}', '\\p{Join_Control}'];
export const DIGIT_FRAGMENTS = ['\\p{Nd}'];
export const SPACE_FRAGMENTS = ['\\p{White_Space}'];

export interface PerlClass {
  fragments: string[];
  negated: boolean;
  cased: boolean;
}

/** `\d \s \w` and their negations; undefined for any other letter. */
export function perlClass(letter: string): PerlClass | undefined {
  switch (letter) {
    case 'd':
    case 'D':
      return { fragments: DIGIT_FRAGMENTS, negated: letter === 'D', cased: false };
    case 's':
    case 'S':
      return { fragments: SPACE_FRAGMENTS, negated: letter === 'S', cased: false };
    case 'w':
    case 'W':
      return { fragments: WORD_FRAGMENTS, negated: letter === 'W', cased: true };
    default:
      return undefined;
  }
}

/** regex-syntax's ASCII classes (`[[:alpha:]]`), as JS class fragments. */
const POSIX_CLASSES: Record<string, { fragments: string[]; cased: boolean }> = {
  alnum: { fragments: ['0-9', 'A-Z', 'a-z'], cased: true },
  alpha: { fragments: ['A-Z', 'a-z'], cased: true },
  ascii: { fragments: ['\\u{0}-\\u{7f}'], cased: true },
  blank: { fragments: ['\\t', ' '], cased: false },
  cntrl: { fragments: ['\\u{0}-\\u{1f}', '\\u{7f}'], cased: false },
  digit: { fragments: ['0-9'], cased: false },
  graph: { fragments: ['\\u{21}-\\u{7e}'], cased: true },
  lower: { fragments: ['a-z'], cased: true },
  print: { fragments: ['\\u{20}-\\u{7e}'], cased: true },
  punct: { fragments: ['\\u{21}-\\u{2f}', '\\u{3a}-\\u{40}', '\\u{5b}-\\u{60}', '\\u{7b}-\\u{7e}'], cased: false },
  space: { fragments: ['\\t', '\\n', '\\v', '\\f', '\\r', ' '], cased: false },
  upper: { fragments: ['A-Z'], cased: true },
  word: { fragments: ['0-9', 'A-Z', 'a-z', '_'], cased: true },
  xdigit: { fragments: ['0-9', 'A-F', 'a-f'], cased: true },
};

export function posixClass(name: string): { fragments: string[]; cased: boolean } | undefined {
  return Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name) ? POSIX_CLASSES[name] : undefined;
}

/** Rust matches property names loosely: case, spaces, `_` and `-` are ignored. */
function loose(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

/** General categories: loose long or short name -> JS short name. */
const GENERAL_CATEGORIES: Record<string, string> = {};
for (const [short, long] of [
  ['L', 'Letter'],
  ['LC', 'Cased_Letter'],
  ['Lu', 'Uppercase_Letter'],
  ['Ll', 'Lowercase_Letter'],
  ['Lt', 'Titlecase_Letter'],
  ['Lm', 'Modifier_Letter'],
  ['Lo', 'Other_Letter'],
  ['M', 'Mark'],
  ['Mn', 'Nonspacing_Mark'],
  ['Mc', 'Spacing_Mark'],
  ['Me', 'Enclosing_Mark'],
  ['N', 'Number'],
  ['Nd', 'Decimal_Number'],
  ['Nl', 'Letter_Number'],
  ['No', 'Other_Number'],
  ['P', 'Punctuation'],
  ['Pc', 'Connector_Punctuation'],
  ['Pd', 'Dash_Punctuation'],
  ['Ps', 'Open_Punctuation'],
  ['Pe', 'Close_Punctuation'],
  ['Pi', 'Initial_Punctuation'],
  ['Pf', 'Final_Punctuation'],
  ['Po', 'Other_Punctuation'],
  ['S', 'Symbol'],
  ['Sm', 'Math_Symbol'],
  ['Sc', 'Currency_Symbol'],
  ['Sk', 'Modifier_Symbol'],
  ['So', 'Other_Symbol'],
  ['Z', 'Separator'],
  ['Zs', 'Space_Separator'],
  ['Zl', 'Line_Separator'],
  ['Zp', 'Paragraph_Separator'],
  ['C', 'Other'],
  ['Cc', 'Control'],
  ['Cf', 'Format'],
  ['Cs', 'Surrogate'],
  ['Co', 'Private_Use'],
  ['Cn', 'Unassigned'],
]) {
  GENERAL_CATEGORIES[loose(short)] = short;
  GENERAL_CATEGORIES[loose(long)] = short;
}

/** Binary properties whose Rust and JS names are known to agree. */
const BINARY_PROPERTIES: Record<string, string> = {
  any: 'Any',
  ascii: 'ASCII',
  assigned: 'Assigned',
  alphabetic: 'Alphabetic',
  alpha: 'Alphabetic',
  whitespace: 'White_Space',
  wspace: 'White_Space',
  uppercase: 'Uppercase',
  lowercase: 'Lowercase',
};

/** Categories with no case mapping: a class made only of them ignores `(?i)`. */
const CASELESS_CATEGORIES = new Set(['Nd', 'N', 'Nl', 'No', 'P', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'Z', 'Zs', 'Zl', 'Zp', 'Cc', 'White_Space']);

export type PropertyTranslation = { ok: true; fragment: string; negated: boolean; cased: boolean } | { ok: false; message: string };

/**
 * Translates the body of `\p{...}` (or the single letter of `\pL`). Script names without
 * `sc=`/`scx=` are refused: regex-syntax resolves a bare script name with its own rules
 * (script extensions), and guessing would risk a wrong translation.
 */
export function unicodeProperty(body: string, negatedEscape: boolean): PropertyTranslation {
  let negated = negatedEscape;
  let text = body.trim();
  if (text.startsWith('^')) {
    negated = !negated;
    text = text.slice(1);
  }
  let key: string | undefined;
  let value = text;
  const notEqual = text.indexOf('!=');
  const sep = notEqual >= 0 ? notEqual : text.search(/[=:]/);
  if (sep >= 0) {
    key = loose(text.slice(0, sep));
    value = text.slice(sep + (notEqual >= 0 ? 2 : 1));
    if (notEqual >= 0) negated = !negated;
  }
  const name = loose(value);
  let fragment: string | undefined;
  let cased = true;
  if (key === undefined || key === 'gc' || key === 'generalcategory') {
    const category = GENERAL_CATEGORIES[name];
    if (category !== undefined) {
      fragment = `\\p{${category}}`;
      cased = !CASELESS_CATEGORIES.has(category);
    } else if (key === undefined && BINARY_PROPERTIES[name] !== undefined) {
      fragment = `\\p{${BINARY_PROPERTIES[name]}}`;
      cased = !CASELESS_CATEGORIES.has(BINARY_PROPERTIES[name]);
    }
  } else if (key === 'sc' || key === 'script' || key === 'scx' || key === 'scriptextensions') {
    const jsKey = key === 'sc' || key === 'script' ? 'Script' : 'Script_Extensions';
    const scriptName = value
      .trim()
      .split(/[\s_-]+/)
      .filter((w) => w.length > 0)
      .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
      .join('_');
    fragment = `\\p{${jsKey}=${scriptName}}`;
  }
  if (fragment === undefined || !compilesInUnicodeMode(`[${fragment}]`)) {
    return { ok: false, message: `Unicode property \\p{${body}} has no known JavaScript equivalent` };
  }
  return { ok: true, fragment, negated, cased };
}

function compilesInUnicodeMode(source: string): boolean {
  try {
    new RegExp(source, 'u');
    return true;
  } catch {
    return false;
  }
}

/**
 * True when a code point may have case variants (conservative: unsure counts as cased).
 * Used to decide whether a case-sensitive `(?-i)` region actually differs from an `i` one.
 */
export function isCased(cp: number): boolean {
  const ch = String.fromCodePoint(cp);
  if (cp < 0x80) return /[A-Za-z]/.test(ch);
  return ch.toLowerCase() !== ch || ch.toUpperCase() !== ch || cp === 0x345 || /\p{L}|\p{M}|\p{So}/u.test(ch);
}

/** A code point as a JS `u`-mode class member or atom that never needs context to be read. */
export function codePointFragment(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x20 || cp === 0x5f) {
    return String.fromCodePoint(cp);
  }
  return `\\u{${cp.toString(16)}}`;
}
