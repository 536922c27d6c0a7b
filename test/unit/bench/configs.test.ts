/**
 * The benchmark configs are what the numbers in BENCHMARKS.md are about: they must parse without
 * problems in every format, be of the intended sizes, and drive the full verdict path. No timing here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { FORMATS, generateConfig, SIZES, TARGET_BYTES } from '../../../bench/configs';
import { demoResolution } from '../../../bench/demoTarget';
import { applyEdit, editSession } from '../../../bench/editSession';

describe('benchmark configs', () => {
  for (const size of SIZES) {
    test(`${size}: JSON is within the intended size`, () => {
      const bytes = Buffer.byteLength(generateConfig(size, 'json'));
      assert.ok(bytes >= TARGET_BYTES[size].min && bytes <= TARGET_BYTES[size].max, `${size} is ${bytes} bytes`);
    });
    for (const format of FORMATS) {
      test(`${size} ${format}: parses without problems, same target and filter in every format`, () => {
        const parsed = parseConfig(generateConfig(size, format), format);
        assert.deepEqual(parsed.problems, []);
        const analysis = analyzeConfig(parsed, demoResolution());
        assert.equal(analysis.steals, true);
        assert.equal(analysis.lookup?.ref.name, 'checkout');
        assert.ok(analysis.probes.length >= 2, 'the resolved target has probes to decide');
        assert.ok(
          analysis.probes.every((p) => p.verdict === 'safe'),
          analysis.probes.map((p) => `${p.probe.probe}: ${p.reason}`).join('\n'),
        );
      });
    }
  }

  test('the edit session has 2,000 single-character edits and settles on three targets', () => {
    const session = editSession(2000);
    assert.equal(session.edits.length, 2000);
    assert.deepEqual(session.targets, ['checkout', 'search', 'inventory']);
    let text = session.initial;
    for (const edit of session.edits) {
      const next = applyEdit(text, edit);
      assert.equal(Math.abs(next.length - text.length), 1);
      text = next;
    }
    assert.match(text, /"deployment\/inventory"/);
  });
});
