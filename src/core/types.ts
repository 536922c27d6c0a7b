/**
 * The engine's shared vocabulary. Everything in src/core is pure: no vscode, no network, no clock.
 * Offsets are UTF-16 code units into the config text (what JS strings and VS Code use).
 */
import type { RuleCode, Severity } from './rules';

/** Half-open [start, end) offsets into a text. */
export interface Span {
  start: number;
  end: number;
}

/** Zero-based, as in VS Code and in the CLI's JSON. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type ConfigFormat = 'json' | 'yaml' | 'toml';

// ---------------------------------------------------------------------------------------------
// Config tree: one format-neutral tree for JSON, YAML and TOML, every node with its span.

export type ConfigNode = ObjectNode | ArrayNode | ScalarNode | TemplateNode;

export interface ObjectNode {
  kind: 'object';
  span: Span;
  entries: ObjectEntry[];
}

export interface ObjectEntry {
  key: string;
  keySpan: Span;
  value: ConfigNode;
  /** From the start of the key to the end of the value. */
  span: Span;
}

export interface ArrayNode {
  kind: 'array';
  span: Span;
  items: ConfigNode[];
}

export interface ScalarNode {
  kind: 'scalar';
  span: Span;
  value: string | number | boolean | null;
}

/**
 * A value whose content is decided by a Tera template (`{{ }}`, `{% %}`, `{# #}`), either in place
 * of the value or inside a string. Its real value is unknown until mirrord renders the file.
 */
export interface TemplateNode {
  kind: 'template';
  span: Span;
  /** The original source text of the value. */
  text: string;
}

export interface SyntaxProblem {
  message: string;
  span: Span;
  /** The problem is the file's leading byte order mark, which removing it fixes. */
  byteOrderMark?: true;
}

/**
 * JSON the editor reads (as JSONC) but mirrord's strict parser (serde_json) refuses: a comment
 * (`//`, a block comment) or a comma before `}` or `]`.
 */
export interface LenientJsonSyntax {
  kind: 'comment' | 'trailing-comma';
  span: Span;
}

export interface ParsedConfig {
  format: ConfigFormat;
  text: string;
  /** Undefined when nothing could be parsed (empty file, or garbage). */
  root: ConfigNode | undefined;
  problems: SyntaxProblem[];
  /** JSON only: what only a lenient reader accepts (not in `problems`: the tree is complete). */
  lenientJson?: LenientJsonSyntax[];
  /** Where the Tera template pieces are in the text. */
  templateSpans: Span[];
}

// ---------------------------------------------------------------------------------------------
// Targets

export type TargetKind = 'pod' | 'deployment' | 'rollout' | 'statefulset' | 'job' | 'cronjob' | 'replicaset' | 'service' | 'label' | 'targetless';

export interface TargetRef {
  kind: TargetKind;
  /** Absent for `targetless` and `label`. */
  name?: string;
  /** For `label` targets: the selector's key/value pairs. */
  labels?: Record<string, string>;
  container?: string;
  /** `target.namespace` from the config, when set. */
  namespace?: string;
}

// ---------------------------------------------------------------------------------------------
// Probes and the request the kubelet sends

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeHandler = 'httpGet' | 'grpc' | 'tcpSocket' | 'exec';

export interface HeaderLine {
  /** Lowercase, as mirrord's agent formats it. */
  name: string;
  value: string;
}

/** What the kubelet puts on the wire for an httpGet or grpc probe. */
export interface ProbeRequest {
  method: string;
  /** Path without the query, e.g. `/healthz`. */
  path: string;
  /** Path plus `?query` when the probe path has a query, else the same as `path`. */
  pathAndQuery: string;
  /** After `httpHeaders` overrides and removals; `user-agent` is `kube-probe/<major>.<minor>`. */
  headers: HeaderLine[];
  /**
   * Set when the request also carries `host: <pod IP>:<port>` (a kubelet httpGet probe whose
   * `httpHeaders` set no Host): the port, since the pod's IP is not known here.
   */
  podIpHostPort?: number;
  /**
   * Set when `user-agent` is the kubelet's own (`kube-probe/<major>.<minor>`, for gRPC followed by
   * grpc-go's): its version numbers are those of the cluster, which is not known here.
   */
  kubeletAgent?: boolean;
}

/**
 * How the bytes of a connection an exec probe opens look to mirrord's agent: an HTTP request (the
 * filter judges it), a gRPC health check (HTTP/2, judged the same way), another protocol (Redis,
 * PostgreSQL, raw data: not HTTP), a bare connect that sends nothing, or bytes Probe Guard cannot
 * tell (they may be HTTP).
 */
export type ExecWire = 'http' | 'grpc' | 'tcp' | 'connect' | 'unknown';

/** One TCP connection an exec probe's command opens to the pod's own network (loopback). */
export interface ExecConnection {
  /** The command that opens it, as written (`curl -fsS localhost:8080/healthz`). */
  command: string;
  /** The program, e.g. `curl`, `grpc_health_probe`, `redis-cli`. */
  tool: string;
  /** As written (`localhost`, `127.0.0.1`, `[::1]`, `$(hostname)`...). */
  host: string;
  port: number;
  wire: ExecWire;
  tls: boolean;
  /**
   * For `http`/`grpc`: the requests this tool may send. Several when versions or builds differ
   * (GNU and BusyBox wget), or when the program is not one Probe Guard knows (its User-Agent is a
   * guess): a filter must give the same answer for every one of them.
   */
  requests: ProbeRequest[];
  /** Set when `requests` are guesses: what is not known about the request. */
  requestGuess?: string;
}

/** What an exec probe's command does, read without running it (src/core/k8s/execProbe.ts). */
export interface ExecProbeReading {
  /** Connections to the pod's own network namespace, which mirrord's loopback redirect takes. */
  connections: ExecConnection[];
  /** Parts that cannot be read, one sentence each: the verdict is `unknown` unless a connection is stolen. */
  unreadable: string[];
  /** Parts understood to open no TCP connection to the pod, one sentence each (why). */
  harmless: string[];
}

/** A probe Istio rewrote to go through pilot-agent (`:15020/app-health/<container>/livez`). */
export interface MeshRewrite {
  proxy: 'istio';
  /** The port and path the kubelet calls (pilot-agent's). */
  rewrittenPort: number;
  rewrittenPath: string;
  /** Set when the original probe is not in `ISTIO_KUBE_APP_PROBERS`: the verdict is `unknown`. */
  problem?: string;
}

export interface ProbeInfo {
  container: string;
  /** `sidecar` is a native sidecar: an init container with `restartPolicy: Always`. */
  containerRole: 'container' | 'sidecar';
  probe: ProbeKind;
  handler: ProbeHandler;
  /** Resolved numeric port (named ports resolved through the container's `ports[].name`). */
  port?: number;
  /** The port name as written when the probe used a name. */
  portName?: string;
  /** Set when the port could not be resolved (unknown name): the text of the problem. */
  portProblem?: string;
  path?: string;
  scheme?: 'HTTP' | 'HTTPS';
  /** For httpGet and grpc. */
  request?: ProbeRequest;
  /** httpGet.host: the kubelet connects to this host instead of the pod's IP. */
  host?: string;
  /** The pod uses the node's network (`hostNetwork: true`): every address of the node is the pod's. */
  hostNetwork?: true;
  /** For exec: the command as given. */
  command?: string[];
  /** For exec: what the command connects to. */
  exec?: ExecProbeReading;
  /** Istio's probe rewriting: the handler, port and request above are the ORIGINAL probe's. */
  mesh?: MeshRewrite;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  /** JSON path of the probe inside the object it came from, for pointing at the manifest line. */
  specPath: (string | number)[];
}

/** A Kubernetes object as plain JSON (from a manifest or from the API). */
export type KubeObject = { apiVersion?: string; kind?: string; metadata?: any; spec?: any; status?: any; [k: string]: any };

/** A pod spec together with where it came from. */
export interface PodSource {
  /** e.g. `deployment/api`, `pod/api-7d9c-x2`. */
  description: string;
  podSpec: any;
  /** JSON path from the object root to the pod spec. */
  specPath: (string | number)[];
  object: KubeObject;
  /**
   * Where `object` came from, when it is not the resolved target's own object (a Service's pods,
   * a Rollout's workloadRef Deployment), so its lines can be pointed at. Optional addition.
   */
  origin?: TargetOrigin;
}

export interface LivePodStatus {
  name: string;
  phase?: string;
  ready: boolean;
  restarts: number;
  /** e.g. `Error (exit 137) at 2026-11-20T10:00:00Z`, and whether a liveness failure killed it. */
  lastTermination?: string;
  killedByLiveness?: boolean;
}

/** Where a resolved target came from: enough to label hovers and point at a manifest line. */
export interface TargetOrigin {
  source: 'manifest' | 'cluster';
  /** Manifest file, for `source: 'manifest'`. */
  file?: string;
  /** Maps a JSON path inside `object` to a zero-based line of the manifest file. */
  lineOf?: (path: (string | number)[]) => number | undefined;
  cluster?: { server?: string; context?: string; user?: string };
}

export interface ResolvedTarget {
  ref: TargetRef;
  namespace: string;
  origin: TargetOrigin;
  /** The object the target names (a Deployment, a Pod, a Service...). */
  object?: KubeObject;
  /** Pod specs whose probes matter (one for a workload, the picked pods for service/label). */
  pods: PodSource[];
  /**
   * Set when several manifest objects match the target's kind, name and namespace (several files,
   * base and overlay copies): `pods` then holds every candidate's pod spec.
   */
  candidates?: { description: string; where: string; file?: string; line?: number }[];
  /**
   * The live pods behind the target, shown in the hover and the probe report; verdicts never use
   * them. No lookup fills this in (the cluster resolver's `resolve` fetches only what verdicts
   * need; manifests have no live pods): a caller that fetched them separately
   * (`ClusterResolver.livePods`, on demand) attaches them to a copy for rendering.
   */
  livePods?: LivePodStatus[];
}

export type ResolveFailureKind =
  | 'not-found'
  | 'unreachable'
  | 'tls'
  | 'unauthorized'
  | 'forbidden'
  | 'timeout'
  | 'server-error'
  | 'exec-failed'
  | 'exec-forbidden'
  | 'bad-kubeconfig'
  | 'disabled'
  | 'cancelled'
  | 'unsupported'
  | 'templated';

/** The workload a missing pod target belonged to (src/core/k8s/podOwner.ts finds it). */
export interface PodOwner {
  kind: 'deployment' | 'rollout' | 'statefulset';
  name: string;
  /** How the owner was found, one clause ("its ReplicaSet api-7c9d8 belongs to Deployment api"). */
  reason: string;
}

export interface ResolveFailure {
  kind: ResolveFailureKind;
  /** A sentence a user can act on. Never contains a credential. */
  message: string;
  /** Closest names of that kind (for not-found). */
  suggestions?: string[];
  /** A pod target not found whose name belongs to a workload (src/core/k8s/podOwner.ts). */
  podOwner?: PodOwner;
  /** Other namespaces holding an object of the target's kind and name (for not-found; a few at most). */
  otherNamespaces?: string[];
}

export type ResolveResult = { ok: true; target: ResolvedTarget } | { ok: false; failure: ResolveFailure };

// ---------------------------------------------------------------------------------------------
// Verdicts, findings, fixes

/**
 * `conditional`: stolen if the local app listens on the probe's port. Given to probes on ports of
 * another container of the pod (a sidecar, a mesh proxy), which the local app rarely opens.
 */
export type Verdict = 'stolen' | 'safe' | 'unknown' | 'conditional';
export type { RuleCode, Severity } from './rules';

export interface ProbeVerdict {
  probe: ProbeInfo;
  /**
   * The workload (or pod) the probe belongs to, e.g. `deployment/api`, `deployment/api (picked by
   * service/api)`, with the manifest file when several candidates share a name (the CLI's
   * `workload` field).
   */
  podDescription: string;
  verdict: Verdict;
  /** One line. */
  reason: string;
  /** For `conditional`: the condition, one sentence ("stolen if your local app listens on :15021: ..."). */
  condition?: string;
  /** The port the verdict is about: the probe's, or for an exec probe the port its command connects to. */
  port?: number;
}

/** A replacement of `[offset, offset + length)` by `newText` in the config text. */
export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

export interface Fix {
  /** What the fix does, in English: also its identity (a fix listed earlier is found again by it). */
  title: string;
  /** The title as a message with `{0}` placeholders, for front ends that translate it. */
  titleMessage?: FixTitleMessage;
  /** The preferred fix is the one an editor applies with "auto fix". */
  isPreferred: boolean;
  edits: TextEdit[];
}

export interface FixTitleMessage {
  message: string;
  args: string[];
}

export interface RelatedLocation {
  message: string;
  /** A manifest file, or undefined for the config itself. */
  file?: string;
  line: number;
}

export interface Finding {
  code: RuleCode;
  severity: Severity;
  message: string;
  span: Span;
  fixes: Fix[];
  related?: RelatedLocation[];
}

// ---------------------------------------------------------------------------------------------
// Regex evaluation is injectable: the CLI and the editor run it under a time budget.

export type RegexOutcome = boolean | 'timeout';

export interface RegexRunner {
  /** Runs `regex.test(input)`; `'timeout'` when it ran out of its time budget. */
  test(regex: RegExp, input: string): RegexOutcome;
  /**
   * Called by analyzeConfig when an analysis (or a fix plan) starts: a runner with a total budget
   * per analysis starts a fresh one here. Optional.
   */
  beginAnalysis?(): void;
}

// ---------------------------------------------------------------------------------------------
// Analysis: what src/core/analyze/analyzeConfig.ts returns to the CLI and the editor.

export interface AnalyzeOptions {
  /** The mirrord version whose rules apply (`3.180.0` switches http_filter.ports to the old rule). Default: current rules. */
  mirrordVersion?: string;
  /** Process environment seen by mirrord: `MIRRORD_*` variables override the file. */
  env?: Record<string, string | undefined>;
  /** Regex evaluation; the CLI and the editor pass a time-budgeted runner. */
  regexRunner?: RegexRunner;
  /** Per finding code: a severity, or `off` to drop the finding. */
  severityOverrides?: Partial<Record<RuleCode, Severity | 'off'>>;
}

/** What the cluster layer needs from the config: read before any lookup, cheap, stable while typing. */
export interface LookupRequest {
  ref: TargetRef;
  /** `target.namespace` in the file, or MIRRORD_TARGET_NAMESPACE. */
  namespace?: string;
  /** The config's `kubeconfig` (or MIRRORD_KUBECONFIG), unexpanded. */
  kubeconfig?: string;
  /** The config's `kube_context` (or MIRRORD_KUBE_CONTEXT). */
  kubeContext?: string;
}

export interface TargetSummary {
  ref?: TargetRef;
  /** A template decides the target: no lookup is possible. */
  templated: boolean;
  /** The node naming the target (for hover and squiggles). */
  span?: Span;
}

export interface Analysis {
  format: ConfigFormat;
  target: TargetSummary;
  /** Undefined when no lookup is possible or needed (targetless, templated, no target, not stealing). */
  lookup?: LookupRequest;
  /** `true` when incoming mode is steal, `'unknown'` when a template decides. */
  steals: boolean | 'unknown';
  /** The incoming mode after the environment's overrides (`steals` tells mirror and off apart only here). */
  incomingMode?: 'steal' | 'mirror' | 'off' | 'unknown';
  /** The `incoming` value (or the `feature`/`network` node standing for it), for squiggles and hover. */
  incomingSpan?: Span;
  probes: ProbeVerdict[];
  findings: Finding[];
  /** Which http_filter.ports rule applied, for messages. */
  filterPortsRule: 'unlisted-ports-stolen-whole' | 'unlisted-ports-not-stolen';
  /** The `MIRRORD_*` variables of `AnalyzeOptions.env` that took effect over the file, in the order mirrord reads them. */
  envOverrides: EnvOverride[];
}

/** One environment variable that replaced a value of the file (src/core/analyze/envOverrides.ts). */
export interface EnvOverride {
  name: string;
  value: string;
  /** What it set, e.g. `incoming mode steal`, `http_filter.header_filter`, `target.path`. */
  effect: string;
}
