import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../src/core/rules';

// The diagnostics link to docs/rules.md#<code>: every code needs its heading there.
test('docs/rules.md documents every finding code', () => {
  const docs = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'rules.md'), 'utf8');
  const headings = new Set([...docs.matchAll(/^### ([a-z-]+)$/gm)].map((m) => m[1]));
  for (const code of Object.keys(RULES)) assert.ok(headings.has(code), `docs/rules.md lacks "### ${code}"`);
  for (const heading of headings) assert.ok(heading in RULES, `docs/rules.md documents unknown code ${heading}`);
});
