import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatTargetRef, parseTargetPath } from '../../../src/core/target/targetPath';
import { readTarget } from '../../../src/core/target/readTarget';
import { parseManifests } from '../../../src/core/k8s/manifests';
import { extractProbes } from '../../../src/core/k8s/probes';
import type { TargetRef } from '../../../src/core/types';

const name = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const kind = fc.constantFrom('pod', 'deployment', 'rollout', 'job', 'cronjob', 'statefulset', 'replicaset', 'service') as fc.Arbitrary<TargetRef['kind']>;

test('property: every well-formed named target round-trips through its string form', () => {
  fc.assert(
    fc.property(kind, name, fc.option(name, { nil: undefined }), (k, n, container) => {
      const ref: TargetRef = container === undefined ? { kind: k, name: n } : { kind: k, name: n, container };
      const parsed = parseTargetPath(formatTargetRef(ref));
      assert.ok(parsed.ok);
      if (parsed.ok) assert.deepEqual(parsed.ref, ref);
    }),
  );
});

test('property: label targets round-trip', () => {
  const key = fc.stringMatching(/^[a-z]([a-z0-9.]{0,8}\/)?[a-z0-9]{1,8}$/);
  fc.assert(
    fc.property(fc.dictionary(key, name, { minKeys: 1, maxKeys: 4 }), (labels) => {
      const parsed = parseTargetPath(formatTargetRef({ kind: 'label', labels }));
      assert.ok(parsed.ok);
      if (parsed.ok) assert.deepEqual(parsed.ref.labels, { ...labels });
    }),
  );
});

test('property: arbitrary strings never throw and always give a ref or a message', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      const parsed = parseTargetPath(text);
      assert.ok(parsed.ok || parsed.message.length > 0);
      const reading = readTarget({ kind: 'scalar', span: { start: 0, end: text.length + 2 }, value: text });
      assert.ok(reading.templated || reading.ref !== undefined || reading.problems.length === 1);
    }),
  );
});

test('property: parseManifests and extractProbes never throw on arbitrary input', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (text) => {
      const result = parseManifests(text);
      assert.ok(Array.isArray(result.objects) && Array.isArray(result.problems));
    }),
  );
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      assert.ok(Array.isArray(extractProbes(value, [])));
      assert.ok(Array.isArray(extractProbes({ containers: [{ name: 'c', livenessProbe: { httpGet: value } }] }, [])));
    }),
  );
});
