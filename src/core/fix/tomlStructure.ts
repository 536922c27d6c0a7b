import { parseTOML, type AST } from 'toml-eslint-parser';
import { maskTemplates } from '../config/teraTemplates';

/**
 * Where each part of a TOML document is defined, which decides how to write into it: a table
 * opened by a `[header]` takes new `key = value` lines in its body, a table made by dotted keys
 * (`feature.network.incoming = "steal"`) takes more dotted keys in the same scope, an inline
 * table takes `, key = value` before its brace.
 */

/** A place that holds key/value pairs: the top level, a `[table]` body, or an inline table. */
export interface TomlScope {
  kind: 'root' | 'table' | 'inline';
  path: string[];
  body: AST.TOMLKeyValue[];
  /** The `[table]` or `{ }` node; absent for the top level. */
  node?: AST.TOMLTable | AST.TOMLInlineTable;
}

export interface TomlValueDefinition {
  keyValue: AST.TOMLKeyValue;
  scope: TomlScope;
}

export interface TomlDottedTable {
  scope: TomlScope;
  /** The dotted key prefix, relative to the scope, that names the table. */
  relativePath: string[];
  /** The last key/value that used the prefix. */
  lastKeyValue: AST.TOMLKeyValue;
}

export interface TomlStructure {
  program: AST.TOMLProgram;
  root: TomlScope;
  /** Key/values by the full path of their value. */
  values: Map<string, TomlValueDefinition>;
  /** Standard `[table]` headers by path. */
  headers: Map<string, AST.TOMLTable>;
  /** Tables defined by dotted keys, by path. */
  dotted: Map<string, TomlDottedTable>;
  /** Paths inside `[[array of tables]]`: never written to. */
  hasArrayTables: boolean;
}

export function pathKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

/** Undefined when the text does not parse (it has a syntax error somewhere). */
export function readTomlStructure(text: string): TomlStructure | undefined {
  let program: AST.TOMLProgram;
  try {
    program = parseTOML(maskTemplates(text, 'toml').masked, { tomlVersion: '1.0' });
  } catch {
    return undefined;
  }
  const top = program.body[0];
  const root: TomlScope = { kind: 'root', path: [], body: top.body.filter(isKeyValue) };
  const structure: TomlStructure = { program, root, values: new Map(), headers: new Map(), dotted: new Map(), hasArrayTables: false };
  addScope(structure, root);
  for (const item of top.body) {
    if (item.type !== 'TOMLTable') continue;
    if (item.kind === 'array' || !item.resolvedKey.every((part): part is string => typeof part === 'string')) {
      structure.hasArrayTables = true;
      continue;
    }
    const path = item.resolvedKey as string[];
    structure.headers.set(pathKey(path), item);
    addScope(structure, { kind: 'table', path, body: item.body, node: item });
  }
  return structure;
}

function addScope(structure: TomlStructure, scope: TomlScope): void {
  for (const keyValue of scope.body) {
    const parts = keyParts(keyValue.key);
    for (let i = 1; i < parts.length; i++) {
      const relativePath = parts.slice(0, i);
      structure.dotted.set(pathKey([...scope.path, ...relativePath]), { scope, relativePath, lastKeyValue: keyValue });
    }
    const fullPath = [...scope.path, ...parts];
    structure.values.set(pathKey(fullPath), { keyValue, scope });
    if (keyValue.value.type === 'TOMLInlineTable') {
      addScope(structure, { kind: 'inline', path: fullPath, body: keyValue.value.body, node: keyValue.value });
    }
  }
}

export function keyParts(key: AST.TOMLKey): string[] {
  return key.keys.map((part) => (part.type === 'TOMLBare' ? part.name : part.value));
}

function isKeyValue(node: AST.TOMLKeyValue | AST.TOMLTable): node is AST.TOMLKeyValue {
  return node.type === 'TOMLKeyValue';
}
