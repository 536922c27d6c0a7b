/**
 * Regex coverage: how many filter patterns get a definite answer (a JS regex, or "fancy-regex
 * refuses it") rather than `unknown`. Over the construct table of the unit tests and, when the
 * shared corpus is beside the checkout (../shared/corpus/mirrord-configs/configs), over every
 * header/path filter pattern in it: header_filter, path_filter, and all_of/any_of items.
 * Run: npm run compile-tests && node out/bench/regexCoverage.js [corpus dir]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../src/core/config/parseConfig';
import { translateMirrordRegex } from '../src/core/regex/translateRegex';
import type { ConfigFormat, ConfigNode } from '../src/core/types';
import { TABLE } from '../test/unit/regex/fancyRegexTable';

interface Tally {
  total: number;
  translated: number;
  invalid: number;
  unknown: { pattern: string; message: string }[];
}

function tally(patterns: string[]): Tally {
  const t: Tally = { total: 0, translated: 0, invalid: 0, unknown: [] };
  for (const pattern of patterns) {
    t.total++;
    const r = translateMirrordRegex(pattern);
    if (r.ok) t.translated++;
    else if (r.reason === 'invalid') t.invalid++;
    else t.unknown.push({ pattern, message: r.message });
  }
  return t;
}

function filterPatterns(node: ConfigNode | undefined, inFilter: boolean, out: string[]): void {
  if (!node) return;
  if (node.kind === 'object') {
    for (const entry of node.entries) {
      const key = entry.key;
      const value = entry.value;
      if (
        inFilter &&
        (key === 'header_filter' || key === 'path_filter' || key === 'header' || key === 'path') &&
        value.kind === 'scalar' &&
        typeof value.value === 'string'
      ) {
        out.push(value.value);
      }
      filterPatterns(value, inFilter || key === 'http_filter', out);
    }
  } else if (node.kind === 'array') {
    for (const item of node.items) filterPatterns(item, inFilter, out);
  }
}

function corpusPatterns(dir: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const ext = path.extname(name).slice(1);
    const format: ConfigFormat = ext === 'toml' ? 'toml' : ext === 'yaml' || ext === 'yml' ? 'yaml' : 'json';
    const parsed = parseConfig(fs.readFileSync(path.join(dir, name), 'utf8'), format);
    filterPatterns(parsed.root, false, out);
  }
  return out;
}

function report(label: string, t: Tally): void {
  const accepted = t.total - t.invalid;
  const definiteAmongAccepted = accepted === 0 ? 100 : (100 * t.translated) / accepted;
  console.log(
    `${label}: ${t.total} patterns; ${t.translated} translated, ${t.invalid} refused as fancy-regex refuses them, ${t.unknown.length} unknown; ` +
      `definite for ${definiteAmongAccepted.toFixed(1)}% of the patterns fancy-regex accepts`,
  );
  for (const u of t.unknown) console.log(`  unknown: ${JSON.stringify(u.pattern)}: ${u.message}`);
}

const tableRows = TABLE.map((r) => r.pattern);
report('construct table', tally(tableRows));
const root = path.resolve(__dirname, '../..');
const corpusDir =
  process.argv[2] ??
  [path.resolve(root, '../shared'), path.resolve(root, '../../shared')]
    .map((d) => path.join(d, 'corpus/mirrord-configs/configs'))
    .find((d) => fs.existsSync(d)) ??
  '';
if (fs.existsSync(corpusDir)) {
  const patterns = corpusPatterns(corpusDir);
  report(`corpus (${corpusDir})`, tally(patterns));
  report('distinct corpus patterns', tally([...new Set(patterns)]));
} else {
  console.log(`corpus not found at ${corpusDir}`);
}
