/**
 * scripts/generate-key-model.mjs, run on a schema-shaped fixture written here (the forms mirrord's
 * published schema uses: `bool | object` toggles, `string | object`, `T | [T]`, maps with free keys,
 * unknown structures, serde-tagged `oneOf`s, a base object with variants, tuples, `type` arrays,
 * references, internal descriptions), and the committed generated files checked against each other.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { KeyModel, ObjectShape, Shape } from '../../../src/core/config/keyModel/keyModelTypes';
import { MIRRORD_KEY_MODEL } from '../../../src/core/config/keyModel/mirrordKeyModel.generated';
import { MIRRORD_KEY_DOCS } from '../../../src/core/config/keyModel/mirrordKeyDocs.generated';
import { ShapeResolver } from '../../../src/core/config/keyModel/shapeResolver';

const ROOT = join(__dirname, '..', '..', '..', '..');

interface Generator {
  buildKeyModel(schema: unknown): KeyModel & { docs: Record<string, Record<string, string>> };
  buildEditorSchema(schema: unknown, note: string, options?: { overlays?: boolean }): Record<string, any>;
  withSourceCorrections(schema: unknown): Record<string, any>;
  shapeExpression(shape: Shape): string;
  CLOSED_BY_SOURCE: string[];
}

// The script is an ES module; the tests are compiled to CommonJS, whose `import()` would become
// `require()`.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<Generator>;
const generator = importModule(pathToFileURL(join(ROOT, 'scripts', 'generate-key-model.mjs')).href);

const FIXTURE = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Fixture',
  type: 'object',
  additionalProperties: false,
  properties: {
    toggle: { title: 'root.toggle {#root-toggle}', anyOf: [{ $ref: '#/$defs/ToggleableSection' }, { type: 'null' }] },
    path: { description: 'A path or a struct.', anyOf: [{ type: 'string' }, { $ref: '#/$defs/Struct' }, { type: 'null' }] },
    names: { anyOf: [{ $ref: '#/$defs/VecOrSingle' }, { type: 'null' }] },
    env: { description: 'Free names.', type: ['object', 'null'], additionalProperties: { type: 'string' } },
    blob: { $ref: '#/$defs/Unknown' },
    quantity: { 'x-kubernetes-int-or-string': true },
    pairs: {
      type: ['array', 'null'],
      items: { type: 'array', minItems: 2, maxItems: 2, prefixItems: [{ type: 'integer', format: 'uint16', minimum: 0, maximum: 65535 }, { type: 'integer' }] },
    },
    branches: { type: 'array', items: { $ref: '#/$defs/Branch' } },
    queue: { $ref: '#/$defs/Queue' },
    internal: { description: '<!--${internal}-->\nnot for users', type: 'boolean', deprecated: true },
  },
  $defs: {
    ToggleableSection: { anyOf: [{ type: 'boolean' }, { $ref: '#/$defs/Section' }] },
    Section: {
      description: 'The section.',
      type: 'object',
      properties: { mode: { anyOf: [{ $ref: '#/$defs/Mode' }, { type: 'null' }] }, size: { type: ['integer', 'null'], minimum: 0 } },
      additionalProperties: false,
    },
    Mode: {
      oneOf: [
        { type: 'string', const: 'a' },
        { type: 'string', const: 'b' },
      ],
    },
    Struct: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false },
    VecOrSingle: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    Unknown: { 'x-kubernetes-preserve-unknown-fields': true },
    Branch: {
      oneOf: [
        {
          type: 'object',
          properties: { type: { type: 'string', const: 'pg' }, url: { type: 'string' } },
          required: ['type', 'url'],
          additionalProperties: false,
        },
        { type: 'object', properties: { type: { type: 'string', const: 'redis' }, host: { type: 'string' } }, required: ['type'], additionalProperties: false },
      ],
    },
    // A base with variants and no additionalProperties, as schemars renders a flattened enum.
    Queue: {
      type: 'object',
      properties: { id: { type: 'string' } },
      oneOf: [
        { type: 'object', properties: { kind: { type: 'string', const: 'SQS' }, filter: { type: 'string' } }, required: ['kind'] },
        { type: 'object', properties: { kind: { type: 'string', const: 'Kafka' } }, required: ['kind'] },
      ],
      required: ['id'],
    },
  },
};

describe('buildKeyModel on a schema-shaped fixture', () => {
  it('reads every form into shapes', async () => {
    const { buildKeyModel } = await generator;
    const model = buildKeyModel(FIXTURE);
    const root = model.root as ObjectShape;
    assert.equal(root.kind, 'object');
    assert.equal(root.id, 'LayerFileConfig');
    assert.equal(root.closed, true);
    assert.deepEqual(root.properties.toggle, { kind: 'union', anyOf: [{ kind: 'ref', ref: 'ToggleableSection' }, { kind: 'null' }] });
    assert.deepEqual(model.defs.ToggleableSection, { kind: 'union', anyOf: [{ kind: 'boolean' }, { kind: 'ref', ref: 'Section' }] });
    assert.deepEqual(model.defs.Mode, {
      kind: 'union',
      anyOf: [
        { kind: 'string', values: ['a'] },
        { kind: 'string', values: ['b'] },
      ],
    });
    assert.deepEqual((model.defs.Section as ObjectShape).properties.size, {
      kind: 'union',
      anyOf: [{ kind: 'integer', minimum: 0 }, { kind: 'null' }],
    });
    assert.deepEqual(root.properties.path, {
      kind: 'union',
      anyOf: [{ kind: 'string' }, { kind: 'ref', ref: 'Struct' }, { kind: 'null' }],
    });
    assert.deepEqual(model.defs.Struct, { kind: 'object', id: 'Struct', properties: { name: { kind: 'string' } }, closed: true, required: ['name'] });
    assert.deepEqual(model.defs.VecOrSingle, { kind: 'union', anyOf: [{ kind: 'string' }, { kind: 'array', items: { kind: 'string' } }] });
    // A map with free keys is open, with the shape of its values.
    assert.deepEqual(root.properties.env, {
      kind: 'union',
      anyOf: [{ kind: 'object', id: 'LayerFileConfig.env', properties: {}, closed: false, additionalProperties: { kind: 'string' } }, { kind: 'null' }],
    });
    assert.deepEqual(model.defs.Unknown, { kind: 'any' });
    assert.deepEqual(root.properties.quantity, { kind: 'union', anyOf: [{ kind: 'number' }, { kind: 'string' }] });
    assert.deepEqual(root.properties.pairs, {
      kind: 'union',
      anyOf: [
        {
          kind: 'array',
          items: { kind: 'array', prefixItems: [{ kind: 'integer', minimum: 0, maximum: 65535 }, { kind: 'integer' }], minItems: 2, maxItems: 2 },
        },
        { kind: 'null' },
      ],
    });
  });

  it('keeps tagged variants apart, each closed, with its tag as a one-value string', async () => {
    const { buildKeyModel } = await generator;
    const branch = buildKeyModel(FIXTURE).defs.Branch as Extract<Shape, { kind: 'union' }>;
    assert.deepEqual(
      branch.anyOf.map((v) => [(v as ObjectShape).id, (v as ObjectShape).closed, (v as ObjectShape).properties.type]),
      [
        ['Branch[pg]', true, { kind: 'string', values: ['pg'] }],
        ['Branch[redis]', true, { kind: 'string', values: ['redis'] }],
      ],
    );
  });

  it('merges a base object into its variants; open unless mirrord closes it (CLOSED_BY_SOURCE)', async () => {
    const { buildKeyModel, withSourceCorrections } = await generator;
    const open = buildKeyModel(FIXTURE).defs.Queue as Extract<Shape, { kind: 'union' }>;
    assert.deepEqual(
      open.anyOf.map((v) => [Object.keys((v as ObjectShape).properties), (v as ObjectShape).closed, (v as ObjectShape).required]),
      [
        [['id', 'kind', 'filter'], false, ['id', 'kind']],
        [['id', 'kind'], false, ['id', 'kind']],
      ],
    );
    const corrected = { ...FIXTURE, $defs: { ...FIXTURE.$defs, QueueSplit: FIXTURE.$defs.Queue } };
    corrected.properties = { ...FIXTURE.properties, queue: { $ref: '#/$defs/QueueSplit' } };
    const closed = buildKeyModel(withSourceCorrections(corrected)).defs.QueueSplit as Extract<Shape, { kind: 'union' }>;
    assert.deepEqual(
      closed.anyOf.map((v) => [Object.keys((v as ObjectShape).properties), (v as ObjectShape).closed]),
      [
        [['id', 'kind', 'filter'], true],
        [['id', 'kind'], true],
      ],
    );
  });

  it("documents keys with mirrord's text: titles without anchors, a definition's text for a reference, no internal notes", async () => {
    const { buildKeyModel } = await generator;
    const { docs } = buildKeyModel(FIXTURE);
    // The title of the key, then the text of the section behind `bool | Section`.
    assert.equal(docs.LayerFileConfig.toggle, '**root.toggle**\n\nThe section.');
    assert.equal(docs.LayerFileConfig.path, 'A path or a struct.');
    assert.equal(docs.LayerFileConfig.env, 'Free names.');
    assert.equal(docs.LayerFileConfig.internal, undefined);
    assert.equal(docs.LayerFileConfig.$self, '**Fixture**');
  });

  it('writes shapes as builder calls', async () => {
    const { shapeExpression } = await generator;
    assert.equal(shapeExpression({ kind: 'union', anyOf: [{ kind: 'ref', ref: 'Section' }, { kind: 'null' }] }), 'optional(ref("Section"))');
    assert.equal(
      shapeExpression({ kind: 'object', id: 'X', properties: { a: { kind: 'integer', minimum: 0, maximum: 65535 } }, closed: true, required: ['a'] }),
      'closedObject("X", {"a": integer(0, 65535)}, {required: ["a"]})',
    );
  });
});

describe('buildEditorSchema on the fixture', () => {
  it('is draft-07 and never stricter than the input', async () => {
    const { buildEditorSchema } = await generator;
    const schema = buildEditorSchema(FIXTURE, 'Source: the fixture.', { overlays: false });
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(schema.$comment, 'Source: the fixture.');
    assert.equal(schema.$defs, undefined);
    assert.deepEqual(Object.keys(schema.definitions).sort(), Object.keys(FIXTURE.$defs).sort());
    assert.equal(schema.properties.toggle.anyOf[0].$ref, '#/definitions/ToggleableSection');
    assert.equal(schema.properties.toggle.title, 'root.toggle');
    // oneOf becomes anyOf: a value two variants accept stays valid.
    assert.ok(schema.definitions.Mode.anyOf && !schema.definitions.Mode.oneOf);
    // Tuples in draft-07 form, formats dropped, Kubernetes extensions made plain.
    const pair = schema.properties.pairs.items;
    assert.deepEqual(pair.items, [{ type: 'integer', minimum: 0, maximum: 65535 }, { type: 'integer' }]);
    assert.equal(pair.prefixItems, undefined);
    assert.deepEqual(schema.definitions.Unknown, {});
    assert.deepEqual(schema.properties.quantity, { type: ['string', 'number'] });
    // Internal notes are not descriptions; deprecation is VS Code's.
    assert.equal(schema.properties.internal.description, undefined);
    assert.equal(typeof schema.properties.internal.deprecationMessage, 'string');
    assert.equal(schema.definitions.Section.markdownDescription, 'The section.');
    assert.equal(schema.additionalProperties, false);
  });
});

/** Keys of the object shapes at `path` in the committed model. */
function keysAt(path: string[]): string[] {
  const resolver = new ShapeResolver(MIRRORD_KEY_MODEL);
  return [...new Set(resolver.objectsAt(path).flatMap((o) => Object.keys(o.properties)))].sort();
}

describe('the committed key model (mirrordKeyModel.generated.ts)', () => {
  // Expected keys read from mirrord 3.250's source (mirrord/config/src/**), section by section.
  const SECTIONS: [string[], string[]][] = [
    [
      [],
      [
        'agent',
        'feature',
        'target',
        'operator',
        'experimental',
        'internal_proxy',
        'external_proxy',
        'container',
        'ci',
        'startup_retry',
        'kubeconfig',
        'kube_context',
        'key',
        'multi_cluster',
      ],
    ],
    [
      ['agent'],
      ['namespace', 'image', 'ttl', 'ephemeral', 'tolerations', 'resources', 'labels', 'annotations', 'privileged', 'dns', 'image_pull_secrets', 'nftables'],
    ],
    [['feature'], ['env', 'fs', 'network', 'copy_target', 'hostname', 'split_queues', 'db_branches', 'preview', 'magic']],
    [
      ['feature', 'fs'],
      ['mode', 'read_write', 'read_only', 'local', 'not_found', 'mapping', 'readonly_file_buffer'],
    ],
    [
      ['feature', 'env'],
      ['include', 'exclude', 'override', 'mapping', 'env_file', 'load_from_process', 'unset'],
    ],
    [
      ['feature', 'network'],
      ['incoming', 'outgoing', 'dns', 'ipv6'],
    ],
    [
      ['feature', 'network', 'incoming'],
      [
        'mode',
        'http_filter',
        'port_mapping',
        'ignore_localhost',
        'ignore_ports',
        'listen_ports',
        'on_concurrent_steal',
        'ports',
        'https_delivery',
        'tls_delivery',
      ],
    ],
    [
      ['feature', 'network', 'incoming', 'http_filter'],
      ['header_filter', 'path_filter', 'method_filter', 'body_filter', 'header_filter_jq', 'all_of', 'any_of', 'ports'],
    ],
    [
      ['feature', 'network', 'outgoing'],
      ['tcp', 'udp', 'filter', 'ignore_localhost', 'unix_streams'],
    ],
    [
      ['feature', 'network', 'dns'],
      ['enabled', 'filter'],
    ],
    [
      ['feature', 'copy_target'],
      ['enabled', 'scale_down', 'exclude_containers', 'exclude_init_containers'],
    ],
    [
      ['feature', 'db_branches'],
      ['type', 'connection', 'copy', 'id', 'name', 'ttl_secs', 'ttl_mins', 'version', 'image', 'migrations', 'iam_auth', 'location'],
    ],
    [['experimental'], ['trust_any_certificate', 'enable_exec_hooks_linux', 'hide_ipv6_interfaces', 'disable_reuseaddr', 'use_dev_null', 'latency']],
    [['internal_proxy'], ['start_idle_timeout', 'idle_timeout', 'log_level', 'log_destination', 'json_log']],
    [['target'], ['path', 'namespace', 'deployment', 'pod', 'rollout', 'container', 'labels']],
  ];
  for (const [path, keys] of SECTIONS) {
    it(`knows ${path.join('.') || 'the top level'}`, () => {
      const known = keysAt(path);
      for (const key of keys) assert.ok(known.includes(key), `${path.join('.')}.${key} in ${known.join(', ')}`);
    });
  }

  it('closes the sections mirrord closes and leaves its maps and the Kubernetes types open', () => {
    const resolver = new ShapeResolver(MIRRORD_KEY_MODEL);
    const closed = (path: string[]) => resolver.objectsAt(path).every((o) => o.closed && !o.additionalProperties);
    for (const path of [
      [],
      ['agent'],
      ['feature', 'network', 'incoming'],
      ['feature', 'network', 'incoming', 'http_filter'],
      ['feature', 'split_queues', 'q'],
      ['feature', 'db_branches'],
    ]) {
      assert.ok(closed(path), `${path.join('.')} is closed`);
    }
    for (const path of [
      ['feature', 'env', 'override'],
      ['agent', 'labels'],
      ['agent', 'tolerations'],
      ['agent', 'resources'],
    ]) {
      assert.ok(!closed(path), `${path.join('.')} is open`);
    }
  });

  it("documents keys with mirrord's descriptions", () => {
    assert.match(MIRRORD_KEY_DOCS.HttpFilterFileConfig.header_filter, /fancy-regex/);
    assert.match(MIRRORD_KEY_DOCS.IncomingAdvancedFileConfig.port_mapping, /local ports to remote ports/i);
    const docCount = Object.values(MIRRORD_KEY_DOCS).reduce((n, d) => n + Object.keys(d).length, 0);
    assert.ok(docCount > 300, `${docCount} documented keys`);
  });

  it('agrees with the committed editor schema: every closed object of the model is closed there with the same keys', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'mirrord.schema.json'), 'utf8'));
    const schemaObjects = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if (record.additionalProperties === false)
        schemaObjects.add(
          Object.keys((record.properties as object) ?? {})
            .sort()
            .join(','),
        );
      for (const value of Object.values(record)) walk(value);
    };
    walk(schema);
    const modelObjects: ObjectShape[] = [];
    const visit = (shape: Shape): void => {
      if (shape.kind === 'object') {
        modelObjects.push(shape);
        Object.values(shape.properties).forEach(visit);
        if (shape.additionalProperties) visit(shape.additionalProperties);
      } else if (shape.kind === 'union') shape.anyOf.forEach(visit);
      else if (shape.kind === 'array') [...(shape.prefixItems ?? []), ...(shape.items ? [shape.items] : [])].forEach(visit);
    };
    visit(MIRRORD_KEY_MODEL.root);
    Object.values(MIRRORD_KEY_MODEL.defs).forEach(visit);
    const closed = modelObjects.filter((o) => o.closed);
    assert.ok(closed.length > 80, `${closed.length} closed objects`);
    for (const object of closed) {
      assert.ok(schemaObjects.has(Object.keys(object.properties).sort().join(',')), `${object.id} is closed in the schema too`);
    }
  });
});
