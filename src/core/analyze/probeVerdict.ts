import { matchFilter, type FilterMatch } from '../filter/httpFilter';
import type { ExecConnection, ExecWire, ProbeInfo, ProbeRequest, RegexRunner, Span, TargetKind, Verdict } from '../types';
import { kubeletAgentVariants } from '../k8s/probes';
import type { NetworkSettings } from './readNetworkSettings';
import { sentence } from '../text/sentence';

/** Which rule of mirrord's decides a probe's fate; the finding's squiggle goes on its node. */
export type StealCause = 'no-filter' | 'filter-matches' | 'port-outside-filter-ports' | 'old-rule-incoming-ports';

export interface ProbeDecision {
  verdict: Exclude<Verdict, 'conditional'>;
  reason: string;
  /** For `stolen` verdicts: the rule responsible. */
  cause?: StealCause;
  /** The config node responsible, when it is in the file. */
  span?: Span;
  /** The remote port the decision is about (an exec probe's: the port its command connects to). */
  port?: number;
  /** For `stolen`: the requests that reach the local app (empty for a connection that is not HTTP). */
  stolenRequests?: ProbeRequest[];
}

export type FilterPortsRule = 'unlisted-ports-stolen-whole' | 'unlisted-ports-not-stolen';

export interface VerdictContext {
  settings: NetworkSettings;
  filterPortsRule: FilterPortsRule;
  regexRunner: RegexRunner;
  /** The kind of target: job and cronjob targets run on a copy of the pod since mirrord 3.237. */
  targetKind?: TargetKind;
  /** mirrord 3.237 and later (the default): job and cronjob targets always run on a copy. */
  jobsRunOnCopy?: boolean;
}

/** mirrord's default `http_filter.ports` before 3.181.0. */
const OLD_DEFAULT_FILTER_PORTS = [80, 8080];

/** What reaches a stolen port: a kubelet probe, or a connection an exec probe's command opens. */
interface Connection {
  port: number;
  wire: ExecWire;
  tls: boolean;
  requests: ProbeRequest[];
  /** What is not known about the requests (a program Probe Guard does not know). */
  requestGuess?: string;
}

/**
 * An httpGet probe with `host` set: the kubelet connects to that host, not to the pod's IP, so the
 * request enters the pod's network (where mirrord's agent redirects) only if the host is the pod.
 * Loopback is the node's own, never the pod's (unless the pod uses the node's network).
 */
function decideOtherHost(host: string): ProbeDecision {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(bare) || bare === '::1') {
    return {
      verdict: 'safe',
      reason: `httpGet.host is ${host}: the kubelet connects to its node's own loopback, not to the pod, so mirrord cannot take the probe.`,
    };
  }
  return {
    verdict: 'unknown',
    reason: `httpGet.host sends the probe to ${host} instead of the pod's IP: mirrord takes it only if that address is this pod's own.`,
  };
}

/**
 * Decides whether the probe would reach the local app under this config
 * (docs/semantics.md sections 3 to 4). Never answers `safe` without a rule that makes it safe.
 */
export function decideProbe(probe: ProbeInfo, ctx: VerdictContext): ProbeDecision {
  const { settings } = ctx;
  if (settings.copyTarget === true) {
    return { verdict: 'safe', reason: 'copy_target runs the session on a copy of the pod that has no probes.' };
  }
  if ((ctx.targetKind === 'job' || ctx.targetKind === 'cronjob') && ctx.jobsRunOnCopy !== false) {
    return {
      verdict: 'safe',
      reason: `since mirrord 3.237 a ${ctx.targetKind} target always runs on a copy of the pod, which has no probes; the ${ctx.targetKind}'s own pods are left alone.`,
    };
  }
  if (settings.mode === 'mirror') return { verdict: 'safe', reason: 'mirror mode copies traffic: the pod still answers its probes.' };
  if (settings.mode === 'off') return { verdict: 'safe', reason: 'incoming traffic is off: mirrord does not touch the probes.' };
  if (probe.handler === 'tcpSocket') {
    return { verdict: 'safe', reason: "a tcpSocket probe is a bare connect: mirrord's agent accepts it, so it passes." };
  }
  if (settings.mode === 'unknown') return { verdict: 'unknown', reason: 'a template (or an invalid value) decides the incoming mode.' };
  if (settings.copyTarget === 'unknown') return { verdict: 'unknown', reason: 'a template decides whether copy_target is on.' };
  if (probe.mesh?.problem) return { verdict: 'unknown', reason: probe.mesh.problem };
  if (probe.handler === 'exec') return decideExec(probe, ctx);
  if (probe.port === undefined) {
    return { verdict: 'unknown', reason: probe.portProblem ?? 'the probe port could not be resolved.' };
  }
  if (!probe.request) return { verdict: 'unknown', reason: 'the probe request could not be worked out.' };
  if (probe.host !== undefined && !probe.hostNetwork && !probe.mesh) return decideOtherHost(probe.host);
  const decision = decideConnection(
    {
      port: probe.port,
      wire: probe.handler === 'grpc' ? 'grpc' : 'http',
      tls: probe.scheme === 'HTTPS',
      requests: kubeletAgentVariants(probe.request),
      requestGuess: "the cluster's Kubernetes version (the kubelet's User-Agent is kube-probe/<major>.<minor>)",
    },
    ctx,
  );
  if (probe.mesh && decision.verdict !== 'unknown')
    // A sentence of its own: a parenthesis after the reason's full stop read "loopback.)." in findings.
    decision.reason = `${sentence(decision.reason)} Istio sends this probe through pilot-agent, which re-sends it to the app over loopback.`;
  return decision;
}

/**
 * An exec probe: every connection its command opens to the pod is judged like a probe on that
 * port. One stolen connection makes the probe stolen; otherwise anything unread leaves it unknown.
 */
function decideExec(probe: ProbeInfo, ctx: VerdictContext): ProbeDecision {
  const reading = probe.exec;
  if (!reading) return { verdict: 'unknown', reason: 'the exec command could not be read.' };
  const decided = reading.connections.map((connection) => ({ connection, decision: decideConnection(connection, ctx) }));
  const stolen = decided.find((d) => d.decision.verdict === 'stolen');
  if (stolen) {
    return {
      ...stolen.decision,
      reason: `${describeConnection(stolen.connection)}, which mirrord redirects to the local app like outside traffic: ${stolen.decision.reason}`,
    };
  }
  const open = decided.find((d) => d.decision.verdict === 'unknown');
  if (open) return { ...open.decision, reason: `${describeConnection(open.connection)}: ${open.decision.reason}` };
  if (reading.unreadable.length > 0) return { verdict: 'unknown', reason: reading.unreadable[0] };
  if (decided.length > 0) {
    const first = decided[0];
    return { ...first.decision, reason: `${describeConnection(first.connection)}, but it is not stolen: ${first.decision.reason}` };
  }
  return { verdict: 'safe', reason: `it opens no TCP connection to the pod: ${reading.harmless[0] ?? 'the command reaches no port.'}` };
}

function describeConnection(connection: ExecConnection): string {
  return `\`${connection.command}\` connects to port ${connection.port} over loopback`;
}

/** `ports` and `ignore_ports`, through port_mapping, then the filter. */
function decideConnection(connection: Connection, ctx: VerdictContext): ProbeDecision {
  const portDecision = decidePort(connection.port, ctx.settings);
  const decision = portDecision ?? decideFilter(connection, ctx);
  return { ...decision, port: connection.port };
}

/**
 * Which local port reaches remote port `port` (mirrord:mirrord/layer/src/socket/ops.rs, `listen`:
 * the layer subscribes `port_mapping.get_by_left(local)` or, when the local port is not mapped,
 * the local port itself; `bind` checks `ignore_ports` against the local port). A remote port
 * whose own number is mapped elsewhere, and that no entry maps to, is reached by no local port.
 */
function decidePort(port: number, settings: NetworkSettings): ProbeDecision | undefined {
  const mapped = settings.portMapping.find((m) => m.remote === port);
  const mappedAway = mapped ? undefined : settings.portMapping.find((m) => m.local === port);
  if (mappedAway) {
    return {
      verdict: 'safe',
      reason: `no local port reaches remote port ${port}: port_mapping sends local port ${port} to remote port ${mappedAway.remote}, and no entry maps to ${port}.`,
    };
  }
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

function decideFilter(connection: Connection, ctx: VerdictContext): ProbeDecision {
  const { settings } = ctx;
  const port = connection.port;
  const filter = settings.httpFilter;
  const modeSpan = settings.modeSpan;
  if (connection.wire === 'connect') {
    return { verdict: 'safe', reason: "a bare connect that sends nothing: mirrord's agent accepts it, so it passes." };
  }
  if (filter.specs.length === 0) {
    return {
      verdict: 'stolen',
      reason: `steal mode has no http_filter: every connection to port ${port} goes to the local app.`,
      cause: 'no-filter',
      span: modeSpan,
      stolenRequests: connection.requests,
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
        stolenRequests: connection.requests,
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
          stolenRequests: connection.requests,
        };
      }
      return { verdict: 'safe', reason: `before mirrord 3.181, ports outside http_filter.ports (${listed.join(', ')}) are not stolen.` };
    }
  }
  // A filtered port: the agent looks at the first bytes (agent/src/incoming/connection.rs,
  // MaybeHttp::detect); what is not plain HTTP goes on to the pod.
  if (connection.wire === 'tcp') {
    return { verdict: 'safe', reason: `port ${port} is filtered and this connection is not HTTP: mirrord's agent passes it through to the pod.` };
  }
  if (connection.wire === 'unknown') {
    return { verdict: 'unknown', reason: `port ${port} is filtered, and whether what the command sends is HTTP (which the filter judges) cannot be told.` };
  }
  if (connection.tls) {
    if (settings.tlsDelivery === 'unknown')
      return { verdict: 'unknown', reason: 'a template decides incoming.https_delivery/tls_delivery (whether TLS is stolen).' };
    if (settings.tlsDelivery === false) {
      return {
        verdict: 'safe',
        reason: `port ${port} is filtered and the probe speaks TLS: with no incoming.https_delivery/tls_delivery (TLS stealing through the operator), mirrord's agent passes TLS connections through to the pod.`,
      };
    }
  }
  return judgeRequests(connection, ctx);
}

/** The filter against every request the connection may carry: a verdict only when they agree. */
function judgeRequests(connection: Connection, ctx: VerdictContext): ProbeDecision {
  const { settings } = ctx;
  const filter = settings.httpFilter;
  if (connection.requests.length === 0) return { verdict: 'unknown', reason: 'the request could not be worked out.' };
  const outcomes = connection.requests.map((request) => combineFilterMatches(filter.specs.map((spec) => matchFilter(spec, request, ctx.regexRunner))));
  const filterSpan = filter.parts.length === 1 ? filter.parts[0].entry.value.span : (filter.entry?.keySpan ?? settings.modeSpan);
  const tlsNote = connection.tls ? ' (TLS is stolen: incoming.https_delivery/tls_delivery is set, so the agent decrypts it)' : '';
  const results = new Set(outcomes.map((o) => o.result));
  if (results.size > 1) {
    const what = connection.requestGuess ?? 'which variant of the tool runs';
    // One outcome of each kind is enough to show why: the first that matches, the first that does not...
    const shown = [...results].map((result) => outcomes.find((o) => o.result === result)!.reason);
    return { verdict: 'unknown', reason: `whether the filter selects this request depends on ${what}: ${shown.join('; ')}.` };
  }
  const outcome = outcomes[0];
  if (outcome.result === 'match') {
    return {
      verdict: 'stolen',
      reason: `the filter selects it${tlsNote}: ${outcome.reason}`,
      cause: 'filter-matches',
      span: filterSpan,
      stolenRequests: connection.requests,
    };
  }
  if (outcome.result === 'no-match') return { verdict: 'safe', reason: `the filter lets it through to the pod${tlsNote}: ${outcome.reason}` };
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
