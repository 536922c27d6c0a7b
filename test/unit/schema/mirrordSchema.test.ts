// schemas/mirrord.schema.json (generated from mirrord's own schema by
// scripts/generate-key-model.mjs), checked with ajv under the draft the schema declares: every demo
// config and every non-templated fixture validates, a complete mirrord 3.250 config validates, the
// sections mirrord closes reject unknown keys while its maps take any, what mirrord accepts
// validates and wrong types are rejected. Also: package.json points the right files at it.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Ajv, { type ValidateFunction } from 'ajv';
import { getLanguageService, TextDocument } from 'vscode-json-languageservice';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { configFormatForFileName } from '../../../src/core/config/configFormat';
import { nodeToJs } from '../../../src/core/config/configQuery';
import { CONFIG_FIXTURES } from '../config/fixtures';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SCHEMA_PATH = join(ROOT, 'schemas', 'mirrord.schema.json');
const DEMO_CONFIGS = join(ROOT, 'demo', 'workspace', '.mirrord');

const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  contributes: {
    jsonValidation: { fileMatch: string | string[]; url: string }[];
    yamlValidation: { fileMatch: string | string[]; url: string }[];
  };
};

function compile(): ValidateFunction {
  // The schema declares draft-07, which is what the default Ajv class implements. Strict mode
  // stays on (unknown formats, bad keywords fail the compile); only VS Code's own annotation
  // keywords are declared.
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  ajv.addVocabulary(['enumDescriptions', 'markdownDescription', 'markdownEnumDescriptions', 'deprecationMessage', 'defaultSnippets']);
  return ajv.compile(schema);
}

const validate = compile();

function errorsOf(value: unknown): string {
  validate(value);
  return JSON.stringify(validate.errors ?? [], null, 1);
}

function assertValid(value: unknown, label: string): void {
  assert.equal(validate(value), true, `${label} should validate: ${errorsOf(value)}`);
}

function assertInvalid(value: unknown, label: string, at: string): void {
  assert.equal(validate(value), false, `${label} should be rejected`);
  const paths = (validate.errors ?? []).map((e) => e.instancePath);
  assert.ok(
    paths.some((p) => p === at || p.startsWith(`${at}/`)),
    `${label}: an error at ${at}, got ${JSON.stringify(paths)}`,
  );
}

/** The config as plain JS, parsed by the project's own parser; undefined when a template is in it. */
function toJs(text: string, format: 'json' | 'yaml' | 'toml'): unknown {
  const parsed = parseConfig(text, format);
  if (parsed.templateSpans.length > 0) return undefined;
  assert.deepEqual(parsed.problems, [], 'parses without problems');
  return nodeToJs(parsed.root);
}

/** A mirrord 3.250 config with keys of every section (mirrord's "complete" example and more). */
const COMPLETE_CONFIG = {
  accept_invalid_certificates: false,
  skip_processes: 'ide-debugger',
  skip_build_tools: true,
  skip_extra_build_tools: ['bash', 'node'],
  skip_sip: 'git',
  sip_binaries: 'bash',
  telemetry: true,
  use_proxy: false,
  profile: 'my-namespace/my-profile',
  key: 'my-session-key',
  baggage: 'mirrord-session=abc',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  kubeconfig: '~/.kube/config',
  kube_context: 'my-cluster',
  operator: true,
  multi_cluster: false,
  target: { path: 'deployment/bear/container/app', namespace: 'default' },
  agent: {
    log_level: 'info',
    json_log: false,
    labels: { user: 'meow' },
    annotations: { 'cats.io/inject': 'enabled' },
    namespace: 'default',
    image: 'ghcr.io/metalbear-co/mirrord:latest',
    image_pull_policy: 'IfNotPresent',
    image_pull_secrets: [{ name: 'secret' }],
    ttl: 30,
    ephemeral: false,
    communication_timeout: 30,
    startup_timeout: 360,
    flush_connections: true,
    privileged: false,
    tolerations: [{ key: 'node-role', operator: 'Exists', effect: 'NoSchedule' }],
    resources: { requests: { cpu: '1m', memory: '1Mi' }, limits: { cpu: '100m', memory: 100 } },
    metrics: '0.0.0.0:9000',
    exclude_from_mesh: false,
    dns: { timeout: 2, attempts: 3 },
  },
  feature: {
    env: {
      include: 'DATABASE_USER;PUBLIC_ENV',
      override: { DATABASE_CONNECTION: 'db://localhost:7777/my-db', LOCAL_BEAR: 'panda' },
      mapping: { '.+_TIMEOUT': '1000' },
      env_file: '.env',
      load_from_process: false,
      unset: ['AWS_PROFILE'],
    },
    fs: {
      mode: 'write',
      read_write: '.+\\.json',
      read_only: ['.+\\.yaml', '.+important-file\\.txt'],
      local: ['.+\\.js', '.+\\.mjs'],
      not_found: ['\\.config/gcloud'],
      mapping: { '/home/me/(.*)': '/app/$1' },
    },
    network: {
      incoming: {
        mode: 'steal',
        http_filter: { header_filter: '^User-Agent: (?!kube-probe)', ports: [80, 8080] },
        port_mapping: [[7777, 8888]],
        ignore_localhost: false,
        ignore_ports: [9999, 10000],
        listen_ports: [[80, 8111]],
        on_concurrent_steal: 'abort',
        tls_delivery: { protocol: 'tls', trust_roots: ['/path/to/cert.pem'] },
      },
      outgoing: {
        tcp: true,
        udp: true,
        filter: { local: ['tcp://1.1.1.0/24:1337', '1.1.5.0/24', 'google.com', ':53'] },
        ignore_localhost: false,
        unix_streams: 'bear.+',
      },
      dns: { enabled: true, filter: { local: ['1.1.1.0/24:1337', '1.1.5.0/24', 'google.com'] } },
      ipv6: false,
    },
    copy_target: { enabled: true, scale_down: false, exclude_containers: ['sidecar'] },
    hostname: true,
    split_queues: { 'first-queue': { queue_type: 'SQS', message_filter: { wows: 'so wows' } } },
    db_branches: [{ type: 'pg', connection: { url: { type: 'env', variable: 'DB_URL' } }, copy: { mode: 'schema' } }],
    preview: { image: 'registry/app:dev', ttl_mins: 'infinite' },
    magic: { aws: false },
  },
  experimental: {
    trust_any_certificate: false,
    enable_exec_hooks_linux: true,
    hide_ipv6_interfaces: false,
    disable_reuseaddr: false,
    use_dev_null: false,
    idle_local_http_connection_timeout: 100,
  },
  internal_proxy: { start_idle_timeout: 30, idle_timeout: 5, log_level: 'info', log_destination: '/tmp/mirrord-intproxy.log' },
  external_proxy: { start_idle_timeout: 30, idle_timeout: 5, log_level: 'info', json_log: true },
  container: { cli_image: 'ghcr.io/metalbear-co/mirrord-cli:latest', cli_prevent_cleanup: false },
  ci: { output_dir: '/tmp/mirrord-ci' },
  startup_retry: { min_ms: 500, max_ms: 5000, max_retries: 5 },
};

/** Deep copy with one value replaced at `path` (creating objects along the way; numbers index lists). */
function withValue(base: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
  return copy;
}

const INCOMING = ['feature', 'network', 'incoming'];
const FILTER = [...INCOMING, 'http_filter'];
const STEAL = { target: 'deployment/api', feature: { network: { incoming: { mode: 'steal' } } } };

describe('mirrord.schema.json', () => {
  it("is generated from mirrord's schema, with its descriptions and the source named", () => {
    assert.match(String(schema.$comment), /metalbear-co\/mirrord mirrord-schema\.json \(mirrord 3\.250\.0, MIT licence\)/);
    const filter = (schema.definitions as Record<string, any>).HttpFilterFileConfig;
    assert.match(filter.properties.header_filter.markdownDescription, /fancy-regex/);
    assert.equal(filter.additionalProperties, false);
  });

  it('every demo config validates', () => {
    const files = readdirSync(DEMO_CONFIGS).sort();
    assert.ok(files.length >= 8, `demo configs: ${files.join(', ')}`);
    for (const file of files) {
      const value = toJs(readFileSync(join(DEMO_CONFIGS, file), 'utf8'), configFormatForFileName(file));
      assert.notEqual(value, undefined, `${file} is not templated`);
      assertValid(value, file);
    }
  });

  it('every fixture that is not templated validates, in every format', () => {
    const checked: string[] = [];
    for (const fixture of CONFIG_FIXTURES) {
      const value = toJs(fixture.text, fixture.format);
      if (value === undefined) continue;
      assertValid(value, fixture.name);
      checked.push(fixture.format);
    }
    assert.deepEqual([...new Set(checked)].sort(), ['json', 'toml', 'yaml'], 'fixtures of all three formats were checked');
  });

  it('a complete mirrord 3.250 config validates', () => {
    assertValid(COMPLETE_CONFIG, 'the complete config');
  });

  it('closes every section mirrord closes (deny_unknown_fields): an unknown key is rejected there', () => {
    const closed: (string | number)[][] = [
      [],
      ['target'],
      ['target', 'path'],
      ['agent'],
      ['agent', 'image_pull_secrets', 0],
      ['agent', 'dns'],
      ['feature'],
      ['feature', 'env'],
      ['feature', 'fs'],
      ['feature', 'network'],
      INCOMING,
      FILTER,
      [...INCOMING, 'tls_delivery'],
      ['feature', 'network', 'outgoing'],
      ['feature', 'network', 'outgoing', 'filter'],
      ['feature', 'network', 'dns'],
      ['feature', 'copy_target'],
      ['feature', 'split_queues', 'first-queue'],
      ['feature', 'db_branches', 0],
      ['feature', 'db_branches', 0, 'copy'],
      ['feature', 'preview'],
      ['feature', 'magic'],
      ['experimental'],
      ['internal_proxy'],
      ['external_proxy'],
      ['container'],
      ['ci'],
      ['startup_retry'],
    ];
    for (const path of closed) {
      assertInvalid(
        withValue(COMPLETE_CONFIG, [...path, 'some_future_key'], 1),
        `an unknown key at ${path.join('.') || 'the root'}`,
        path.length ? `/${path.join('/')}` : '',
      );
    }
    assertInvalid({ ...STEAL, $schema: 'https://example.com/s.json' }, 'a $schema key', '');
  });

  it('takes any key in the maps mirrord leaves open', () => {
    const maps: (string | number)[][] = [
      ['feature', 'env', 'override'],
      ['feature', 'env', 'mapping'],
      ['feature', 'fs', 'mapping'],
      ['agent', 'labels'],
      ['agent', 'annotations'],
      ['agent', 'resources', 'limits'],
      ['feature', 'split_queues'],
    ];
    for (const path of maps) {
      const value = path[path.length - 1] === 'split_queues' ? { queue_type: 'Kafka' } : path[path.length - 1] === 'limits' ? '1Gi' : 'x';
      assertValid(withValue(COMPLETE_CONFIG, [...path, 'ANY_NAME-1.x'], value), `a free key in ${path.join('.')}`);
    }
    // Kubernetes types are not closed by mirrord.
    assertValid(withValue(COMPLETE_CONFIG, ['agent', 'tolerations', 0, 'futureField'], true), 'a future toleration field');
  });

  it('the other valid forms validate (what mirrord accepts stays clean)', () => {
    const valid: [(string | number)[], unknown][] = [
      [['target'], 'targetless'],
      [['target'], 'pod/api-7d9c5b-x2k4p/container/app'],
      [['target'], { path: { deployment: 'api', container: 'app' }, namespace: 'shop' }],
      [['target'], { path: { labels: { app: 'api' } } }],
      [['target'], { rollout: 'api' }],
      [INCOMING, 'steal'],
      [INCOMING, 'off'],
      [INCOMING, true],
      [INCOMING, false],
      [INCOMING, null],
      [['feature', 'network'], false],
      [[...INCOMING, 'mode'], null],
      [
        [...INCOMING, 'ports'],
        [8080, 9090],
      ],
      // mirrord's ports are u16: 0 included.
      [[...INCOMING, 'ports'], [0]],
      [[...INCOMING, 'port_mapping'], [[0, 8080]]],
      // ToggleableConfig<HttpFilterFileConfig>: a bool is accepted (no filter either way).
      [FILTER, true],
      [FILTER, false],
      [[...FILTER, 'path_filter'], '^/api/'],
      [
        [...FILTER, 'all_of'],
        [{ header: '^x-user: me$' }, { path: '^/api/' }, { method: 'POST' }, { body: 'json', query: '$.a', matches: '^b$' }, { query: '.x' }],
      ],
      [[...FILTER, 'any_of'], [{ path: '^/api/' }]],
      [[...FILTER, 'ports'], [8080]],
      [[...FILTER, 'ports'], 8080],
      [[...FILTER, 'ports'], 0],
      [['feature', 'copy_target'], true],
      [['feature', 'copy_target'], { scale_down: true }],
      [['feature', 'fs'], 'read'],
      [['feature', 'env'], false],
      [['operator'], false],
    ];
    for (const [path, value] of valid) assertValid(withValue(STEAL, path, value), `${path.join('.')} = ${JSON.stringify(value)}`);
    // ignore_ports: [] next to ports (mirrord refuses the pair only when ignore_ports is not empty).
    assertValid(withValue(withValue(STEAL, [...INCOMING, 'ports'], [80]), [...INCOMING, 'ignore_ports'], []), 'ports with an empty ignore_ports');
    // copy_target with a rollout target (mirrord copies rollouts; only targetless, service and label targets are refused).
    for (const target of ['rollout/api', { path: 'rollout/api/container/app', namespace: 'shop' }, { path: { rollout: 'api' } }]) {
      assertValid(
        withValue(withValue(STEAL, ['target'], target), ['feature', 'copy_target'], { scale_down: true }),
        `copy_target with ${JSON.stringify(target)}`,
      );
    }
  });

  it('wrong types and the values mirrord refuses are rejected', () => {
    const invalid: [(string | number)[], unknown][] = [
      [['target'], 42],
      [['target'], ['deployment/api']],
      [['target', 'path'], 7],
      [['target', 'namespace'], { name: 'shop' }],
      [['target', 'path'], { deployment: 3 }],
      [['target', 'path'], { deployment: 'a', pod: 'b' }],
      [['kubeconfig'], 1],
      [['kube_context'], false],
      [['operator'], 'yes'],
      [['feature'], 'steal'],
      [['feature', 'network'], 'steal'],
      [INCOMING, 'stealz'],
      [INCOMING, 1],
      [[...INCOMING, 'mode'], 'stealz'],
      [[...INCOMING, 'mode'], 'Steal'],
      [[...INCOMING, 'mode'], true],
      [[...INCOMING, 'ports'], ['a']],
      [[...INCOMING, 'ports'], [-1]],
      [[...INCOMING, 'ports'], [70000]],
      [[...INCOMING, 'ports'], [80.5]],
      [[...INCOMING, 'ignore_ports'], 'all'],
      [[...INCOMING, 'port_mapping'], [[1, 2, 3]]],
      [[...INCOMING, 'port_mapping'], [['a', 'b']]],
      [
        [...INCOMING, 'port_mapping'],
        [8080, 80],
      ],
      [FILTER, 'User-Agent: kube-probe'],
      [[...FILTER, 'header_filter'], ''],
      [[...FILTER, 'header_filter'], ['^User-Agent: (?!kube-probe)']],
      [[...FILTER, 'header_filter'], { query: '.user' }],
      [[...FILTER, 'path_filter'], 5],
      [[...FILTER, 'all_of'], { header: '^x: y$' }],
      [[...FILTER, 'all_of'], []],
      [[...FILTER, 'all_of'], ['^x: y$']],
      [[...FILTER, 'all_of'], [{ header: '^x: y$', path: '^/a' }]],
      [[...FILTER, 'any_of'], [{ header: 5 }]],
      [[...FILTER, 'any_of'], [{ path: '' }]],
      [[...FILTER, 'any_of'], [{ body: 'xml', query: '$.a', matches: 'b' }]],
      [[...FILTER, 'ports'], ['80']],
      [[...FILTER, 'ports'], '8080'],
      [[...FILTER, 'method_filter'], ['GET']],
      [['feature', 'copy_target'], 'yes'],
      [['feature', 'copy_target', 'enabled'], 'true'],
      [['feature', 'fs'], 'readonly'],
      [['feature', 'db_branches'], [{ type: 'postgres', connection: { url: 'DB_URL' } }]],
    ];
    for (const [path, value] of invalid) {
      assertInvalid(withValue(STEAL, path, value), `${path.join('.')} = ${JSON.stringify(value)}`, `/${path.join('/')}`);
    }
    assertInvalid('steal', 'a config that is a string', '');
    assertInvalid([STEAL], 'a config that is an array', '');
  });

  it('every `examples` entry in the schema validates against its own subschema', () => {
    let count = 0;
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) {
        node.forEach((item, i) => walk(item, `${where}/${i}`));
        return;
      }
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (Array.isArray(record.examples)) {
        const { examples, ...rest } = record;
        const ajv = new Ajv({ strict: false });
        // The subschema's references point into the whole schema's definitions.
        const check = ajv.compile({ ...rest, definitions: schema.definitions });
        for (const example of examples as unknown[]) {
          count += 1;
          assert.equal(check(example), true, `example ${JSON.stringify(example)} at ${where}: ${JSON.stringify(check.errors)}`);
        }
      }
      for (const [key, value] of Object.entries(record)) if (key !== 'examples') walk(value, `${where}/${key}`);
    };
    walk(schema, '#');
    assert.ok(count >= 10, `${count} examples checked`);
  });
});

describe('package.json schema associations', () => {
  // VS Code's JSON language features hand these fileMatch patterns to vscode-json-languageservice;
  // Red Hat's YAML extension matches yamlValidation patterns the same way (a relative pattern
  // matches at any depth). So the language service itself decides which files get the schema.
  const SCHEMA_URI = 'file:///ext/schemas/mirrord.schema.json';

  function schemasFor(associations: { fileMatch: string | string[]; url: string }[], fileUri: string): string[] {
    const service = getLanguageService({});
    service.configure({
      validate: true,
      schemas: associations.map((a) => {
        assert.equal(a.url, './schemas/mirrord.schema.json');
        const fileMatch = (Array.isArray(a.fileMatch) ? a.fileMatch : [a.fileMatch]).map((p) => (/^(\w+:\/\/|\/|!)/.test(p) ? p : `/${p}`));
        return { uri: SCHEMA_URI, fileMatch, schema: schema as never };
      }),
    });
    const document = TextDocument.create(fileUri, 'json', 1, '{}');
    return service.getLanguageStatus(document, service.parseJSONDocument(document)).schemas;
  }

  const json = (name: string): string[] => schemasFor(manifest.contributes.jsonValidation, `file:///work/project/${name}`);
  const yaml = (name: string): string[] => schemasFor(manifest.contributes.yamlValidation, `file:///work/project/${name}`);

  it('jsonValidation covers mirrord.json, x.mirrord.json and .mirrord/*.json at any depth', () => {
    for (const name of [
      'mirrord.json',
      'x.mirrord.json',
      '.mirrord/a.json',
      '.mirrord/mirrord.json',
      'services/api/.mirrord/a.json',
      'deep/dir/x.mirrord.json',
    ]) {
      assert.deepEqual(json(name), [SCHEMA_URI], name);
    }
  });

  it('yamlValidation covers mirrord.yaml/.yml and .mirrord/*.yaml/.yml', () => {
    for (const name of ['.mirrord/b.yaml', '.mirrord/b.yml', 'x.mirrord.yaml', 'mirrord.yml', 'svc/.mirrord/sidecar.mirrord.yaml']) {
      assert.deepEqual(yaml(name), [SCHEMA_URI], name);
    }
  });

  it('other files do not get the mirrord schema', () => {
    for (const name of ['package.json', 'tsconfig.json', 'mirrord.json.bak', '.mirrord/a.json/x', 'mirrord/a.json', '.vscode/launch.json']) {
      assert.deepEqual(json(name), [], name);
    }
    for (const name of ['docker-compose.yaml', '.github/workflows/ci.yml', 'mirrord/b.yaml']) assert.deepEqual(yaml(name), [], name);
    // A YAML pattern is not a JSON one, and the other way round.
    assert.deepEqual(json('.mirrord/b.yaml'), []);
    assert.deepEqual(yaml('.mirrord/a.json'), []);
  });

  it("the demo configs in JSON pass VS Code's own validator with the schema", async () => {
    const service = getLanguageService({});
    service.configure({ validate: true, schemas: [{ uri: SCHEMA_URI, fileMatch: ['*.json'], schema: schema as never }] });
    const files = readdirSync(DEMO_CONFIGS).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 5);
    for (const file of files) {
      const document = TextDocument.create(`file:///demo/${file}`, 'json', 1, readFileSync(join(DEMO_CONFIGS, file), 'utf8'));
      const diagnostics = await service.doValidation(document, service.parseJSONDocument(document), { schemaValidation: 'error' });
      assert.deepEqual(
        diagnostics.map((d) => d.message),
        [],
        file,
      );
    }
    // And it does flag a wrong mode, so the empty lists above mean something.
    const bad = TextDocument.create('file:///demo/bad.json', 'json', 1, '{"feature": {"network": {"incoming": {"mode": "stealz"}}}}');
    const diagnostics = await service.doValidation(bad, service.parseJSONDocument(bad), { schemaValidation: 'error' });
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  });
});

// mirrord's file config fields are all `Option`s: an explicit null means "not set" and is valid.
it('null is accepted for every optional key the schema models', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const withNulls = {
    target: null,
    kubeconfig: null,
    kube_context: null,
    operator: null,
    feature: {
      copy_target: null,
      network: { incoming: { mode: 'steal', ports: null, ignore_ports: null, port_mapping: null, http_filter: { header_filter: null, ports: null } } },
    },
  };
  assert.equal(validate(withNulls), true, JSON.stringify(validate.errors));
});
