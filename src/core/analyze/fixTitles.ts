import type { FixTitleMessage } from '../types';

/**
 * What each fix is called: a title that says what the fix does. The English title is the fix's
 * identity (a quick fix picked after an edit is found again by it, the CLI prints it); front ends
 * that translate show `message` with `args` through their l10n bundle instead.
 */
export interface FixTitle {
  title: string;
  titleMessage: FixTitleMessage;
}

/** mirrord's documented recipe: the title issue 12's "Add kube-probe filter and start" refers to. */
export const ADD_FILTER_TITLE = 'Add kube-probe filter';

/** What a filter fix changes: the kube-probe exclusion, probe paths left out, ports added to http_filter.ports. */
export interface FilterFixParts {
  addsKubeProbeFilter: boolean;
  excludedPaths: string[];
  addedFilterPorts: number[];
}

export function filterFixTitle(parts: FilterFixParts): FixTitle {
  const paths = [...new Set(parts.excludedPaths)].join(', ');
  const ports = parts.addedFilterPorts.join(', ');
  const filter = parts.addsKubeProbeFilter;
  if (filter && paths && ports) return titled('Add kube-probe filter, excluding {0}, and add {1} to http_filter.ports', paths, ports);
  if (filter && paths) return titled('Add kube-probe filter, excluding {0}', paths);
  if (filter && ports) return titled('Add kube-probe filter and add {0} to http_filter.ports', ports);
  if (paths && ports) return titled('Exclude {0} from the filter and add {1} to http_filter.ports', paths, ports);
  if (paths) return titled('Exclude {0} from the filter', paths);
  if (ports) return titled('Add {0} to http_filter.ports', ports);
  return titled(ADD_FILTER_TITLE);
}

export function ignorePortTitle(port: number, localPort: number): FixTitle {
  return localPort === port
    ? titled('Leave probe port {0} to the pod (ignore_ports)', String(port))
    : titled('Leave probe port {0} to the pod (ignore_ports: local port {1})', String(port), String(localPort));
}

export function portsListTitle(port: number): FixTitle {
  return titled('Leave probe port {0} to the pod (remove it from incoming.ports)', String(port));
}

function titled(message: string, ...args: string[]): FixTitle {
  return { title: message.replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)] ?? ''), titleMessage: { message, args } };
}
