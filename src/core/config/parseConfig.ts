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
    } else result.root = parseMasked(masked, safeFormat, context, result.problems);
    // Parsers sometimes point one past the end (an error "at EOF"): keep every span inside the text.
    for (const problem of result.problems) problem.span = clampSpan(problem.span, source.length);
  } catch (error) {
    // A bug of ours or of a parser must not take the editor down: report it as a problem.
    result.root = undefined;
    delete result.lenientJson;
    const reason = error instanceof Error ? error.message : String(error);
    result.problems.push({ message: `could not parse: ${reason}`, span: { start: 0, end: 0 } });
  }
  return result;
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
