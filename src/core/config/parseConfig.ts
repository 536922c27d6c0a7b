import { MAX_CONFIG_DEPTH } from '../limits';
import { JSON_BOM_MESSAGE } from './byteOrderMark';
import type { ConfigFormat, ConfigNode, ParsedConfig, Span, SyntaxProblem } from '../types';
import { parseJsonConfig } from './parseJsonConfig';
import { parseTomlConfig } from './parseTomlConfig';
import { parseYamlConfig } from './parseYamlConfig';
import { TemplateLocator, type TreeBuildContext } from './templateLocator';
import { maskTemplates } from './teraTemplates';

/**
 * Parses a mirrord config into the format-neutral tree, with spans into the original text.
 * Never throws: syntax errors become problems and as much of the tree as possible comes back.
 */
export function parseConfig(text: string, format: ConfigFormat): ParsedConfig {
  const source = typeof text === 'string' ? text : '';
  const safeFormat: ConfigFormat = format === 'yaml' || format === 'toml' ? format : 'json';
  const result: ParsedConfig = { format: safeFormat, text: source, root: undefined, problems: [], templateSpans: [] };
  if (source.trim() === '') return result;
  try {
    const { masked, spans, unterminated } = maskTemplates(source, safeFormat);
    result.templateSpans = spans;
    for (const span of unterminated) {
      const opener = source.slice(span.start, span.start + 2);
      const closer = opener === '{{' ? '}}' : opener === '{%' ? '%}' : '#}';
      result.problems.push({ message: `unterminated template tag: "${opener}" without "${closer}"`, span });
    }
    const context: TreeBuildContext = { text: source, templates: new TemplateLocator(spans) };
    if (safeFormat === 'json') {
      result.lenientJson = [];
      result.root = parseJsonConfig(masked, context, result.problems, result.lenientJson);
      if (source.charCodeAt(0) === 0xfeff) explainByteOrderMark(result.problems);
    } else result.root = parseMasked(masked, safeFormat, context, result.problems);
    // A parser that ran out of stack on deep nesting (YAML and TOML report it as an error).
    const overflow = result.problems.findIndex((p) => isStackOverflow(p.message));
    const tooDeep = overflow >= 0 ? result.problems[overflow].span : tooDeepAt(result.root);
    if (tooDeep) {
      result.problems = result.problems.filter((p) => !isStackOverflow(p.message));
      refuseTooDeep(result, tooDeep);
    }
    // Parsers sometimes point one past the end (an error "at EOF"): keep every span inside the text.
    for (const problem of result.problems) problem.span = clampSpan(problem.span, source.length);
  } catch (error) {
    // A bug of ours or of a parser must not take the editor down: report it as a problem.
    result.root = undefined;
    delete result.lenientJson;
    if (error instanceof RangeError && isStackOverflow(error.message)) {
      refuseTooDeep(result, { start: 0, end: 0 });
      return result;
    }
    const reason = error instanceof Error ? error.message : String(error);
    result.problems.push({ message: `could not parse: ${reason}`, span: { start: 0, end: 0 } });
  }
  return result;
}

/** jsonc-parser's "Invalid symbol" at offset 0, said as what it is. */
function explainByteOrderMark(problems: SyntaxProblem[]): void {
  const problem = problems.find((p) => p.span.start === 0);
  if (problem) Object.assign(problem, { message: JSON_BOM_MESSAGE, byteOrderMark: true });
  else problems.unshift({ message: JSON_BOM_MESSAGE, span: { start: 0, end: 1 }, byteOrderMark: true });
}

function isStackOverflow(message: string): boolean {
  return /maximum call stack size exceeded/i.test(message);
}

/**
 * The tree is dropped, as for garbage: every later walk (the key model, the fix planner, the edit
 * verification) recurses, and no mirrord config nests this deep.
 */
function refuseTooDeep(result: ParsedConfig, span: Span): void {
  result.root = undefined;
  delete result.lenientJson;
  result.problems.push({
    message: `The config nests more than ${MAX_CONFIG_DEPTH} levels deep: Probe Guard does not analyse it.`,
    span: { start: span.start, end: Math.max(span.end, span.start + 1) },
  });
}

/** Where the tree first nests deeper than the limit (the opening of that node, in text order), without recursion. */
function tooDeepAt(root: ConfigNode | undefined): Span | undefined {
  if (!root) return undefined;
  const stack: { node: ConfigNode; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node.kind !== 'object' && node.kind !== 'array') continue;
    if (depth > MAX_CONFIG_DEPTH) return { start: node.span.start, end: node.span.start + 1 };
    const children = node.kind === 'object' ? node.entries.map((e) => e.value) : node.items;
    for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: depth + 1 });
  }
  return undefined;
}

function parseMasked(masked: string, format: ConfigFormat, context: TreeBuildContext, problems: SyntaxProblem[]): ConfigNode | undefined {
  switch (format) {
    case 'yaml':
      return parseYamlConfig(masked, context, problems);
    case 'toml':
      return parseTomlConfig(masked, context, problems);
    default:
      return parseJsonConfig(masked, context, problems);
  }
}

function clampSpan(span: Span, length: number): Span {
  const start = Math.min(Math.max(0, span.start), length);
  return { start, end: Math.min(Math.max(start, span.end), length) };
}

export { configFormatForFileName } from './configFormat';
