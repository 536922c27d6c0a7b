import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { launchJsonEntries } from '../../../src/service/launchJson';

describe('launch.json entries (the CodeLens positions)', () => {
  test('each configuration with its value and the offsets of its text, comments and trailing commas allowed', () => {
    const text = [
      '{',
      '  // VS Code writes comments here',
      '  "version": "0.2.0",',
      '  "configurations": [',
      '    { "name": "plain", "type": "node" },',
      '    {',
      '      "name": "api", "env": { "MIRRORD_CONFIG_FILE": ".mirrord/api.mirrord.json", },',
      '    },',
      '  ],',
      '}',
    ].join('\n');
    const entries = launchJsonEntries(text);
    assert.deepEqual(
      entries.map((e) => e.index),
      [0, 1],
    );
    // jsonc-parser makes null-prototype objects (a `__proto__` key is a plain key there).
    assert.deepEqual(
      { ...(entries[1].value as object), env: { ...(entries[1].value as { env: object }).env } },
      { name: 'api', env: { MIRRORD_CONFIG_FILE: '.mirrord/api.mirrord.json' } },
    );
    assert.equal(text.slice(entries[0].start, entries[0].end), '{ "name": "plain", "type": "node" }');
    assert.equal(text[entries[1].start], '{');
    assert.equal(text.slice(0, entries[1].start).split('\n').length, 6, 'the second entry starts on line 6');
  });

  test('no configurations array, broken or hostile text: no entries, no throw', () => {
    for (const text of ['', 'null', '[]', '{"configurations": {}}', '{"configurations": [ {', '{'.repeat(10000), '{"configurations": "x"}']) {
      assert.ok(Array.isArray(launchJsonEntries(text)), text.slice(0, 20));
    }
    assert.equal(launchJsonEntries('{"configurations": [ {"name": "half"').length, 1, 'an unfinished entry is still listed');
  });
});
