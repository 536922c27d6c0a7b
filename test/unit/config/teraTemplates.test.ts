import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskTemplates, TEMPLATE_FILLER } from '../../../src/core/config/teraTemplates';

const F = TEMPLATE_FILLER;

test('text without templates comes back unchanged', () => {
  const text = '{"a": "{ not a tag }", "b": "#{x}"}';
  assert.deepEqual(maskTemplates(text, 'json'), { masked: text, spans: [], unterminated: [] });
});

test('an expression in value position becomes a quoted string of the same length (JSON, TOML)', () => {
  const json = '{"port": {{ get_env(name="P") }}}';
  const { masked, spans } = maskTemplates(json, 'json');
  const start = json.indexOf('{{');
  const end = json.indexOf('}}') + 2;
  assert.equal(masked.length, json.length);
  assert.deepEqual(spans, [{ start, end }]);
  assert.equal(masked.slice(start, end), '"' + F.repeat(end - start - 2) + '"');
  assert.equal(JSON.parse(masked).port, F.repeat(end - start - 2));

  const toml = 'port = {{ p }}\n';
  assert.equal(maskTemplates(toml, 'toml').masked, 'port = "' + F.repeat(5) + '"\n');
});

test('YAML expressions become plain-scalar filler, so they also work mid-scalar', () => {
  const yaml = 'image: repo/{{ tag }}:1\n';
  const { masked } = maskTemplates(yaml, 'yaml');
  assert.equal(masked, 'image: repo/' + F.repeat(9) + ':1\n');
});

test('inside a string the template becomes filler characters, quotes untouched', () => {
  const text = '{"target": "pod/{{ name }}"}';
  const { masked } = maskTemplates(text, 'json');
  assert.equal(masked, '{"target": "pod/' + F.repeat(10) + '"}');
  const yaml = "target: 'pod/{{ name }}'\n";
  assert.equal(maskTemplates(yaml, 'yaml').masked, "target: 'pod/" + F.repeat(10) + "'\n");
  const toml = 'name = """a\n{{ x }}"""';
  assert.equal(maskTemplates(toml, 'toml').masked, 'name = """a\n' + F.repeat(7) + '"""');
});

test('statements and comments outside strings become spaces, keeping line breaks', () => {
  const text = '{\n{% if x %}"a": 1,{% endif %}\n{# a\r\nb #}"b": 2}';
  const { masked, spans } = maskTemplates(text, 'json');
  assert.equal(spans.length, 3);
  assert.equal(masked, '{\n          "a": 1,           \n    \r\n    "b": 2}');
  assert.deepEqual(JSON.parse(masked), { a: 1, b: 2 });
});

test('templates inside comments are blanked without ending the comment', () => {
  const text = '{ // see {{ url }}\n"a": 1}';
  const { masked } = maskTemplates(text, 'json');
  assert.equal(masked, '{ // see          \n"a": 1}');
  const toml = '# {{ x }}\na = 1';
  assert.equal(maskTemplates(toml, 'toml').masked, '#        \na = 1');
});

test('quote and comment state follows each format', () => {
  // JSON: `#` is not a comment, so the tag is in value position.
  assert.equal(maskTemplates('[#{{x}}]', 'json').masked, '[#"' + F.repeat(3) + '"]');
  // YAML: an apostrophe inside a plain scalar does not open a string.
  assert.equal(maskTemplates("a: don't {{ x }}\n", 'yaml').masked, "a: don't " + F.repeat(7) + '\n');
  // YAML: `#` glued to text is not a comment.
  assert.equal(maskTemplates('a: b#{{x}}', 'yaml').masked, 'a: b#' + F.repeat(5));
  // TOML: a literal string has no escapes, so the backslash does not swallow the quote.
  assert.equal(maskTemplates("a = 'c:\\' {{x}}", 'toml').masked, "a = 'c:\\' \"" + F.repeat(3) + '"');
  // JSON: an escaped quote does not end the string.
  assert.equal(maskTemplates('["a\\" {{x}}"]', 'json').masked, '["a\\" ' + F.repeat(5) + '"]');
});

test('an unterminated tag is masked to the end of its line and reported', () => {
  const text = '{"a": {{ get_env(\n"b": 2}';
  const { masked, spans, unterminated } = maskTemplates(text, 'json');
  const start = text.indexOf('{{');
  const end = text.indexOf('\n');
  assert.deepEqual(spans, [{ start, end }]);
  assert.deepEqual(unterminated, [{ start, end }]);
  assert.equal(masked.length, text.length);
  assert.equal(masked.slice(end), text.slice(end));
  // Shortest possible: `{{` at the very end becomes an empty string literal.
  assert.equal(maskTemplates('{"a": {{', 'json').masked, '{"a": ""');
});

test('raw blocks are copied verbatim: tags inside them are not templates', () => {
  const text = '{% raw %}{{ x }}{% endraw %}';
  const { masked, spans } = maskTemplates(text, 'yaml');
  assert.deepEqual(spans, [
    { start: 0, end: 9 },
    { start: 16, end: 28 },
  ]);
  assert.equal(masked, ' '.repeat(9) + '{{ x }}' + ' '.repeat(12));
});

test('whitespace-control variants are recognised', () => {
  const { spans } = maskTemplates('a: {{- x -}}\n{%- if y -%}\n', 'yaml');
  assert.equal(spans.length, 2);
});

test('a backslash before a tag does not hide it: Tera knows nothing of string escapes', () => {
  const { spans } = maskTemplates('{"a": "\\{{ x }}"}', 'json');
  assert.deepEqual(spans, [{ start: 8, end: 15 }]);
});
