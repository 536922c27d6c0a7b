/**
 * Fix-all (`probe-guard fix`, source.fixAll) on damaged configs: lines moved, duplicated or
 * deleted, values of the wrong type, keys misspelt, deep nesting, a byte order mark. Whatever it
 * applies must not throw, must be idempotent (a second fix-all changes nothing), must not add a
 * syntax problem or a stolen liveness/readiness probe, and must never apply a guess (renaming an
 * unknown key). Fixed seed, bounded runs; PROBE_GUARD_FUZZ_RUNS=<n> runs longer.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { configFormatForFileName, parseConfig } from '../../../src/core/config/parseConfig';
import { parseManifests } from '../../../src/core/k8s/manifests';
import { resolveFromManifests } from '../../../src/core/k8s/resolveFromManifests';
import type { Analysis, ConfigFormat, ResolveResult } from '../../../src/core/types';
import { createBudgetedRegexRunner } from '../../../src/runtime/budgetedRegexRunner';
import { fixAll } from '../../../src/service/fixes';
import { repoRoot } from '../analyze/analyzeSupport';
import { CONFIG_FIXTURES } from '../config/fixtures';

const RUNS = Math.max(1, Number(process.env.PROBE_GUARD_FUZZ_RUNS) || 200);
const ROOT = repoRoot();
const manifests = fs
  .readdirSync(path.join(ROOT, 'demo', 'manifests'))
  .sort()
  .flatMap((file) => parseManifests(fs.readFileSync(path.join(ROOT, 'demo', 'manifests', file), 'utf8'), file).objects);
const CONFIG_DIR = path.join(ROOT, 'demo', 'workspace', '.mirrord');
const samples: { format: ConfigFormat; text: string }[] = [
  ...fs
    .readdirSync(CONFIG_DIR)
    .sort()
    .map((file) => ({ format: configFormatForFileName(file), text: fs.readFileSync(path.join(CONFIG_DIR, file), 'utf8') })),
  ...CONFIG_FIXTURES.map((f) => ({ format: f.format, text: f.text })),
];
const regexRunner = createBudgetedRegexRunner({ budgetMs: 50 });

const WRONG: Record<ConfigFormat, string[]> = {
  json: ['"str"', '42', '[1, "a"]', '{"a": 1}', 'null', 'true', '"steal"', '{"mode": "steal"}'],
  yaml: ['str', '42', '[1, a]', '{a: 1}', 'null', 'true', 'steal', '{mode: steal}'],
  toml: ['"str"', '42', '[1, "a"]', '{ a = 1 }', 'true', '"steal"', '{ mode = "steal" }'],
};
const NEST: Record<ConfigFormat, (depth: number) => string> = {
  json: (d) => `${'{"a": '.repeat(d)}1${'}'.repeat(d)}`,
  yaml: (d) => `${'['.repeat(d)}${']'.repeat(d)}`,
  toml: (d) => `${'{ a = '.repeat(d)}1${' }'.repeat(d)}`,
};

type Damage =
  | { op: 'move' | 'duplicate' | 'delete'; line: number; to: number }
  | { op: 'wrong-type'; node: number; pick: number }
  | { op: 'misspell'; node: number; at: number }
  | { op: 'nest'; node: number; depth: number }
  | { op: 'bom' };

const damageArb: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ op: fc.constantFrom('move' as const, 'duplicate' as const, 'delete' as const), line: fc.nat(), to: fc.nat() }),
  fc.record({ op: fc.constant('wrong-type' as const), node: fc.nat(), pick: fc.nat() }),
  fc.record({ op: fc.constant('misspell' as const), node: fc.nat(), at: fc.nat() }),
  fc.record({ op: fc.constant('nest' as const), node: fc.nat(), depth: fc.constantFrom(3, 127, 129, 3000) }),
  fc.record({ op: fc.constant('bom' as const) }),
);

/** The value and key spans of the tree, in text order. */
function spans(text: string, format: ConfigFormat): { values: { start: number; end: number }[]; keys: { start: number; end: number }[] } {
  const values: { start: number; end: number }[] = [];
  const keys: { start: number; end: number }[] = [];
  const stack = [parseConfig(text, format).root];
  while (stack.length) {
    const node = stack.pop();
    if (node?.kind === 'object')
      for (const e of node.entries) {
        values.push(e.value.span);
        keys.push(e.keySpan);
        stack.push(e.value);
      }
    if (node?.kind === 'array') stack.push(...node.items);
  }
  return { values, keys };
}

function damage(text: string, format: ConfigFormat, d: Damage): string {
  const lines = text.split('\n');
  const splice = (start: number, end: number, insert: string) => text.slice(0, start) + insert + text.slice(end);
  switch (d.op) {
    case 'move': {
      const [moved] = lines.splice(d.line % lines.length, 1);
      lines.splice(d.to % (lines.length + 1), 0, moved);
      return lines.join('\n');
    }
    case 'duplicate':
      lines.splice(d.line % lines.length, 0, lines[d.line % lines.length]);
      return lines.join('\n');
    case 'delete':
      lines.splice(d.line % lines.length, 1);
      return lines.join('\n');
    case 'wrong-type': {
      const { values } = spans(text, format);
      if (!values.length) return text;
      const span = values[d.node % values.length];
      return splice(span.start, span.end, WRONG[format][d.pick % WRONG[format].length]);
    }
    case 'misspell': {
      const { keys } = spans(text, format);
      if (!keys.length) return text;
      const span = keys[d.node % keys.length];
      const key = text.slice(span.start, span.end);
      const inner = key.replace(/^["']|["']$/g, '');
      if (inner.length < 3) return text;
      const at = 1 + (d.at % (inner.length - 2));
      const typo = inner.slice(0, at) + inner[at + 1] + inner[at] + inner.slice(at + 2);
      return splice(span.start, span.end, key.replace(inner, typo));
    }
    case 'nest': {
      const { values } = spans(text, format);
      if (!values.length) return text;
      const span = values[d.node % values.length];
      return splice(span.start, span.end, NEST[format](d.depth));
    }
    case 'bom':
      return `\ufeff${text}`;
  }
}

function resolutionOf(text: string, format: ConfigFormat): ResolveResult | undefined {
  const lookup = analyzeConfig(parseConfig(text, format), undefined, { regexRunner }).lookup;
  return lookup ? resolveFromManifests(lookup.ref, lookup.namespace ?? 'default', manifests) : undefined;
}

const stolen = (a: Analysis) => a.probes.filter((p) => p.verdict === 'stolen' && p.probe.probe !== 'startup').length;

describe('fix-all on damaged configs', () => {
  test(`${RUNS} damaged configs: no throw, idempotent, never worse, never a guess`, () => {
    let applied = 0;
    fc.assert(
      fc.property(fc.nat({ max: samples.length - 1 }), fc.array(damageArb, { minLength: 1, maxLength: 3 }), (index, damages) => {
        const { format, text: original } = samples[index];
        const text = damages.reduce((t, d) => damage(t, format, d), original);
        const resolution = resolutionOf(text, format);
        const analyze = (t: string) => analyzeConfig(parseConfig(t, format), resolution, { regexRunner });
        const before = analyze(text);
        const once = fixAll(text, analyze);
        applied += once.applied.length;
        assert.deepEqual(
          once.applied.filter((f) => f.title.startsWith('Rename ')),
          [],
          'fix-all renames no key',
        );
        assert.equal(fixAll(once.text, analyze).text, once.text, 'a second fix-all changes nothing');
        const after = analyze(once.text);
        const syntax = (a: Analysis) => a.findings.filter((f) => f.code === 'syntax-error').length;
        assert.ok(syntax(after) <= syntax(before), `no new syntax error: ${JSON.stringify(once.applied.map((f) => f.title))}`);
        assert.ok(stolen(after) <= stolen(before), `no new stolen probe: ${JSON.stringify(once.applied.map((f) => f.title))}`);
        assert.ok(!after.findings.some((f) => f.code === 'internal-error'));
      }),
      { seed: 20261204, numRuns: RUNS },
    );
    assert.ok(applied > RUNS / 10, `fix-all applied something in many runs (${applied} fixes): the checks are not vacuous`);
  });
});
