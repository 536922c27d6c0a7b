import type { ArrayNode, ConfigNode, ObjectEntry, ObjectNode, ParsedConfig, TextEdit } from '../types';
import type { BlockStyle } from './jsonSerialize';
import type { JsonValue } from './jsonValue';

/** What every format's editor gets: the parsed file and its layout. */
export interface EditContext {
  parsed: ParsedConfig;
  text: string;
  style: BlockStyle;
}

/**
 * The format-specific half of a structural edit. The shared half (structuralEdits.ts) finds the
 * nodes, refuses templates and `$schema`, and checks the result; an editor only writes text.
 * Each returns undefined when it cannot make the edit cleanly.
 */
export interface FormatEditor {
  /** Replaces the value `node` at `path` (the entry is kept). */
  replaceValue(
    context: EditContext,
    path: string[],
    node: ConfigNode,
    entry: ObjectEntry | undefined,
    parent: ObjectNode | undefined,
    value: JsonValue,
  ): TextEdit[] | undefined;
  /** Adds `key: value` to the object at `objectPath` (which lacks `key`), after its last entry. */
  insertEntry(context: EditContext, objectPath: string[], object: ObjectNode, key: string, value: JsonValue): TextEdit[] | undefined;
  /** Rewrites the entry at `path` (key and value) as `newKey: value`, where it stands. */
  replaceEntry(context: EditContext, path: string[], entry: ObjectEntry, parent: ObjectNode, newKey: string, value: JsonValue): TextEdit[] | undefined;
  /** Adds `value` after the last item of the array at `path`. */
  appendItem(context: EditContext, path: string[], array: ArrayNode, value: JsonValue): TextEdit[] | undefined;
  /** Writes `value` (an object) into a file that has no content yet (empty, or only comments). */
  createRoot(context: EditContext, value: { [k: string]: JsonValue }): TextEdit[] | undefined;
}
