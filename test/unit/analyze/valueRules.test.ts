/**
 * Values of the right type that mirrord still refuses when it builds the session
 * (mirrord/config/src/lib.rs `LayerConfig::verify`, incoming.rs `bi_map_from_config`), and the
 * target combinations it refuses; each next to the nearest config mirrord accepts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import type { AnalyzeOptions, ConfigFormat } from '../../../src/core/types';
import { analyse, API_MANIFEST, verdicts } from './analyzeSupport';

function described(text: string, format: ConfigFormat = 'json', options: AnalyzeOptions = {}): string[] {
  return analyzeConfig(parseConfig(text, format), undefined, options)
    .findings.filter((f) => f.severity === 'error')
    .map((f) => `${f.code} @ ${text.slice(f.span.start, f.span.end)}`);
}

const incoming = (value: string) => `{"target": "deployment/api", "feature": {"network": {"incoming": ${value}}}}`;

describe('duplicate port mappings (mirrord 3.218)', () => {
  it('a local port mapped twice, on the second pair', () => {
    const text = incoming('{"mode": "mirror", "port_mapping": [[8080, 80], [8080, 81]]}');
    assert.deepEqual(described(text), ['duplicate-port-mapping @ [8080, 81]']);
    const [finding] = analyzeConfig(parseConfig(text, 'json')).findings;
    assert.match(finding.message, /port_mapping maps local port 8080 twice \(first in entry 1\): mirrord refuses duplicate ports since 3\.218/);
  });

  it('a remote port mapped twice, the same pair twice, and listen_ports', () => {
    assert.deepEqual(described(incoming('{"mode": "mirror", "port_mapping": [[1, 80], [2, 80]]}')), ['duplicate-port-mapping @ [2, 80]']);
    assert.deepEqual(described(incoming('{"mode": "mirror", "port_mapping": [[1, 2], [1, 2]]}')), ['duplicate-port-mapping @ [1, 2]']);
    assert.deepEqual(described(incoming('{"mode": "mirror", "listen_ports": [[80, 8111], [81, 8111]]}')), ['duplicate-port-mapping @ [81, 8111]']);
  });

  it('in YAML and TOML too', () => {
    assert.deepEqual(described('feature:\n  network:\n    incoming:\n      port_mapping: [[1, 2], [1, 3]]\n', 'yaml'), ['duplicate-port-mapping @ [1, 3]']);
    assert.deepEqual(described('[feature.network.incoming]\nport_mapping = [[1, 2], [3, 2]]\n', 'toml'), ['duplicate-port-mapping @ [3, 2]']);
  });

  it('distinct mappings, a mapping to the same port and a templated port are fine', () => {
    assert.deepEqual(described(incoming('{"mode": "mirror", "port_mapping": [[8080, 80], [9090, 90], [7, 7]]}')), []);
    assert.deepEqual(described(incoming('{"mode": "mirror", "port_mapping": [[{{ p }}, 80], [8080, 80]]}')), []);
  });

  it('with --mirrord-version before 3.218 (one mapping dropped silently then)', () => {
    const text = incoming('{"mode": "mirror", "port_mapping": [[8080, 80], [8080, 81]]}');
    assert.deepEqual(described(text, 'json', { mirrordVersion: '3.217.1' }), []);
    assert.deepEqual(described(text, 'json', { mirrordVersion: '3.218.0' }), ['duplicate-port-mapping @ [8080, 81]']);
  });
});

describe('env include with exclude', () => {
  const env = (value: string) => `{"feature": {"env": ${value}}}`;
  it('both set: an error on the second', () => {
    assert.deepEqual(described(env('{"include": "A;B", "exclude": ["C"]}')), ['env-include-exclude @ "exclude"']);
  });
  it('one of them, or one null, is fine', () => {
    assert.deepEqual(described(env('{"include": "A"}')), []);
    assert.deepEqual(described(env('{"include": "A", "exclude": null}')), []);
    assert.deepEqual(described(env('true')), []);
  });
});

describe('env override of a database branch variable', () => {
  const config = (override: string, connection: string) =>
    `{"target": "deployment/api", "feature": {"env": {"override": ${override}}, "db_branches": [{"type": "pg", "connection": ${connection}}]}}`;
  it('a variable the branch redirects', () => {
    assert.deepEqual(described(config('{"DB_URL": "postgres://localhost/local"}', '{"url": {"type": "env", "variable": "DB_URL"}}')), [
      'env-override-db-branch @ "DB_URL"',
    ]);
    assert.deepEqual(described(config('{"WRITE_URL": "x"}', '{"url": ["WRITE_URL", "READ_URL"]}')), ['env-override-db-branch @ "WRITE_URL"']);
    assert.deepEqual(described(config('{"H": "x"}', '{"params": {"host": "H"}}')), ['env-override-db-branch @ "H"']);
  });
  it('another variable is fine', () => {
    assert.deepEqual(described(config('{"OTHER_VAR": "value"}', '{"url": {"type": "env", "variable": "DB_URL"}}')), []);
  });
});

describe('the target with other settings', () => {
  it('copy_target with a label, service or targetless target', () => {
    for (const target of ['"label/app=api"', '"service/api"', '"targetless"']) {
      const text = `{"target": ${target}, "feature": {"copy_target": true}}`;
      assert.deepEqual(described(text), ['copy-target-unsupported @ "copy_target": true'], target);
    }
  });

  it('copy_target with a rollout, a deployment or a pod is fine', () => {
    for (const target of ['"rollout/api"', '"deployment/api"', '{"pod": "api-1"}']) {
      assert.deepEqual(described(`{"target": ${target}, "feature": {"copy_target": {"enabled": true}}}`), [], target);
    }
  });

  it('a target that needs the operator, or copy_target, with "operator": false', () => {
    assert.deepEqual(described('{"target": "job/my-job", "operator": false}'), ['operator-required @ "job/my-job"']);
    assert.deepEqual(described('operator = false\n\n[target]\nlabels = { app = "api" }\n', 'toml'), ['operator-required @ { app = "api" }']);
    assert.deepEqual(described('{"target": "deployment/api", "operator": false, "feature": {"copy_target": true}}'), [
      'operator-required @ "copy_target": true',
    ]);
    assert.deepEqual(described('{"target": "deployment/api", "operator": false}'), []);
    assert.deepEqual(described('{"target": "statefulset/db", "operator": true}'), []);
  });

  it('a label target with multi_cluster, queue splitting or database branches', () => {
    const label = '"target": "label/app=api"';
    assert.deepEqual(described(`{${label}, "multi_cluster": true}`), ['label-target-unsupported @ "multi_cluster"']);
    assert.deepEqual(described(`{${label}, "feature": {"split_queues": {"q": {"queue_type": "SQS"}}}}`), ['label-target-unsupported @ "split_queues"']);
    assert.deepEqual(described(`{${label}, "feature": {"db_branches": [{"type": "pg", "connection": {"url": "U"}}]}}`), [
      'label-target-unsupported @ "db_branches"',
    ]);
    assert.deepEqual(described(`{${label}, "multi_cluster": false, "feature": {"split_queues": {}, "db_branches": []}}`), []);
  });
});

describe('what mirrord accepts, and what it means for the verdicts', () => {
  it('http_filter: true or false is no filter: every probe on a stolen port is stolen', () => {
    for (const value of ['true', 'false']) {
      const text = incoming(`{"mode": "steal", "http_filter": ${value}}`).replace('"deployment/api"', '{"path": "deployment/api", "namespace": "shop"}');
      const { analysis } = analyse(text, 'json', API_MANIFEST);
      assert.deepEqual(
        analysis.findings.filter((f) => !f.code.endsWith('-probe-stolen')).map((f) => f.code),
        [],
        value,
      );
      assert.deepEqual(verdicts(analysis), { 'app/liveness': 'stolen', 'app/readiness': 'stolen', 'app/startup': 'stolen' });
    }
  });

  it('ignore_ports: [] next to ports is fine; a non-empty one is refused', () => {
    assert.deepEqual(described(incoming('{"mode": "mirror", "ports": [80], "ignore_ports": []}')), []);
    assert.deepEqual(described(incoming('{"mode": "mirror", "ports": [80], "ignore_ports": [81]}')), ['ports-with-ignore-ports @ "ignore_ports"']);
  });

  it('port 0 is a port (u16) and steals nothing a probe uses', () => {
    const text = incoming('{"mode": "steal", "ports": [0]}').replace('"deployment/api"', '{"path": "deployment/api", "namespace": "shop"}');
    const { analysis } = analyse(text, 'json', API_MANIFEST);
    assert.deepEqual(
      analysis.findings.filter((f) => f.severity === 'error').map((f) => f.code),
      [],
    );
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'safe', 'app/readiness': 'safe', 'app/startup': 'safe' });
  });
});
