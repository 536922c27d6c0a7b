import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configFormatForFileName, parseConfig } from '../../../src/core/config/parseConfig';

test('config format follows the file extension, JSON by default', () => {
  const cases: [string, string][] = [
    ['mirrord.toml', 'toml'],
    ['/w/.mirrord/api.mirrord.yaml', 'yaml'],
    ['C:\\w\\.mirrord\\x.YML', 'yaml'],
    ['.mirrord/mirrord.json', 'json'],
    ['x.jsonc', 'json'],
    ['mirrord', 'json'],
    ['.mirrord/config', 'json'],
    ['weird.txt', 'json'],
    ['dir.toml/file', 'json'],
    ['', 'json'],
  ];
  for (const [name, format] of cases) assert.equal(configFormatForFileName(name), format, name);
});

test('an unknown format falls back to JSON instead of throwing', () => {
  const parsed = parseConfig('{"a": 1}', 'ini' as never);
  assert.equal(parsed.format, 'json');
  assert.equal(parsed.root?.kind, 'object');
});
