/**
 * Every fix path of docs/semantics.md section 5, in JSON, YAML and TOML: the fix applies,
 * the result parses, re-analysis finds no liveness/readiness probe stolen while the session still
 * steals, every other key and comment is kept, and the fixed file is offered nothing more.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { getPath, nodeToJs } from '../../../src/core/config/configQuery';
import { applyTextEdits } from '../../../src/core/fix/structuralEdits';
import type { Analysis, ConfigFormat, Fix } from '../../../src/core/types';
import { analyse, API_MANIFEST, deployment, livenessOnly } from './analyzeSupport';
import { COMMENTS, render, type Plain } from './renderConfig';

const SAFE = '^User-Agent: (?!kube-probe)';
const INCOMING = ['feature', 'network', 'incoming'];
const FORMATS: ConfigFormat[] = ['json', 'yaml', 'toml'];

/**
 * The probe fixes. The JSON rendering carries comments on purpose (every fix must keep them), so
 * its strict-JSON findings and their fixes are left out here (test/unit/analyze/strictJson.test.ts).
 */
function allFixes(analysis: Analysis): Fix[] {
  const seen = new Map<string, Fix>();
  for (const finding of analysis.findings) {
    if (finding.code === 'strict-json') continue;
    for (const fix of finding.fixes) if (!seen.has(fix.title)) seen.set(fix.title, fix);
  }
  return [...seen.values()];
}

function plainWithout(text: string, format: ConfigFormat, path: string[]): unknown {
  const tree = nodeToJs(parseConfig(text, format).root) as any;
  let parent = tree;
  for (const key of path.slice(0, -1)) parent = parent?.[key];
  if (parent) delete parent[path[path.length - 1]];
  return tree;
}

interface FixCase {
  name: string;
  incoming: Plain;
  manifests?: string | null;
  /** Title of the fix to apply; default: the preferred one. */
  title?: string | RegExp;
  /** The titles offered, in order. */
  titles?: (string | RegExp)[];
  /** The `incoming` value after the fix. */
  expected: Plain;
}

/** A probe that sets its own User-Agent (like demo/manifests/search.yaml), served on 8000 only. */
const CUSTOM_AGENT = deployment(`        - name: search
          image: ghcr.io/example/search:0.9.7
          ports:
            - name: http
              containerPort: 8000
          livenessProbe:
            httpGet:
              path: /health?deep=false
              port: http
              httpHeaders:
                - name: User-Agent
                  value: health-checker/2.0
                - name: Cookie
                  value: probe_token=internal
          readinessProbe:
            httpGet:
              path: /health?deep=true
              port: 8000
              httpHeaders:
                - name: User-Agent
                  value: health-checker/2.0
`);

/** A probe that removes its User-Agent, on a container serving only 8080. */
const NO_AGENT = livenessOnly(`              path: /livez
              port: http
              httpHeaders:
                - name: User-Agent
                  value: ""
`);

/** The app serves 8080; its probes have a port of their own, 8081. */
const OWN_PROBE_PORT = deployment(`        - name: app
          image: ghcr.io/example/api:1.4.2
          ports:
            - name: http
              containerPort: 8080
            - name: health
              containerPort: 8081
          livenessProbe:
            httpGet: {path: /healthz, port: health}
          readinessProbe:
            httpGet: {path: /ready, port: health}
`);

/** Probes on the app's only port. */
const ONE_PORT = livenessOnly(`              path: /healthz
              port: http
`);

const ADD = 'Add kube-probe filter';
const fixCases: FixCase[] = [
  {
    name: '1. string "steal" -> object with the kube-probe filter',
    incoming: 'steal',
    manifests: ONE_PORT,
    titles: [ADD],
    expected: { mode: 'steal', http_filter: { header_filter: SAFE } },
  },
  {
    name: '1. string "steal", no target known yet (static finding) -> object with the filter',
    incoming: 'steal',
    manifests: null,
    titles: [ADD],
    expected: { mode: 'steal', http_filter: { header_filter: SAFE } },
  },
  {
    name: '1. object incoming without filter -> http_filter added, other incoming keys kept',
    incoming: { mode: 'steal', ignore_localhost: false, port_mapping: [[9999, 8080]] },
    manifests: ONE_PORT,
    titles: [ADD],
    expected: { mode: 'steal', ignore_localhost: false, port_mapping: [[9999, 8080]], http_filter: { header_filter: SAFE } },
  },
  {
    name: '1. http_filter with only ports -> header_filter added next to them',
    incoming: { mode: 'steal', http_filter: { ports: [8080] } },
    manifests: ONE_PORT,
    titles: [ADD],
    expected: { mode: 'steal', http_filter: { ports: [8080], header_filter: SAFE } },
  },
  {
    name: '2. an existing path filter that matches the probes -> all_of with the User-Agent filter',
    incoming: { mode: 'steal', http_filter: { path_filter: '^/(healthz|api)' } },
    manifests: ONE_PORT,
    titles: [ADD],
    expected: { mode: 'steal', http_filter: { all_of: [{ header: SAFE }, { path: '^/(healthz|api)' }] } },
  },
  {
    name: '2. an existing method filter that matches the probes -> all_of',
    incoming: { mode: 'steal', http_filter: { method_filter: 'GET' } },
    manifests: ONE_PORT,
    titles: [ADD],
    expected: { mode: 'steal', http_filter: { all_of: [{ header: SAFE }, { method: 'GET' }] } },
  },
  {
    name: '2. an existing all_of that matches the probes -> the User-Agent item appended',
    incoming: { mode: 'steal', http_filter: { all_of: [{ method: 'GET' }, { path: '^/' }] } },
    manifests: ONE_PORT,
    titles: [ADD],
    expected: { mode: 'steal', http_filter: { all_of: [{ method: 'GET' }, { path: '^/' }, { header: SAFE }] } },
  },
  {
    name: '2. the backwards "User-Agent: kube-probe" filter -> replaced by the documented one',
    incoming: { mode: 'steal', http_filter: { header_filter: 'User-Agent: kube-probe' } },
    manifests: ONE_PORT,
    titles: [ADD],
    expected: { mode: 'steal', http_filter: { header_filter: SAFE } },
  },
  {
    name: '2. the backwards filter, no target known yet -> replaced',
    incoming: { mode: 'steal', http_filter: { header_filter: '^user-agent: kube-probe/' } },
    manifests: null,
    titles: [ADD],
    expected: { mode: 'steal', http_filter: { header_filter: SAFE } },
  },
  {
    name: '3. a custom User-Agent under the documented filter -> all_of with a path exclusion',
    incoming: { mode: 'steal', http_filter: { header_filter: SAFE } },
    manifests: CUSTOM_AGENT,
    titles: ['Exclude /health from the filter'],
    expected: { mode: 'steal', http_filter: { all_of: [{ path: '^(?!/health(?:\\?|$))' }, { header: SAFE }] } },
  },
  {
    name: '3. a custom User-Agent and no filter -> all_of of the User-Agent filter and a path exclusion',
    incoming: 'steal',
    manifests: CUSTOM_AGENT,
    titles: ['Add kube-probe filter, excluding /health'],
    expected: { mode: 'steal', http_filter: { all_of: [{ header: SAFE }, { path: '^(?!/health(?:\\?|$))' }] } },
  },
  {
    name: '3. a removed User-Agent and no filter -> a path exclusion next to the User-Agent filter',
    incoming: { mode: 'steal' },
    manifests: NO_AGENT,
    titles: ['Add kube-probe filter, excluding /livez'],
    expected: { mode: 'steal', http_filter: { all_of: [{ header: SAFE }, { path: '^(?!/livez(?:\\?|$))' }] } },
  },
  {
    name: '3. a probe port of its own -> ignore_ports offered as the alternative (local port)',
    incoming: 'steal',
    manifests: OWN_PROBE_PORT,
    titles: [ADD, 'Leave probe port 8081 to the pod (ignore_ports)'],
    title: /ignore_ports/,
    expected: { mode: 'steal', ignore_ports: [8081] },
  },
  {
    name: '3. ignore_ports takes the LOCAL port through port_mapping',
    incoming: { mode: 'steal', port_mapping: [[18081, 8081]] },
    manifests: OWN_PROBE_PORT,
    titles: [ADD, 'Leave probe port 8081 to the pod (ignore_ports: local port 18081)'],
    title: /ignore_ports/,
    expected: { mode: 'steal', port_mapping: [[18081, 8081]], ignore_ports: [18081] },
  },
  {
    name: '3. ignore_ports not offered when incoming.ports is set: the port is taken out of the list instead',
    incoming: { mode: 'steal', ports: [8080, 8081] },
    manifests: OWN_PROBE_PORT,
    titles: [ADD, 'Leave probe port 8081 to the pod (remove it from incoming.ports)'],
    expected: { mode: 'steal', ports: [8080, 8081], http_filter: { header_filter: SAFE } },
  },
  {
    name: '3. the probe port out of incoming.ports (the alternative)',
    incoming: { mode: 'steal', ports: [8080, 8081] },
    manifests: OWN_PROBE_PORT,
    titles: [ADD, 'Leave probe port 8081 to the pod (remove it from incoming.ports)'],
    title: /incoming\.ports/,
    expected: { mode: 'steal', ports: [8080] },
  },
  {
    name: '3. not when the probe port is the only one listed (that would steal nothing)',
    incoming: { mode: 'steal', ports: [8081] },
    manifests: OWN_PROBE_PORT,
    titles: [ADD],
    expected: { mode: 'steal', ports: [8081], http_filter: { header_filter: SAFE } },
  },
  {
    name: '4. a probe port outside http_filter.ports -> the port added to the list',
    incoming: { mode: 'steal', http_filter: { header_filter: SAFE, ports: [9000] } },
    manifests: ONE_PORT,
    titles: ['Add 8080 to http_filter.ports'],
    expected: { mode: 'steal', http_filter: { header_filter: SAFE, ports: [9000, 8080] } },
  },
];

describe('fix paths of section 5', () => {
  for (const c of fixCases) {
    for (const format of FORMATS) {
      test(`${c.name} [${format}]`, () => {
        const text = render(format, c.incoming);
        const manifests = c.manifests === null ? undefined : (c.manifests ?? API_MANIFEST);
        const before = analyse(text, format, manifests);
        assert.deepEqual(before.parsed.problems, [], `the ${format} config parses:\n${text}`);
        if (manifests) assert.ok(before.resolution?.ok, 'target resolves');
        const fixes = allFixes(before.analysis);
        if (c.titles) {
          assert.equal(fixes.length, c.titles.length, `fixes offered: ${fixes.map((f) => f.title).join(' | ')}`);
          c.titles.forEach((t, i) => (typeof t === 'string' ? assert.equal(fixes[i].title, t) : assert.match(fixes[i].title, t)));
        }
        assert.equal(fixes.filter((f) => f.isPreferred).length, 1, 'exactly one preferred fix');
        const fix =
          c.title === undefined
            ? fixes.find((f) => f.isPreferred)!
            : fixes.find((f) => (typeof c.title === 'string' ? f.title === c.title : c.title!.test(f.title)))!;
        assert.ok(fix, 'the fix is offered');
        for (const edit of fix.edits) assert.doesNotMatch(edit.newText, /\{[{%#]/, 'no template tags written');

        const fixed = applyTextEdits(text, fix.edits);
        const after = analyse(fixed, format, manifests);
        assert.deepEqual(after.parsed.problems, [], `the fixed text parses:\n${fixed}`);
        assert.deepEqual(nodeToJs(getPath(after.parsed.root, INCOMING)), c.expected, `fixed:\n${fixed}`);

        // Still steals, nothing at risk, no config error introduced.
        assert.equal(after.analysis.steals, true);
        assert.ok(!after.analysis.probes.some((p) => p.verdict === 'stolen' && p.probe.probe !== 'startup'), fixed);
        const risky = after.analysis.findings.filter((f) => (f.severity === 'error' || f.severity === 'warning') && f.code !== 'strict-json');
        assert.deepEqual(
          risky.map((f) => `${f.code}: ${f.message}`),
          [],
          fixed,
        );

        // Every other key and every comment kept.
        assert.deepEqual(plainWithout(fixed, format, INCOMING), plainWithout(text, format, INCOMING));
        for (const comment of COMMENTS[format]) assert.ok(fixed.includes(comment), `comment ${comment} kept:\n${fixed}`);
        assert.ok(fixed.startsWith(text.slice(0, fix.edits[0].offset)), 'text before the edit untouched');

        // Idempotent: the fixed file is offered nothing more.
        assert.deepEqual(
          allFixes(after.analysis).map((f) => f.title),
          [],
          `fix offered again on:\n${fixed}`,
        );
      });
    }
  }
});

describe('no fix when none is certainly correct', () => {
  const none: { name: string; incoming: Plain; manifests: string }[] = [
    {
      name: 'any_of with a jq member whose other member selects the probes',
      incoming: { mode: 'steal', http_filter: { any_of: [{ path: '^/' }, { query: '.user == "alice"' }] } },
      manifests: ONE_PORT,
    },
    {
      name: 'any_of with a body member',
      incoming: { mode: 'steal', http_filter: { any_of: [{ header: 'kube-probe' }, { body: 'json', query: '$.user', matches: 'alice' }] } },
      manifests: ONE_PORT,
    },
  ];
  for (const c of none) {
    for (const format of FORMATS) {
      test(`${c.name} [${format}]`, () => {
        const { analysis, parsed } = analyse(render(format, c.incoming), format, c.manifests);
        assert.deepEqual(parsed.problems, []);
        assert.ok(
          analysis.findings.some((f) => f.code === 'liveness-probe-stolen'),
          'the probe is stolen',
        );
        assert.deepEqual(
          allFixes(analysis).map((f) => f.title),
          [],
        );
      });
    }
  }

  test('two filter kinds at once (a config error): no fix', () => {
    const text = render('json', { mode: 'steal', http_filter: { header_filter: '.*', path_filter: '^/' } });
    const { analysis } = analyse(text, 'json', ONE_PORT);
    assert.ok(analysis.findings.some((f) => f.code === 'multiple-filters'));
    assert.deepEqual(allFixes(analysis), []);
  });

  test('a filter from MIRRORD_HTTP_HEADER_FILTER is not in the file: no filter fix', () => {
    const { analysis } = analyse(render('json', 'steal'), 'json', ONE_PORT, { env: { MIRRORD_HTTP_HEADER_FILTER: 'kube-probe' } });
    assert.ok(analysis.findings.some((f) => f.code === 'liveness-probe-stolen'));
    assert.deepEqual(allFixes(analysis), []);
  });

  test('a safe config is offered nothing', () => {
    const { analysis } = analyse(render('yaml', { mode: 'steal', http_filter: { header_filter: SAFE } }), 'yaml', API_MANIFEST);
    assert.deepEqual(analysis.findings, []);
  });

  test('a fix is never offered for a templated incoming', () => {
    const text = render('json', 'steal').replace('"steal"', '{{ get_env(name="MODE") }}');
    const { analysis } = analyse(text, 'json', ONE_PORT);
    assert.deepEqual(allFixes(analysis), []);
    assert.ok(analysis.probes.every((p) => p.verdict === 'unknown'));
  });
});
