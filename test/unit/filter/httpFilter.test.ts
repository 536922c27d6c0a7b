import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type FilterMatch, type HttpFilterSpec, matchFilter } from '../../../src/core/filter/httpFilter';
import { directRegexRunner } from '../../../src/core/regex/directRunner';
import { type HeaderLine, type ProbeRequest, type RegexRunner } from '../../../src/core/types';

/** What the kubelet sends for a default httpGet probe (docs/semantics.md section 3). */
function probe(overrides: Partial<ProbeRequest> = {}): ProbeRequest {
  return {
    method: 'GET',
    path: '/healthz',
    pathAndQuery: '/healthz',
    headers: [
      { name: 'user-agent', value: 'kube-probe/1.30' },
      { name: 'accept', value: '*/*' },
    ],
    ...overrides,
  };
}

const headers = (...lines: [string, string][]): HeaderLine[] => lines.map(([name, value]) => ({ name, value }));
const header = (pattern: string): HttpFilterSpec => ({ kind: 'header', pattern });
const path = (pattern: string): HttpFilterSpec => ({ kind: 'path', pattern });
const opaque: HttpFilterSpec = { kind: 'opaque', what: 'header_filter_jq' };

interface Case {
  name: string;
  filter: HttpFilterSpec;
  request?: ProbeRequest;
  expected: FilterMatch['result'];
  /** Part of the reason that must be there, so the reason says why. */
  reasonIncludes?: string;
}

const CASES: Case[] = [
  // The worked verdicts of docs/semantics.md section 4.
  {
    name: 'the common mistake selects exactly the probe',
    filter: header('User-Agent: kube-probe'),
    expected: 'match',
    reasonIncludes: '"user-agent: kube-probe/1.30"',
  },
  { name: "mirrord's recipe leaves the probe alone", filter: header('^User-Agent: (?!kube-probe)'), expected: 'no-match', reasonIncludes: 'matches none' },
  {
    name: 'the recipe steals curl',
    filter: header('^User-Agent: (?!kube-probe)'),
    request: probe({ headers: headers(['user-agent', 'curl/8'], ['accept', '*/*']) }),
    expected: 'match',
  },
  {
    name: 'the recipe skips requests without a user-agent',
    filter: header('^User-Agent: (?!kube-probe)'),
    request: probe({ headers: headers(['accept', '*/*']) }),
    expected: 'no-match',
  },
  {
    name: 'negative look-ahead on the whole line matches the accept line',
    filter: header('^(?!.*kube-probe)'),
    expected: 'match',
    reasonIncludes: '"accept: */*"',
  },
  { name: 'session baggage is never on a probe', filter: header('^baggage: .*mirrord-session=abc'), expected: 'no-match' },
  { name: '.* steals everything', filter: header('.*'), expected: 'match' },
  { name: 'always case-insensitive', filter: header('USER-AGENT: KUBE-PROBE'), expected: 'match' },
  {
    name: 'header names are lowercased, one space after the colon',
    filter: header('^user-agent: kube'),
    request: probe({ headers: headers(['User-Agent', 'kube-probe/1.30']) }),
    expected: 'match',
  },
  { name: 'no headers at all', filter: header('.*'), request: probe({ headers: [] }), expected: 'no-match', reasonIncludes: 'no headers' },
  {
    name: 'non-ASCII header values are skipped like the agent does',
    filter: header('^x-name: '),
    request: probe({ headers: headers(['x-name', 'café']) }),
    expected: 'no-match',
  },
  {
    name: 'probe httpHeaders are seen',
    filter: header('^x-probe: yes$'),
    request: probe({ headers: headers(['user-agent', 'kube-probe/1.30'], ['x-probe', 'yes']) }),
    expected: 'match',
  },
  // The Host header of a kubelet probe is the pod's IP and port.
  {
    name: 'a Host filter that excludes one name matches the pod-IP host',
    filter: header('^host: (?!api\\.example\\.com)'),
    request: probe({ podIpHostPort: 8080 }),
    expected: 'match',
    reasonIncludes: 'host: <pod IP>:8080',
  },
  { name: 'a Host filter on an IP range depends on the pod IP', filter: header('^host: 10\\.'), request: probe({ podIpHostPort: 8080 }), expected: 'unknown' },
  { name: 'a Host filter on the port matches whatever the IP', filter: header('^host: .*:8080$'), request: probe({ podIpHostPort: 8080 }), expected: 'match' },
  {
    name: 'a Host filter on a public name does not match the pod-IP host',
    filter: header('^host: api\\.example\\.com'),
    request: probe({ podIpHostPort: 8080 }),
    expected: 'no-match',
    reasonIncludes: 'host: <pod IP>:8080',
  },
  // Paths.
  {
    name: 'path look-ahead lets /_healthz through',
    filter: path('^(?!/health)'),
    request: probe({ path: '/_healthz', pathAndQuery: '/_healthz' }),
    expected: 'match',
  },
  { name: 'path look-ahead excludes /healthz', filter: path('^(?!/health)'), expected: 'no-match' },
  {
    name: 'path plus query counts',
    filter: path('ready=1'),
    request: probe({ path: '/status', pathAndQuery: '/status?ready=1' }),
    expected: 'match',
    reasonIncludes: '"/status?ready=1"',
  },
  {
    name: 'path without query is tried first',
    filter: path('^/status$'),
    request: probe({ path: '/status', pathAndQuery: '/status?ready=1' }),
    expected: 'match',
    reasonIncludes: `path "/status"`,
  },
  {
    name: 'path miss names both strings',
    filter: path('^/api'),
    request: probe({ path: '/status', pathAndQuery: '/status?x=1' }),
    expected: 'no-match',
    reasonIncludes: 'neither',
  },
  { name: 'path is case-insensitive too', filter: path('^/HEALTHZ$'), expected: 'match' },
  // Method.
  { name: 'method compares case-insensitively', filter: { kind: 'method', method: 'get' }, expected: 'match' },
  { name: 'other method', filter: { kind: 'method', method: 'POST' }, expected: 'no-match' },
  // Combinations.
  {
    name: 'all_of: a definite no-match wins over unknown',
    filter: { kind: 'all_of', filters: [opaque, header('^User-Agent: (?!kube-probe)')] },
    expected: 'no-match',
    reasonIncludes: 'all_of',
  },
  {
    name: 'all_of: unknown when the rest match',
    filter: { kind: 'all_of', filters: [header('kube-probe'), opaque] },
    expected: 'unknown',
    reasonIncludes: 'header_filter_jq',
  },
  {
    name: 'all_of: all match',
    filter: { kind: 'all_of', filters: [header('kube-probe'), path('^/healthz$'), { kind: 'method', method: 'GET' }] },
    expected: 'match',
  },
  { name: 'any_of: a definite match wins over unknown', filter: { kind: 'any_of', filters: [opaque, path('^/healthz')] }, expected: 'match' },
  { name: 'any_of: unknown when the rest do not match', filter: { kind: 'any_of', filters: [path('^/api'), opaque] }, expected: 'unknown' },
  { name: 'any_of: nothing matches', filter: { kind: 'any_of', filters: [path('^/api'), { kind: 'method', method: 'POST' }] }, expected: 'no-match' },
  {
    name: 'nested combinations',
    filter: { kind: 'all_of', filters: [header('^User-Agent: (?!kube-probe)'), { kind: 'any_of', filters: [path('^/api'), opaque] }] },
    expected: 'no-match',
  },
  { name: 'empty all_of is unknown here', filter: { kind: 'all_of', filters: [] }, expected: 'unknown', reasonIncludes: 'empty' },
  { name: 'empty any_of is unknown here', filter: { kind: 'any_of', filters: [] }, expected: 'unknown', reasonIncludes: 'empty' },
  // Cannot tell.
  { name: 'opaque filters are unknown', filter: { kind: 'opaque', what: 'body_filter' }, expected: 'unknown', reasonIncludes: 'body_filter' },
  { name: 'templated filters are unknown', filter: { kind: 'templated', what: 'header_filter' }, expected: 'unknown', reasonIncludes: 'template' },
  { name: 'invalid regex is unknown and says why', filter: header('^User-Agent: (kube'), expected: 'unknown', reasonIncludes: 'unclosed group at position 13' },
  { name: 'untranslatable regex is unknown and names the construct', filter: header('\\p{Hyphen}'), expected: 'unknown', reasonIncludes: 'Hyphen' },
];

for (const c of CASES) {
  test(`matchFilter: ${c.name}`, () => {
    const result = matchFilter(c.filter, c.request ?? probe(), directRegexRunner);
    assert.equal(result.result, c.expected, result.reason);
    assert.ok(result.reason.length > 0);
    assert.ok(!result.reason.includes('\n'), 'a reason is one line');
    if (c.reasonIncludes)
      assert.ok(result.reason.includes(c.reasonIncludes), `reason ${JSON.stringify(result.reason)} should include ${JSON.stringify(c.reasonIncludes)}`);
  });
}

test('matchFilter: the reason quotes the filter and the matching header', () => {
  const result = matchFilter(header('User-Agent: kube-probe'), probe(), directRegexRunner);
  assert.equal(result.reason, 'header filter "User-Agent: kube-probe" matches the probe\'s header "user-agent: kube-probe/1.30"');
});

/** A runner that answers 'timeout' for chosen inputs, to test the three-valued logic alone. */
function runnerTimingOutOn(slowInput: string): RegexRunner {
  return { test: (regex, input) => (input === slowInput ? 'timeout' : directRegexRunner.test(regex, input)) };
}

test('matchFilter: a timeout before any match is unknown', () => {
  const result = matchFilter(header('accept'), probe(), runnerTimingOutOn('user-agent: kube-probe/1.30'));
  assert.equal(result.result, 'unknown');
  assert.ok(result.reason.includes('took too long'));
});

test('matchFilter: a match before a timeout is a match', () => {
  const result = matchFilter(header('kube-probe'), probe(), runnerTimingOutOn('accept: */*'));
  assert.equal(result.result, 'match');
});

test('matchFilter: a throwing runner gives unknown, not an exception', () => {
  const throwing: RegexRunner = {
    test: () => {
      throw new Error('boom');
    },
  };
  assert.equal(matchFilter(header('x'), probe(), throwing).result, 'unknown');
});

test('matchFilter: malformed input never throws', () => {
  const bad: unknown[] = [null, undefined, 42, {}, { kind: 'header' }, { kind: 'all_of' }, { kind: 'weird' }, { kind: 'method', method: 7 }];
  for (const filter of bad) {
    const result = matchFilter(filter as HttpFilterSpec, probe(), directRegexRunner);
    assert.equal(result.result, 'unknown', JSON.stringify(filter));
  }
  const odd = { method: 'GET', path: undefined, pathAndQuery: undefined, headers: [null, { name: 'a' }] } as unknown as ProbeRequest;
  assert.equal(matchFilter(path('^/$'), odd, directRegexRunner).result, 'match');
  assert.notEqual(matchFilter(header('^a: $'), odd, directRegexRunner).result, undefined);
  assert.equal(matchFilter(header('x'), null as unknown as ProbeRequest, directRegexRunner).result, 'unknown');
});
