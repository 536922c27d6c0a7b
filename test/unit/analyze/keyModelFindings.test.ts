/**
 * What mirrord refuses anywhere in the file, from the key model: unknown keys in every section
 * (with the closest key, or the section a key belongs in), `$schema`, wrong types and values,
 * keys that no form takes together, missing keys; and what mirrord accepts staying clean.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { keyModelFindings } from '../../../src/core/analyze/keyModelFindings';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { applyTextEdits } from '../../../src/core/fix/applyTextEdits';
import type { ConfigFormat, Finding } from '../../../src/core/types';

function findings(text: string, format: ConfigFormat = 'json'): Finding[] {
  return analyzeConfig(parseConfig(text, format)).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
}

/** `code @ the text it covers`, for every error or warning. */
function described(text: string, format: ConfigFormat = 'json'): string[] {
  return findings(text, format).map((f) => `${f.code} @ ${text.slice(f.span.start, f.span.end)}`);
}

const MIRROR = (feature: string) => `{"target": "deployment/api", "feature": ${feature}}`;

describe('unknown keys in every section mirrord closes', () => {
  const cases: [string, string, string][] = [
    ['the top level', '{"target": "deployment/api", "pause": true}', '"pause"'],
    ['agent', '{"agent": {"namespace": "x", "ttl_seconds": 30}}', '"ttl_seconds"'],
    ['agent.image_pull_secrets items', '{"agent": {"image_pull_secrets": [{"name": "s", "unknown": "v"}]}}', '"unknown"'],
    ['agent.dns', '{"agent": {"dns": {"timeout": 1, "retries": 2}}}', '"retries"'],
    ['feature', MIRROR('{"hostnames": true}'), '"hostnames"'],
    ['feature.env', MIRROR('{"env": {"includes": "A"}}'), '"includes"'],
    ['feature.fs', MIRROR('{"fs": {"mode": "read", "readonly": ["a"]}}'), '"readonly"'],
    ['feature.network', MIRROR('{"network": {"incomming": "mirror"}}'), '"incomming"'],
    ['feature.network.incoming', MIRROR('{"network": {"incoming": {"mode": "mirror", "port_mappings": [[1, 2]]}}}'), '"port_mappings"'],
    ['http_filter', MIRROR('{"network": {"incoming": {"mode": "mirror", "http_filter": {"headers_filter": "x"}}}}'), '"headers_filter"'],
    ['tls_delivery', MIRROR('{"network": {"incoming": {"tls_delivery": {"protocol": "tls", "unknown": true}}}}'), '"unknown"'],
    ['outgoing', MIRROR('{"network": {"outgoing": {"tcp": true, "icmp": false}}}'), '"icmp"'],
    ['outgoing.filter', MIRROR('{"network": {"outgoing": {"filter": {"locals": ["a"]}}}}'), '"locals"'],
    ['dns', MIRROR('{"network": {"dns": {"enabled": true, "filters": {}}}}'), '"filters"'],
    ['copy_target', MIRROR('{"copy_target": {"enabled": true, "scaledown": true}}'), '"scaledown"'],
    ['a split queue', MIRROR('{"split_queues": {"orders": {"queue_type": "Kafka", "unknown": true}}}'), '"unknown"'],
    ['a database branch', MIRROR('{"db_branches": [{"type": "mysql", "connection": {"url": "DB_URL"}, "unknown": true}]}'), '"unknown"'],
    ['a Redis branch', MIRROR('{"db_branches": [{"type": "redis", "connection": {"url": "REDIS_URL"}, "unknown": true}]}'), '"unknown"'],
    ['preview', MIRROR('{"preview": {"image": "x", "ttl": 5}}'), '"ttl"'],
    ['experimental', '{"experimental": {"readlink": true}}', '"readlink"'],
    ['internal_proxy', '{"internal_proxy": {"idle_timeout": 5, "log": "x"}}', '"log"'],
    ['external_proxy', '{"external_proxy": {"jsonlog": true}}', '"jsonlog"'],
    ['container', '{"container": {"cli_images": "x"}}', '"cli_images"'],
    ['startup_retry', '{"startup_retry": {"min": 1}}', '"min"'],
    ['target', '{"target": {"path": "pod/a", "namespaces": "x"}}', '"namespaces"'],
    ['target.path', '{"target": {"path": {"deployment": "a", "containers": "b"}}}', '"containers"'],
  ];
  for (const [section, text, key] of cases) {
    it(`in ${section}`, () => {
      assert.deepEqual(described(text), [`unknown-key @ ${key}`], JSON.stringify(findings(text).map((f) => f.message)));
    });
  }

  it('suggests the closest key, and a fix renaming it that reads back with only that change', () => {
    const text = MIRROR('{"network": {"incoming": {"mode": "mirror", "port_mappings": [[1, 2]]}}}');
    const [finding] = findings(text);
    assert.match(finding.message, /Unknown key "port_mappings" in feature\.network\.incoming: mirrord rejects unknown keys\. Did you mean "port_mapping"\?/);
    assert.equal(finding.fixes.length, 1);
    assert.equal(finding.fixes[0].title, 'Rename "port_mappings" to "port_mapping"');
    assert.equal(finding.fixes[0].isPreferred, false, 'a guess is never applied by fix-all');
    const fixed = applyTextEdits(text, finding.fixes[0].edits);
    assert.equal(fixed, text.replace('"port_mappings"', '"port_mapping"'));
    assert.deepEqual(findings(fixed), []);
  });

  it('a huge unknown key costs no more than its length: it is not compared with every known key character by character', () => {
    const key = `fx${'y'.repeat(200_000)}`;
    const text = `{"${key}": 1, "feature": {"${key}": 2, "fx": "read"}}`;
    const started = process.cpuUsage();
    const found = findings(text);
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    assert.deepEqual(
      found.map((f) => f.code),
      ['unknown-key', 'unknown-key', 'unknown-key'],
    );
    assert.match(found[2].message, /Did you mean "fs"\?/, 'a short typo still gets its suggestion');
    // Before: 200,000 x ~15 characters for each of ~40 keys, twice: seconds.
    assert.ok(ms < 1000, `${Math.round(ms)} ms of CPU`);
  });

  it('renames in YAML and TOML too', () => {
    const yaml = 'feature:\n  network:\n    incoming:\n      mode: mirror\n      ignore_port: [9999]\n';
    const [finding] = findings(yaml, 'yaml');
    assert.equal(finding.code, 'unknown-key');
    assert.equal(applyTextEdits(yaml, finding.fixes[0].edits), yaml.replace('ignore_port:', 'ignore_ports:'));
    const toml = '[feature.network.incoming]\nmode = "mirror"\nignore_port = [9999]\n';
    const [tomlFinding] = findings(toml, 'toml');
    assert.equal(applyTextEdits(toml, tomlFinding.fixes[0].edits), toml.replace('ignore_port =', 'ignore_ports ='));
  });

  it('names the section a key belongs in when it is not a typo', () => {
    const [finding] = findings(MIRROR('{"incoming": {"listen_ports": [[80, 7111]]}}'));
    assert.match(finding.message, /Unknown key "incoming" in feature: .* "incoming" belongs in feature\.network\./);
    assert.deepEqual(finding.fixes, []);
    const [other] = findings('{"target": {"path": {"deployment": "a", "namespace": "ns"}}}');
    assert.match(other.message, /"namespace" belongs in target\./);
  });

  it('names the tag value that takes a key of another variant of a tagged section', () => {
    // `location` is a key of Redis branches only: on a MySQL branch mirrord rejects it.
    const [finding] = findings(MIRROR('{"db_branches": [{"type": "mysql", "location": "remote", "connection": {"url": "DB_URL"}}]}'));
    assert.equal(finding.code, 'unknown-key');
    assert.match(
      finding.message,
      /Unknown key "location" in feature\.db_branches\[0\]: mirrord rejects unknown keys\. "location" is a key only with "type": "redis"\.$/,
    );
    assert.deepEqual(described(MIRROR('{"db_branches": [{"type": "redis", "location": "local"}]}')), []);
  });

  it('a root "$schema" is its own finding; a nested one an unknown key', () => {
    assert.deepEqual(described('{"$schema": "https://x/s.json", "target": "targetless"}'), ['schema-key @ "$schema"']);
    assert.deepEqual(described('{"agent": {"$schema": "x"}}'), ['unknown-key @ "$schema"']);
  });

  it('an unknown key set to null is still refused (deny_unknown_fields looks at names)', () => {
    assert.deepEqual(described('{"pause": null}'), ['unknown-key @ "pause"']);
  });

  it('takes any key in maps and Kubernetes types, and any value where mirrord has no structure', () => {
    const text = `{
      "agent": {"labels": {"team/x": "a"}, "annotations": {"b": "c"}, "node_selector": {"d": "e"},
                "tolerations": [{"key": "k", "operator": "Exists", "futureField": 1}],
                "resources": {"limits": {"cpu": "1", "memory": 512}}},
      "feature": {
        "env": {"override": {"ANY_NAME": "x"}, "mapping": {".+_TIMEOUT": "1"}},
        "fs": {"mapping": {"/a/(.*)": "/b/$1"}},
        "split_queues": {"my-queue": {"queue_type": "SQS", "message_filter": {"attr": ".*"}}},
        "db_branches": [{"type": "pg", "connection": {"params": {"host": "H", "sslmode": {"anything": [1]}}}, "query_params": {"sslmode": "off"}}]
      }
    }`;
    assert.deepEqual(described(text), []);
  });

  it('never judges a templated key or a templated section', () => {
    assert.deepEqual(described('{"agent": {"{{ get_env(name=\\"K\\") }}": 1}}'), []);
    assert.deepEqual(described('{"agent": {{ get_env(name="AGENT") }}}'), []);
  });
});

describe('values of the wrong type or form', () => {
  const cases: [string, string, string, RegExp][] = [
    [
      'method_filter as a list',
      MIRROR('{"network": {"incoming": {"mode": "steal", "http_filter": {"method_filter": ["POST", "PUT"]}}}}'),
      'invalid-filter @ ["POST", "PUT"]',
      /any_of/,
    ],
    [
      'header_filter as a jq object',
      MIRROR('{"network": {"incoming": {"mode": "steal", "http_filter": {"header_filter": {"query": ".a"}}}}}'),
      'invalid-filter @ {"query": ".a"}',
      /header_filter_jq/,
    ],
    ['a mode in the wrong case', MIRROR('{"network": {"incoming": {"mode": "Steal"}}}'), 'invalid-mode @ "Steal"', /steal/],
    [
      'an fs mode that does not exist',
      MIRROR('{"fs": {"mode": "readonly"}}'),
      'invalid-type @ "readonly"',
      /one of "local", "localwithoverrides", "read", "write"/,
    ],
    ['a string for a bool', '{"operator": "yes"}', 'invalid-type @ "yes"', /operator must be true or false, not a string/],
    ['a number for a string', '{"kube_context": 1}', 'invalid-type @ 1', /kube_context must be a string, not 1/],
    [
      'an object for a list',
      MIRROR('{"env": {"unset": {"A": 1}}}'),
      'invalid-type @ {"A": 1}',
      /feature\.env\.unset must be a string or a list, not an object/,
    ],
    ['a fraction for an integer', '{"agent": {"ttl": 1.5}}', 'invalid-type @ 1.5', /agent\.ttl must be an integer from 0 to 65535/],
    ['8080.0 for an integer (serde_json reads no float as u16)', '{"agent": {"ttl": 30.0}}', 'invalid-type @ 30.0', /30\.0/],
    ['an integer out of range', '{"agent": {"communication_timeout": 70000}}', 'invalid-type @ 70000', /from 0 to 65535/],
    ['a negative port', MIRROR('{"network": {"incoming": {"listen_ports": [[-1, 80]]}}}'), 'invalid-type @ -1', /listen_ports\[0\]\[0\]/],
    ['a three-port mapping', MIRROR('{"network": {"incoming": {"listen_ports": [[1, 2, 3]]}}}'), 'invalid-type @ [1, 2, 3]', /exactly 2 values/],
    ['a target that is a number', '{"target": 42}', 'invalid-target @ 42', /string/],
    [
      'keys of two inner filters in one item',
      MIRROR('{"network": {"incoming": {"mode": "steal", "http_filter": {"all_of": [{"header": "^a: b$", "path": "^/x"}]}}}}'),
      'invalid-type @ {"header": "^a: b$", "path": "^/x"}',
      /no form with "header" and "path"/,
    ],
    [
      'a database branch of an unknown type',
      MIRROR('{"db_branches": [{"type": "postgres", "connection": {"url": "U"}}]}'),
      'invalid-type @ "postgres"',
      /"pg"/,
    ],
    ['a split queue of an unknown type', MIRROR('{"split_queues": {"q": {"queue_type": "SQs"}}}'), 'invalid-type @ "SQs"', /Did you mean "SQS"\?/],
    [
      'a null where mirrord has no Option',
      MIRROR('{"db_branches": [{"type": "pg", "connection": {"url": "U"}, "creation_timeout_secs": null}]}'),
      'invalid-type @ null',
      /creation_timeout_secs/,
    ],
  ];
  for (const [name, text, expected, message] of cases) {
    it(name, () => {
      const found = findings(text);
      assert.deepEqual(
        found.map((f) => `${f.code} @ ${text.slice(f.span.start, f.span.end)}`),
        [expected],
        found.map((f) => f.message).join('\n'),
      );
      assert.match(found[0].message, message);
    });
  }

  it('in YAML, a scalar of another type is left to mirrord (its reader may coerce it); a mapping for a scalar is not', () => {
    assert.deepEqual(described('agent:\n  ttl: "30"\n  privileged: "yes"\n', 'yaml'), []);
    assert.deepEqual(described('agent:\n  ttl:\n    seconds: 30\n', 'yaml'), ['invalid-type @ seconds: 30\n']);
  });

  it('in TOML types are strict', () => {
    assert.deepEqual(described('[agent]\nttl = "30"\n', 'toml'), ['invalid-type @ "30"']);
  });
});

describe('missing keys', () => {
  it('a database branch without its connection', () => {
    const text = MIRROR('{"db_branches": [{"type": "dynamodb", "copy": {"mode": "all"}}]}');
    const [finding] = findings(text);
    assert.equal(finding.code, 'missing-key');
    assert.match(finding.message, /feature\.db_branches\[0\] needs "connection"/);
  });

  it('a database branch without its type', () => {
    const [finding] = findings(MIRROR('{"db_branches": [{"connection": {"url": "U"}}]}'));
    assert.equal(finding.code, 'missing-key');
    assert.match(finding.message, /needs "type" \(one of "clickhouse", .*"pg"/);
  });

  it('a TLS delivery without its protocol, reported on its key', () => {
    const text = MIRROR('{"network": {"incoming": {"tls_delivery": {"server_name": "x"}}}}');
    assert.deepEqual(described(text), ['missing-key @ "tls_delivery"']);
  });

  it('no missing-key where a template may supply it', () => {
    assert.deepEqual(described(MIRROR('{"db_branches": [{"type": "pg" {% if x %}, "connection": {"url": "U"}{% endif %}}]}')), []);
  });
});

describe('what mirrord accepts stays clean', () => {
  const accepted: [string, string][] = [
    ['http_filter: true', MIRROR('{"network": {"incoming": {"mode": "mirror", "http_filter": true}}}')],
    ['http_filter: false', MIRROR('{"network": {"incoming": {"mode": "mirror", "http_filter": false}}}')],
    ['ignore_ports: [] next to ports', MIRROR('{"network": {"incoming": {"mode": "mirror", "ports": [80], "ignore_ports": []}}}')],
    ['mode: null', MIRROR('{"network": {"incoming": {"mode": null}}}')],
    ['incoming: true / false / null', MIRROR('{"network": {"incoming": true, "outgoing": false, "dns": null}}')],
    [
      'port 0 where mirrord takes a u16',
      MIRROR('{"network": {"incoming": {"mode": "mirror", "ports": [0], "port_mapping": [[0, 8080]], "listen_ports": [[80, 0]]}}}'),
    ],
    ['http_filter.ports as one port', MIRROR('{"network": {"incoming": {"mode": "mirror", "http_filter": {"header_filter": "^x: y$", "ports": 0}}}}')],
    [
      'a null for every optional key',
      '{"target": null, "agent": null, "feature": {"env": null, "fs": null, "network": {"incoming": {"mode": null, "ports": null, "http_filter": {"header_filter": null, "ports": null}}}, "copy_target": null}, "operator": null}',
    ],
    ['every target form', '{"target": {"path": {"labels": {"app": "api"}, "container": "c"}, "namespace": "shop"}}'],
    ['a target object path given directly', '{"target": {"rollout": "api", "container": "app"}}'],
    ['the string and object forms of fs', MIRROR('{"fs": "read"}')],
    ['an env string list form', MIRROR('{"env": {"include": "A;B", "unset": ["C"]}}')],
    [
      'a Redis branch with its location left to the default',
      MIRROR('{"db_branches": [{"type": "redis", "connection": {"url": "REDIS_URL"}, "copy": {"mode": "empty"}}]}'),
    ],
    ['the list form of split_queues', MIRROR('{"split_queues": [{"queue_id": "q", "queue_type": "Kafka", "message_filter": {"k": "v"}}]}')],
    ['a preview ttl keyword', MIRROR('{"preview": {"ttl_mins": "infinite"}}')],
  ];
  for (const [name, text] of accepted) {
    it(name, () => assert.deepEqual(described(text), []));
  }

  it('copy_target with a rollout target', () => {
    assert.deepEqual(described('{"target": "rollout/api", "feature": {"copy_target": {"scale_down": true}, "network": {"incoming": "mirror"}}}'), []);
  });
});

describe('keyModelFindings on its own', () => {
  it('returns nothing for an empty or unparsable file, and never throws on odd trees', () => {
    assert.deepEqual(keyModelFindings(parseConfig('', 'json')), []);
    assert.deepEqual(
      keyModelFindings(parseConfig('[1, 2]', 'json')).map((f) => f.code),
      ['invalid-type'],
    );
    assert.doesNotThrow(() => keyModelFindings(parseConfig('{"feature": {"network": {"incoming": {"http_filter": {"all_of": [[[[]]]]}}}}}', 'json')));
  });
});
