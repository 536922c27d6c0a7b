// The injection grammars of package.json (contributes.grammars), tokenized with vscode-textmate and
// vscode-oniguruma the way VS Code does: the values of header_filter and path_filter, and of
// header, path and matches in all_of/any_of items, get the regex scope; other values (target.path
// included) do not. Run over minimal JSON/YAML base grammars committed next to this test, and over
// VS Code's own JSON, JSONC and YAML grammars too when a local code-server provides them.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, type IGrammar, type IToken, parseRawGrammar, Registry } from 'vscode-textmate';

const ROOT = join(__dirname, '..', '..', '..', '..');
const FIXTURES = join(ROOT, 'test', 'unit', 'grammar', 'fixtures');
const VSCODE_EXTENSIONS = join(ROOT, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions');

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

const contributions = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: { grammars: GrammarContribution[] } }).contributes
  .grammars;

let onigLoaded: Promise<void> | undefined;
function loadOniguruma(): Promise<void> {
  onigLoaded ??= (async () => {
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  })();
  return onigLoaded;
}

/** scopeName -> grammar file, for every grammar file in the folders (read from each file). */
function grammarFiles(folders: string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const folder of folders) {
    for (const name of readdirSync(folder)) {
      if (!name.endsWith('.tmLanguage.json')) continue;
      const file = join(folder, name);
      const scopeName = (JSON.parse(readFileSync(file, 'utf8')) as { scopeName?: string }).scopeName;
      if (scopeName && !files.has(scopeName)) files.set(scopeName, file);
    }
  }
  return files;
}

/** A registry with the base grammars and the extension's injection grammars, wired as package.json says. */
function registryFor(baseFolders: string[]): Registry {
  const files = grammarFiles(baseFolders);
  for (const c of contributions) files.set(c.scopeName, join(ROOT, c.path));
  return new Registry({
    onigLib: loadOniguruma().then(() => ({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    })),
    loadGrammar: async (scopeName) => {
      const file = files.get(scopeName);
      return file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
    },
    getInjections: (scopeName) => contributions.filter((c) => c.injectTo?.includes(scopeName)).map((c) => c.scopeName),
  });
}

interface Tokenized {
  lines: string[];
  tokens: IToken[][];
}

function tokenize(grammar: IGrammar, text: string): Tokenized {
  const lines = text.split('\n');
  let stack = INITIAL;
  const tokens = lines.map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens;
  });
  return { lines, tokens };
}

/** The scopes of every token covering `needle` (its `occurrence`-th appearance in the document). */
function scopesOf(doc: Tokenized, needle: string, occurrence = 0): string[][] {
  let seen = 0;
  for (let l = 0; l < doc.lines.length; l++) {
    let from = 0;
    for (;;) {
      const start = doc.lines[l].indexOf(needle, from);
      if (start < 0) break;
      if (seen++ === occurrence) {
        const end = start + needle.length;
        return doc.tokens[l].filter((t) => t.startIndex < end && t.endIndex > start).map((t) => t.scopes);
      }
      from = start + 1;
    }
  }
  throw new Error(`"${needle}" (#${occurrence}) is not in the document`);
}

const isRegex = (scopes: string[]): boolean => scopes.some((s) => s.startsWith('string.regexp'));

function assertRegex(doc: Tokenized, needle: string, occurrence = 0): void {
  const scopes = scopesOf(doc, needle, occurrence);
  assert.ok(scopes.length > 0);
  assert.ok(scopes.every(isRegex), `${needle}: every token is string.regexp, got ${JSON.stringify(scopes)}`);
}

function assertNotRegex(doc: Tokenized, needle: string, occurrence = 0): void {
  const scopes = scopesOf(doc, needle, occurrence);
  assert.ok(scopes.length > 0);
  assert.ok(!scopes.some(isRegex), `${needle}: no token is string.regexp, got ${JSON.stringify(scopes)}`);
}

const JSON_CONFIG = `{
  "target": {"path": "deployment/api", "namespace": "shop"},
  "feature": {
    "network": {
      "incoming": {
        "mode": "steal",
        "http_filter": {
          "header_filter": "^User-Agent: (?!kube-probe)",
          "path_filter": "^/api/(v1|v2)/.*$",
          "method_filter": "GET",
          "all_of": [
            {"header": "^x-user: me$"},
            {
              "path": "^/healthz\\\\d+"
            },
            {"body": "json", "query": "$.user", "matches": "^alice$"}
          ],
          "ports": [8080]
        }
      },
      "outgoing": {"filter": {"local": ["tcp://1.1.1.0/24:1337"]}}
    },
    "fs": {"mode": "read", "read_only": [".+\\\\.yaml"]}
  },
  "agent": {"namespace": "default", "image": "ghcr.io/x.y:latest"}
}
`;

const JSON_TARGET_MULTILINE = `{
  "target": {
    "path": "pod/api-0",
    "namespace": "shop"
  },
  "feature": {"network": {"incoming": {"mode": "steal", "http_filter": {"any_of": [{"path": "^/metrics$"}, {"header": "^baggage: .*x"}]}}}}
}
`;

const YAML_CONFIG = `# the regexes are highlighted, nothing else is
target:
  path: deployment/api
  namespace: shop
feature:
  network:
    incoming:
      mode: steal
      http_filter:
        header_filter: "^User-Agent: (?!kube-probe)"
        path_filter: '^/api/(v1|v2)/.*$'
        method_filter: GET
        all_of:
          - header: '^x-user: me$'
          - path: ^/healthz\\d+
          - {path: "^/metrics$"}
          - body: json
            query: $.user
            matches: ^alice$
        ports: [8080]
agent:
  namespace: default
  image: ghcr.io/x.y:latest
`;

function checkJson(grammar: IGrammar): void {
  const doc = tokenize(grammar, JSON_CONFIG);
  for (const value of ['^User-Agent: (?!kube-probe)', '^/api/(v1|v2)/.*$', '^x-user: me$', '^/healthz\\\\d+', '^alice$']) assertRegex(doc, value);
  for (const value of ['deployment/api', 'shop', 'steal', 'GET', 'json', '$.user', 'tcp://1.1.1.0/24:1337', '.+\\\\.yaml', 'default', 'ghcr.io/x.y:latest'])
    assertNotRegex(doc, value);
  // The inside of a regex is highlighted too: the look-ahead of the probe-safe filter.
  assert.ok(scopesOf(doc, '(?!')[0].includes('keyword.operator.lookaround.regexp'), JSON.stringify(scopesOf(doc, '(?!')));
  // The key keeps a property-name scope.
  assert.ok(scopesOf(doc, '"header_filter"').every((s) => s.some((x) => x.startsWith('support.type.property-name'))));

  const multiline = tokenize(grammar, JSON_TARGET_MULTILINE);
  assertNotRegex(multiline, 'pod/api-0');
  assertRegex(multiline, '^/metrics$');
  assertRegex(multiline, '^baggage: .*x');
}

function checkYaml(grammar: IGrammar): void {
  const doc = tokenize(grammar, YAML_CONFIG);
  for (const value of ['^User-Agent: (?!kube-probe)', '^/api/(v1|v2)/.*$', '^x-user: me$', '^/healthz\\d+', '^/metrics$', '^alice$']) assertRegex(doc, value);
  for (const value of ['deployment/api', 'shop', 'steal', 'GET', 'json', '$.user', 'default', 'ghcr.io/x.y:latest', 'the regexes']) assertNotRegex(doc, value);
  assert.ok(scopesOf(doc, '(?!')[0].includes('keyword.operator.lookaround.regexp'));
}

interface GrammarSet {
  name: string;
  folders: string[];
  json: string[];
  yaml: string[];
}

const SETS: GrammarSet[] = [{ name: 'minimal base grammars (test fixtures)', folders: [FIXTURES], json: ['source.json'], yaml: ['source.yaml'] }];
// VS Code's real grammars, when a local code-server has them (never copied into the repository).
if (existsSync(join(VSCODE_EXTENSIONS, 'json', 'syntaxes')) && existsSync(join(VSCODE_EXTENSIONS, 'yaml', 'syntaxes'))) {
  SETS.push({
    name: "VS Code's JSON, JSONC and YAML grammars",
    folders: [join(VSCODE_EXTENSIONS, 'json', 'syntaxes'), join(VSCODE_EXTENSIONS, 'yaml', 'syntaxes')],
    json: ['source.json', 'source.json.comments'],
    yaml: ['source.yaml'],
  });
}

describe('mirrord filter regex injection grammars', () => {
  before(loadOniguruma);

  it('package.json injects them into JSON, JSONC and YAML, and their files are well-formed', () => {
    assert.ok(contributions.length >= 1);
    const injected = new Set(contributions.flatMap((c) => c.injectTo ?? []));
    for (const scope of ['source.json', 'source.json.comments', 'source.yaml']) assert.ok(injected.has(scope), scope);
    for (const c of contributions) {
      const grammar = JSON.parse(readFileSync(join(ROOT, c.path), 'utf8')) as { scopeName: string; injectionSelector?: string };
      assert.equal(grammar.scopeName, c.scopeName, c.path);
      assert.ok(grammar.injectionSelector, `${c.path} has an injectionSelector`);
    }
  });

  for (const set of SETS) {
    describe(set.name, () => {
      it('JSON: filter values get string.regexp, other values (target.path too) do not', async () => {
        const registry = registryFor(set.folders);
        for (const scope of set.json) {
          const grammar = await registry.loadGrammar(scope);
          assert.ok(grammar, scope);
          checkJson(grammar);
        }
      });

      it('YAML: filter values get string.regexp, other values (target.path too) do not', async () => {
        const registry = registryFor(set.folders);
        for (const scope of set.yaml) {
          const grammar = await registry.loadGrammar(scope);
          assert.ok(grammar, scope);
          checkYaml(grammar);
        }
      });

      it('without the injection grammars nothing is string.regexp (the scopes come from the extension)', async () => {
        const files = grammarFiles(set.folders);
        const bare = new Registry({
          onigLib: loadOniguruma().then(() => ({
            createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
            createOnigString: (text: string) => new oniguruma.OnigString(text),
          })),
          loadGrammar: async (scopeName) => {
            const file = files.get(scopeName);
            return file ? parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
          },
        });
        const json = await bare.loadGrammar(set.json[0]);
        const yaml = await bare.loadGrammar(set.yaml[0]);
        assert.ok(json && yaml);
        assertNotRegex(tokenize(json, JSON_CONFIG), '^User-Agent: (?!kube-probe)');
        assertNotRegex(tokenize(yaml, YAML_CONFIG), '^User-Agent: (?!kube-probe)');
      });
    });
  }
});
