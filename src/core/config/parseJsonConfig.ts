import { parseTree, printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import type { ConfigNode, ObjectEntry, SyntaxProblem } from '../types';
import { scalarOrTemplate, type TreeBuildContext } from './templateLocator';

/**
 * JSON (leniently: comments and trailing commas, which users type while editing even though
 * mirrord itself rejects them). `masked` is the text with Tera tags masked, same length as the
 * original, so jsonc-parser's offsets are offsets into the original text.
 */
export function parseJsonConfig(
  masked: string,
  context: TreeBuildContext,
  problems: SyntaxProblem[],
): ConfigNode | undefined {
  const errors: ParseError[] = [];
  const tree = parseTree(masked, errors, {
    allowTrailingComma: true,
    disallowComments: false,
    allowEmptyContent: true,
  });
  for (const error of errors) {
    problems.push({
      message: readableErrorCode(printParseErrorCode(error.error)),
      span: { start: error.offset, end: error.offset + error.length },
    });
  }
  return tree ? convert(tree, context, problems) : undefined;
}

function convert(node: JsonNode, context: TreeBuildContext, problems: SyntaxProblem[]): ConfigNode | undefined {
  const span = { start: node.offset, end: node.offset + node.length };
  switch (node.type) {
    case 'object': {
      const entries: ObjectEntry[] = [];
      const seen = new Set<string>();
      for (const property of node.children ?? []) {
        const [keyNode, valueNode] = property.children ?? [];
        // A property still being typed (`"a": ` or `"a"`) has no value yet: jsonc-parser already
        // reported it, and there is nothing to analyse.
        if (!keyNode || !valueNode || typeof keyNode.value !== 'string') continue;
        const value = convert(valueNode, context, problems);
        if (!value) continue;
        const key: string = keyNode.value;
        const keySpan = { start: keyNode.offset, end: keyNode.offset + keyNode.length };
        if (seen.has(key)) {
          problems.push({ message: `duplicate key "${key}" (mirrord rejects duplicate keys)`, span: keySpan });
        }
        seen.add(key);
        entries.push({ key, keySpan, value, span: { start: keySpan.start, end: value.span.end } });
      }
      return { kind: 'object', span, entries };
    }
    case 'array': {
      const items: ConfigNode[] = [];
      for (const child of node.children ?? []) {
        const item = convert(child, context, problems);
        if (item) items.push(item);
      }
      return { kind: 'array', span, items };
    }
    case 'string':
      return scalarOrTemplate(context, span, typeof node.value === 'string' ? node.value : '');
    case 'number':
      // A malformed number (`-`, `1e`) has no value; jsonc-parser reported it already.
      return typeof node.value === 'number' ? scalarOrTemplate(context, span, node.value) : undefined;
    case 'boolean':
      return scalarOrTemplate(context, span, node.value === true);
    case 'null':
      return scalarOrTemplate(context, span, null);
    default:
      return undefined;
  }
}

/** `PropertyNameExpected` -> `Property name expected`. */
function readableErrorCode(code: string): string {
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
