import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyTextEdits } from '../../../src/core/fix/applyTextEdits';

test('applies edits given in any order', () => {
  const edits = [
    { offset: 6, length: 5, newText: 'there' },
    { offset: 0, length: 5, newText: 'Hi' },
  ];
  assert.equal(applyTextEdits('hello world', edits), 'Hi there');
});

test('keeps the given order of insertions at the same offset', () => {
  const edits = [
    { offset: 1, length: 0, newText: 'x' },
    { offset: 1, length: 0, newText: 'y' },
  ];
  assert.equal(applyTextEdits('ab', edits), 'axyb');
});

test('an insertion next to a replacement at the same offset goes first', () => {
  const edits = [
    { offset: 1, length: 1, newText: 'B' },
    { offset: 1, length: 0, newText: '+' },
  ];
  assert.equal(applyTextEdits('abc', edits), 'a+Bc');
});

test('overlapping or out-of-range edits leave the text unchanged instead of half-applying', () => {
  assert.equal(
    applyTextEdits('abcdef', [
      { offset: 0, length: 3, newText: 'x' },
      { offset: 2, length: 2, newText: 'y' },
    ]),
    'abcdef',
  );
  assert.equal(applyTextEdits('abc', [{ offset: 2, length: 5, newText: 'x' }]), 'abc');
  assert.equal(applyTextEdits('abc', [{ offset: -1, length: 0, newText: 'x' }]), 'abc');
});

test('no edits, or garbage input, never throws', () => {
  assert.equal(applyTextEdits('abc', []), 'abc');
  assert.equal(applyTextEdits('abc', undefined as never), 'abc');
  assert.equal(applyTextEdits(undefined as never, []), '');
});
