/**
 * Properties of the whole engine (parse -> analyse -> plan fixes) on realistic and mangled input.
 * Fixed seed; set PROBE_GUARD_FUZZ_RUNS to run longer (e.g. PROBE_GUARD_FUZZ_RUNS=5000).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { configFormatForFileName, parseConfig } from '../../../src/core/config/parseConfig';
import { applyTextEdits } from '../../../src/core/fix/structuralEdits';
import { parseManifests, type ManifestObject } from '../../../src/core/k8s/manifests';
import { resolveFromManifests } from '../../../src/core/k8s/resolveFromManifests';
import type { Analysis, AnalyzeOptions, ConfigFormat, Fix, ResolveResult } from '../../../src/core/types';
import { createBudgetedRegexRunner } from '../../../src/runtime/budgetedRegexRunner';
import { repoRoot } from '../analyze/analyzeSupport';
import { render, type Plain } from '../analyze/renderConfig';
import { CONFIG_FIXTURES } from '../config/fixtures';

const RUNS = Math.max(1, Number(process.env.PROBE_GUARD_FUZZ_RUNS) || 150);
const PARAMS = { seed: 4242, numRuns: RUNS };

const ROOT = repoRoot();
const MANIFEST_DIR = path.join(ROOT, 'demo', 'manifests');
const CONFIG_DIR = path.join(ROOT, 'demo', 'workspace', '.mirrord');

const manifestTexts = fs
  .readdirSync(MANIFEST_DIR)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .map((file) => ({ file, text: fs.readFileSync(path.join(MANIFEST_DIR, file), 'utf8') }));
const manifests: ManifestObject[] = manifestTexts.flatMap(({ file, text }) => parseManifests(text, file).objects);

interface Sample {
  name: string;
  format: ConfigFormat;
  text: string;
}

const samples: Sample[] = [
  ...fs
    .readdirSync(CONFIG_DIR)
    .sort()
    .map((file) => ({ name: `demo/${file}`, format: configFormatForFileName(file), text: fs.readFileSync(path.join(CONFIG_DIR, file), 'utf8') })),
  ...CONFIG_FIXTURES.map((f) => ({ name: `fixture/${f.name}`, format: f.format, text: f.text })),
];

/** The target of the whole config, resolved against the demo manifests (when it names one there). */
function resolutionFor(text: string, format: ConfigFormat, objects: ManifestObject[] = manifests): ResolveResult | undefined {
  const lookup = analyzeConfig(parseConfig(text, format)).lookup;
  if (!lookup) return undefined;
  return resolveFromManifests(lookup.ref, lookup.namespace ?? 'default', objects);
}

/** The probe fixes (the JSON rendering's comments get strict-JSON fixes, tested on their own). */
function allFixes(analysis: Analysis): Fix[] {
  const seen = new Map<string, Fix>();
  for (const finding of analysis.findings) {
    if (finding.code === 'strict-json') continue;
    for (const fix of finding.fixes) if (!seen.has(fix.title)) seen.set(fix.title, fix);
  }
  return [...seen.values()];
}

/** Analyses, touches every lazy fix, and fails on an internal error (analyzeConfig's catch-all). */
function analyseFully(text: string, format: ConfigFormat, resolution: ResolveResult | undefined, options: AnalyzeOptions = {}, withFixes = true): Analysis {
  const parsed = parseConfig(text, format);
  for (const p of parsed.problems) assert.doesNotMatch(p.message, /^could not parse:/, `parser crashed on:\n${text}`);
  const analysis = analyzeConfig(parsed, resolution, options);
  const internal = analysis.findings.find((f) => f.code === 'internal-error');
  assert.equal(internal, undefined, `${internal?.message} on:\n${text}`);
  for (const f of analysis.findings) {
    assert.ok(f.span.start >= 0 && f.span.start <= f.span.end && f.span.end <= text.length, `span of ${f.code} in range`);
  }
  if (withFixes) for (const finding of analysis.findings) assert.ok(Array.isArray(finding.fixes));
  return analysis;
}

describe('engine never throws', () => {
  test('every demo config resolves against the demo manifests (the corpus below is meaningful)', () => {
    const demo = samples.filter((s) => s.name.startsWith('demo/'));
    assert.ok(demo.length >= 8);
    for (const s of demo) assert.ok(resolutionFor(s.text, s.format)?.ok, s.name);
  });

  for (const sample of samples) {
    test(`every prefix of ${sample.name}, with and without its resolved target`, () => {
      const resolution = resolutionFor(sample.text, sample.format);
      for (let end = 0; end <= sample.text.length; end++) {
        const prefix = sample.text.slice(0, end);
        analyseFully(prefix, sample.format, undefined, {}, false);
        if (resolution) analyseFully(prefix, sample.format, resolution, {}, false);
      }
    });
  }

  test('every prefix of every demo config in every format (format mismatches included)', () => {
    for (const sample of samples.filter((s) => s.name.startsWith('demo/'))) {
      for (const format of ['json', 'yaml', 'toml'] as const) {
        if (format === sample.format) continue;
        for (let end = 0; end <= sample.text.length; end += 7) analyseFully(sample.text.slice(0, end), format, undefined, {}, false);
      }
    }
  });
});

const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  ':',
  ',',
  '\n',
  ' ',
  '  ',
  '\t',
  '=',
  '- ',
  '#',
  '//',
  '/*',
  '*/',
  '\\',
  '\\u',
  '{{ get_env(name="X") }}',
  '{{',
  '}}',
  '{%',
  '%}',
  '{#',
  '#}',
  'steal',
  '"steal"',
  'mirror',
  'true',
  'false',
  'null',
  '0',
  '-1',
  '65536',
  '1e309',
  '8080',
  '(?',
  '(?!',
  '(a+)+',
  '[^',
  '\\p{',
  '\u0000',
  '\ud800',
  'é',
  '[[',
  ']]',
  "'''",
  '"""',
  '&a',
  '*a',
  '!!binary ',
  '~',
  '---',
  '...',
  '"http_filter": {',
  '"all_of": [',
  '"ports": [',
  'incoming',
  'header_filter',
  '$schema',
  '__proto__',
  'constructor',
];

type Mutation = { op: 'insert' | 'replace'; at: number; len: number; text: string } | { op: 'delete'; at: number; len: number; text?: undefined };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), len: fc.constant(0), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    op: fc.constant('replace' as const),
    at: fc.nat(),
    len: fc.integer({ min: 1, max: 6 }),
    text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })),
  }),
);

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    out = out.slice(0, at) + (m.text ?? '') + out.slice(at + (m.op === 'insert' ? 0 : m.len));
  }
  return out;
}

describe('random mutations', () => {
  test('mutated configs never throw, with and without a target, fixes included', () => {
    fc.assert(
      fc.property(fc.nat({ max: samples.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 6 }), fc.boolean(), (index, mutations, withTarget) => {
        const sample = samples[index];
        const text = mutate(sample.text, mutations);
        const resolution = withTarget ? resolutionFor(sample.text, sample.format) : undefined;
        const analysis = analyseFully(text, sample.format, resolution, { regexRunner: createBudgetedRegexRunner({ budgetMs: 20 }) });
        // The mutated text's own target too (it may have changed).
        analyseFully(text, sample.format, resolutionFor(text, sample.format));
        return analysis !== undefined;
      }),
      PARAMS,
    );
  });

  test('mutated manifests never throw: parse, resolve, analyse', () => {
    const configs = samples.filter((s) => s.name.startsWith('demo/'));
    fc.assert(
      fc.property(
        fc.nat({ max: manifestTexts.length - 1 }),
        fc.nat({ max: configs.length - 1 }),
        fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
        (manifestIndex, configIndex, mutations) => {
          const mangled = mutate(manifestTexts[manifestIndex].text, mutations);
          const parsed = parseManifests(mangled, 'mangled.yaml');
          assert.ok(Array.isArray(parsed.objects) && Array.isArray(parsed.problems));
          const objects = [...manifests.filter((m) => m.file !== manifestTexts[manifestIndex].file), ...parsed.objects];
          const config = configs[configIndex];
          const resolution = resolutionFor(config.text, config.format, objects);
          if (resolution?.ok) for (const o of parsed.objects) o.lineOf(['spec', 'template', 'spec', 'containers', 0]);
          analyseFully(config.text, config.format, resolution);
          return true;
        },
      ),
      PARAMS,
    );
  });
});

// ---- Structured configs against the demo targets: every fix offered is sound and final -------

const DEMO_TARGETS = [
  'deployment/checkout',
  'deployment/search',
  'deployment/inventory',
  'pod/ledger',
  'rollout/recommendations',
  'statefulset/orders-db',
  'cronjob/nightly-report',
  'deployment/notifications',
  'service/checkout',
];

const regexArb = fc.constantFrom(
  '^User-Agent: (?!kube-probe)',
  'User-Agent: kube-probe',
  '^user-agent: kube-probe/',
  '^(?!.*kube-probe)',
  '^baggage: .*mirrord-session=abc',
  '.*',
  '^x-debug-user: alice$',
  '^/(healthz|ready)',
  '/(Check|Reserve)$',
  '^(?!/health)',
  '^/api/',
  'health',
);
const portArb = fc.constantFrom(80, 8000, 8080, 9090, 9100, 15021, 5432);
const innerArb: fc.Arbitrary<Plain> = fc.oneof(
  regexArb.map((header) => ({ header })),
  regexArb.map((path) => ({ path })),
  fc.constantFrom('GET', 'POST').map((method) => ({ method })),
  fc.constant({ query: '.user' }),
);
const filterArb: fc.Arbitrary<{ [k: string]: Plain }> = fc
  .record(
    {
      kind: fc.constantFrom('header_filter', 'path_filter', 'method_filter', 'all_of', 'any_of', 'none'),
      regex: regexArb,
      method: fc.constantFrom('GET', 'POST'),
      items: fc.array(innerArb, { minLength: 1, maxLength: 3 }),
      ports: fc.option(fc.uniqueArray(portArb, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    },
    { requiredKeys: ['kind', 'regex', 'method', 'items'] },
  )
  .map(({ kind, regex, method, items, ports }) => {
    const filter: { [k: string]: Plain } = {};
    if (kind === 'header_filter' || kind === 'path_filter') filter[kind] = regex;
    else if (kind === 'method_filter') filter[kind] = method;
    else if (kind === 'all_of' || kind === 'any_of') filter[kind] = items;
    if (ports) filter.ports = ports;
    return filter;
  });
const incomingArb: fc.Arbitrary<Plain> = fc.oneof(
  fc.constantFrom<Plain>('steal', 'mirror', 'off', true),
  fc
    .record(
      {
        mode: fc.constantFrom('steal', 'steal', 'steal', 'mirror'),
        http_filter: filterArb,
        ports: fc.uniqueArray(portArb, { minLength: 1, maxLength: 3 }),
        ignore_ports: fc.uniqueArray(portArb, { minLength: 1, maxLength: 2 }),
        port_mapping: fc.array(fc.tuple(fc.constantFrom(18080, 19090, 8080), portArb), { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: ['mode'] },
    )
    .map((o) => {
      const out: { [k: string]: Plain } = {};
      for (const [k, v] of Object.entries(o)) if (v !== undefined && !(k === 'http_filter' && Object.keys(v as object).length === 0)) out[k] = v as Plain;
      return out;
    }),
);

describe('fixes on generated configs', () => {
  test('every fix offered applies to a text that parses, no new problems, nothing at risk, no fix offered again', () => {
    let offered = 0;
    fc.assert(
      fc.property(
        incomingArb,
        fc.constantFrom<ConfigFormat>('json', 'yaml', 'toml'),
        fc.constantFrom(...DEMO_TARGETS),
        fc.constantFrom<string | undefined>(undefined, undefined, '3.150.0'),
        fc.boolean(),
        (incoming, format, target, mirrordVersion, withTarget) => {
          const text = render(format, incoming, { path: target, namespace: 'shop' });
          const before = parseConfig(text, format);
          const resolution = withTarget ? resolutionFor(text, format) : undefined;
          const options: AnalyzeOptions = { mirrordVersion };
          const analysis = analyseFully(text, format, resolution, options);
          for (const fix of allFixes(analysis)) {
            offered++;
            for (const edit of fix.edits) assert.doesNotMatch(edit.newText, /\{[{%#]/);
            const fixed = applyTextEdits(text, fix.edits);
            const after = parseConfig(fixed, format);
            assert.ok(after.problems.length <= before.problems.length, `new syntax problems ${JSON.stringify(after.problems)} in:\n${fixed}`);
            const again = analyseFully(fixed, format, resolution, options);
            assert.equal(again.steals, true, `still steals:\n${fixed}`);
            assert.ok(!again.probes.some((p) => p.verdict === 'stolen' && p.probe.probe !== 'startup'), `nothing at risk after "${fix.title}":\n${fixed}`);
            assert.deepEqual(
              allFixes(again).map((f) => f.title),
              [],
              `fix offered again after "${fix.title}" on:\n${fixed}\nwas:\n${text}`,
            );
          }
          return true;
        },
      ),
      PARAMS,
    );
    assert.ok(offered > 0, 'the generator produced configs that get fixes');
  });
});
