/**
 * The MIRRORD_* environment over the file, as mirrord 3.250 applies it (docs/semantics.md section 1):
 * each variable replaces its own field only, a value mirrord cannot parse stops mirrord (an error
 * finding naming the variable, the value ignored), and the analysis lists what applied.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MIRRORD_ENV_VARIABLES } from '../../../src/core/analyze/envOverrides';
import type { AnalyzeOptions } from '../../../src/core/types';
import { analyse, API_MANIFEST, findingCodes, findingOf, jsonConfig, repoRoot, verdicts } from './analyzeSupport';

const SAFE_FILTER = '^User-Agent: (?!kube-probe)';
const ALL_STOLEN = { 'app/liveness': 'stolen', 'app/readiness': 'stolen', 'app/startup': 'stolen' };
const ALL_SAFE = { 'app/liveness': 'safe', 'app/readiness': 'safe', 'app/startup': 'safe' };

function run(config: string, env: Record<string, string>, options: AnalyzeOptions = {}) {
  return analyse(config, 'json', API_MANIFEST, { ...options, env });
}

describe('environment overrides', () => {
  test('the overrides that applied are listed with what they set', () => {
    const { analysis } = run(jsonConfig('"mirror"'), {
      MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'true',
      MIRRORD_HTTP_FILTER_PORTS: '8080;9100',
      MIRRORD_TARGET_NAMESPACE: 'shop',
      UNRELATED: 'x',
    });
    assert.deepEqual(
      analysis.envOverrides.map((o) => `${o.name}=${o.value} -> ${o.effect}`),
      [
        'MIRRORD_AGENT_TCP_STEAL_TRAFFIC=true -> incoming mode steal',
        'MIRRORD_HTTP_FILTER_PORTS=8080;9100 -> http_filter.ports',
        'MIRRORD_TARGET_NAMESPACE=shop -> target.namespace',
      ],
    );
    assert.deepEqual(verdicts(analysis), ALL_STOLEN);
  });

  test('no MIRRORD_* variable: nothing listed, the file decides', () => {
    const { analysis } = run(jsonConfig('"steal"'), { PATH: '/usr/bin' });
    assert.deepEqual(analysis.envOverrides, []);
    assert.deepEqual(verdicts(analysis), ALL_STOLEN);
  });

  test('MIRRORD_AGENT_TCP_STEAL_TRAFFIC takes mirrord\'s values only ("false" is off); anything else is an error and the file decides', () => {
    assert.deepEqual(verdicts(run(jsonConfig('"mirror"'), { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'steal' }).analysis), ALL_STOLEN);
    const off = run(jsonConfig('"steal"'), { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'false' }).analysis;
    assert.equal(off.steals, false);
    assert.equal(off.envOverrides[0].effect, 'incoming mode off');
    for (const value of ['TRUE', 'yes', ' true', '1', '']) {
      const { analysis } = run(jsonConfig('"steal"'), { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: value });
      const finding = findingOf(analysis, 'invalid-mode');
      assert.equal(finding.severity, 'error');
      assert.match(finding.message, /MIRRORD_AGENT_TCP_STEAL_TRAFFIC=.*mirrord refuses to start/);
      assert.deepEqual(analysis.envOverrides, [], `${JSON.stringify(value)} is not applied`);
      assert.equal(analysis.steals, true, 'the file still decides');
    }
  });

  test("a filter variable replaces only its own key: the file's path_filter stays, and two filter kinds stop mirrord", () => {
    const config = jsonConfig(`{"mode": "steal", "http_filter": {"path_filter": "^/api"}}`);
    const { analysis } = run(config, { MIRRORD_HTTP_HEADER_FILTER: SAFE_FILTER });
    const finding = findingOf(analysis, 'multiple-filters');
    assert.match(finding.message, /MIRRORD_HTTP_HEADER_FILTER/);
    assert.match(finding.message, /path_filter and header_filter|header_filter and path_filter/);
    assert.equal(analysis.envOverrides[0].effect, 'http_filter.header_filter');
  });

  test('MIRRORD_HTTP_HEADER_FILTER and MIRRORD_HTTP_PATH_FILTER together: mirrord refuses (neither silently wins)', () => {
    const { analysis } = run(jsonConfig('"steal"'), { MIRRORD_HTTP_HEADER_FILTER: SAFE_FILTER, MIRRORD_HTTP_PATH_FILTER: '^/api' });
    assert.match(findingOf(analysis, 'multiple-filters').message, /MIRRORD_HTTP_HEADER_FILTER, MIRRORD_HTTP_PATH_FILTER/);
  });

  test("the header variable over the file's header_filter: the variable wins, no conflict", () => {
    const config = jsonConfig(`{"mode": "steal", "http_filter": {"header_filter": "kube-probe"}}`);
    const { analysis } = run(config, { MIRRORD_HTTP_HEADER_FILTER: SAFE_FILTER });
    assert.deepEqual(verdicts(analysis), ALL_SAFE);
    assert.ok(!findingCodes(analysis).some((c) => c.startsWith('multiple-filters')));
    assert.ok(!findingCodes(analysis).some((c) => c.startsWith('filter-selects-probes')), "the file's backwards filter is not in force");
  });

  test('MIRRORD_HTTP_METHOD_FILTER=POST: the GET probes are not stolen', () => {
    const { analysis } = run(jsonConfig('"steal"'), { MIRRORD_HTTP_METHOD_FILTER: 'POST' });
    assert.deepEqual(verdicts(analysis), ALL_SAFE);
    assert.equal(analysis.envOverrides[0].name, 'MIRRORD_HTTP_METHOD_FILTER');
  });

  test('MIRRORD_HTTP_HEADER_FILTER_JQ: a jq program decides, so the verdicts are unknown', () => {
    const { analysis } = run(jsonConfig('"steal"'), { MIRRORD_HTTP_HEADER_FILTER_JQ: '.name == "x"' });
    assert.deepEqual(new Set(Object.values(verdicts(analysis))), new Set(['unknown']));
  });

  test('an empty filter variable is set (mirrord reads it as ""), and mirrord rejects empty filters', () => {
    const { analysis } = run(jsonConfig('"steal"'), { MIRRORD_HTTP_HEADER_FILTER: '' });
    assert.match(findingOf(analysis, 'empty-regex').message, /MIRRORD_HTTP_HEADER_FILTER=""/);
  });

  test('MIRRORD_HTTP_FILTER_PORTS splits on ";" as mirrord does; "80, 8080" does not parse', () => {
    const config = jsonConfig(`{"mode": "steal", "http_filter": {"header_filter": "${SAFE_FILTER}"}}`);
    // Only 9100 is filtered: the probes on 8080 are outside the filter ports, stolen whole (3.181+).
    assert.deepEqual(verdicts(run(config, { MIRRORD_HTTP_FILTER_PORTS: '9100' }).analysis), ALL_STOLEN);
    assert.deepEqual(verdicts(run(config, { MIRRORD_HTTP_FILTER_PORTS: '9100;8080' }).analysis), ALL_SAFE);
    for (const value of ['80, 8080', '8080,9100', '70000', 'http']) {
      const { analysis } = run(config, { MIRRORD_HTTP_FILTER_PORTS: value });
      assert.match(findingOf(analysis, 'invalid-port').message, /MIRRORD_HTTP_FILTER_PORTS/, value);
      assert.deepEqual(verdicts(analysis), ALL_SAFE, `${value}: ignored, the file's ports (none: every port) decide`);
    }
  });

  test("an invalid MIRRORD_IMPERSONATED_TARGET stops mirrord; the file's target is kept", () => {
    const { analysis } = run(jsonConfig('"steal"'), { MIRRORD_IMPERSONATED_TARGET: 'api' });
    assert.match(findingOf(analysis, 'invalid-target').message, /MIRRORD_IMPERSONATED_TARGET="api".*no kind/);
    assert.equal(analysis.lookup?.ref.name, 'api');
    assert.equal(analysis.lookup?.ref.kind, 'deployment');
  });

  test('MIRRORD_KUBECONFIG and MIRRORD_KUBE_CONTEXT go into the lookup and are listed', () => {
    const { analysis } = run(jsonConfig('"steal"'), { MIRRORD_KUBECONFIG: '/tmp/kc.yaml', MIRRORD_KUBE_CONTEXT: 'staging' });
    assert.equal(analysis.lookup?.kubeconfig, '/tmp/kc.yaml');
    assert.equal(analysis.lookup?.kubeContext, 'staging');
    assert.deepEqual(
      analysis.envOverrides.map((o) => o.name),
      ['MIRRORD_KUBECONFIG', 'MIRRORD_KUBE_CONTEXT'],
    );
  });

  test('every listed variable is one the engine reads (docs/semantics.md section 1 names them all)', () => {
    const semantics = fs.readFileSync(path.join(repoRoot(), 'docs', 'semantics.md'), 'utf8');
    for (const name of MIRRORD_ENV_VARIABLES) assert.ok(semantics.includes(name), `${name} in docs/semantics.md`);
  });
});
