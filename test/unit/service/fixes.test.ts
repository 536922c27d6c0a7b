import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import type { Analysis, Finding } from '../../../src/core/types';
import { parseManifests } from '../../../src/core/k8s/manifests';
import { resolveFromManifests } from '../../../src/core/k8s/resolveFromManifests';
import { applyEdits, findFix, fixAll, minimalEdit, preferredFix, targetFix } from '../../../src/service/fixes';
import { API_MANIFEST } from '../analyze/analyzeSupport';

const finding = (code: Finding['code'], start: number, titles: string[]): Finding => ({
  code,
  severity: 'warning',
  message: code,
  span: { start, end: start + 5 },
  fixes: titles.map((title, i) => ({ title, isPreferred: i === 0, edits: [{ offset: start, length: 0, newText: title[0] }] })),
});
const analysis = (findings: Finding[]) => ({ findings }) as unknown as Analysis;

describe('which fixes apply', () => {
  test('the preferred fix, else none: an only fix that is not preferred is not applied', () => {
    assert.equal(preferredFix(finding('steal-without-filter', 0, ['A', 'B']))?.title, 'A');
    assert.equal(preferredFix(finding('steal-without-filter', 0, ['Only']))?.title, 'Only');
    const twoUnpreferred = finding('steal-without-filter', 0, ['A', 'B']);
    twoUnpreferred.fixes.forEach((f) => (f.isPreferred = false));
    assert.equal(preferredFix(twoUnpreferred), undefined);
    const onlyUnpreferred = finding('unknown-key', 0, ['Guess']);
    onlyUnpreferred.fixes[0].isPreferred = false;
    assert.equal(preferredFix(onlyUnpreferred), undefined);
  });

  test('fix-all leaves an unknown key alone: renaming it to the closest key is a guess, offered as a quick fix only', () => {
    const text = '{\n  "target": "targetless",\n  "feature": {"fx": "read"},\n  "ci": {}\n}\n';
    const analyze = (t: string) => analyzeConfig(parseConfig(t, 'json'));
    const [unknown] = analyze(text).findings.filter((f) => f.code === 'unknown-key');
    assert.equal(unknown.fixes.length, 1);
    assert.equal(unknown.fixes[0].title, 'Rename "fx" to "fs"');
    const result = fixAll(text, analyze);
    assert.equal(result.text, text);
    assert.deepEqual(result.applied, []);
  });

  test('a stale pod target whose owner cannot be written is still moved to the one namespace that has it', () => {
    const stale = finding('stale-pod-target', 0, ['Set target.namespace to "b"']);
    stale.fixes[0].isPreferred = false;
    assert.equal(targetFix(analysis([stale]))?.title, 'Set target.namespace to "b"');
  });

  test('a listed fix is found again at its span, or after an edit by code and title (nearest), or refused', () => {
    const current = analysis([
      finding('liveness-probe-stolen', 10, ['Add kube-probe filter']),
      finding('liveness-probe-stolen', 40, ['Add kube-probe filter']),
    ]);
    const identity = { version: 3, code: 'liveness-probe-stolen', start: 40, end: 45, title: 'Add kube-probe filter' };
    assert.equal(findFix(current, identity, 3)?.edits[0].offset, 40);
    assert.equal(findFix(current, { ...identity, start: 12, end: 17 }, 4)?.edits[0].offset, 10);
    assert.equal(findFix(current, { ...identity, title: 'Gone' }, 4), undefined);
    assert.equal(findFix(analysis([]), identity, 3), undefined);
  });

  test('fix-all applies preferred fixes until none is left, and stops when a fix makes no progress', () => {
    let rounds = 0;
    const result = fixAll('abc', (text) => {
      rounds++;
      return analysis(text.length < 5 ? [finding('steal-without-filter', 0, ['X'])] : []);
    });
    assert.equal(result.text, 'XXabc');
    assert.equal(result.applied.length, 2);
    assert.equal(rounds, 3);
    const stuck = fixAll('abc', () =>
      analysis([
        { ...finding('steal-without-filter', 0, ['X']), fixes: [{ title: 'noop', isPreferred: true, edits: [{ offset: 0, length: 1, newText: 'a' }] }] },
      ]),
    );
    assert.equal(stuck.text, 'abc');
  });

  test('edits are applied as the engine verified them: insertions at one offset in the order given', () => {
    const text = '{"a": 1}';
    const edits = [
      { offset: 7, length: 0, newText: ',' },
      { offset: 7, length: 0, newText: ' "b": 2' },
    ];
    assert.equal(applyEdits(text, edits), '{"a": 1, "b": 2}');
    assert.equal(
      applyEdits(text, [
        { offset: 1, length: 3, newText: 'x' },
        { offset: 2, length: 1, newText: 'y' },
      ]),
      text,
      'overlapping edits change nothing',
    );
  });

  test('fix-all sets target.namespace in a target object on several lines and the file still parses (the comma went after the new entry)', () => {
    const text =
      '{\n  "target": {\n    "path": "deployment/api"\n  },\n  "feature": {"network": {"incoming": {"mode": "steal", "http_filter": {"header_filter": "^x-user: me$"}}}}\n}\n';
    const resolution = resolveFromManifests({ kind: 'deployment', name: 'api' }, 'default', parseManifests(API_MANIFEST).objects);
    assert.equal(resolution.ok, false, 'not in the default namespace');
    const analyze = (t: string) => analyzeConfig(parseConfig(t, 'json'), resolution);
    const result = fixAll(text, analyze);
    assert.deepEqual(
      result.applied.map((f) => f.title),
      ['Set target.namespace to "shop"'],
    );
    assert.equal(result.text, text.replace('"path": "deployment/api"', '"path": "deployment/api",\n    "namespace": "shop"'));
    assert.deepEqual(parseConfig(result.text, 'json').problems, []);
  });

  test('minimalEdit keeps the common head and tail', () => {
    assert.deepEqual(minimalEdit('{"a": 1}', '{"a": 12}'), { offset: 7, length: 0, newText: '2' });
    assert.equal(minimalEdit('same', 'same'), undefined);
  });
});
