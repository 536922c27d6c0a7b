/**
 * Activation registers the commands of src/client/commands.ts as stand-ins under the ids of
 * src/client/commandIds.ts and loads commands.ts on the first run (src/client/lazyFeatures.ts).
 * A command registered in commands.ts but missing from that list would not exist until another
 * command ran, so the list must be exactly the ids commands.ts registers, each contributed in
 * package.json.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LAZY_COMMAND_IDS } from '../../../src/client/commandIds';
import { repoRoot } from '../analyze/analyzeSupport';

const ROOT = repoRoot();

test('the stand-in command ids are the commands commands.ts registers, each contributed in package.json', () => {
  const source = fs.readFileSync(path.join(ROOT, 'src', 'client', 'commands.ts'), 'utf8');
  const registered = [...source.matchAll(/registerCommand\(\s*'([^']+)'/g)].map((m) => m[1]);
  assert.ok(registered.length > 0, 'no registerCommand calls found in commands.ts');
  assert.deepEqual([...LAZY_COMMAND_IDS].sort(), [...new Set(registered)].sort());
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
  const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
  for (const id of LAZY_COMMAND_IDS) assert.ok(contributed.has(id), `${id} is not contributed in package.json`);
});
