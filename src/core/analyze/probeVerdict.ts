import { matchFilter, type FilterMatch } from '../filter/httpFilter';
import type { ProbeInfo, RegexRunner, Span, Verdict } from '../types';
import type { NetworkSettings } from './readNetworkSettings';

/** Which rule of mirrord's decides a probe's fate; the finding's squiggle goes on its node. */
export type StealCause = 'no-filter' | 'filter-matches' | 'port-outside-filter-ports' | 'old-rule-incoming-ports';

export interface ProbeDecision {
  verdict: Verdict;
  reason: string;
  /** For `stolen` verdicts: the rule responsible. */
  cause?: StealCause;
  /** The config node responsible, when it is in the file. */
  span?: Span;
}

export type FilterPortsRule = 'unlisted-ports-stolen-whole' | 'unlisted-ports-not-stolen';

export interface VerdictContext {
  settings: NetworkSettings;
  filterPortsRule: FilterPortsRule;
  regexRunner: RegexRunner;
}

/** mirrord's default `http_filter.ports` before 3.181.0. */
const OLD_DEFAULT_FILTER_PORTS = [80, 8080];

/**
 * Decides whether the kubelet's probe would reach the local app under this config
 * (docs/semantics.md section 4). Never answers `safe` without a rule that makes it safe.
 */
export function decideProbe(probe: ProbeInfo, ctx: VerdictContext): ProbeDecision {
  const { settings } = ctx;
  if (probe.handler === 'exec') return { verdict: 'safe', reason: 'exec probes run inside the container; mirrord never sees them.' };
  if (settings.copyTarget === true) {
    return { verdict: 'safe', reason: 'copy_target runs the session on a copy of the pod that has no probes.' };
  }
  if (settings.mode === 'mirror') return { verdict: 'safe', reason: 'mirror mode copies traffic: the pod still answers its probes.' };
  if (settings.mode === 'off') return { verdict: 'safe', reason: 'incoming traffic is off: mirrord does not touch the probes.' };
  if (probe.handler === 'tcpSocket') {
    return { verdict: 'safe', reason: "a tcpSocket probe is a bare connect: mirrord's agent accepts it, so it passes." };
  }
  if (settings.mode === 'unknown') return { verdict: 'unknown', reason: 'a template (or an invalid value) decides the incoming mode.' };
  if (settings.copyTarget === 'unknown') return { verdict: 'unknown', reason: 'a template decides whether copy_target is on.' };
  if (probe.port === undefined) {
    return { verdict: 'unknown', reason: probe.portProblem ?? 'the probe port could not be resolved.' };
  }
  const port = probe.port;
  const portDecision = decidePort(port, settings);
  if (portDecision) return portDecision;
  return decideFilter(probe, port, ctx);
}

/** `ports` (remote port) and `ignore_ports` (local port, through port_mapping). */
function decidePort(port: number, settings: NetworkSettings): ProbeDecision | undefined {
  const mapped = settings.portMapping.find((m) => m.remote === port);
  const localPort = mapped ? mapped.local : port;
  const ports = settings.ports;
  if (ports && !ports.ports.includes(port)) {
    if (ports.templated) return { verdict: 'unknown', reason: `a template decides incoming.ports, which may list port ${port}.` };
    return { verdict: 'safe', reason: `incoming.ports does not list port ${port}, so mirrord leaves it alone.` };
  }
  const ignored = settings.ignorePorts;
  if (ignored?.ports.includes(localPort)) {
    const via = mapped ? ` (local port ${localPort} through port_mapping)` : '';
    return { verdict: 'safe', reason: `incoming.ignore_ports lists port ${localPort}${via}, so it is not stolen.` };
  }
  if (ignored?.templated) return { verdict: 'unknown', reason: `a template decides incoming.ignore_ports, which may list port ${localPort}.` };
  if (!mapped && settings.portMappingTemplated) return { verdict: 'unknown', reason: 'a template decides port_mapping.' };
  return undefined;
}

function decideFilter(probe: ProbeInfo, port: number, ctx: VerdictContext): ProbeDecision {
  const { settings } = ctx;
  const filter = settings.httpFilter;
  const modeSpan = settings.modeSpan;
  if (filter.specs.length === 0) {
    return {
      verdict: 'stolen',
      reason: `steal mode has no http_filter: every connection to port ${port} goes to the local app.`,
      cause: 'no-filter',
      span: modeSpan,
    };
  }
  const filterPorts = filter.ports;
  if (ctx.filterPortsRule === 'unlisted-ports-stolen-whole') {
    if (filterPorts && !filterPorts.ports.includes(port)) {
      if (filterPorts.templated) return { verdict: 'unknown', reason: `a template decides http_filter.ports, which may list port ${port}.` };
      return {
        verdict: 'stolen',
        reason: `http_filter.ports does not list port ${port}: since mirrord 3.181 such a port is stolen whole, unfiltered.`,
        cause: 'port-outside-filter-ports',
        span: filterPorts.node?.span ?? filter.entry?.span,
      };
    }
  } else {
    const listed = filterPorts ? filterPorts.ports : OLD_DEFAULT_FILTER_PORTS;
    if (!listed.includes(port)) {
      if (filterPorts?.templated) return { verdict: 'unknown', reason: `a template decides http_filter.ports, which may list port ${port}.` };
      if (settings.ports?.ports.includes(port)) {
        return {
          verdict: 'stolen',
          reason: `before mirrord 3.181, a port outside http_filter.ports but listed in incoming.ports is stolen whole.`,
          cause: 'old-rule-incoming-ports',
          span: settings.ports.node?.span,
        };
      }
      return { verdict: 'safe', reason: `before mirrord 3.181, ports outside http_filter.ports (${listed.join(', ')}) are not stolen.` };
    }
  }
  if (probe.scheme === 'HTTPS') {
    return { verdict: 'unknown', reason: 'an HTTPS probe: whether the filter can read it depends on how mirrord is set up to steal TLS.' };
  }
  const request = probe.request;
  if (!request) return { verdict: 'unknown', reason: 'the probe request could not be worked out.' };
  const outcome = combineFilterMatches(filter.specs.map((spec) => matchFilter(spec, request, ctx.regexRunner)));
  const filterSpan = filter.parts.length === 1 ? filter.parts[0].entry.value.span : (filter.entry?.keySpan ?? modeSpan);
  if (outcome.result === 'match') {
    return { verdict: 'stolen', reason: `the filter selects it: ${outcome.reason}`, cause: 'filter-matches', span: filterSpan };
  }
  if (outcome.result === 'no-match') return { verdict: 'safe', reason: `the filter lets it through to the pod: ${outcome.reason}` };
  return { verdict: 'unknown', reason: outcome.reason };
}

/** Several filter kinds at once: decide only when they agree. */
function combineFilterMatches(matches: FilterMatch[]): FilterMatch {
  if (matches.length === 1) return matches[0];
  const first = matches[0].result;
  if (first !== 'unknown' && matches.every((m) => m.result === first)) {
    return { result: first, reason: matches.map((m) => m.reason).join('; ') };
  }
  return { result: 'unknown', reason: 'several filter kinds are set and mirrord does not say how they combine.' };
}
