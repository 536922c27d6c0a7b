/**
 * mirrord reads `.json` with serde_json: comments and trailing commas, which the editor tolerates,
 * are errors on the exact spot; the rest of the file is still analysed; the fixes remove them,
 * read back strictly, and are idempotent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { applyTextEdits } from '../../../src/core/fix/applyTextEdits';
import { fixAll } from '../../../src/service/fixes';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import type { Finding } from '../../../src/core/types';
import { analyse, API_MANIFEST } from './analyzeSupport';

function strictFindings(text: string): Finding[] {
  return analyzeConfig(parseConfig(text, 'json')).findings.filter((f) => f.code === 'strict-json');
}

function covered(text: string, finding: Finding): string {
  return text.slice(finding.span.start, finding.span.end);
}

const COMMENTED = `{
  // which pod
  "target": {"path": "deployment/api", "namespace": "shop"},
  "feature": {
    "network": {
      "incoming": {
        "mode": "steal", /* take the traffic */
        "ports": [8080,],
      },
    }
  }
}
`;

describe('strict JSON', () => {
  it('each comment and trailing comma is an error on itself', () => {
    const found = strictFindings(COMMENTED);
    assert.deepEqual(
      found.map((f) => covered(COMMENTED, f)),
      ['// which pod', '/* take the traffic */', ',', ',', ','],
    );
    for (const f of found) assert.equal(f.severity, 'error');
    assert.match(found[0].message, /strict JSON parser: a comment makes the session fail to start/);
    assert.match(found[2].message, /a comma before "\]"/);
    assert.match(found[3].message, /a comma before "\}"/);
  });

  it('the rest of the file is still analysed (the stolen probes are reported too)', () => {
    const { analysis, parsed } = analyse(COMMENTED, 'json', API_MANIFEST);
    assert.deepEqual(parsed.problems, []);
    assert.ok(analysis.findings.some((f) => f.code === 'liveness-probe-stolen'));
    // Strict-JSON findings come last, so fix-all and `probe-guard fix` take the probe fixes first.
    const codes = analysis.findings.map((f) => f.code);
    assert.ok(codes.indexOf('liveness-probe-stolen') < codes.indexOf('strict-json'), codes.join(', '));
  });

  it('"Remove all" removes every one; the result is strict JSON with the same data, and nothing is offered again', () => {
    const [first] = strictFindings(COMMENTED);
    const all = first.fixes.find((f) => f.title === 'Remove all 2 comments and 3 trailing commas');
    assert.ok(all, first.fixes.map((f) => f.title).join(' | '));
    assert.equal(all.isPreferred, true);
    const fixed = applyTextEdits(COMMENTED, all.edits);
    assert.deepEqual(JSON.parse(fixed), JSON.parse(COMMENTED.replace(/\/\/.*|\/\*.*?\*\//g, '').replace(/,(\s*[}\]])/g, '$1')));
    assert.deepEqual(strictFindings(fixed), []);
    // The comment lines are gone, not left blank; the other lines are untouched.
    assert.equal(fixed.split('\n').length, COMMENTED.split('\n').length - 1);
    assert.ok(fixed.includes('"mode": "steal",\n'), fixed);
  });

  it('each single fix removes only its own, and re-parses with one less', () => {
    const found = strictFindings(COMMENTED);
    for (const finding of found) {
      const single = finding.fixes.find((f) => f.title === 'Remove this comment' || f.title === 'Remove the trailing comma');
      assert.ok(single, finding.fixes.map((f) => f.title).join(' | '));
      assert.equal(single.isPreferred, false, 'with several, "Remove all" is the preferred one');
      const fixed = applyTextEdits(COMMENTED, single.edits);
      assert.equal(strictFindings(fixed).length, found.length - 1);
      assert.deepEqual(parseConfig(fixed, 'json').problems, []);
    }
  });

  it('a lone comment gets one preferred fix; applying it twice changes nothing more', () => {
    const text = '{\n  "target": "targetless" // no pod\n}\n';
    const [finding] = strictFindings(text);
    assert.deepEqual(
      finding.fixes.map((f) => [f.title, f.isPreferred]),
      [['Remove this comment', true]],
    );
    const fixed = applyTextEdits(text, finding.fixes[0].edits);
    assert.equal(fixed, '{\n  "target": "targetless"\n}\n');
    assert.deepEqual(strictFindings(fixed), []);
    assert.doesNotThrow(() => JSON.parse(fixed));
  });

  it('comments on their own lines, at the end of the file, and with CRLF line ends', () => {
    const crlf = '{\r\n  /* a\r\n     b */\r\n  "target": "targetless"\r\n}\r\n// end';
    const [block, last] = strictFindings(crlf);
    const all = block.fixes.find((f) => f.title.startsWith('Remove all'))!;
    assert.equal(applyTextEdits(crlf, all.edits), '{\r\n  "target": "targetless"\r\n}');
    assert.equal(
      applyTextEdits(crlf, last.fixes.find((f) => f.title === 'Remove this comment')!.edits),
      '{\r\n  /* a\r\n     b */\r\n  "target": "targetless"\r\n}',
    );
  });

  it('a comment between tokens on one line leaves one space, never joins tokens', () => {
    const text = '{"target": /* here */ "targetless"}';
    const [finding] = strictFindings(text);
    const fixed = applyTextEdits(text, finding.fixes[0].edits);
    assert.equal(fixed, '{"target": "targetless"}');
  });

  it("fix-all (the CLI's fix, source.fixAll) leaves strict JSON", () => {
    const { text } = fixAll(COMMENTED, (t) => analyzeConfig(parseConfig(t, 'json')));
    assert.deepEqual(strictFindings(text), []);
    assert.doesNotThrow(() => JSON.parse(text));
  });

  it('a comma a template decides is not judged; a comment inside a template is not a comment', () => {
    const text = '{"target": "targetless", "feature": {"env": {"override": {"A": "1",{% if x %}"B": "2"{% endif %}}}}}';
    assert.deepEqual(strictFindings(text), []);
    assert.deepEqual(strictFindings('{"target": "{{ x // y }}"}'), []);
  });

  it('a comment holding a template is an error with no fix (edits never touch templates)', () => {
    const text = '{\n  // {{ key }}\n  "target": "targetless"\n}';
    const [finding] = strictFindings(text);
    assert.equal(covered(text, finding), '// {{ key }}');
    assert.deepEqual(finding.fixes, []);
  });

  it('strings that look like comments are not comments', () => {
    assert.deepEqual(strictFindings('{"kubeconfig": "//host/x", "feature": {"fs": {"read_only": ["/*.txt"]}}}'), []);
  });

  it('only JSON: YAML and TOML comments are fine', () => {
    for (const [text, format] of [
      ['# a\ntarget: targetless # b\n', 'yaml'],
      ['# a\ntarget = "targetless" # b\n', 'toml'],
    ] as const) {
      assert.deepEqual(
        analyzeConfig(parseConfig(text, format)).findings.map((f) => f.code),
        [],
      );
    }
  });
});

describe('a byte order mark at the start of a .json config', () => {
  const config = '{\n  "target": {"path": "deployment/api", "namespace": "shop"},\n  "feature": {"network": {"incoming": "steal"}}\n}\n';

  it('is an error saying why mirrord refuses it, the rest of the file still analysed, and fix-all removes only the mark', () => {
    const text = `\ufeff${config}`;
    const analysis = analyse(text, 'json', API_MANIFEST).analysis;
    const bom = analysis.findings.find((f) => f.code === 'syntax-error');
    assert.ok(bom, 'a syntax error');
    assert.match(bom.message, /^The file starts with a byte order mark \(U\+FEFF\): mirrord reads \.json configs with serde_json, which refuses it/);
    assert.deepEqual(bom.span, { start: 0, end: 1 });
    assert.deepEqual(
      bom.fixes.map((f) => [f.title, f.isPreferred, applyTextEdits(text, f.edits)]),
      [['Remove the byte order mark', true, config]],
    );
    assert.ok(
      analysis.findings.some((f) => f.code === 'liveness-probe-stolen'),
      'the probes are still judged',
    );
    assert.equal(fixAll(text, (t) => analyzeConfig(parseConfig(t, 'json'))).text.startsWith('{\n  "target"'), true);
  });

  it('is fine in YAML and TOML, and in the middle of a JSON string', () => {
    assert.deepEqual(parseConfig('\ufefftarget: targetless\n', 'yaml').problems, []);
    assert.deepEqual(parseConfig('{"target": "targetless", "skip_processes": "a\ufeffb"}', 'json').problems, []);
  });
});
