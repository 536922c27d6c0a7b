import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { nodeToJs } from '../../../src/core/config/configQuery';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { appendToArrayEdits, applyTextEdits, replaceEntryEdits, setValueEdits, type JsonValue } from '../../../src/core/fix/structuralEdits';
import type { ConfigFormat, ParsedConfig, TextEdit } from '../../../src/core/types';
import { CONFIG_FIXTURES } from '../config/fixtures';
import { INCOMING, PROBE_SAFE_FILTER, STEAL_WITH_FILTER } from './fixTestSupport';

/** Our own bases next to the shared fixtures: each format's awkward layouts. */
const EXTRA_BASES: { name: string; format: ConfigFormat; text: string }[] = [
  { name: 'json-empty', format: 'json', text: '' },
  { name: 'json-crlf-tabs', format: 'json', text: '{\r\n\t"target": "pod/a",\r\n\t"feature": {\r\n\t\t"network": {"incoming": "steal"}\r\n\t}\r\n}\r\n' },
  { name: 'yaml-flow-root', format: 'yaml', text: '{target: pod/a, feature: {network: {incoming: steal}}}\n' },
  { name: 'yaml-crlf', format: 'yaml', text: 'target: pod/a\r\nfeature:\r\n  network:\r\n    incoming: steal # c\r\n' },
  { name: 'yaml-empty', format: 'yaml', text: '' },
  { name: 'toml-dotted', format: 'toml', text: 'target = "pod/a"\nfeature.network.incoming = "steal"\n' },
  { name: 'toml-inline', format: 'toml', text: 'feature = { network = { incoming = "steal" } }\n' },
  { name: 'toml-empty', format: 'toml', text: '' },
];
const BASES = [...CONFIG_FIXTURES, ...EXTRA_BASES];

type Operation = { label: string; path: string[]; run: (parsed: ParsedConfig) => TextEdit[] | undefined; expect: (before: unknown) => unknown };

/** The document as plain data, or `{}` for a file with nothing in it yet. */
function documentOf(text: string, format: ConfigFormat): unknown {
  return nodeToJs(parseConfig(text, format).root) ?? {};
}

function setIn(tree: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const base = tree && typeof tree === 'object' && !Array.isArray(tree) ? (tree as Record<string, unknown>) : {};
  const copy: Record<string, unknown> = { ...base };
  copy[path[0]] = setIn(base[path[0]], path.slice(1), value);
  return copy;
}

function getIn(tree: unknown, path: string[]): unknown {
  let node = tree;
  for (const key of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return node;
}

/** Every key of `before` keeps its relative order in `after` (JSON and YAML insert at the end). */
function assertKeyOrderKept(before: unknown, after: unknown, where: string): void {
  if (!before || typeof before !== 'object' || !after || typeof after !== 'object' || Array.isArray(before)) return;
  const kept = Object.keys(after).filter((key) => key in (before as object));
  assert.deepEqual(
    kept,
    Object.keys(before).filter((key) => key in (after as object)),
    `key order at ${where}`,
  );
  for (const key of kept) assertKeyOrderKept((before as any)[key], (after as any)[key], `${where}.${key}`);
}

/** Applies, re-parses, checks the result and that the same operation again changes nothing. */
function checkOperation(base: { name: string; format: ConfigFormat; text: string }, operation: Operation, edits: TextEdit[]): void {
  const where = `${base.name} / ${operation.label}`;
  const parsed = parseConfig(base.text, base.format);
  for (const edit of edits) assert.doesNotMatch(edit.newText, /\{[{%#]|\$schema/, where);
  const text = applyTextEdits(base.text, edits);
  const after = parseConfig(text, base.format);
  assert.ok(after.problems.length <= parsed.problems.length, `${where}: new syntax problems\n${text}`);
  assert.equal(after.templateSpans.length, parsed.templateSpans.length, where);
  const before = documentOf(base.text, base.format);
  assert.deepEqual(documentOf(text, base.format), operation.expect(before), `${where}\n${text}`);
  if (base.format !== 'toml') assertKeyOrderKept(before, documentOf(text, base.format), where);
  const again = operation.run(after);
  assert.ok(again !== undefined, `${where}: second run refused`);
  assert.equal(applyTextEdits(text, again), text, `${where}: second run changed the text`);
  assert.deepEqual(again, [], `${where}: second run should return []`);
}

function fixOperations(): Operation[] {
  const filterPath = [...INCOMING, 'http_filter'];
  const allOf = [{ header: PROBE_SAFE_FILTER }, { header: 'User-Agent: kube-probe' }];
  return [
    {
      label: 'steal with filter',
      path: INCOMING,
      run: (p) => setValueEdits(p, INCOMING, STEAL_WITH_FILTER),
      expect: (b) => setIn(b, INCOMING, STEAL_WITH_FILTER),
    },
    {
      label: 'add http_filter',
      path: filterPath,
      run: (p) => setValueEdits(p, filterPath, { header_filter: PROBE_SAFE_FILTER }),
      expect: (b) => setIn(b, filterPath, { header_filter: PROBE_SAFE_FILTER }),
    },
    {
      label: 'dns off',
      path: ['feature', 'network', 'dns'],
      run: (p) => setValueEdits(p, ['feature', 'network', 'dns'], false),
      expect: (b) => setIn(b, ['feature', 'network', 'dns'], false),
    },
    {
      label: 'append ignore_ports',
      path: [...INCOMING, 'ignore_ports'],
      run: (p) => appendToArrayEdits(p, [...INCOMING, 'ignore_ports'], 9000),
      expect: (b) => {
        const existing = getIn(b, [...INCOMING, 'ignore_ports']);
        return setIn(b, [...INCOMING, 'ignore_ports'], Array.isArray(existing) ? (existing.includes(9000) ? existing : [...existing, 9000]) : [9000]);
      },
    },
    {
      label: 'header_filter -> all_of',
      path: [...filterPath, 'header_filter'],
      run: (p) => replaceEntryEdits(p, [...filterPath, 'header_filter'], 'all_of', allOf),
      expect: (b) => {
        const filter = getIn(b, filterPath) as Record<string, unknown>;
        const renamed: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(filter)) {
          if (key === 'header_filter') renamed.all_of = allOf;
          else renamed[key] = value;
        }
        return setIn(b, filterPath, renamed);
      },
    },
  ];
}

/**
 * A documented limit: in TOML, a `[table]` is only ever added to, never replaced by an object
 * that lacks some of its keys (that would mean deleting lines and sub-tables).
 */
function dropsTomlTableKeys(base: { format: ConfigFormat; text: string }, operation: Operation): boolean {
  if (base.format !== 'toml') return false;
  const existing = getIn(documentOf(base.text, base.format), operation.path);
  const written = getIn(operation.expect({}), operation.path);
  if (!existing || typeof existing !== 'object' || Array.isArray(existing)) return false;
  return Object.keys(existing).some((key) => !written || typeof written !== 'object' || !(key in written));
}

/**
 * True when every step of `path` is an object or absent, with no template on the way, and the
 * value there (if any) holds no template text that a replacement would delete.
 */
function writablePath(parsed: ParsedConfig, path: string[]): boolean {
  let node = parsed.root;
  for (const key of path) {
    if (!node) return true;
    if (node.kind !== 'object') return node.kind === 'scalar' && node.value === null;
    node = node.entries.find((entry) => entry.key === key)?.value;
  }
  if (!node) return true;
  const span = node.span;
  return node.kind !== 'template' && !parsed.templateSpans.some((t) => t.start < span.end && t.end > span.start);
}

test('fix operations on every fixture: valid result, intended value, nothing else changed, idempotent', () => {
  let applied = 0;
  for (const base of BASES) {
    const parsed = parseConfig(base.text, base.format);
    for (const operation of fixOperations()) {
      const edits = operation.run(parsed);
      if (operation.label === 'header_filter -> all_of') {
        const hasFilter = getIn(documentOf(base.text, base.format), operation.path) !== undefined;
        if (!hasFilter) continue;
        assert.ok(edits, `${base.name}: header_filter exists, replaceEntry should work`);
      } else if (writablePath(parsed, operation.path) && parsed.problems.length === 0 && !dropsTomlTableKeys(base, operation)) {
        assert.ok(edits, `${base.name} / ${operation.label}: expected edits`);
      }
      if (!edits) continue;
      applied++;
      checkOperation(base, operation, edits);
    }
  }
  assert.ok(applied >= BASES.length * 2, `only ${applied} operations applied`);
});

const keyArbitrary = fc.oneof(
  fc.constantFrom('feature', 'network', 'incoming', 'http_filter', 'agent', 'ports', 'x y', 'a.b', "q'uote", 'ü', '-dash', 'true', '1'),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const scalarArbitrary = fc.oneof(
  fc.string(),
  fc.constantFrom(PROBE_SAFE_FILTER, '^/health\\z', "it's", 'a: b', '# no', '- x', 'yes', 'null', '8080', '', ' lead', 'tail ', 'multi\nline', '\t\u007f'),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);
const valueArbitrary: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarArbitrary,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(keyArbitrary, tie('value'), { maxKeys: 3 }),
  ),
})).value;

const TEMPLATE_TAG = /\{[{%#]/;

function hasNull(value: JsonValue): boolean {
  if (value === null) return true;
  if (Array.isArray(value)) return value.some(hasNull);
  if (typeof value === 'object') return Object.values(value).some(hasNull);
  return false;
}

function mentions(value: JsonValue, pattern: (s: string) => boolean): boolean {
  if (typeof value === 'string') return pattern(value);
  if (Array.isArray(value)) return value.some((item) => mentions(item, pattern));
  if (value && typeof value === 'object') return Object.entries(value).some(([key, item]) => pattern(key) || mentions(item, pattern));
  return false;
}

test('random setValue on random paths: sound whenever it answers, and it answers when it should', () => {
  let answered = 0;
  fc.assert(
    fc.property(fc.constantFrom(...BASES), fc.array(keyArbitrary, { minLength: 1, maxLength: 4 }), valueArbitrary, (base, path, value) => {
      const parsed = parseConfig(base.text, base.format);
      const edits = setValueEdits(parsed, path, value);
      const forbidden = mentions(value, (s) => TEMPLATE_TAG.test(s) || s === '$schema') || path.some((key) => TEMPLATE_TAG.test(key) || key === '$schema');
      if (forbidden) {
        assert.equal(edits, undefined);
        return;
      }
      // JSON and YAML must answer wherever the path is writable; TOML may refuse (null, tables it would
      // have to delete from), checked separately. -0 and unsafe integers have no exact spelling we promise.
      if (base.format !== 'toml' && parsed.problems.length === 0 && writablePath(parsed, path) && !mentionsOddNumber(value)) {
        assert.ok(edits, `${base.name}: expected edits for ${JSON.stringify(path)} = ${JSON.stringify(value)}`);
      }
      if (base.format === 'toml' && hasNull(value)) assert.equal(edits, undefined);
      const existing = getIn(documentOf(base.text, base.format), path);
      const replacesTable = existing !== null && typeof existing === 'object';
      if (
        base.format === 'toml' &&
        !hasNull(value) &&
        !replacesTable &&
        parsed.problems.length === 0 &&
        writablePath(parsed, path) &&
        !mentionsOddNumber(value)
      ) {
        assert.ok(edits, `${base.name}: expected TOML edits for ${JSON.stringify(path)} = ${JSON.stringify(value)}`);
      }
      if (!edits) return;
      answered++;
      // Plain copy: fast-check's records have no prototype, parsed ones do.
      const plainValue = JSON.parse(JSON.stringify(value));
      checkOperation(
        base,
        { label: `set ${JSON.stringify(path)}`, path, run: (p) => setValueEdits(p, path, value), expect: (b) => setIn(b, path, plainValue) },
        edits,
      );
    }),
    { numRuns: 400 },
  );
  assert.ok(answered >= 200, `only ${answered} of 400 random edits were made`);
});

function mentionsOddNumber(value: JsonValue): boolean {
  if (typeof value === 'number') return Object.is(value, -0) || !Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.some(mentionsOddNumber);
  if (value && typeof value === 'object') return Object.values(value).some(mentionsOddNumber);
  return false;
}

test('random appends: sound whenever it answers', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...BASES),
      fc.constantFrom<string[]>([...INCOMING, 'ignore_ports'], [...INCOMING, 'http_filter', 'ports'], [...INCOMING, 'port_mapping'], ['x', 'list']),
      scalarArbitrary,
      (base, path, value) => {
        const parsed = parseConfig(base.text, base.format);
        const edits = appendToArrayEdits(parsed, path, value);
        if (TEMPLATE_TAG.test(String(value))) {
          assert.equal(edits, undefined);
          return;
        }
        if (!edits) return;
        const plainValue = JSON.parse(JSON.stringify(value)); // -0 is written as 0
        const expect = (b: unknown) => {
          const existing = getIn(b, path);
          if (!Array.isArray(existing)) return setIn(b, path, [plainValue]);
          return existing.some((item) => item === value) ? b : setIn(b, path, [...existing, plainValue]);
        };
        checkOperation(base, { label: `append ${JSON.stringify(path)}`, path, run: (p) => appendToArrayEdits(p, path, value), expect }, edits);
      },
    ),
    { numRuns: 300 },
  );
});
