/**
 * Regex readings that used to make a stolen probe look safe, through the whole engine: a config
 * with the filter, the probe from a manifest, the verdict. Each filter is one where fancy-regex
 * 0.14 (what mirrord's agent runs) matches the kubelet's request and the old translation did not.
 * Plus the patterns fancy-regex refuses: mirrord does not start, which is an error finding.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyse, API_MANIFEST, findingCodes, findingOf, jsonConfig, livenessOnly, verdicts } from './analyzeSupport';

const headerFilter = (regex: string) => jsonConfig(`{"mode": "steal", "http_filter": ${JSON.stringify({ header_filter: regex })}}`);
const ALL_STOLEN = { 'app/liveness': 'stolen', 'app/readiness': 'stolen', 'app/startup': 'stolen' };

const STOLEN_BUT_READ_AS_SAFE: { name: string; filter: string }[] = [
  {
    // fancy-regex/fancy-regex:src/parse.rs `parse_escape` -> `make_literal` (casei: false): `\K` (U+212A) is only the
    // Kelvin sign, so the look-ahead never sees "kube-probe" and every kubelet request matches.
    name: 'escaped Kelvin sign is case-sensitive: (?!\\\u212Aube-probe) does not exclude kube-probe',
    filter: '^User-Agent: (?!\\\u212Aube-probe)',
  },
  {
    // The same rule for U+017F (long s), which folds with s and S: escaped, it is only itself.
    name: 'escaped long s is case-sensitive: (?!.*\\\u017F) does not exclude lines with an s',
    filter: '^(?!.*\\\u017F)user-agent: kube',
  },
  {
    // parse.rs `optional_whitespace`: (?x) skips only space, tab, CR and LF; a form feed is a literal.
    name: '(?x) keeps a form feed: the look-ahead wants "kube-probe\\f", which the probe does not send',
    filter: '(?x) ^user-agent: \\  (?! kube-probe \f )',
  },
  {
    // optional_whitespace: a backslash inside (?#...) escapes the next character, so the comment runs to the
    // second `)` and the pattern is empty: it matches every request.
    name: 'a comment with \\) inside runs to the next ): what looked like (?!) is comment',
    filter: '(?#\\)(?!)',
  },
];

describe('regex dialect through the engine: stolen probes that used to read as safe', () => {
  for (const c of STOLEN_BUT_READ_AS_SAFE) {
    test(c.name, () => {
      const { analysis } = analyse(headerFilter(c.filter), 'json', API_MANIFEST);
      assert.deepEqual(verdicts(analysis), ALL_STOLEN, analysis.probes.map((p) => p.reason).join(' | '));
      assert.ok(!findingCodes(analysis).some((code) => code.startsWith('invalid-regex') || code.startsWith('regex-not-checked')));
    });
  }

  test('the unescaped Kelvin sign still folds with k (so the recipe written with it excludes the probes)', () => {
    const { analysis } = analyse(headerFilter('^User-Agent: (?!\u212Aube-probe)'), 'json', API_MANIFEST);
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'safe', 'app/readiness': 'safe', 'app/startup': 'safe' });
  });
});

describe('regex dialect through the engine: patterns fancy-regex refuses are errors', () => {
  const REFUSED: { pattern: string; mentions: RegExp }[] = [
    { pattern: '\\p{^Lu}', mentions: /not found/ },
    { pattern: '{3}kube-probe', mentions: /not repeatable/ },
    { pattern: '\\w{256}', mentions: /size limit/ },
    { pattern: '(?<agent>kube-probe)\\1', mentions: /named groups/ },
  ];
  for (const c of REFUSED) {
    test(`${JSON.stringify(c.pattern)}: invalid-regex error, verdicts unknown`, () => {
      const { analysis } = analyse(headerFilter(c.pattern), 'json', API_MANIFEST);
      assert.match(findingOf(analysis, 'invalid-regex').message, c.mentions);
      assert.equal(findingOf(analysis, 'invalid-regex').severity, 'error');
      for (const v of analysis.probes) assert.equal(v.verdict, 'unknown', v.reason);
    });
  }
});

describe('regex dialect through the engine: Unicode classes are judged on ASCII text only', () => {
  test('a \\w filter against an ASCII path is decided', () => {
    const config = jsonConfig(`{"mode": "steal", "http_filter": {"path_filter": "^/\\\\w+$"}}`);
    const { analysis } = analyse(config, 'json', livenessOnly('              path: /healthz\n              port: http\n'));
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'stolen' });
  });

  test('the same filter against a non-ASCII path is unknown, saying why', () => {
    const config = jsonConfig(`{"mode": "steal", "http_filter": {"path_filter": "^/\\\\w+$"}}`);
    const { analysis } = analyse(config, 'json', livenessOnly('              path: /gesundheitsprüfung\n              port: http\n'));
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'unknown' });
    assert.match(analysis.probes[0].reason, /ASCII/);
  });
});
