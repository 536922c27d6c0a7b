// Generates, from mirrord's published JSON schema (metalbear-co/mirrord:mirrord-schema.json,
// MIT), the three artefacts that describe mirrord's config keys:
//   src/core/config/keyModel/mirrordKeyModel.generated.ts  shapes: which keys each section takes
//   src/core/config/keyModel/mirrordKeyDocs.generated.ts   mirrord's description of every key
//   schemas/mirrord.schema.json                             the editor's schema (draft-07)
//
//   node scripts/generate-key-model.mjs <path/to/mirrord-schema.json>
//
// Run it at development time when mirrord publishes a new schema, and commit the output: nothing
// at build or test time needs the input. `buildKeyModel` and `buildEditorSchema` are exported for
// the unit test that runs them on a small schema-shaped fixture.
//
// What the schema says and how it is read (checked against mirrord's source, mirrord/config/src):
// - `additionalProperties: false` is schemars' rendering of `#[serde(deny_unknown_fields)]`, which
//   the MirrordConfig derive puts on every generated `File*Config` struct
//   (mirrord/config/derive/src/config.rs). Only such objects are closed; an object without it
//   (k8s types, `ConfigMount`, the flattened queue filters) stays open.
// - `{"x-kubernetes-preserve-unknown-fields": true}` (`SingleOrVec`, a custom Deserialize in
//   feature/database_branches.rs) is an unknown structure: anything goes.
// - `oneOf` variants whose objects share a `const` property are serde-tagged enums
//   (`#[serde(tag = "type")]`); other `anyOf`/`oneOf` are untagged enums or `Option`s.
// - `ToggleableConfig<T>` is `bool | T` (util.rs), `VecOrSingle<T>` is `T | [T]` (util.rs).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT_ID = 'LayerFileConfig';

/**
 * Definitions whose objects mirrord closes although the schema leaves them open: a struct that
 * `#[serde(flatten)]`s a `deny_unknown_fields` enum refuses what neither takes (serde's flatten
 * hands the leftover keys to the enum). Checked against mirrord's own tests:
 * - QueueSplit, QueueSplitMapValueOwned: feature/split_queues.rs (`QueueFilter`,
 *   `tag = "queue_type", deny_unknown_fields`); lib.rs `rejects_unknown_fields_in_split_queues`.
 * - DatabaseBranchConfig (its Redis variants): feature/database_branches/redis.rs
 *   (`LocalRedisBranchConfig`, `RemoteRedisBranchConfig`: deny_unknown_fields); lib.rs
 *   `rejects_unknown_fields_in_db_branches`.
 */
export const CLOSED_BY_SOURCE = ['QueueSplit', 'QueueSplitMapValueOwned', 'DatabaseBranchConfig'];

/**
 * The schema with the objects of CLOSED_BY_SOURCE closed. A `{properties, oneOf: [variant...]}`
 * object becomes `anyOf` the variants each merged with the base properties, so that
 * `additionalProperties: false` sees every key the variant takes (JSON Schema only counts
 * sibling `properties`).
 */
export function withSourceCorrections(schema) {
  const copy = structuredClone(schema);
  const defs = copy.$defs ?? copy.definitions ?? {};
  const close = (node) => {
    if (!node || typeof node !== 'object' || node.$ref) return node;
    const variants = node.oneOf ?? node.anyOf;
    if (variants && (node.properties || node.type === 'object')) {
      const { title, description } = node;
      const merged = { anyOf: variants.map((variant) => close(mergeObjects(node, variant))) };
      if (title !== undefined) merged.title = title;
      if (description !== undefined) merged.description = description;
      return merged;
    }
    if (variants) {
      const out = { ...node };
      out[node.oneOf ? 'oneOf' : 'anyOf'] = variants.map(close);
      return out;
    }
    if (node.type === 'object' || node.properties) return { ...node, additionalProperties: false };
    return node;
  };
  for (const name of CLOSED_BY_SOURCE) if (defs[name]) defs[name] = close(defs[name]);
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Key model: a compact shape per definition, refs kept by name (the model is recursive-safe).

/** Turns a mirrord schema into `{ root, defs, docs }`. */
export function buildKeyModel(schema) {
  const defs = schema.$defs ?? schema.definitions ?? {};
  const docs = {};
  const usedIds = new Set();
  const uniqueId = (wanted) => {
    let id = wanted;
    for (let i = 2; usedIds.has(id); i++) id = `${wanted}~${i}`;
    usedIds.add(id);
    return id;
  };

  /** A definition's text, else that of the one definition it stands for (`bool | Section`). */
  const defDoc = (name, depth = 0) => {
    const own = docText(defs[name]);
    if (own || depth > 4 || !defs[name]) return own;
    const refs = refsOf(defs[name]);
    return refs.length === 1 ? defDoc(refs[0], depth + 1) : undefined;
  };

  /** The documentation of a property: its own text, else the text of the one definition it names. */
  const propertyDoc = (prop) => {
    const own = docText(prop);
    if (own && hasDescription(prop)) return own;
    const refs = refsOf(prop);
    if (refs.length === 1) {
      const target = defDoc(refs[0]);
      if (target) return own && !target.startsWith(own) ? `${own}\n\n${target}` : target;
    }
    return own;
  };

  const convert = (node, idHint) => {
    if (node === true || node === undefined) return { kind: 'any' };
    if (node === false) return { kind: 'union', anyOf: [] };
    if (node['x-kubernetes-preserve-unknown-fields']) return { kind: 'any' };
    if (node['x-kubernetes-int-or-string']) return { kind: 'union', anyOf: [{ kind: 'number' }, { kind: 'string' }] };
    if (node.$ref) return { kind: 'ref', ref: refName(node.$ref) };

    const alternatives = [];
    if (node.anyOf || node.oneOf) {
      const variants = node.anyOf ?? node.oneOf;
      // `{type: object, properties: base, oneOf: [variant...]}`: each variant extends the base.
      const base = node.properties || node.type === 'object' ? node : undefined;
      variants.forEach((variant, index) => {
        const merged = base ? mergeObjects(base, variant) : variant;
        alternatives.push(convert(merged, `${idHint}[${variantLabel(variant, index)}]`));
      });
      return flatten(alternatives);
    }
    if (Object.keys(node).every((k) => ANNOTATIONS.has(k))) return { kind: 'any' };

    const types = node.type === undefined ? inferTypes(node) : Array.isArray(node.type) ? node.type : [node.type];
    for (const type of types) alternatives.push(convertTyped(node, type, idHint));
    return flatten(alternatives);
  };

  const convertTyped = (node, type, idHint) => {
    switch (type) {
      case 'null':
        return { kind: 'null' };
      case 'boolean':
        return { kind: 'boolean' };
      case 'integer':
      case 'number':
        return withBounds({ kind: type }, node);
      case 'string': {
        const values = node.const !== undefined ? [node.const] : node.enum;
        return values ? { kind: 'string', values: values.filter((v) => typeof v === 'string') } : { kind: 'string' };
      }
      case 'array': {
        const shape = { kind: 'array' };
        if (node.prefixItems) shape.prefixItems = node.prefixItems.map((item, i) => convert(item, `${idHint}[${i}]`));
        else if (node.items) shape.items = convert(node.items, `${idHint}[]`);
        if (node.minItems !== undefined) shape.minItems = node.minItems;
        if (node.maxItems !== undefined) shape.maxItems = node.maxItems;
        return shape;
      }
      case 'object': {
        const id = uniqueId(idHint);
        const properties = {};
        const objectDocs = {};
        for (const [key, prop] of Object.entries(node.properties ?? {})) {
          properties[key] = convert(prop, `${id}.${key}`);
          const doc = propertyDoc(prop);
          if (doc) objectDocs[key] = doc;
        }
        // A variant such as `{"header": "..."}` documents itself, not its one property.
        const ownDoc = docText(node);
        const keys = Object.keys(properties);
        const tagKeys = keys.filter((k) => node.properties[k].const !== undefined);
        const plain = keys.filter((k) => !tagKeys.includes(k));
        if (ownDoc && plain.length === 1 && !objectDocs[plain[0]]) objectDocs[plain[0]] = ownDoc;
        if (ownDoc) objectDocs.$self = ownDoc;
        if (Object.keys(objectDocs).length > 0) docs[id] = objectDocs;
        const shape = { kind: 'object', id, properties, closed: node.additionalProperties === false };
        if (node.required?.length) shape.required = [...node.required];
        if (node.additionalProperties && typeof node.additionalProperties === 'object') {
          shape.additionalProperties = convert(node.additionalProperties, `${id}.*`);
        }
        return shape;
      }
      default:
        return { kind: 'any' };
    }
  };

  const out = {};
  for (const name of Object.keys(defs).sort()) {
    usedIds.add(name);
  }
  for (const name of Object.keys(defs).sort()) {
    usedIds.delete(name);
    out[name] = convert(defs[name], name);
  }
  const root = convert({ ...schema, $defs: undefined, definitions: undefined, $schema: undefined }, ROOT_ID);
  return { root, defs: out, docs };
}

const ANNOTATIONS = new Set(['title', 'description', 'default', 'examples', 'deprecated', '$comment', 'format']);

function inferTypes(node) {
  if (node.properties || node.additionalProperties !== undefined) return ['object'];
  if (node.items || node.prefixItems) return ['array'];
  if (node.const !== undefined || node.enum) return ['string'];
  return ['any'];
}

function withBounds(shape, node) {
  if (node.minimum !== undefined) shape.minimum = node.minimum;
  if (node.maximum !== undefined) shape.maximum = node.maximum;
  return shape;
}

/** Nested unions flattened; a union of one is that one. */
function flatten(alternatives) {
  const flat = [];
  for (const alt of alternatives) {
    if (alt.kind === 'union') flat.push(...alt.anyOf);
    else flat.push(alt);
  }
  return flat.length === 1 ? flat[0] : { kind: 'union', anyOf: flat };
}

function mergeObjects(base, variant) {
  const rest = { ...base };
  delete rest.oneOf;
  delete rest.anyOf;
  const required = [...new Set([...(base.required ?? []), ...(variant.required ?? [])])];
  const merged = {
    ...rest,
    ...variant,
    type: 'object',
    properties: { ...(base.properties ?? {}), ...(variant.properties ?? {}) },
    required,
    title: variant.title ?? base.title,
    description: variant.description ?? base.description,
    // Closed only when both are (a base without additionalProperties stays open).
    additionalProperties: base.additionalProperties === false && variant.additionalProperties === false ? false : undefined,
  };
  for (const key of ['required', 'title', 'description', 'additionalProperties']) {
    if (merged[key] === undefined || (Array.isArray(merged[key]) && merged[key].length === 0)) delete merged[key];
  }
  return merged;
}

function variantLabel(variant, index) {
  for (const prop of Object.values(variant.properties ?? {})) if (typeof prop.const === 'string') return prop.const;
  if (variant.$ref) return refName(variant.$ref);
  return String(index);
}

function refName(ref) {
  return ref.replace(/^#\/(\$defs|definitions)\//, '');
}

function refsOf(node) {
  if (node.$ref) return [refName(node.$ref)];
  const variants = node.anyOf ?? node.oneOf ?? [];
  return variants.filter((v) => v.type !== 'null').flatMap((v) => (v.$ref ? [refName(v.$ref)] : []));
}

function hasDescription(node) {
  return typeof node.description === 'string' && !isInternal(node.description);
}

function isInternal(text) {
  return text.trimStart().startsWith('<!--${internal}-->');
}

/** A heading's `{#anchor}` is for mirrord's docs site. */
function cleanTitle(title) {
  return title.replace(/\s*\{#[^}]*\}\s*$/, '').trim();
}

function cleanDescription(text) {
  return text
    .replace(/^#+\s*\{#[^}]*\}\s*\n+/, '')
    .replace(/(^|\n)(#+ .*?)\s*\{#[^}]*\}/g, '$1$2')
    .trim();
}

/** `title` and `description` as one markdown text (internal notes left out). */
function docText(node) {
  if (!node || typeof node !== 'object') return undefined;
  const title = typeof node.title === 'string' ? cleanTitle(node.title) : '';
  const description = hasDescription(node) ? cleanDescription(node.description) : '';
  if (title && description) return `**${title}**\n\n${description}`;
  return description || (title ? `**${title}**` : undefined);
}

// ---------------------------------------------------------------------------------------------
// The editor's schema: mirrord's, in the draft VS Code and Red Hat's YAML extension read best
// (draft-07), and never stricter than mirrord: `oneOf` becomes `anyOf` (a value two variants both
// accept is still valid), formats and Kubernetes extensions are dropped.

/** Probe Guard's examples, checked by the schema test against their own subschemas. */
const EXAMPLES = [
  ['/definitions/TargetFileConfig/anyOf/0/anyOf/2', ['deployment/api', 'pod/api-7d9c5b-x2k4p/container/app', 'rollout/api', 'targetless']],
  ['/definitions/TargetFileConfig/anyOf/1/properties/namespace', ['default']],
  ['/definitions/HttpFilterFileConfig/properties/header_filter', ['^User-Agent: (?!kube-probe)', '^x-session: alice$']],
  ['/definitions/HttpFilterFileConfig/properties/path_filter', ['^/api/']],
  ['/definitions/HttpFilterFileConfig/properties/method_filter', ['POST']],
  ['/definitions/HttpFilterFileConfig/properties/ports', [[80, 8080], 8080]],
  ['/definitions/IncomingAdvancedFileConfig/properties/ports', [[80, 8080]]],
  ['/definitions/IncomingAdvancedFileConfig/properties/ignore_ports', [[9999]]],
  ['/definitions/IncomingAdvancedFileConfig/properties/port_mapping', [[[7777, 8888]]]],
  ['/definitions/IncomingAdvancedFileConfig/properties/mode', ['steal', 'mirror']],
  ['/definitions/EnvFileConfig/properties/include', ['DATABASE_USER;PUBLIC_ENV', ['DATABASE_USER', 'PUBLIC_ENV']]],
  ['/definitions/EnvFileConfig/properties/override', [{ DATABASE_CONNECTION: 'db://localhost:7777/my-db' }]],
];

/**
 * Values the schema types allow but mirrord's verify refuses, and that a schema can say:
 * empty filter strings (feature/network/incoming/http_filter.rs, `ensure_no_empty_strings`) and
 * empty `all_of`/`any_of` (lib.rs, "Composite HTTP filter cannot be empty").
 */
const VERIFY_CONSTRAINTS = [
  ...['header_filter', 'path_filter', 'method_filter', 'header_filter_jq'].map((key) => [
    `/definitions/HttpFilterFileConfig/properties/${key}`,
    { minLength: 1 },
  ]),
  ...['all_of', 'any_of'].map((key) => [`/definitions/HttpFilterFileConfig/properties/${key}`, { minItems: 1 }]),
  ['/definitions/InnerFilter/anyOf/0/properties/header', { minLength: 1 }],
  ['/definitions/InnerFilter/anyOf/1/properties/path', { minLength: 1 }],
  ['/definitions/InnerFilter/anyOf/2/properties/method', { minLength: 1 }],
  ['/definitions/InnerFilter/anyOf/4/properties/query', { minLength: 1 }],
  ['/definitions/BodyFilter/anyOf/0/properties/query', { minLength: 1 }],
  ['/definitions/BodyFilter/anyOf/0/properties/matches', { minLength: 1 }],
];

/** `overlays: false` leaves out Probe Guard's examples and constraints (for schemas other than mirrord's). */
export function buildEditorSchema(schema, sourceNote, { overlays = true } = {}) {
  const converted = toDraft07(schema);
  const result = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/probe-guard/mirrord-probe-guard/schemas/mirrord.schema.json',
    $comment: sourceNote,
    ...converted,
  };
  result.title = 'mirrord config';
  delete result.definitions;
  result.definitions = converted.definitions;
  if (!overlays) return result;
  for (const [pointer, constraint] of VERIFY_CONSTRAINTS) {
    const target = atPointer(result, pointer);
    if (!target) throw new Error(`constraint target ${pointer} is not in the schema`);
    Object.assign(target, constraint);
  }
  for (const [pointer, examples] of EXAMPLES) {
    const target = atPointer(result, pointer);
    if (!target) throw new Error(`example target ${pointer} is not in the schema`);
    target.examples = examples;
  }
  return result;
}

function toDraft07(node) {
  if (Array.isArray(node)) return node.map(toDraft07);
  if (!node || typeof node !== 'object') return node;
  if (node['x-kubernetes-preserve-unknown-fields']) return annotationsOf(node);
  if (node['x-kubernetes-int-or-string']) return { ...annotationsOf(node), type: ['string', 'number'] };
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    switch (key) {
      case '$schema':
      case 'format':
        break;
      case '$defs':
      case 'definitions':
        out.definitions = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDraft07(v)]));
        break;
      case '$ref':
        out.$ref = `#/definitions/${refName(value)}`;
        break;
      case 'oneOf':
        out.anyOf = toDraft07(value);
        break;
      case 'prefixItems':
        out.items = toDraft07(value);
        break;
      case 'deprecated':
        if (value === true) out.deprecationMessage = 'Deprecated by mirrord (still accepted).';
        break;
      case 'title':
        out.title = cleanTitle(value);
        break;
      case 'description':
        if (!isInternal(value)) {
          out.description = cleanDescription(value);
          out.markdownDescription = out.description;
        }
        break;
      case 'properties':
        out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toDraft07(v)]));
        break;
      default:
        out[key] = toDraft07(value);
    }
  }
  return out;
}

function annotationsOf(node) {
  const out = {};
  if (node.title) out.title = cleanTitle(node.title);
  if (node.description && !isInternal(node.description)) {
    out.description = cleanDescription(node.description);
    out.markdownDescription = out.description;
  }
  return out;
}

function atPointer(root, pointer) {
  let node = root;
  for (const part of pointer.split('/').slice(1)) {
    if (node === undefined || node === null) return undefined;
    node = node[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// Writing the files.

function tsLiteral(value) {
  return JSON.stringify(value, null, 2);
}

/** A shape as a call of the builders in shapeBuilders.ts: short, readable, small once minified. */
export function shapeExpression(shape) {
  switch (shape.kind) {
    case 'any':
      return 'ANY';
    case 'null':
      return 'NULL';
    case 'boolean':
      return 'BOOLEAN';
    case 'string':
      return shape.values ? `strings(${shape.values.map((v) => JSON.stringify(v)).join(', ')})` : 'STRING';
    case 'integer':
    case 'number': {
      const bounds = [shape.minimum, shape.maximum];
      const args = bounds[1] !== undefined ? bounds : bounds[0] !== undefined ? [bounds[0]] : [];
      return `${shape.kind}(${args.map((b) => (b === undefined ? 'undefined' : String(b))).join(', ')})`;
    }
    case 'array': {
      if (shape.prefixItems) return `tuple([${shape.prefixItems.map(shapeExpression).join(', ')}])`;
      return shape.items ? `array(${shapeExpression(shape.items)})` : 'array()';
    }
    case 'ref':
      return `ref(${JSON.stringify(shape.ref)})`;
    case 'union': {
      const nonNull = shape.anyOf.filter((s) => s.kind !== 'null');
      if (nonNull.length === 1 && shape.anyOf.length === 2) return `optional(${shapeExpression(nonNull[0])})`;
      return `union(${shape.anyOf.map(shapeExpression).join(', ')})`;
    }
    case 'object': {
      const props = Object.entries(shape.properties)
        .map(([key, value]) => `${JSON.stringify(key)}: ${shapeExpression(value)}`)
        .join(', ');
      const options = [];
      if (shape.required) options.push(`required: ${JSON.stringify(shape.required)}`);
      if (shape.additionalProperties) options.push(`additionalProperties: ${shapeExpression(shape.additionalProperties)}`);
      const builder = shape.closed ? 'closedObject' : 'openObject';
      return `${builder}(${JSON.stringify(shape.id)}, {${props}}${options.length ? `, {${options.join(', ')}}` : ''})`;
    }
    default:
      throw new Error(`unknown shape kind ${shape.kind}`);
  }
}

const BUILDERS = [
  'ANY',
  'array',
  'BOOLEAN',
  'closedObject',
  'integer',
  'NULL',
  'number',
  'openObject',
  'optional',
  'ref',
  'STRING',
  'strings',
  'tuple',
  'union',
];

/** The builders an expression calls (imports must all be used). */
function usedBuilders(code) {
  const withoutStrings = code.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return BUILDERS.filter((name) => new RegExp(`\\b${name}\\b`).test(withoutStrings));
}

export function renderModelModule(model, sourceNote) {
  const defs = Object.entries(model.defs)
    .map(([name, shape]) => `  ${JSON.stringify(name)}: ${shapeExpression(shape)},`)
    .join('\n');
  const root = shapeExpression(model.root);
  return `// GENERATED by scripts/generate-key-model.mjs from mirrord's published schema; do not edit.
// ${sourceNote}
import type { KeyModel } from './keyModelTypes';
import { ${usedBuilders(`${root} ${defs}`).join(', ')} } from './shapeBuilders';

export const MIRRORD_KEY_MODEL: KeyModel = {
  root: ${root},
  defs: {
${defs}
  },
};
`;
}

export function renderDocsModule(model, sourceNote) {
  return `// GENERATED by scripts/generate-key-model.mjs from mirrord's published schema; do not edit.
// ${sourceNote}
// The texts are mirrord's own documentation of its keys (metalbear-co/mirrord, MIT licence).

/** Per object shape id, per key: mirrord's description (markdown). \`$self\` documents the object. */
export const MIRRORD_KEY_DOCS: Readonly<Record<string, Readonly<Record<string, string>>>> = ${tsLiteral(model.docs)};
`;
}

async function formatTs(code, filepath) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(filepath)) ?? {};
  return prettier.format(code, { ...options, filepath });
}

async function main() {
  const input = process.argv[2];
  if (!input) {
    console.error('usage: node scripts/generate-key-model.mjs <path/to/mirrord-schema.json>');
    process.exit(2);
  }
  const published = JSON.parse(readFileSync(resolve(input), 'utf8'));
  if (!published.$defs && !published.definitions) throw new Error(`${input} does not look like mirrord's schema (no $defs)`);
  const schema = withSourceCorrections(published);
  const version = process.argv[3] ?? '3.250.0';
  const sourceNote = `Source: metalbear-co/mirrord mirrord-schema.json (mirrord ${version}, MIT licence).`;
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
  const model = buildKeyModel(schema);
  const dir = join(repo, 'src', 'core', 'config', 'keyModel');
  mkdirSync(dir, { recursive: true });
  const modelFile = join(dir, 'mirrordKeyModel.generated.ts');
  const docsFile = join(dir, 'mirrordKeyDocs.generated.ts');
  writeFileSync(modelFile, await formatTs(renderModelModule(model, sourceNote), modelFile));
  writeFileSync(docsFile, await formatTs(renderDocsModule(model, sourceNote), docsFile));
  const editorSchema = buildEditorSchema(schema, `${sourceNote} Converted to draft-07 by scripts/generate-key-model.mjs.`);
  writeFileSync(join(repo, 'schemas', 'mirrord.schema.json'), `${JSON.stringify(editorSchema, null, 2)}\n`);
  console.log(`wrote ${modelFile}, ${docsFile} and schemas/mirrord.schema.json`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
