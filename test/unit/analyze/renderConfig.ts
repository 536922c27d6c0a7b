import { stringify as yamlStringify } from 'yaml';
import type { ConfigFormat } from '../../../src/core/types';

/** Renders mirrord configs in JSON (with comments), YAML and TOML around a given `incoming` value. */
export type Plain = string | number | boolean | Plain[] | { [k: string]: Plain };

/** The comments each rendering carries; all must survive a fix. */
export const COMMENTS: Record<ConfigFormat, string[]> = {
  json: ['// shared dev config', '/* agent lives 30 s */'],
  yaml: ['# shared dev config', '# seconds'],
  toml: ['# shared dev config', '# seconds'],
};

/** A config on deployment/api (namespace shop) with this `incoming`, other keys and comments around it. */
export function render(
  format: ConfigFormat,
  incoming: Plain,
  target: { path: string; namespace: string } = { path: 'deployment/api', namespace: 'shop' },
): string {
  switch (format) {
    case 'json': {
      const value = JSON.stringify(incoming, null, 2).replace(/\n/g, '\n      ');
      return `{
  // shared dev config
  "target": {"path": "${target.path}", "namespace": "${target.namespace}"},
  "agent": {"ttl": 30 /* agent lives 30 s */},
  "feature": {
    "env": true,
    "network": {
      "outgoing": true,
      "incoming": ${value}
    },
    "fs": "read"
  }
}
`;
    }
    case 'yaml': {
      const value = typeof incoming === 'string' ? ` ${incoming}` : '\n' + yamlStringify(incoming).trimEnd().replace(/^/gm, '      ');
      return `# shared dev config
target:
  path: ${target.path}
  namespace: ${target.namespace}
agent:
  ttl: 30 # seconds
feature:
  env: true
  network:
    outgoing: true
    incoming:${value}
  fs: read
`;
    }
    case 'toml': {
      const head = `# shared dev config
[target]
path = "${target.path}"
namespace = "${target.namespace}"

[agent]
ttl = 30 # seconds

[feature]
env = true
fs = "read"

[feature.network]
outgoing = true
`;
      if (typeof incoming !== 'object' || Array.isArray(incoming)) return `${head}incoming = ${toml(incoming)}\n`;
      return head + tomlTable(['feature', 'network', 'incoming'], incoming);
    }
  }
}

function toml(value: Plain): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(toml).join(', ')}]`;
  return `{ ${Object.entries(value)
    .map(([k, v]) => `${k} = ${toml(v)}`)
    .join(', ')} }`;
}

function tomlTable(path: string[], table: { [k: string]: Plain }): string {
  const scalars = Object.entries(table).filter(([, v]) => typeof v !== 'object' || Array.isArray(v));
  const tables = Object.entries(table).filter(([, v]) => typeof v === 'object' && !Array.isArray(v));
  let out = `\n[${path.join('.')}]\n` + scalars.map(([k, v]) => `${k} = ${toml(v)}\n`).join('');
  for (const [k, v] of tables) out += tomlTable([...path, k], v as { [k: string]: Plain });
  return out;
}
