import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { isMirrordConfigPath } from '../../../src/service/configFiles';

test('mirrord config file names, as mirrord and its IDE plugins pick them', () => {
  for (const yes of [
    '/w/mirrord.json',
    '/w/app.mirrord.yaml',
    '/w/x.mirrord.yml',
    '/w/y.mirrord.toml',
    '/w/.mirrord/anything.json',
    'C:\\w\\.mirrord\\a.toml',
    '/w/mymirrord.json',
  ])
    assert.ok(isMirrordConfigPath(yes), yes);
  for (const no of ['/w/package.json', '/w/mirrord.txt', '/w/.mirrord/notes.md', '/w/.mirrord/sub/a.json', '/w/mirrord.json.bak'])
    assert.ok(!isMirrordConfigPath(no), no);
});
