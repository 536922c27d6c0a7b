import * as l10n from '@vscode/l10n';
import { CompletionItemKind, MarkupKind, type CompletionItem, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { keyCompletionAt, keyHoverAt } from '../core/assist/keyAssist';
import type { SectionKey } from '../core/assist/sectionKeys';
import { configFormatForFileName } from '../core/config/configFormat';
import { parseConfig } from '../core/config/parseConfig';
import type { ConfigFormat, ParsedConfig } from '../core/types';
import { uriPathOrName } from './uris';

/** Above this, the protocol thread does not parse a text for key assist (as for hover placement). */
const KEY_ASSIST_PARSE_LIMIT = 256 * 1024;

/**
 * Key-name completion in YAML and TOML configs, from mirrord's schema (src/core/assist). JSON gets
 * none from this server: VS Code's JSON language features complete and describe JSON keys from
 * the same schema (the extension's jsonValidation contribution), and other editors' JSON servers
 * take schemas/mirrord.schema.json; items from here too would list every key twice.
 */
export function keyCompletionItems(document: TextDocument, position: Position, schemaFormats: KeyAssistFromClient = {}): CompletionItem[] {
  const parsed = quickParse(document, schemaFormats);
  if (!parsed) return [];
  const offset = document.offsetAt(position);
  const completion = keyCompletionAt(parsed, offset);
  if (!completion) return [];
  const range = { start: document.positionAt(completion.replace.start), end: document.positionAt(completion.replace.end) };
  const suffix = completion.header ? '' : keySuffix(parsed.format, document.getText(), completion.replace.end);
  return completion.keys.map((key) => ({
    label: key.key,
    kind: CompletionItemKind.Property,
    detail: key.type,
    documentation: key.description ? { kind: MarkupKind.Markdown, value: key.description } : undefined,
    textEdit: { range, newText: key.key + (suffix && !onlyTable(parsed.format, key) ? suffix : '') },
  }));
}

/** mirrord's description of the key under the cursor (YAML and TOML), or null. */
export function keyHover(document: TextDocument, position: Position, schemaFormats: KeyAssistFromClient = {}): Hover | null {
  const parsed = quickParse(document, schemaFormats);
  if (!parsed) return null;
  const hover = keyHoverAt(parsed, document.offsetAt(position));
  if (!hover) return null;
  const { key } = hover;
  const description = key.description ?? `**${[...hover.path, key.key].join('.')}**`;
  return {
    contents: { kind: MarkupKind.Markdown, value: `${description}\n\n${l10n.t('Value: {0}', `\`${key.type}\``)}` },
    range: { start: document.positionAt(hover.span.start), end: document.positionAt(hover.span.end) },
  };
}

/** Formats whose key items and key hover the client's own language support gives from mirrord's schema. */
export interface KeyAssistFromClient {
  /** Red Hat's YAML extension (yaml-language-server) reads the schema: `yamlSchemaSupport`. */
  yaml?: boolean;
}

function quickParse(document: TextDocument, fromClient: KeyAssistFromClient): ParsedConfig | undefined {
  const format = configFormatForFileName(uriPathOrName(document.uri));
  if (format === 'json' || (format === 'yaml' && fromClient.yaml)) return undefined;
  const text = document.getText();
  if (text.length > KEY_ASSIST_PARSE_LIMIT) return undefined;
  return parseConfig(text, format);
}

/** What follows a chosen key: `: ` in YAML, ` = ` in TOML, unless the separator is already there (or the key is quoted or in a header). */
function keySuffix(format: ConfigFormat, text: string, end: number): string {
  const next = text[end];
  if (next === '"' || next === "'") return '';
  const after = text.slice(end, end + 80).replace(/^[ \t]*/, '');
  if (format === 'yaml') return after.startsWith(':') ? '' : ': ';
  if (after.startsWith('=') || after.startsWith(']') || after.startsWith('.')) return '';
  return ' = ';
}

/** A TOML key that only takes a table: `key = ` would be wrong, the user goes on with `.` or a header. */
function onlyTable(format: ConfigFormat, key: SectionKey): boolean {
  return format === 'toml' && key.takesObject && /^(object|map)( \| object| \| map)*$/.test(key.type);
}
