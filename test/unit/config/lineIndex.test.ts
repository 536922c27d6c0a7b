import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../../src/core/text/lineIndex';

test('positionAt and offsetAt round-trip with \\n line breaks', () => {
  const text = 'ab\ncde\n\nf';
  const index = new LineIndex(text);
  assert.equal(index.lineCount, 4);
  assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
  assert.deepEqual(index.positionAt(2), { line: 0, character: 2 });
  assert.deepEqual(index.positionAt(3), { line: 1, character: 0 });
  assert.deepEqual(index.positionAt(7), { line: 2, character: 0 });
  assert.deepEqual(index.positionAt(8), { line: 3, character: 0 });
  assert.deepEqual(index.positionAt(9), { line: 3, character: 1 });
  for (let offset = 0; offset <= text.length; offset++) {
    assert.equal(index.offsetAt(index.positionAt(offset)), offset, `offset ${offset}`);
  }
});

test('CRLF counts as one line break and offsets inside it map to the line end', () => {
  const text = 'a: 1\r\nbb: 2\r\n';
  const index = new LineIndex(text);
  assert.equal(index.lineCount, 3);
  assert.deepEqual(index.positionAt(text.indexOf('bb')), { line: 1, character: 0 });
  assert.deepEqual(index.positionAt(4), { line: 0, character: 4 }); // at \r
  assert.deepEqual(index.positionAt(5), { line: 0, character: 4 }); // between \r and \n
  assert.equal(index.offsetAt({ line: 1, character: 3 }), text.indexOf('2') - 1);
  assert.equal(index.offsetAt({ line: 2, character: 0 }), text.length);
});

test('lone \\r is a line break too, as in VS Code', () => {
  const index = new LineIndex('a\rb');
  assert.deepEqual(index.positionAt(2), { line: 1, character: 0 });
});

test('out-of-range input is clamped, never throws', () => {
  const index = new LineIndex('abc\ndef');
  assert.deepEqual(index.positionAt(-5), { line: 0, character: 0 });
  assert.deepEqual(index.positionAt(1000), { line: 1, character: 3 });
  assert.deepEqual(index.positionAt(Number.NaN), { line: 0, character: 0 });
  assert.equal(index.offsetAt({ line: 0, character: 99 }), 3);
  assert.equal(index.offsetAt({ line: 99, character: 0 }), 7);
  assert.equal(index.offsetAt({ line: -1, character: 2 }), 0);
});

test('rangeOf converts both ends of a span', () => {
  const text = '{\r\n  "port": 80\r\n}';
  const index = new LineIndex(text);
  const start = text.indexOf('"port"');
  assert.deepEqual(index.rangeOf({ start, end: start + 6 }), {
    start: { line: 1, character: 2 },
    end: { line: 1, character: 8 },
  });
});

test('empty text has one empty line', () => {
  const index = new LineIndex('');
  assert.equal(index.lineCount, 1);
  assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
  assert.equal(index.offsetAt({ line: 0, character: 5 }), 0);
});
