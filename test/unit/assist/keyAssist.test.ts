/**
 * Key-name completion and key hover for YAML and TOML configs (src/core/assist): the section the
 * cursor is in, the keys mirrord takes there with its descriptions, what is already set, what a
 * chosen key replaces; JSON left to the JSON language server.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keyCompletionAt, keyHoverAt } from '../../../src/core/assist/keyAssist';
import { describeShape, sectionKeys } from '../../../src/core/assist/sectionKeys';
import { tomlKeyLine, tomlTablePathBefore } from '../../../src/core/assist/tomlKeyLines';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { ShapeResolver } from '../../../src/core/config/keyModel/shapeResolver';
import { closedObject, optional, BOOLEAN, STRING, strings, ref, union } from '../../../src/core/config/keyModel/shapeBuilders';
import type { ConfigFormat } from '../../../src/core/types';

/** The text without its `|` cursor marker, and the cursor's offset. */
function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'the case marks its cursor with |');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

function completion(marked: string, format: ConfigFormat) {
  const { text, offset } = withCursor(marked);
  const result = keyCompletionAt(parseConfig(text, format), offset);
  return result && { ...result, replaced: text.slice(result.replace.start, result.replace.end), names: result.keys.map((k) => k.key) };
}

function hover(marked: string, format: ConfigFormat) {
  const { text, offset } = withCursor(marked);
  const result = keyHoverAt(parseConfig(text, format), offset);
  return result && { ...result, covered: text.slice(result.span.start, result.span.end) };
}

describe('sectionKeys: the keys of a section from the key model', () => {
  it('lists the keys of feature.network.incoming with mirrord descriptions and types', () => {
    const keys = sectionKeys(['feature', 'network', 'incoming']);
    const mode = keys.find((k) => k.key === 'mode');
    assert.ok(mode, 'incoming.mode is a key');
    assert.match(mode.type, /"steal"/);
    assert.match(mode.description ?? '', /selecting between mirroring or stealing/);
    const names = keys.map((k) => k.key);
    for (const key of ['http_filter', 'port_mapping', 'ignore_ports', 'ports']) assert.ok(names.includes(key), key);
  });

  it('merges the keys of every form of a section (database branches of every type)', () => {
    const names = sectionKeys(['feature', 'db_branches']).map((k) => k.key);
    for (const key of ['type', 'id', 'version', 'name']) assert.ok(names.includes(key), key);
  });

  it('has no keys for a value that is never an object, nor for a path the config does not have', () => {
    assert.deepEqual(sectionKeys(['feature', 'network', 'incoming', 'ignore_ports']), []);
    assert.deepEqual(sectionKeys(['no_such_section']), []);
  });

  it('describes a shape by the kinds of value it takes, null left out', () => {
    const model = {
      root: closedObject('Root', { a: optional(BOOLEAN), b: union(strings('x', 'y'), ref('Obj')) }),
      defs: { Obj: closedObject('Obj', { c: STRING }) },
    };
    const resolver = new ShapeResolver(model);
    assert.equal(describeShape(model.root.properties.a, resolver), 'boolean');
    assert.equal(describeShape(model.root.properties.b, resolver), '"x" | "y" | object');
    const keys = sectionKeys(['b'], resolver);
    assert.deepEqual(
      keys.map((k) => [k.key, k.type, k.takesObject]),
      [['c', 'string', false]],
    );
  });
});

describe('keyCompletionAt in YAML', () => {
  it('offers the top-level keys on an empty line of the top level, without the ones set', () => {
    const result = completion('target: deployment/api\n|\n', 'yaml');
    assert.ok(result);
    assert.deepEqual(result.path, []);
    assert.ok(result.names.includes('feature'));
    assert.ok(!result.names.includes('target'), 'target is set already');
    assert.equal(result.typed, '');
  });

  it('completes the first key under a section (a word that the parser reads as the section value)', () => {
    const result = completion('feature:\n  netw|\n', 'yaml');
    assert.ok(result);
    assert.deepEqual(result.path, ['feature']);
    assert.equal(result.typed, 'netw');
    assert.equal(result.replaced, 'netw');
    assert.ok(result.names.includes('network'));
  });

  it('completes a key typed under another key of the same section, the typed key itself still offered', () => {
    const result = completion('feature:\n  network:\n    incoming: steal\n    outg|\n', 'yaml');
    assert.ok(result);
    assert.deepEqual(result.path, ['feature', 'network']);
    assert.ok(result.names.includes('outgoing'));
    assert.ok(!result.names.includes('incoming'), 'incoming is set already');
  });

  it('finds the section of a blank line by its indentation, past deeper sections', () => {
    const marked = 'feature:\n  network:\n    incoming:\n      mode: steal\n    |\n  fs: read\n';
    const result = completion(marked, 'yaml');
    assert.ok(result);
    assert.deepEqual(result.path, ['feature', 'network']);
    assert.ok(result.names.includes('dns'));
    assert.ok(!result.names.includes('incoming'));
  });

  it('replaces the whole key when the cursor is inside it', () => {
    const result = completion('feature:\n  net|wrk: true\n', 'yaml');
    assert.ok(result);
    assert.equal(result.typed, 'net');
    assert.equal(result.replaced, 'netwrk');
  });

  it('completes inside quotes, replacing what is between them', () => {
    const result = completion('feature:\n  "ne|": true\n', 'yaml');
    assert.ok(result);
    assert.deepEqual(result.path, ['feature']);
    assert.equal(result.replaced, 'ne');
  });

  it('completes the keys of a list item (database branches), the list stepped over', () => {
    const result = completion('feature:\n  db_branches:\n    - type: pg\n      |\n', 'yaml');
    assert.ok(result);
    assert.deepEqual(result.path, ['feature', 'db_branches']);
    assert.ok(result.names.includes('version'));
    assert.ok(!result.names.includes('type'), 'type is set in this item');
  });

  it('offers nothing in a value, a comment or a section that takes no keys', () => {
    assert.equal(completion('target: deploy|ment/api\n', 'yaml'), undefined);
    assert.equal(completion('# feat|\n', 'yaml'), undefined);
    assert.equal(completion('feature:\n  network:\n    incoming:\n      ignore_ports:\n        |\n', 'yaml'), undefined);
    assert.equal(completion('feature:\n  fs: |\n', 'yaml'), undefined);
  });

  it('offers nothing under a key that already has a scalar value on its line', () => {
    assert.equal(completion('feature:\n  network: true\n    |\n', 'yaml'), undefined);
  });
});

describe('keyCompletionAt in TOML', () => {
  it('completes the keys of the table the cursor is under', () => {
    const result = completion('target = "deployment/api"\n\n[feature.network.incoming]\nmode = "steal"\nhttp|\n', 'toml');
    assert.ok(result);
    assert.deepEqual(result.path, ['feature', 'network', 'incoming']);
    assert.equal(result.typed, 'http');
    assert.equal(result.header, false);
    assert.ok(result.names.includes('http_filter'));
    assert.ok(!result.names.includes('mode'), 'mode is set in this table');
  });

  it('completes top-level keys before any header, and dotted keys part by part', () => {
    const top = completion('|\n[feature]\n', 'toml');
    assert.ok(top);
    assert.deepEqual(top.path, []);
    assert.ok(top.names.includes('target'));
    const dotted = completion('[feature]\nnetwork.incoming.mo|\n', 'toml');
    assert.ok(dotted);
    assert.deepEqual(dotted.path, ['feature', 'network', 'incoming']);
    assert.equal(dotted.typed, 'mo');
    assert.ok(dotted.names.includes('mode'));
    const afterDot = completion('[feature]\nnetwork.|\n', 'toml');
    assert.ok(afterDot);
    assert.deepEqual(afterDot.path, ['feature', 'network']);
    assert.equal(afterDot.typed, '');
  });

  it('completes table names in a header, only keys whose value can be a table', () => {
    const result = completion('[feature.net|]\n', 'toml');
    assert.ok(result);
    assert.deepEqual(result.path, ['feature']);
    assert.equal(result.replaced, 'net');
    assert.equal(result.header, true);
    assert.ok(result.names.includes('network'));
    assert.ok(
      sectionKeys(['feature']).some((k) => k.key === 'hostname'),
      'feature.hostname is a key',
    );
    assert.ok(!result.names.includes('hostname'), 'feature.hostname is a boolean, never a table');
  });

  it('completes the keys of the last [[array]] table item', () => {
    const result = completion('[[feature.db_branches]]\ntype = "mysql"\n|\n', 'toml');
    assert.ok(result);
    assert.deepEqual(result.path, ['feature', 'db_branches']);
    assert.ok(!result.names.includes('type'));
    assert.ok(result.names.includes('version'));
  });

  it('offers nothing after the = or after a key and a space', () => {
    assert.equal(completion('target = "de|"\n', 'toml'), undefined);
    assert.equal(completion('target |\n', 'toml'), undefined);
    assert.equal(completion('# tar|\n', 'toml'), undefined);
  });
});

describe('keyCompletionAt leaves JSON to the JSON language server', () => {
  it('offers nothing in JSON', () => {
    assert.equal(completion('{"feature": {"|"}}', 'json'), undefined);
  });
});

describe('keyHoverAt', () => {
  it('describes a YAML key with mirrord description and type', () => {
    const result = hover('feature:\n  network:\n    incoming:\n      mo|de: steal\n', 'yaml');
    assert.ok(result);
    assert.equal(result.covered, 'mode');
    assert.deepEqual(result.path, ['feature', 'network', 'incoming']);
    assert.match(result.key.description ?? '', /selecting between mirroring or stealing/);
    assert.match(result.key.type, /"steal"/);
  });

  it('describes TOML keys in headers, in dotted keys and in a header that repeats a section', () => {
    const text = '[feature.network.incoming]\nmode = "steal"\n\n[feature.network.outgoing]\ntcp = true\n';
    const header = hover(text.replace('[feature.network.outgoing]', '[feature.netw|ork.outgoing]'), 'toml');
    assert.ok(header);
    assert.equal(header.covered, 'network');
    assert.deepEqual(header.path, ['feature']);
    const key = hover(text.replace('tcp =', 't|cp ='), 'toml');
    assert.ok(key);
    assert.deepEqual(key.path, ['feature', 'network', 'outgoing']);
    assert.match(key.key.description ?? '', /outgoing\.tcp/);
  });

  it('says nothing on a key mirrord does not have, on a value, or in JSON', () => {
    assert.equal(hover('feature:\n  net|wrk: true\n', 'yaml'), undefined);
    assert.equal(hover('target: deploy|ment/api\n', 'yaml'), undefined);
    assert.equal(hover('{"tar|get": "deployment/api"}', 'json'), undefined);
  });
});

describe('tomlKeyLines', () => {
  it('reads quoted and dotted keys and the header before a line', () => {
    const text = '[feature."network"]\n\'incoming\'.mode = "steal"\n';
    const line = tomlKeyLine(text, 20, text.length - 1);
    assert.ok(line);
    assert.deepEqual(
      line.parts.map((p) => p.key),
      ['incoming', 'mode'],
    );
    assert.deepEqual(tomlTablePathBefore(text, 20), ['feature', 'network']);
    assert.deepEqual(tomlTablePathBefore('a = 1\r\n[x.y]\r\nb = 2\r\n', 14), ['x', 'y']);
    assert.equal(tomlKeyLine('a.b', 0, 3), undefined, 'a complete line needs its =');
  });
});
