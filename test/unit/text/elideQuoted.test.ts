import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { elideLongQuotes } from '../../../src/core/text/elideQuoted';

describe('long quoted values in messages', () => {
  test('a short message is left alone, however it quotes', () => {
    const message = `Unknown key "${'k'.repeat(300)}".`;
    assert.equal(elideLongQuotes(message), message, 'under the message limit');
  });

  test('a long quoted run keeps its head and tail and says how long it was', () => {
    const key = `start${'x'.repeat(5000)}end`;
    const shortened = elideLongQuotes(`Unknown key "${key}" in feature.network; and "short" stays.`);
    assert.ok(shortened.length < 300, shortened);
    assert.ok(shortened.startsWith(`Unknown key "start${'x'.repeat(75)}…`), shortened);
    assert.match(shortened, /xend" \(5,008 characters\) in feature\.network; and "short" stays\.$/);
  });

  test("an analysis of a config with a 200,000-character key: the finding's message stays short", () => {
    const text = `{"target": "targetless", "feature": {"${'q'.repeat(200_000)}": true}}`;
    const analysis = analyzeConfig(parseConfig(text, 'json'));
    const unknown = analysis.findings.find((f) => f.message.includes('(200,000 characters)'));
    assert.ok(unknown, analysis.findings.map((f) => `${f.code}: ${f.message.length}`).join('; '));
    for (const finding of analysis.findings) assert.ok(finding.message.length < 2000, `${finding.code}: ${finding.message.length} characters`);
  });
});
