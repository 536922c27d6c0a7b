/**
 * Reliability fuzzing of the engine: at least 10,000 random mutations of real configs (the demo
 * configs rendered in JSON, YAML and TOML, and the parser fixtures) and of the demo manifests.
 * Mutations that matter to parsers: deleted/inserted/replaced characters, duplicated lines, Tera
 * `{{ }}`/`{% %}`/`{# #}` pieces, swapped brackets, huge numbers, unicode (surrogates, BOM, RTL,
 * zero-width), NUL, deep nesting.
 *
 * Asserted for every mutated input: analyzeConfig never throws and never reports
 * `internal-error`; every call (parse + analyse + fix planning) stays under a 10 s hang bound;
 * every fix offered leaves a file that parses with no more syntax problems than before.
 *
 * Fixed seed; PROBE_GUARD_FUZZ_RUNS=<mutated configs> runs longer (a third as many mutated
 * manifests come on top); PROBE_GUARD_FUZZ_SEED=<n> picks another seed.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse as yamlParse, stringify as yamlStringify } from 'yaml';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { configFormatForFileName, parseConfig } from '../../../src/core/config/parseConfig';
import { applyTextEdits } from '../../../src/core/fix/structuralEdits';
import { parseManifests, type ManifestObject } from '../../../src/core/k8s/manifests';
import { resolveFromManifests } from '../../../src/core/k8s/resolveFromManifests';
import type { Analysis, ConfigFormat, Fix, ResolveResult } from '../../../src/core/types';
import { createBudgetedRegexRunner } from '../../../src/runtime/budgetedRegexRunner';
import { repoRoot } from '../analyze/analyzeSupport';
import { CONFIG_FIXTURES } from '../config/fixtures';

const CONFIG_RUNS = Math.max(1, Number(process.env.PROBE_GUARD_FUZZ_RUNS) || 7000);
const MANIFEST_RUNS = Math.max(1, Math.ceil((CONFIG_RUNS * 3) / 7));
const SEED = Number(process.env.PROBE_GUARD_FUZZ_SEED) || 20261126;
// A hang detector, not a speed goal: one analysis may spend up to 1 s of regex budget, and fix
// planning as much again, on a shared CI machine.
const PER_CALL_BOUND_MS = 10_000;

const ROOT = repoRoot();
const MANIFEST_DIR = path.join(ROOT, 'demo', 'manifests');
const CONFIG_DIR = path.join(ROOT, 'demo', 'workspace', '.mirrord');

const manifestTexts = fs
  .readdirSync(MANIFEST_DIR)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort()
  .map((file) => ({ file, text: fs.readFileSync(path.join(MANIFEST_DIR, file), 'utf8') }));
const demoObjects: ManifestObject[] = manifestTexts.flatMap(({ file, text }) => parseManifests(text, file).objects);

// ---- the corpus: every demo config in all three formats, plus the parser fixtures ------------

interface Sample {
  name: string;
  format: ConfigFormat;
  text: string;
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function tomlValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** A small TOML writer: scalars and arrays inline, objects as [tables]. */
function toToml(value: Record<string, unknown>, prefix: string[] = []): string {
  const lines: string[] = [];
  const tables: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined) continue;
    if (typeof v === 'object' && !Array.isArray(v)) tables.push(toToml(v as Record<string, unknown>, [...prefix, k]));
    else lines.push(`${tomlKey(k)} = ${tomlValue(v)}`);
  }
  const head = prefix.length && lines.length ? `[${prefix.map(tomlKey).join('.')}]\n` : '';
  return [head + lines.map((l) => `${l}\n`).join(''), ...tables].filter(Boolean).join('\n');
}

function demoValue(file: string, text: string): Record<string, unknown> | undefined {
  if (file.endsWith('.json')) return JSON.parse(text);
  if (/\.ya?ml$/.test(file)) return yamlParse(text);
  return undefined;
}

const samples: Sample[] = [];
for (const file of fs.readdirSync(CONFIG_DIR).sort()) {
  const text = fs.readFileSync(path.join(CONFIG_DIR, file), 'utf8');
  samples.push({ name: `demo/${file}`, format: configFormatForFileName(file), text });
  const value = demoValue(file, text);
  if (!value) continue;
  if (!file.endsWith('.json')) samples.push({ name: `demo/${file} as json`, format: 'json', text: JSON.stringify(value, null, 2) + '\n' });
  if (!/\.ya?ml$/.test(file)) samples.push({ name: `demo/${file} as yaml`, format: 'yaml', text: yamlStringify(value) });
  samples.push({ name: `demo/${file} as toml`, format: 'toml', text: toToml(value) });
}
for (const f of CONFIG_FIXTURES) samples.push({ name: `fixture/${f.name}`, format: f.format, text: f.text });

// ---- mutations ------------------------------------------------------------------------------

const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '"',
  "'",
  ':',
  ',',
  '\n',
  '\r\n',
  ' ',
  '\t',
  '=',
  '- ',
  '#',
  '//',
  '/*',
  '*/',
  '\\',
  '\\u',
  '\\u12',
  '{{ get_env(name="PORT", default="8080") }}',
  '{{',
  '}}',
  '{%',
  '%}',
  '{#',
  '#}',
  '{% if x %}',
  '{% endif %}',
  '{# note #}',
  '"{{ x }}"',
  '{{ "}}" }}',
  'steal',
  '"steal"',
  'mirror',
  'true',
  'false',
  'null',
  '~',
  '---',
  '...',
  '&a',
  '*a',
  '!!binary ',
  '<<: *a',
  '[[feature]]',
  '"""',
  "'''",
  '"http_filter": {',
  '"all_of": [',
  '"ports": [',
  'header_filter = "',
  'incoming:',
  '__proto__',
  'constructor',
  '"$schema": "x",',
  '(?!',
  '(a+)+',
  '[^',
  '\\p{L}',
  '\\',
  '(?<n>',
  '\\1',
];
const UNICODE = [
  '\u0000',
  '\ud800',
  '\udc00',
  '\ud83d\ude80',
  '\ufeff',
  '\u202e',
  '\u200b',
  '\u2028',
  '\u2029',
  'é',
  'ß',
  '漢字',
  '\u0301',
  '\uffff',
  '\x7f',
  '\x1b[31m',
];
const HUGE_NUMBERS = [
  '1e309',
  '-1e309',
  '99999999999999999999999999',
  '0x7fffffffffffffff',
  '-0',
  '65536',
  '4294967296',
  'NaN',
  'inf',
  '-inf',
  '1_000',
  '0o777',
  '1.7976931348623157e308',
  '0.0000000000000000001',
];
const SWAP: Record<string, string[]> = { '{': ['[', '}', '('], '}': [']', '{', ')'], '[': ['{', ']', '('], ']': ['}', '[', ')'], '"': ["'", '`'], "'": ['"'] };

type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'replace'; at: number; len: number; text: string }
  | { op: 'duplicate-line'; at: number; times: number }
  | { op: 'swap-bracket'; at: number; pick: number }
  | { op: 'huge-number'; at: number; text: string }
  | { op: 'nest'; at: number; depth: number; style: number };

const textArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TOKENS) },
  { weight: 2, arbitrary: fc.constantFrom(...UNICODE) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE_NUMBERS) },
  // Any code points (surrogate halves included); built without fc.string's unmapper, which costs more than the analysis.
  { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: 6 }).map((codes) => String.fromCodePoint(...codes)) },
);

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: textArb }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 16 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 8 }), text: textArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate-line' as const), at: fc.nat(), times: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('swap-bracket' as const), at: fc.nat(), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('huge-number' as const), at: fc.nat(), text: fc.constantFrom(...HUGE_NUMBERS) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('nest' as const), at: fc.nat(), depth: fc.constantFrom(3, 40, 300, 1000), style: fc.nat({ max: 4 }) }) },
);

function nesting(depth: number, style: number): string {
  switch (style) {
    case 0:
      return '['.repeat(depth) + ']'.repeat(depth);
    case 1:
      return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    case 2:
      return '['.repeat(depth); // never closed
    case 3:
      return Array.from({ length: Math.min(depth, 300) }, (_, i) => `\n${'  '.repeat(i)}k${i}:`).join('') + ' 1\n';
    default:
      return '{ a = '.repeat(Math.min(depth, 300)) + '1' + ' }'.repeat(Math.min(depth, 300));
  }
}

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    switch (m.op) {
      case 'insert':
        out = out.slice(0, at) + m.text + out.slice(at);
        break;
      case 'delete':
        out = out.slice(0, at) + out.slice(at + m.len);
        break;
      case 'replace':
        out = out.slice(0, at) + m.text + out.slice(at + m.len);
        break;
      case 'duplicate-line': {
        const start = out.lastIndexOf('\n', at - 1) + 1;
        const end = out.indexOf('\n', at);
        const line = out.slice(start, end < 0 ? out.length : end + 1);
        out = out.slice(0, start) + line.repeat(m.times + 1) + out.slice(start + line.length);
        break;
      }
      case 'swap-bracket': {
        const positions: number[] = [];
        for (let i = 0; i < out.length; i++) if (SWAP[out[i]]) positions.push(i);
        if (positions.length === 0) break;
        const i = positions[m.at % positions.length];
        const choices = SWAP[out[i]];
        out = out.slice(0, i) + choices[m.pick % choices.length] + out.slice(i + 1);
        break;
      }
      case 'huge-number': {
        const digits = /-?\d+(\.\d+)?/g;
        const found = [...out.matchAll(digits)];
        if (found.length === 0) {
          out = out.slice(0, at) + m.text + out.slice(at);
          break;
        }
        const hit = found[m.at % found.length];
        out = out.slice(0, hit.index!) + m.text + out.slice(hit.index! + hit[0].length);
        break;
      }
      case 'nest':
        out = out.slice(0, at) + nesting(m.depth, m.style) + out.slice(at);
        break;
    }
  }
  return out;
}

// ---- the checks -----------------------------------------------------------------------------

const counts = {
  configMutations: 0,
  manifestMutations: 0,
  /** Mutated manifests that left the config's resolved target exactly as an earlier one. */
  manifestRepeats: 0,
  analyses: 0,
  withResolvedTarget: 0,
  withSyntaxProblems: 0,
  stolenVerdicts: 0,
  fixesChecked: 0,
  slowestCallMs: 0,
  byOp: {} as Record<string, number>,
};
const regexRunner = createBudgetedRegexRunner({ budgetMs: 50 });

function allFixes(analysis: Analysis): Fix[] {
  const seen = new Map<string, Fix>();
  for (const finding of analysis.findings) for (const fix of finding.fixes) if (!seen.has(fix.title)) seen.set(fix.title, fix);
  return [...seen.values()];
}

function timed<T>(what: string, text: string, fn: () => T): T {
  // CPU time, not wall time: a synchronous call's own work, which a loaded machine does not inflate
  // (two other processes on two cores made the wall clock cross the bound with no hang at all).
  const started = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(started);
  const elapsed = (used.user + used.system) / 1000;
  counts.slowestCallMs = Math.max(counts.slowestCallMs, elapsed);
  if (elapsed >= PER_CALL_BOUND_MS)
    assert.fail(`${what} took ${Math.round(elapsed)} ms (hang bound ${PER_CALL_BOUND_MS} ms of CPU) on:\n${JSON.stringify(text.slice(0, 2000))}`);
  return value;
}

/** Parse, analyse (with the text's own target resolved against `objects`), touch every fix, check each. */
function checkConfig(text: string, format: ConfigFormat, objects: ManifestObject[], seen?: Set<string>): void {
  const where = () => `${format} input ${JSON.stringify(text.slice(0, 3000))}`;
  const parsed = timed('parseConfig', text, () => parseConfig(text, format));
  const crash = parsed.problems.find((p) => /^could not parse:/.test(p.message));
  if (crash) assert.fail(`parser crashed: ${crash.message} on ${where()}`);
  if (parsed.problems.length) counts.withSyntaxProblems++;
  let resolution: ResolveResult | undefined;
  const analysis = timed('analyzeConfig + fixes', text, () => {
    const first = analyzeConfig(parsed, undefined, { regexRunner });
    const lookup = first.lookup;
    resolution = lookup ? resolveFromManifests(lookup.ref, lookup.namespace ?? 'default', objects) : undefined;
    if (seen) {
      // Manifest fuzzing: the analysis is pure, so a target identical to one already analysed adds nothing.
      const key = `${text}\u0000${JSON.stringify(resolution)}`;
      if (seen.has(key)) {
        counts.manifestRepeats++;
        return undefined;
      }
      seen.add(key);
    }
    const full = resolution ? analyzeConfig(parsed, resolution, { regexRunner }) : first;
    for (const a of resolution ? [first, full] : [first]) {
      const internal = a.findings.find((f) => f.code === 'internal-error');
      if (internal) assert.fail(`${internal.message} on ${where()}`);
    }
    allFixes(full); // plans the lazy fixes: must not throw or hang
    return full;
  });
  if (!analysis) return;
  counts.analyses++;
  if (resolution?.ok) counts.withResolvedTarget++;
  counts.stolenVerdicts += analysis.probes.filter((p) => p.verdict === 'stolen').length;
  for (const f of analysis.findings) {
    if (!(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length)) assert.fail(`span of ${f.code} out of range on ${where()}`);
  }
  for (const fix of allFixes(analysis)) {
    counts.fixesChecked++;
    if (fix.edits.some((edit) => /\{[{%#]/.test(edit.newText))) assert.fail(`fix "${fix.title}" writes a template on ${where()}`);
    const fixed = applyTextEdits(text, fix.edits);
    const after = timed('parseConfig of a fixed text', fixed, () => parseConfig(fixed, format));
    if (after.problems.length > parsed.problems.length)
      assert.fail(
        `fix "${fix.title}" adds syntax problems ${JSON.stringify(after.problems.slice(0, 3))}\nbefore: ${JSON.stringify(parsed.problems.slice(0, 3))}\non ${where()}\nfixed: ${JSON.stringify(fixed)}`,
      );
  }
}

function countOps(mutations: Mutation[]): void {
  for (const m of mutations) counts.byOp[m.op] = (counts.byOp[m.op] ?? 0) + 1;
}

describe('reliability fuzzing (engine)', () => {
  after(() => {
    const total = counts.configMutations + counts.manifestMutations;
    console.log(
      `fuzz: ${total} mutated inputs (${counts.configMutations} configs from ${samples.length} samples in json/yaml/toml, ` +
        `${counts.manifestMutations} manifests from ${manifestTexts.length} files, ${counts.manifestRepeats} of them leaving the target as an earlier one); ` +
        `${counts.analyses} analyses, ` +
        `${counts.withResolvedTarget} with a resolved target, ${counts.withSyntaxProblems} with syntax problems, ` +
        `${counts.stolenVerdicts} stolen verdicts, ${counts.fixesChecked} fixes applied and re-parsed; ` +
        `slowest call ${counts.slowestCallMs.toFixed(1)} ms of CPU; ops ${JSON.stringify(counts.byOp)}; seed ${SEED}`,
    );
  });

  test('the corpus covers all three formats and the demo configs resolve', () => {
    for (const format of ['json', 'yaml', 'toml'] as const) assert.ok(samples.filter((s) => s.format === format).length >= 5, format);
    for (const s of samples.filter((x) => x.name.startsWith('demo/'))) {
      const parsed = parseConfig(s.text, s.format);
      assert.deepEqual(parsed.problems, [], `${s.name} renders cleanly`);
      const lookup = analyzeConfig(parsed).lookup;
      assert.ok(lookup && resolveFromManifests(lookup.ref, lookup.namespace ?? 'default', demoObjects).ok, `${s.name} resolves`);
    }
  });

  test('the mutations really change the text (and deep nesting is deep)', () => {
    const base = samples[0].text;
    assert.notEqual(mutate(base, [{ op: 'swap-bracket', at: 0, pick: 0 }]), base);
    assert.equal(mutate(base, [{ op: 'nest', at: 0, depth: 2000, style: 0 }]).length, base.length + 4000);
    assert.match(mutate('a: 1\n', [{ op: 'huge-number', at: 0, text: '1e309' }]), /1e309/);
    assert.equal(mutate('a\nb\n', [{ op: 'duplicate-line', at: 2, times: 2 }]), 'a\nb\nb\nb\n');
  });

  test(`mutated configs (${CONFIG_RUNS}): no throw, no internal-error, no hang, every fix parses`, () => {
    fc.assert(
      fc.property(fc.nat({ max: samples.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 5 }), (index, mutations) => {
        const sample = samples[index];
        checkConfig(mutate(sample.text, mutations), sample.format, demoObjects);
        counts.configMutations++;
        countOps(mutations);
      }),
      { seed: SEED, numRuns: CONFIG_RUNS, includeErrorInReport: true },
    );
  });

  test(`mutated manifests (${MANIFEST_RUNS}): parse, resolve, analyse, fix`, () => {
    const configs = samples.filter((s) => s.name.startsWith('demo/') && !s.name.includes(' as '));
    const seen = new Set<string>();
    // The configs whose target lives in each manifest file: mutating that file is what matters to them.
    const configsOf = manifestTexts.map(({ file }) =>
      configs.filter((c) => {
        const lookup = analyzeConfig(parseConfig(c.text, c.format)).lookup;
        const r = lookup && resolveFromManifests(lookup.ref, lookup.namespace ?? 'default', demoObjects);
        return r?.ok && r.target.origin.file === file;
      }),
    );
    assert.ok(configsOf.filter((c) => c.length > 0).length >= 5, 'most manifest files hold a demo target');
    fc.assert(
      fc.property(
        fc.nat({ max: manifestTexts.length - 1 }),
        fc.nat({ max: configs.length - 1 }),
        fc.array(mutationArb, { minLength: 1, maxLength: 5 }),
        (manifestIndex, configIndex, mutations) => {
          {
            const { file, text } = manifestTexts[manifestIndex];
            const mangled = mutate(text, mutations);
            const parsed = timed('parseManifests', mangled, () => parseManifests(mangled, file));
            assert.ok(Array.isArray(parsed.objects) && Array.isArray(parsed.problems));
            for (const o of parsed.objects) o.lineOf(['spec', 'template', 'spec', 'containers', 0, 'livenessProbe']);
            const objects = [...demoObjects.filter((o) => o.file !== file), ...parsed.objects];
            const candidates = configsOf[manifestIndex].length ? configsOf[manifestIndex] : configs;
            const config = candidates[configIndex % candidates.length];
            checkConfig(config.text, config.format, objects, seen);
            counts.manifestMutations++;
            countOps(mutations);
          }
        },
      ),
      { seed: SEED + 1, numRuns: MANIFEST_RUNS, includeErrorInReport: true },
    );
  });

  test('at least 10,000 mutated inputs were checked (default run)', () => {
    const total = counts.configMutations + counts.manifestMutations;
    assert.ok(total >= Math.min(10_000, CONFIG_RUNS + MANIFEST_RUNS), `${total} inputs`);
    assert.ok(counts.fixesChecked > 0, 'some mutated inputs still get fixes (the fix check is not vacuous)');
    assert.ok(counts.withResolvedTarget > counts.analyses / 4, 'many mutated inputs still resolve a target');
  });
});
