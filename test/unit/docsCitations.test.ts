// The domain rules that code and tests cite live in the repository's own docs/: every
// `docs/NAME.md section N` (or `sections N to M`) names a file and numbered sections that exist,
// and nothing cites a document outside the repository.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const ROOT = path.join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'fixtures' && entry.name !== 'node_modules') out.push(...sourceFiles(full));
    } else if (/\.(ts|mjs)$/.test(entry.name)) out.push(full);
  }
  return out;
}

// This file itself names the patterns it looks for.
const files = ['src', 'test', 'bench', 'scripts']
  .flatMap((dir) => sourceFiles(path.join(ROOT, dir)))
  .filter((f) => path.basename(f) !== 'docsCitations.test.ts');

test('every docs/*.md citation names a document and sections that exist', () => {
  let citations = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/docs\/([\w-]+\.md)(?: sections? (\d+)(?: to (\d+))?)?/g)) {
      const doc = path.join(ROOT, 'docs', m[1]);
      const where = `${path.relative(ROOT, file)} cites docs/${m[1]}`;
      assert.ok(fs.existsSync(doc), `${where}, which does not exist`);
      if (!m[2]) continue;
      citations += 1;
      const headings = new Set([...fs.readFileSync(doc, 'utf8').matchAll(/^## (\d+)\. /gm)].map((h) => Number(h[1])));
      for (let section = Number(m[2]); section <= Number(m[3] ?? m[2]); section++)
        assert.ok(headings.has(section), `${where} section ${section}, which has no "## ${section}." heading`);
    }
  }
  assert.ok(citations >= 8, `expected the engine and its tests to cite docs/semantics.md sections, found ${citations}`);
});

test('no code or test cites a document outside the repository', () => {
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    assert.doesNotMatch(text, /probe-semantics\.md|shared\/docs\/|the semantics page/, `${path.relative(ROOT, file)} cites a document outside docs/`);
  }
});
