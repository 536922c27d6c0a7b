import { parseConfig } from '../config/parseConfig';
import { appendToArrayEdits, applyTextEdits, replaceEntryEdits, setValueEdits, type JsonValue } from '../fix/structuralEdits';
import type { Analysis, Fix, ParsedConfig, ProbeInfo, ProbeRequest, TextEdit } from '../types';
import type { AnalysisState } from './analysisState';
import { ADD_FILTER_TITLE, filterFixTitle, ignorePortTitle, portsListTitle, type FixTitle } from './fixTitles';
import { decideProbe } from './probeVerdict';
import { probesOfTarget } from './targetProbes';

/** mirrord's documented recipe: steal only requests whose User-Agent is not the kubelet's. */
export const KUBE_PROBE_HEADER_FILTER = '^User-Agent: (?!kube-probe)';
export { ADD_FILTER_TITLE };

const INCOMING = ['feature', 'network', 'incoming'];
const HTTP_FILTER = [...INCOMING, 'http_filter'];

type Reanalyse = (parsed: ParsedConfig, state: AnalysisState) => Analysis;
/** One step of a fix: edits against the text as the previous steps left it. */
type Step = (parsed: ParsedConfig) => TextEdit[] | undefined;
interface Candidate extends FixTitle {
  steps: Step[];
}

/**
 * The fixes of docs/semantics.md section 5, in order of preference, each offered only when the
 * re-analysed result proves it correct: no liveness/readiness probe stolen, still stealing.
 */
export function planFixes(state: AnalysisState, reanalyse: Reanalyse): Fix[] {
  const atRisk = probesAtRisk(state);
  const fixes: Fix[] = [];
  const offer = (candidate: Candidate | undefined): boolean => {
    const edit = candidate && runSteps(state.parsed, candidate.steps);
    if (!candidate || !edit || !provesSafe(state, edit, reanalyse)) return false;
    fixes.push({ title: candidate.title, titleMessage: candidate.titleMessage, isPreferred: fixes.length === 0, edits: [edit] });
    return true;
  };
  // A probe on a port outside http_filter.ports is judged by the filter once the port is listed:
  // when its request does not carry the kubelet's User-Agent (an exec probe's curl), listing the
  // port is not enough, and the same fix also excludes its path.
  if (!offer(filterCandidate(state, atRisk, false))) offer(filterCandidate(state, atRisk, true));
  for (const candidate of ignorePortCandidates(state, atRisk)) offer(candidate);
  for (const candidate of portsListCandidates(state, atRisk)) offer(candidate);
  return fixes;
}

/**
 * A probe the fix must protect: the probe, the rule that steals it, the remote port it is stolen
 * on (an exec probe's: the port its command connects to) and the requests that get there.
 */
interface AtRisk {
  probe?: ProbeInfo;
  cause?: string;
  port?: number;
  requests?: ProbeRequest[];
}

/** The probes the fix must protect: stolen probes (sidecars' included), or a typical one. */
function probesAtRisk(state: AnalysisState): AtRisk[] {
  if (!state.resolution?.ok) return [{}];
  return state.resolution.target.pods.length === 0 ? [] : riskyDecisions(state);
}

function riskyDecisions(state: AnalysisState): AtRisk[] {
  const result: AtRisk[] = [];
  if (!state.resolution?.ok) return result;
  for (const { probe } of probesOfTarget(state.resolution)) {
    const decision = decideProbe(probe, state.context);
    if (decision.verdict === 'stolen') result.push({ probe, cause: decision.cause, port: decision.port ?? probe.port, requests: decision.stolenRequests });
  }
  return result;
}

/**
 * Whether the kubelet's own User-Agent still identifies every stolen request (an exec probe's
 * curl or wget sends its own, which the kube-probe filter steals).
 */
function keepsKubeProbeAgent(risk: AtRisk): boolean {
  const requests = risk.requests ?? (risk.probe?.request ? [risk.probe.request] : []);
  if (requests.length === 0) return true;
  return requests.every((request) => request.headers.some((h) => h.name === 'user-agent' && /^kube-probe\//i.test(h.value)));
}

/**
 * `User-Agent: kube-probe` and its variants: a header filter written to name the probes, which
 * (a filter choosing what to steal) selects exactly them.
 */
function selectsKubeProbe(pattern: string): boolean {
  return /kube-probe/i.test(pattern) && !/\(\?!/.test(pattern);
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, (c) => (c === '/' ? '/' : `\\${c}`));
}

/** `^(?!(?:/healthz|/ready)(?:\?|$))`: not stolen when the path is exactly a probe path. */
function pathExclusion(paths: string[]): string {
  const alternatives = [...new Set(paths)].map(escapeRegex);
  const group = alternatives.length === 1 ? alternatives[0] : `(?:${alternatives.join('|')})`;
  return `^(?!${group}(?:\\?|$))`;
}

/** The filter fix (section 5, items 1 to 4), titled by what its steps do. */
function filterCandidate(state: AnalysisState, atRisk: AtRisk[], excludeListedPorts: boolean): Candidate | undefined {
  const { settings } = state;
  const filter = settings.httpFilter;
  if (filter.fromEnv) return undefined; // the filter is not in the file
  const byFilter = atRisk.filter((r) => r.cause === undefined || r.cause === 'no-filter' || r.cause === 'filter-matches');
  const byPorts = atRisk.filter((r) => r.cause === 'port-outside-filter-ports');
  if (atRisk.some((r) => r.cause === 'old-rule-incoming-ports')) return undefined;

  const uaItem: JsonValue = { header: KUBE_PROBE_HEADER_FILTER };
  const judgedByFilter = excludeListedPorts ? [...byFilter, ...byPorts] : byFilter;
  if (excludeListedPorts && !byPorts.some((r) => !keepsKubeProbeAgent(r))) return undefined; // the same as the first try
  const customAgentPaths = judgedByFilter
    .filter((r) => !keepsKubeProbeAgent(r))
    .flatMap((r) => (r.requests?.length ? r.requests.map((q) => q.path) : [r.probe?.request?.path ?? '/']));
  const pathItem: JsonValue | undefined = customAgentPaths.length ? { path: pathExclusion(customAgentPaths) } : undefined;
  const steps: Step[] = [];
  let addsKubeProbeFilter = false;
  const addedFilterPorts: number[] = [];

  if (byFilter.length > 0 || pathItem) {
    const exclusive = filter.parts.filter((p) => p.key !== 'ports');
    if (exclusive.length === 0) {
      addsKubeProbeFilter = true;
      const newFilter: Record<string, JsonValue> = pathItem ? { all_of: [uaItem, pathItem] } : { header_filter: KUBE_PROBE_HEADER_FILTER };
      const incoming = settings.incomingEntry?.value;
      if (incoming && incoming.kind !== 'object') {
        if (!(incoming.kind === 'scalar' && incoming.value === 'steal')) return undefined;
        steps.push((p) => setValueEdits(p, INCOMING, { mode: 'steal', http_filter: newFilter }));
      } else if (filter.entry) {
        const [key, value] = Object.entries(newFilter)[0];
        steps.push((p) => setValueEdits(p, [...HTTP_FILTER, key], value));
      } else {
        steps.push((p) => setValueEdits(p, HTTP_FILTER, newFilter));
      }
    } else if (exclusive.length === 1) {
      const part = exclusive[0];
      const value = part.entry.value;
      if (part.key === 'all_of') {
        const hasUaItem = part.spec.kind === 'all_of' && part.spec.filters.some((f) => f.kind === 'header' && f.pattern === KUBE_PROBE_HEADER_FILTER);
        if (!hasUaItem) {
          addsKubeProbeFilter = true;
          steps.push((p) => appendToArrayEdits(p, [...HTTP_FILTER, 'all_of'], uaItem));
        }
        if (pathItem) steps.push((p) => appendToArrayEdits(p, [...HTTP_FILTER, 'all_of'], pathItem));
      } else {
        const innerKey = part.key === 'header_filter' ? 'header' : part.key === 'path_filter' ? 'path' : part.key === 'method_filter' ? 'method' : undefined;
        if (!innerKey || value.kind !== 'scalar' || typeof value.value !== 'string') return undefined;
        const pattern = value.value;
        if (innerKey === 'header' && selectsKubeProbe(pattern)) {
          // The copied mistake: the filter was meant to leave probes alone. Say what was meant.
          addsKubeProbeFilter = true;
          if (pathItem) steps.push((p) => replaceEntryEdits(p, [...HTTP_FILTER, part.key], 'all_of', [uaItem, pathItem]));
          else steps.push((p) => setValueEdits(p, [...HTTP_FILTER, part.key], KUBE_PROBE_HEADER_FILTER));
        } else {
          const inner: JsonValue = { [innerKey]: pattern };
          const alreadyExcludesAgent = innerKey === 'header' && pattern === KUBE_PROBE_HEADER_FILTER;
          addsKubeProbeFilter ||= !alreadyExcludesAgent;
          const items = [...(alreadyExcludesAgent ? [] : [uaItem]), ...(pathItem ? [pathItem] : []), inner];
          steps.push((p) => replaceEntryEdits(p, [...HTTP_FILTER, part.key], 'all_of', items));
        }
      }
    } else {
      return undefined; // several filter kinds: no combination is certainly right
    }
  }
  for (const port of new Set(byPorts.map((r) => r.port).filter((p): p is number => p !== undefined))) {
    addedFilterPorts.push(port);
    steps.push((p) => appendToArrayEdits(p, [...HTTP_FILTER, 'ports'], port));
  }
  if (steps.length === 0) return undefined;
  const excludedPaths = pathItem ? customAgentPaths : [];
  return { steps, ...filterFixTitle({ addsKubeProbeFilter, excludedPaths, addedFilterPorts }) };
}

/**
 * A probe on a port of its own (the container serves real traffic on another port) can be left to
 * the pod with `ignore_ports`; not when `ports` is set (mirrord rejects both together).
 */
function ignorePortCandidates(state: AnalysisState, atRisk: AtRisk[]): Candidate[] {
  const { settings } = state;
  if (settings.ports || !state.resolution?.ok) return [];
  const incoming = settings.incomingEntry?.value;
  if (incoming && incoming.kind !== 'object' && !(incoming.kind === 'scalar' && incoming.value === 'steal')) return [];
  return probeOnlyPorts(state, atRisk).map((port) => {
    const mapped = settings.portMapping.find((m) => m.remote === port);
    const localPort = mapped ? mapped.local : port;
    const step: Step =
      incoming && incoming.kind !== 'object'
        ? (p) => setValueEdits(p, INCOMING, { mode: 'steal', ignore_ports: [localPort] })
        : (p) => appendToArrayEdits(p, [...INCOMING, 'ignore_ports'], localPort);
    return { steps: [step], ...ignorePortTitle(port, localPort) };
  });
}

/**
 * With `incoming.ports` set (where `ignore_ports` is refused), a probe on a port of its own is left
 * to the pod by taking the port out of the list. Not when that empties the list (no longer a steal
 * of what the user chose), when the list is templated, or when comments inside it would be lost.
 */
function portsListCandidates(state: AnalysisState, atRisk: AtRisk[]): Candidate[] {
  const list = state.settings.ports;
  if (!list?.node || list.node.kind !== 'array' || list.templated || !state.resolution?.ok) return [];
  const { start, end } = list.node.span;
  if (/\/\/|\/\*|#/.test(state.parsed.text.slice(start, end))) return [];
  const candidates: Candidate[] = [];
  for (const port of probeOnlyPorts(state, atRisk)) {
    if (!list.ports.includes(port)) continue;
    const rest = list.ports.filter((p) => p !== port);
    if (rest.length === 0) continue;
    candidates.push({ steps: [(p) => setValueEdits(p, [...INCOMING, 'ports'], rest)], ...portsListTitle(port) });
  }
  return candidates;
}

/** The distinct ports at risk that only probes use (isProbeOnlyPort), in the order the probes come. */
function probeOnlyPorts(state: AnalysisState, atRisk: AtRisk[]): number[] {
  const ports: number[] = [];
  for (const { probe, port } of atRisk) {
    if (!probe || port === undefined || ports.includes(port)) continue;
    if (isProbeOnlyPort(state, probe, port)) ports.push(port);
  }
  return ports;
}

/**
 * A port that only the probes use: the container serves its traffic on another declared port, and
 * the probe port is either undeclared or named for health checks. Ignoring the app's main port
 * would "fix" the probes by no longer stealing real traffic.
 */
function isProbeOnlyPort(state: AnalysisState, probe: ProbeInfo, port: number): boolean {
  if (!state.resolution?.ok) return false;
  for (const pod of state.resolution.target.pods) {
    const containers = [...(pod.podSpec?.containers ?? []), ...(pod.podSpec?.initContainers ?? [])];
    const container = containers.find((c: any) => c?.name === probe.container);
    const declared: { containerPort?: unknown; name?: unknown }[] = Array.isArray(container?.ports) ? container.ports : [];
    const others = declared.filter((p) => typeof p?.containerPort === 'number' && p.containerPort !== port);
    if (others.length === 0) continue;
    const own = declared.find((p) => p?.containerPort === port);
    if (!own) return true;
    if (typeof own.name === 'string' && HEALTH_PORT_NAME.test(own.name)) return true;
  }
  return false;
}

const HEALTH_PORT_NAME = /health|status|probe|admin|manage|mgmt|actuator|ready|live/i;

/** Applies the steps one after the other (re-parsing between them) and returns one minimal edit. */
function runSteps(parsed: ParsedConfig, steps: Step[]): TextEdit | undefined {
  let current = parsed;
  for (const step of steps) {
    const edits = step(current);
    if (!edits) return undefined;
    if (edits.length === 0) continue;
    const text = applyTextEdits(current.text, edits);
    current = parseConfig(text, parsed.format);
  }
  return minimalEdit(parsed.text, current.text);
}

export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { offset: start, length: endBefore - start, newText: after.slice(start, endAfter) };
}

/** The fixed text parses cleanly, still steals, and leaves no liveness/readiness probe at risk. */
function provesSafe(state: AnalysisState, edit: TextEdit, reanalyse: Reanalyse): boolean {
  const text = applyTextEdits(state.parsed.text, [edit]);
  if (/\{[{%#]/.test(edit.newText)) return false;
  const parsed = parseConfig(text, state.parsed.format);
  if (parsed.problems.length > state.parsed.problems.length) return false;
  const analysis = reanalyse(parsed, state);
  if (analysis.steals !== true) return false;
  const stillRisky = analysis.findings.some((f) =>
    ['liveness-probe-stolen', 'readiness-probe-stolen', 'steal-without-filter', 'filter-selects-probes', 'invalid-regex', 'multiple-filters'].includes(f.code),
  );
  if (stillRisky) return false;
  return !analysis.probes.some((p) => (p.verdict === 'stolen' || p.verdict === 'conditional') && p.probe.probe !== 'startup');
}
