import { getSetEntry } from '../config/configQuery';
import type { ConfigNode, Finding } from '../types';

/**
 * Values of the right type that mirrord still refuses when it builds the session config
 * (mirrord/config/src/lib.rs `LayerConfig::verify`, feature/network/incoming.rs):
 * - `duplicate-port-mapping`: a local or remote port twice in `port_mapping` or `listen_ports`
 *   (`bi_map_from_config`, since mirrord 3.218; older versions silently dropped one);
 * - `env-include-exclude`: `feature.env.include` together with `feature.env.exclude`;
 * - `env-override-db-branch`: a `feature.env.override` variable that a database branch's
 *   `connection` redirects (`DatabaseBranchConfig::connection_env_keys`, database_branches.rs).
 */
export function valueRuleFindings(root: ConfigNode | undefined, mirrordVersion?: string): Finding[] {
  const findings: Finding[] = [];
  const feature = getSetEntry(root, 'feature')?.value;
  const incoming = getSetEntry(getSetEntry(feature, 'network')?.value, 'incoming')?.value;
  if (rejectsDuplicateMappings(mirrordVersion)) {
    for (const key of ['port_mapping', 'listen_ports']) {
      const list = getSetEntry(incoming, key)?.value;
      if (list?.kind === 'array') findings.push(...duplicatePortFindings(list.items, `feature.network.incoming.${key}`));
    }
  }
  const env = getSetEntry(feature, 'env')?.value;
  const include = getSetEntry(env, 'include');
  const exclude = getSetEntry(env, 'exclude');
  if (include && exclude) {
    const second = include.keySpan.start > exclude.keySpan.start ? include : exclude;
    findings.push({
      code: 'env-include-exclude',
      severity: 'error',
      message: 'feature.env.include and feature.env.exclude cannot be used together: mirrord refuses this config. Keep one of them.',
      span: second.keySpan,
      fixes: [],
    });
  }
  const override = getSetEntry(env, 'override')?.value;
  const branches = getSetEntry(feature, 'db_branches')?.value;
  if (override?.kind === 'object' && branches?.kind === 'array') {
    const redirected = new Set(branches.items.flatMap(branchEnvKeys));
    for (const entry of override.entries) {
      if (!redirected.has(entry.key)) continue;
      findings.push({
        code: 'env-override-db-branch',
        severity: 'error',
        message: `"${entry.key}" is both in feature.env.override and a feature.db_branches[].connection variable: mirrord refuses this config (database branching redirects it through the operator). Remove it from feature.env.override.`,
        span: entry.keySpan,
        fixes: [],
      });
    }
  }
  return findings;
}

/**
 * The variables a branch's connection redirects, for the branch kinds whose rule is plain (the
 * URL forms and the params of the SQL and document stores; Spanner's emulator host). Generic and
 * local Redis branches are left out: never a finding from a guess.
 */
function branchEnvKeys(branch: ConfigNode): string[] {
  const type = stringOf(getSetEntry(branch, 'type')?.value);
  if (!type || type === 'generic') return [];
  if (type === 'spanner') {
    const host = stringOf(getSetEntry(branch, 'emulator_host')?.value);
    return host ? [host] : [];
  }
  if (type === 'redis' && stringOf(getSetEntry(branch, 'location')?.value) === 'local') return [];
  const connection = getSetEntry(branch, 'connection')?.value;
  const url = getSetEntry(connection, 'url')?.value;
  if (url) return url.kind === 'object' ? sourceVariable(url) : stringsOf(url);
  const params = getSetEntry(connection, 'params')?.value;
  return ['host', 'port', 'user', 'password', 'database'].flatMap((key) => {
    const value = getSetEntry(params, key)?.value;
    if (!value) return [];
    const sources = value.kind === 'array' ? value.items : [value];
    return sources.flatMap((source) => (source.kind === 'object' ? sourceVariable(source) : stringsOf(source)));
  });
}

/** `{type: env, variable}`, `{env_var_name, ...}`: the variable a source names. */
function sourceVariable(source: ConfigNode): string[] {
  const name = stringOf(getSetEntry(source, 'variable')?.value) ?? stringOf(getSetEntry(source, 'env_var_name')?.value);
  return name ? [name] : [];
}

function stringsOf(node: ConfigNode): string[] {
  const items = node.kind === 'array' ? node.items : [node];
  return items.flatMap((item) => (item.kind === 'scalar' && typeof item.value === 'string' ? [item.value] : []));
}

function stringOf(node: ConfigNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

function duplicatePortFindings(pairs: ConfigNode[], where: string): Finding[] {
  const findings: Finding[] = [];
  const locals = new Map<number, number>();
  const remotes = new Map<number, number>();
  pairs.forEach((pair, index) => {
    if (pair.kind !== 'array' || pair.items.length !== 2) return;
    const [local, remote] = pair.items.map((item) => (item.kind === 'scalar' && typeof item.value === 'number' ? item.value : undefined));
    if (local === undefined || remote === undefined) return;
    const sameLocal = locals.get(local);
    const sameRemote = remotes.get(remote);
    if (sameLocal !== undefined) {
      findings.push(duplicate(pair, where, `local port ${local}`, sameLocal));
    } else if (sameRemote !== undefined) {
      findings.push(duplicate(pair, where, `remote port ${remote}`, sameRemote));
    } else {
      locals.set(local, index);
      remotes.set(remote, index);
    }
  });
  return findings;
}

function duplicate(pair: ConfigNode, where: string, what: string, firstIndex: number): Finding {
  return {
    code: 'duplicate-port-mapping',
    severity: 'error',
    message: `${where} maps ${what} twice (first in entry ${firstIndex + 1}): mirrord refuses duplicate ports since 3.218. Keep one mapping per port.`,
    span: pair.span,
    fixes: [],
  };
}

/** Unset means the current rules; a version before 3.218 dropped a duplicate silently. */
function rejectsDuplicateMappings(version: string | undefined): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version?.trim() ?? '');
  if (!match) return true;
  const [major, minor] = [Number(match[1]), Number(match[2])];
  return major > 3 || (major === 3 && minor >= 218);
}
