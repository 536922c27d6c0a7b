import { getSetEntry } from '../config/configQuery';
import type { ConfigNode, Finding } from '../types';

/**
 * Values of the right type that mirrord still refuses when it builds the session config
 * (mirrord/config/src/lib.rs `LayerConfig::verify`, feature/network/incoming.rs):
 * - `duplicate-port-mapping`: a local or remote port twice in `port_mapping` or `listen_ports`
 *   (`bi_map_from_config`, since mirrord 3.218; older versions silently dropped one);
 * - `env-include-exclude`: `feature.env.include` together with `feature.env.exclude`.
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
  return findings;
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
