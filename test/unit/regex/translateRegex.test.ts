import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translateMirrordRegex } from '../../../src/core/regex/translateRegex';

/**
 * Each translatable case lists inputs that mirrord's `(?i)`-prefixed fancy-regex matches and
 * inputs it does not; the JS regex must agree on every one of them.
 */
interface TranslatableCase {
  name: string;
  pattern: string;
  matches: string[];
  rejects: string[];
}

const TRANSLATABLE: TranslatableCase[] = [
  { name: 'plain literal, unanchored', pattern: 'kube-probe', matches: ['user-agent: kube-probe/1.30', 'KUBE-PROBE'], rejects: ['kube_probe'] },
  { name: 'always case-insensitive', pattern: 'USER-AGENT: KUBE-PROBE', matches: ['user-agent: kube-probe/1.30'], rejects: ['user-agent: curl'] },
  { name: 'redundant leading (?i)', pattern: '(?i)abc', matches: ['xABCx'], rejects: ['ab'] },
  { name: 'scoped (?i:...) is already global', pattern: '(?i:a)b', matches: ['AB', 'ab'], rejects: ['a'] },
  { name: 'dot excludes only \\n', pattern: '^a.b$', matches: ['a\rb', 'a\u2028b', 'axb'], rejects: ['a\nb'] },
  { name: '(?s) dot matches \\n', pattern: '(?s)^a.b$', matches: ['a\nb'], rejects: ['ab'] },
  { name: '^ and $ are text anchors by default', pattern: '^b$', matches: ['b'], rejects: ['a\nb', 'b\n'] },
  { name: '(?m) lines break at \\n only', pattern: '(?m)^b$', matches: ['a\nb', 'b\nc', 'b'], rejects: ['a\rb', 'ab'] },
  { name: '\\A and \\z', pattern: '\\Aab\\z', matches: ['AB'], rejects: ['ab\n', 'xab'] },
  { name: '(?x) ignores spaces and comments', pattern: '(?x) a b # comment\n c', matches: ['ABC'], rejects: ['a b c'] },
  { name: '(?x) escaped space is literal', pattern: '(?x)a\\ b', matches: ['a b'], rejects: ['ab'] },
  { name: 'named group (?P<n>...)', pattern: '(?P<ver>\\d+)\\.(?P<minor>\\d+)', matches: ['kube-probe/1.30'], rejects: ['kube-probe/1'] },
  { name: 'named group (?<n>...)', pattern: '(?<ver>probe)/', matches: ['kube-probe/1'], rejects: ['probe'] },
  { name: 'backref under (?-i) (numbered)', pattern: '(?-i)(a)\\1', matches: ['aa'], rejects: ['aA', 'a'] },
  { name: 'backref under (?-i) ((?P=n))', pattern: '(?-i)(?P<x>b)(?P=x)', matches: ['bb'], rejects: ['bB'] },
  { name: 'backref under (?-i) (\\k<n>)', pattern: '(?-i)(?<x>c)\\k<x>', matches: ['cc'], rejects: ['cC'] },
  { name: 'atomic group does not give back', pattern: '^(?>a+)a', matches: [], rejects: ['aaa', 'a'] },
  { name: 'atomic group commits to its first alternative', pattern: '^(?>a|ab)c', matches: ['ac'], rejects: ['abc'] },
  { name: 'atomic group matches', pattern: '^(?>ab|a)c', matches: ['abc', 'ac'], rejects: ['ab'] },
  { name: 'possessive quantifier', pattern: '^a++a', matches: [], rejects: ['aaaa'] },
  { name: 'possessive then more', pattern: '^a*+b', matches: ['aab', 'b'], rejects: ['aa'] },
  { name: 'numbering survives atomic emulation', pattern: '(?-i)(?>x)(y)\\1', matches: ['xyy'], rejects: ['xy'] },
  { name: 'negative look-ahead', pattern: '^User-Agent: (?!kube-probe)', matches: ['user-agent: curl/8'], rejects: ['user-agent: kube-probe/1.30'] },
  { name: 'look-behind (fixed length alternatives)', pattern: '(?<=ab|c)d', matches: ['abd', 'cd'], rejects: ['bd'] },
  { name: 'negative look-behind', pattern: '(?<!x)y', matches: ['ay', 'y'], rejects: ['xy'] },
  { name: '\\d is Unicode', pattern: '^\\d+$', matches: ['123', '١٢٣'], rejects: ['12a'] },
  { name: '\\w is Unicode', pattern: '^\\w+$', matches: ['abc_1', 'héllo'], rejects: ['a-b'] },
  { name: '\\s is Unicode White_Space', pattern: '^a\\sb$', matches: ['a b', 'a\u00a0b', 'a\u0085b'], rejects: ['a\ufeffb', 'ab'] },
  { name: '\\W, folded before negation', pattern: '^\\W$', matches: ['-', ' '], rejects: ['a', 'A', 'é'] },
  { name: '\\b Unicode word boundary', pattern: '\\bprobe\\b', matches: ['kube probe x', 'probe'], rejects: ['kubeprobe', 'éprobe'] },
  { name: '\\B', pattern: 'a\\Bb', matches: ['ab'], rejects: ['a b'] },
  { name: 'POSIX class', pattern: '^[[:alpha:]]+$', matches: ['abcXYZ'], rejects: ['ab1'] },
  { name: 'negated POSIX class', pattern: '^[[:^digit:]]$', matches: ['x'], rejects: ['5'] },
  { name: '\\pL', pattern: '^\\pL+$', matches: ['abc', 'ñandú'], rejects: ['a1'] },
  { name: '\\p{Lu} folds under (?i)', pattern: '^\\p{Lu}$', matches: ['A', 'a'], rejects: ['1'] },
  { name: '\\P{Lu} folds before negating (Rust order)', pattern: '^\\P{Lu}$', matches: ['1', '-'], rejects: ['a', 'A'] },
  { name: '\\p{sc=Greek}', pattern: '^\\p{sc=Greek}+$', matches: ['αβγ'], rejects: ['abc'] },
  { name: '\\x{...} and \\xHH', pattern: '\\x{41}\\x42', matches: ['ab'], rejects: ['a'] },
  { name: '\\u escapes', pattern: '\\u00e9', matches: ['É', 'é'], rejects: ['e'] },
  { name: 'escaped punctuation', pattern: '^\\*/\\*$', matches: ['*/*'], rejects: ['x/x'] },
  { name: 'class with leading ]', pattern: '^[]a]+$', matches: [']a]'], rejects: ['b'] },
  { name: 'negated class', pattern: '^[^a-c]$', matches: ['d'], rejects: ['b', 'B'] },
  { name: 'nested class union', pattern: '^[a[0-9]]+$', matches: ['a1A9'], rejects: ['b'] },
  { name: 'class with trailing -', pattern: '^[a-]+$', matches: ['a-'], rejects: ['b'] },
  { name: 'invalid {..} is a literal', pattern: 'a{x}', matches: ['a{x}'], rejects: ['a'] },
  { name: 'second {n} after a repetition is literal', pattern: '^a{2}{3}$', matches: ['aa{3}'], rejects: ['aaaaaa'] },
  { name: 'counted repetition', pattern: '^a{2,3}$', matches: ['aa', 'aaa'], rejects: ['a', 'aaaa'] },
  { name: '{,n} means {0,n}', pattern: '^a{,2}$', matches: ['', 'aa'], rejects: ['aaa'] },
  { name: 'lazy quantifier', pattern: '^a+?$', matches: ['aaa'], rejects: [''] },
  { name: '(?U) swaps greed without changing matches', pattern: '(?U)^a+b$', matches: ['aab'], rejects: ['b'] },
  { name: 'alternation with empty branch', pattern: '^(a|)$', matches: ['a', ''], rejects: ['b'] },
  { name: '(?#comment)', pattern: 'a(?#note)b', matches: ['ab'], rejects: ['a(?#note)b'] },
  { name: 'whole-pattern (?-i)', pattern: '(?-i)Abc', matches: ['Abc'], rejects: ['abc'] },
  { name: 'caseless (?-i) part', pattern: 'a(?-i:123)', matches: ['A123'], rejects: ['a12'] },
  { name: 'astral literal', pattern: '😀+', matches: ['x😀😀'], rejects: ['x'] },
];

for (const c of TRANSLATABLE) {
  test(`translates: ${c.name} (${JSON.stringify(c.pattern)})`, () => {
    const t = translateMirrordRegex(c.pattern);
    assert.equal(t.ok, true, JSON.stringify(t));
    if (!t.ok) return;
    assert.equal(t.regex.flags, 'u');
    for (const input of c.matches) assert.equal(t.regex.test(input), true, `${JSON.stringify(input)} should match /${t.source}/${t.regex.flags}`);
    for (const input of c.rejects) assert.equal(t.regex.test(input), false, `${JSON.stringify(input)} should not match /${t.source}/${t.regex.flags}`);
  });
}

interface RefusedCase {
  pattern: string;
  reason: 'invalid' | 'untranslatable';
  /** A word the message must contain, so it names the problem. */
  mentions: string;
}

/** Refusals beyond the construct table (fancyRegexTable.test.ts); each message names the problem. */
const REFUSED: RefusedCase[] = [
  { pattern: 'ab(cd', reason: 'invalid', mentions: 'unclosed group at position 2' },
  { pattern: 'ab)', reason: 'invalid', mentions: 'unmatched closing parenthesis at position 2' },
  { pattern: '[abc', reason: 'invalid', mentions: 'unclosed character class' },
  { pattern: '^*', reason: 'invalid', mentions: 'assertion' },
  { pattern: '(?=a)+', reason: 'invalid', mentions: 'assertion' },
  { pattern: 'a\\', reason: 'invalid', mentions: 'trailing backslash' },
  { pattern: '\\Qa.b\\E', reason: 'invalid', mentions: '\\Q' },
  { pattern: '\\x{zz}', reason: 'invalid', mentions: 'hex' },
  { pattern: '(?)a', reason: 'invalid', mentions: 'unknown flag' },
  { pattern: '(?P<>a)', reason: 'invalid', mentions: 'group name' },
  { pattern: '(?P=nope)', reason: 'invalid', mentions: 'unknown group name' },
  { pattern: '(?-i)(a)?\\1', reason: 'untranslatable', mentions: 'may not have matched' },
  { pattern: '(?<=(?>a))b', reason: 'untranslatable', mentions: 'look-behind' },
  { pattern: '\\p{NoSuchThing}', reason: 'untranslatable', mentions: 'NoSuchThing' },
  { pattern: '(?(1)a|b)', reason: 'untranslatable', mentions: 'conditional' },
  { pattern: 'x(?(1)a|b)[z-a]', reason: 'untranslatable', mentions: 'conditional' },
  { pattern: '\\p{Hyphen}[z-a]', reason: 'invalid', mentions: 'range' },
];

for (const c of REFUSED) {
  test(`refuses ${JSON.stringify(c.pattern)} as ${c.reason}`, () => {
    const t = translateMirrordRegex(c.pattern);
    assert.equal(t.ok, false, `expected a refusal, got ${JSON.stringify(t)}`);
    if (t.ok) return;
    assert.equal(t.reason, c.reason, t.message);
    assert.ok(t.message.includes(c.mentions), `message ${JSON.stringify(t.message)} should mention ${JSON.stringify(c.mentions)}`);
  });
}

test('a non-string pattern is refused, not thrown', () => {
  const t = translateMirrordRegex(42 as unknown as string);
  assert.equal(t.ok, false);
});

test('the source reported is the source of the regex returned', () => {
  const t = translateMirrordRegex('^/api/.*');
  assert.ok(t.ok);
  if (t.ok) {
    assert.equal(t.source, t.regex.source);
    assert.equal(t.source, '^\\/[Aa][Pp][Ii]\\/[^\\n]*');
  }
});
