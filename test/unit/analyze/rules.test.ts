/**
 * The rule book (docs/semantics.md sections 3 to 5) as a table: each case is a config and
 * manifests as a user writes them, and the verdict every probe must get, with the findings.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeConfig } from '../../../src/core/analyze/analyzeConfig';
import { parseConfig } from '../../../src/core/config/parseConfig';
import type { AnalyzeOptions, ConfigFormat } from '../../../src/core/types';
import { createBudgetedRegexRunner } from '../../../src/runtime/budgetedRegexRunner';
import {
  analyse,
  API_CONTAINER,
  API_MANIFEST,
  deployment,
  findingCodes,
  findingOf,
  jsonConfig,
  livenessOnly,
  spanText,
  verdicts,
  type Analysed,
} from './analyzeSupport';

interface RuleCase {
  name: string;
  config: string;
  format?: ConfigFormat;
  /** Manifests YAML; the default is API_MANIFEST. `null`: analyse without a target. */
  manifests?: string | null;
  options?: AnalyzeOptions;
  /** Exactly these probes with these verdicts (`container/probe`). */
  verdicts?: Record<string, 'stolen' | 'safe' | 'unknown' | 'conditional'>;
  /** Exactly these findings, as sorted `code:severity`. */
  codes?: string[];
  /** code -> the config text the finding's span must cover. */
  spans?: Record<string, string>;
  check?: (result: Analysed) => void;
}

const ALL_STOLEN = { 'app/liveness': 'stolen', 'app/readiness': 'stolen', 'app/startup': 'stolen' } as const;
const ALL_SAFE = { 'app/liveness': 'safe', 'app/readiness': 'safe', 'app/startup': 'safe' } as const;
const ALL_UNKNOWN = { 'app/liveness': 'unknown', 'app/readiness': 'unknown', 'app/startup': 'unknown' } as const;
const STOLEN_CODES = ['liveness-probe-stolen:error', 'readiness-probe-stolen:warning', 'startup-probe-stolen:information'];
const UNKNOWN_CODES = ['probe-verdict-unknown:information', 'probe-verdict-unknown:information'];

const SAFE_FILTER = '^User-Agent: (?!kube-probe)';
/** One liveness probe, GET /healthz on the named port http (8080). */
const HEALTHZ_ON_HTTP = livenessOnly('              path: /healthz\n              port: http\n');
/** One liveness probe whose httpGet.host is `host`. */
const probeOnHost = (host: string) => livenessOnly(`              host: ${host}\n              path: /healthz\n              port: http\n`);
const withFilter = (filter: string, more = '') => jsonConfig(`{"mode": "steal", "http_filter": ${filter}${more}}`);
const headerFilter = (regex: string) => withFilter(JSON.stringify({ header_filter: regex }));

/** A liveness probe with these httpHeaders (YAML list items, indent 16). */
const probeWithHeaders = (headers: string, path = '/healthz') =>
  livenessOnly(`              path: ${path}
              port: http
              httpHeaders:
${headers}`);

const COOKIE_PROBE = probeWithHeaders(`                - name: Cookie
                  value: probe_token=internal
`);
const CUSTOM_AGENT_PROBE = probeWithHeaders(`                - name: User-Agent
                  value: health-checker/2.0
`);
const NO_AGENT_PROBE = probeWithHeaders(`                - name: User-Agent
                  value: ""
`);

const GRPC_MANIFEST = deployment(`        - name: inventory
          image: ghcr.io/example/inventory:3.1.0
          ports:
            - name: grpc
              containerPort: 9090
          livenessProbe:
            grpc:
              port: 9090
          readinessProbe:
            grpc:
              port: 9090
              service: inventory.v1.Stock
          startupProbe:
            grpc:
              port: 9090
            failureThreshold: 30
`);

const SIDECAR_POD = `apiVersion: v1
kind: Pod
metadata:
  name: ledger
  namespace: shop
spec:
  initContainers:
    - name: migrate
      image: ghcr.io/example/ledger-migrate:5.0.1
      command: ["/migrate", "up"]
      readinessProbe:
        httpGet: {path: /never, port: 7000}
    - name: envoy
      image: envoyproxy/envoy:v1.31.2
      restartPolicy: Always
      ports:
        - name: status-port
          containerPort: 15021
      readinessProbe:
        httpGet:
          path: /healthz/ready
          port: status-port
        periodSeconds: 2
  containers:
    - name: ledger
      image: ghcr.io/example/ledger:5.0.1
      ports:
        - name: http
          containerPort: 8080
      livenessProbe:
        tcpSocket:
          port: http
      readinessProbe:
        exec:
          command: ["/ledger", "healthcheck"]
`;
const LEDGER_TARGET = '{"path": "pod/ledger/container/ledger", "namespace": "shop"}';

const HTTPS_MANIFEST = livenessOnly(
  `              path: /healthz
              port: 8443
              scheme: HTTPS
`,
  '            - containerPort: 8443\n',
);

const QUERY_MANIFEST = livenessOnly(`              path: /healthz?verbose=1
              port: http
`);

const PATH_PROBE = (path: string) =>
  livenessOnly(`              path: ${path}
              port: http
`);

const cases: RuleCase[] = [
  // ---- Section 4: the mode ------------------------------------------------------------------
  {
    name: 'incoming "steal" with no filter steals every httpGet probe; the span is the "steal" value',
    config: jsonConfig('"steal"'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
    spans: { 'liveness-probe-stolen': '"steal"', 'readiness-probe-stolen': '"steal"' },
  },
  {
    name: 'without a target: steal with no filter is a static warning on the "steal" value',
    config: jsonConfig('"steal"'),
    manifests: null,
    codes: ['steal-without-filter:warning'],
    spans: { 'steal-without-filter': '"steal"' },
  },
  {
    name: '{"mode": "steal"} object with no filter: the span is the mode value',
    config: jsonConfig('{"mode": "steal", "ignore_localhost": false}'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
    spans: { 'liveness-probe-stolen': '"steal"' },
  },
  { name: '"mirror" copies traffic: every probe safe', config: jsonConfig('"mirror"'), verdicts: ALL_SAFE, codes: [] },
  { name: '"off" does nothing', config: jsonConfig('"off"'), verdicts: ALL_SAFE, codes: [] },
  { name: 'incoming: true means mirror, not steal', config: jsonConfig('true'), verdicts: ALL_SAFE, codes: [] },
  { name: 'incoming: false means off', config: jsonConfig('false'), verdicts: ALL_SAFE, codes: [] },
  { name: 'an incoming object without mode is mirror (the default)', config: jsonConfig('{"ports": [8080]}'), verdicts: ALL_SAFE, codes: [] },
  {
    name: 'feature.network: false turns incoming off',
    config: '{"target": {"path": "deployment/api", "namespace": "shop"}, "feature": {"network": false}}',
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: 'no feature section at all: mirror by default',
    config: '{"target": "deployment/api", "kube_context": "dev"}',
    manifests: API_MANIFEST.replace('\n  namespace: shop', ''),
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: 'an invalid mode is an error and leaves the verdict unknown, never safe',
    config: jsonConfig('"stael"'),
    verdicts: ALL_UNKNOWN,
    codes: ['invalid-mode:error', ...UNKNOWN_CODES].sort(),
    spans: { 'invalid-mode': '"stael"' },
  },
  {
    name: 'YAML: a steal config with the documented filter keeps the probes safe',
    format: 'yaml',
    config: `# steal only what is not the kubelet
target:
  path: deployment/api
  namespace: shop
feature:
  network:
    incoming:
      mode: steal
      http_filter:
        header_filter: "^User-Agent: (?!kube-probe)"
`,
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: 'TOML: incoming = "steal" steals every probe',
    format: 'toml',
    config: `[target]
path = "deployment/api"
namespace = "shop"

[feature.network]
incoming = "steal"
`,
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
    spans: { 'liveness-probe-stolen': '"steal"' },
  },

  // ---- Section 4: ports, ignore_ports, port_mapping ----------------------------------------
  {
    name: 'ports lists the probe port (remote): stolen; the named port "http" resolves to 8080',
    config: jsonConfig('{"mode": "steal", "ports": [8080]}'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
    check: ({ analysis }) => {
      const liveness = analysis.probes.find((p) => p.probe.probe === 'liveness')!;
      assert.equal(liveness.probe.port, 8080);
      assert.equal(liveness.probe.portName, 'http');
    },
  },
  { name: 'ports without the probe port: safe', config: jsonConfig('{"mode": "steal", "ports": [3000]}'), verdicts: ALL_SAFE, codes: [] },
  {
    name: 'ignore_ports lists the probe port: safe',
    config: jsonConfig('{"mode": "steal", "ignore_ports": [8080]}'),
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: 'ignore_ports is the LOCAL port: port_mapping [[9999, 8080]] with ignore_ports [9999] leaves 8080 alone',
    config: jsonConfig('{"mode": "steal", "port_mapping": [[9999, 8080]], "ignore_ports": [9999]}'),
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: 'ignore_ports is the LOCAL port: port_mapping [[9999, 8080]] with ignore_ports [8080] still steals 8080',
    config: jsonConfig('{"mode": "steal", "port_mapping": [[9999, 8080]], "ignore_ports": [8080]}'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
  },
  {
    name: 'ports is the REMOTE port: port_mapping [[9999, 8080]] with ports [8080] steals it',
    config: jsonConfig('{"mode": "steal", "port_mapping": [[9999, 8080]], "ports": [8080]}'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
  },
  {
    name: 'ports and ignore_ports together: a config error on the ignore_ports key',
    config: jsonConfig('{"mode": "steal", "ports": [8080], "ignore_ports": [9100]}'),
    verdicts: ALL_STOLEN,
    codes: ['ports-with-ignore-ports:error', ...STOLEN_CODES].sort(),
    spans: { 'ports-with-ignore-ports': '"ignore_ports"' },
  },
  {
    name: 'a probe port name the container does not declare: unknown, never safe',
    config: jsonConfig('"steal"'),
    manifests: livenessOnly('              path: /healthz\n              port: web\n'),
    verdicts: { 'app/liveness': 'unknown' },
    codes: ['probe-verdict-unknown:information'],
  },

  // ---- Section 3: what the kubelet sends, against filters ----------------------------------
  {
    name: 'the documented filter lets a probe with a Cookie header through',
    config: headerFilter(SAFE_FILTER),
    manifests: COOKIE_PROBE,
    verdicts: { 'app/liveness': 'safe' },
    codes: [],
  },
  {
    name: "a filter on the probe's own Cookie header selects it",
    config: headerFilter('^cookie: .*probe_token='),
    manifests: COOKIE_PROBE,
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
    spans: { 'liveness-probe-stolen': '"^cookie: .*probe_token="' },
  },
  {
    name: 'a custom User-Agent defeats the documented filter: stolen, the span is the regex',
    config: headerFilter(SAFE_FILTER),
    manifests: CUSTOM_AGENT_PROBE,
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
    spans: { 'liveness-probe-stolen': JSON.stringify(SAFE_FILTER) },
  },
  {
    name: 'an EMPTY User-Agent removes the header: the documented filter matches no line, safe',
    config: headerFilter(SAFE_FILTER),
    manifests: NO_AGENT_PROBE,
    verdicts: { 'app/liveness': 'safe' },
    codes: [],
    check: ({ analysis }) => {
      const headers = analysis.probes[0].probe.request!.headers.map((h) => h.name);
      assert.ok(!headers.includes('user-agent'), `no user-agent header: ${headers}`);
    },
  },
  {
    name: 'an EMPTY User-Agent: a filter on "accept" still takes the probe',
    config: headerFilter('^accept: \\*/\\*'),
    manifests: NO_AGENT_PROBE,
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
  },
  {
    name: 'an Accept override replaces the default */*',
    config: headerFilter('^accept: \\*/\\*$'),
    manifests: probeWithHeaders(`                - name: Accept
                  value: application/json
`),
    verdicts: { 'app/liveness': 'safe' },
    codes: [],
  },
  {
    name: 'a Host entry sets the Host header the filter sees',
    config: headerFilter('^host: api\\.internal$'),
    manifests: probeWithHeaders(`                - name: Host
                  value: api.internal
`),
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
  },
  {
    name: 'header regexes are case-insensitive ((?i) in front)',
    config: headerFilter('^USER-AGENT: KUBE-PROBE/'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
  },
  {
    name: 'path filter ^(?!/health) against /_healthz: stolen',
    config: withFilter('{"path_filter": "^(?!/health)"}'),
    manifests: PATH_PROBE('/_healthz'),
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
    spans: { 'liveness-probe-stolen': '"^(?!/health)"' },
  },
  {
    name: 'path filter ^(?!/health) against /healthz: safe',
    config: withFilter('{"path_filter": "^(?!/health)"}'),
    manifests: PATH_PROBE('/healthz'),
    verdicts: { 'app/liveness': 'safe' },
    codes: [],
  },
  {
    name: 'a path without a leading slash is sent with one',
    config: withFilter('{"path_filter": "^/healthz$"}'),
    manifests: PATH_PROBE('healthz'),
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
  },
  {
    name: 'path filter against path plus query: "verbose=1" only in the query still matches',
    config: withFilter('{"path_filter": "verbose=1"}'),
    manifests: QUERY_MANIFEST,
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
  },
  {
    name: 'path filter against the path alone: "^/healthz$" matches /healthz?verbose=1',
    config: withFilter('{"path_filter": "^/healthz$"}'),
    manifests: QUERY_MANIFEST,
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
  },
  {
    name: 'path filter matching neither path nor path+query: safe',
    config: withFilter('{"path_filter": "^/api/"}'),
    manifests: QUERY_MANIFEST,
    verdicts: { 'app/liveness': 'safe' },
    codes: [],
  },
  {
    name: 'method_filter GET takes httpGet probes',
    config: withFilter('{"method_filter": "get"}'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
  },
  {
    name: 'method_filter POST leaves httpGet probes alone',
    config: withFilter('{"method_filter": "POST"}'),
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: 'HTTPS probe under a filter, no TLS stealing set up: the agent passes TLS through to the pod (safe)',
    config: headerFilter(SAFE_FILTER),
    manifests: HTTPS_MANIFEST,
    verdicts: { 'app/liveness': 'safe' },
    codes: [],
    check: ({ analysis }) => assert.match(analysis.probes[0].reason, /passes TLS connections through/),
  },
  {
    name: 'HTTPS probe under the backwards filter, no TLS stealing: safe all the same (the filter never sees it)',
    config: headerFilter('User-Agent: kube-probe'),
    manifests: HTTPS_MANIFEST,
    verdicts: { 'app/liveness': 'safe' },
    codes: [],
  },
  {
    name: 'HTTPS probe, tls_delivery set: the agent decrypts and the backwards filter steals it',
    config: withFilter('{"header_filter": "User-Agent: kube-probe"}', ', "tls_delivery": {"protocol": "tcp"}'),
    manifests: HTTPS_MANIFEST,
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
    check: ({ analysis }) => assert.match(analysis.probes[0].reason, /decrypts/),
  },
  {
    name: 'HTTPS probe, https_delivery set: the kube-probe recipe leaves it alone (safe, judged like plain HTTP)',
    config: withFilter(JSON.stringify({ header_filter: SAFE_FILTER }), ', "https_delivery": {"protocol": "tls"}'),
    manifests: HTTPS_MANIFEST,
    verdicts: { 'app/liveness': 'safe' },
    codes: [],
    check: ({ analysis }) => assert.match(analysis.probes[0].reason, /^the filter lets it through to the pod \(TLS is stolen/),
  },
  {
    name: 'HTTPS probe on a port outside http_filter.ports: stolen whole',
    config: withFilter(JSON.stringify({ header_filter: SAFE_FILTER, ports: [8080] })),
    manifests: HTTPS_MANIFEST,
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
  },
  {
    name: 'HTTPS probe, a templated tls_delivery: unknown',
    config: withFilter(JSON.stringify({ header_filter: 'User-Agent: kube-probe' }), ', "tls_delivery": {{ get_env(name="TLS") }}'),
    manifests: HTTPS_MANIFEST,
    verdicts: { 'app/liveness': 'unknown' },
    codes: ['probe-verdict-unknown:information'],
  },
  {
    name: 'HTTPS probe with no filter: the connection is stolen whole',
    config: jsonConfig('"steal"'),
    manifests: HTTPS_MANIFEST,
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
  },

  // ---- gRPC probes ---------------------------------------------------------------------------
  {
    name: 'gRPC: steal with no filter takes all three; startup is information',
    config: jsonConfig('"steal"'),
    manifests: GRPC_MANIFEST,
    verdicts: { 'inventory/liveness': 'stolen', 'inventory/readiness': 'stolen', 'inventory/startup': 'stolen' },
    codes: STOLEN_CODES,
  },
  {
    name: 'gRPC: an unanchored path filter /(Check|Reserve)$ matches /grpc.health.v1.Health/Check',
    format: 'toml',
    config: `# Steal the Stock service's Check and Reserve calls
[target]
path = "deployment/api"
namespace = "shop"

[feature.network.incoming]
mode = "steal"

[feature.network.incoming.http_filter]
path_filter = "/(Check|Reserve)$"
`,
    manifests: GRPC_MANIFEST,
    verdicts: { 'inventory/liveness': 'stolen', 'inventory/readiness': 'stolen', 'inventory/startup': 'stolen' },
    codes: STOLEN_CODES,
    spans: { 'liveness-probe-stolen': '"/(Check|Reserve)$"' },
  },
  {
    name: 'gRPC: the documented User-Agent filter recognises "kube-probe/1.30 grpc-go/..."',
    config: headerFilter(SAFE_FILTER),
    manifests: GRPC_MANIFEST,
    verdicts: { 'inventory/liveness': 'safe', 'inventory/readiness': 'safe', 'inventory/startup': 'safe' },
    codes: [],
  },
  {
    name: 'gRPC: method_filter POST takes the health checks',
    config: withFilter('{"method_filter": "POST"}'),
    manifests: GRPC_MANIFEST,
    verdicts: { 'inventory/liveness': 'stolen', 'inventory/readiness': 'stolen', 'inventory/startup': 'stolen' },
    codes: STOLEN_CODES,
  },
  {
    name: 'gRPC: a content-type filter takes the health checks',
    config: headerFilter('^content-type: application/grpc'),
    manifests: GRPC_MANIFEST,
    verdicts: { 'inventory/liveness': 'stolen', 'inventory/readiness': 'stolen', 'inventory/startup': 'stolen' },
    codes: STOLEN_CODES,
  },

  // ---- tcpSocket, exec, native sidecars ------------------------------------------------------
  {
    name: "tcpSocket probe safe; an exec probe running an unknown program is unknown; the native sidecar's probe on 15021 (stolen whole, not in http_filter.ports) is conditional",
    format: 'yaml',
    config: `target:
  path:
    pod: ledger
    container: ledger
  namespace: shop
feature:
  network:
    incoming:
      mode: steal
      http_filter:
        header_filter: "^x-debug-user: alice$"
        ports: [8080]
`,
    manifests: SIDECAR_POD,
    verdicts: { 'ledger/liveness': 'safe', 'ledger/readiness': 'unknown', 'envoy/readiness': 'conditional' },
    codes: ['probe-verdict-unknown:information', 'sidecar-probe-conditional:information'],
    spans: { 'sidecar-probe-conditional': '[8080]' },
    check: ({ analysis }) => {
      const envoy = analysis.probes.find((p) => p.probe.container === 'envoy')!;
      assert.equal(envoy.probe.containerRole, 'sidecar');
      assert.equal(envoy.probe.port, 15021);
      assert.equal(
        envoy.condition,
        'stolen if your local app listens on :15021: the containers of a pod share one network, and :15021 is container "envoy"\'s port.',
      );
      assert.match(findingOf(analysis, 'sidecar-probe-conditional').message, /3\.181/);
      assert.match(
        analysis.probes.find((p) => p.probe.container === 'ledger' && p.probe.probe === 'readiness')!.reason,
        /cannot tell whether `\/ledger healthcheck` connects/,
      );
      assert.ok(!analysis.probes.some((p) => p.probe.container === 'migrate'), 'an ordinary init container has no probes that matter');
    },
  },
  {
    name: 'tcpSocket and a readable file-check exec probe, steal with no filter: nothing at risk, no findings',
    config: jsonConfig('"steal"', '', LEDGER_TARGET),
    manifests: SIDECAR_POD.replace(/ {4}- name: envoy[\s\S]*?periodSeconds: 2\n/, '').replace('["/ledger", "healthcheck"]', '["cat", "/tmp/ready"]'),
    verdicts: { 'ledger/liveness': 'safe', 'ledger/readiness': 'safe' },
    codes: [],
  },
  {
    name: "a sidecar's probe on its own port is conditional (steal, no filter): stolen only if the local app listens there",
    config: jsonConfig('"steal"', '', LEDGER_TARGET),
    manifests: SIDECAR_POD,
    verdicts: { 'ledger/liveness': 'safe', 'ledger/readiness': 'unknown', 'envoy/readiness': 'conditional' },
    codes: ['probe-verdict-unknown:information', 'sidecar-probe-conditional:information'],
  },

  // ---- Section 4: the worked verdicts table ---------------------------------------------------
  {
    name: 'table: "User-Agent: kube-probe" selects exactly the probes',
    config: headerFilter('User-Agent: kube-probe'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
    spans: { 'liveness-probe-stolen': '"User-Agent: kube-probe"' },
  },
  {
    name: 'table: "User-Agent: kube-probe" without a target is a static warning on the regex',
    config: headerFilter('User-Agent: kube-probe'),
    manifests: null,
    codes: ['filter-selects-probes:warning'],
    spans: { 'filter-selects-probes': '"User-Agent: kube-probe"' },
  },
  {
    name: 'without a target, a path filter is judged against a typical probe, and the message says the probe is a typical one',
    config: withFilter('{"path_filter": "^(?!/health/)"}'),
    manifests: null,
    codes: ['filter-selects-probes:warning'],
    check: ({ analysis }) =>
      assert.match(
        findingOf(analysis, 'filter-selects-probes').message,
        /^This filter matches a typical kubelet probe \(GET \/healthz .*not known yet\): path filter/,
      ),
  },
  { name: 'table: "^User-Agent: (?!kube-probe)" leaves the probes alone', config: headerFilter(SAFE_FILTER), verdicts: ALL_SAFE, codes: [] },
  {
    name: 'table: the documented filter without a target: no finding',
    config: headerFilter(SAFE_FILTER),
    manifests: null,
    codes: [],
  },
  {
    name: 'table: "^(?!.*kube-probe)" matches the accept: */* line',
    config: headerFilter('^(?!.*kube-probe)'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
  },
  {
    name: 'table: "^baggage: .*mirrord-session=abc": probes never carry it',
    config: headerFilter('^baggage: .*mirrord-session=abc'),
    verdicts: ALL_SAFE,
    codes: [],
  },
  { name: 'table: ".*" takes everything', config: headerFilter('.*'), verdicts: ALL_STOLEN, codes: STOLEN_CODES },

  // ---- all_of / any_of and opaque filters -----------------------------------------------------
  {
    name: 'all_of with a jq member and a member that fails: safe (all must match)',
    config: withFilter(`{"all_of": [{"header": "${SAFE_FILTER}"}, {"query": ".user == \\"alice\\""}]}`),
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: 'all_of with a jq member and a member that matches: unknown',
    config: withFilter('{"all_of": [{"path": "^/"}, {"query": ".user"}]}'),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
  },
  {
    name: 'any_of with a body member and a member that matches: stolen',
    config: withFilter('{"any_of": [{"path": "^/(healthz|ready)"}, {"body": "json", "query": "$.user", "matches": "alice"}]}'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
    spans: { 'liveness-probe-stolen': '[{"path": "^/(healthz|ready)"}, {"body": "json", "query": "$.user", "matches": "alice"}]' },
  },
  {
    name: 'any_of with a body member and a member that fails: unknown, never safe',
    config: withFilter('{"any_of": [{"path": "^/api/"}, {"body": "json", "query": "$.user", "matches": "alice"}]}'),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
  },
  {
    name: 'all_of of two matching members: stolen',
    config: withFilter('{"all_of": [{"method": "GET"}, {"header": "^user-agent: kube-probe/"}]}'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
  },
  {
    name: 'header_filter_jq alone: cannot tell',
    config: withFilter('{"header_filter_jq": ".\\"x-user\\" == \\"alice\\""}'),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
  },
  {
    name: 'body_filter alone: cannot tell',
    config: withFilter('{"body_filter": {"body": "json", "query": "$.a", "matches": "b"}}'),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
  },
  {
    name: 'an empty method in all_of is an error, and never makes a probe safe',
    config: withFilter('{"all_of": [{"path": "^/"}, {"method": ""}]}'),
    check: ({ analysis, parsed }) => {
      const finding = findingOf(analysis, 'invalid-filter');
      assert.equal(finding.severity, 'error');
      assert.equal(spanText(parsed, finding), '""');
      for (const v of analysis.probes) assert.notEqual(v.verdict, 'safe');
    },
  },
  {
    name: 'an empty all_of is an error',
    config: withFilter('{"all_of": []}'),
    check: ({ analysis }) => {
      assert.ok(findingCodes(analysis).includes('empty-filter-list:error'));
      for (const v of analysis.probes) assert.notEqual(v.verdict, 'safe');
    },
  },

  // ---- http_filter.ports: 3.181+ and before ---------------------------------------------------
  {
    name: '3.181+: a probe port outside http_filter.ports is stolen whole; span is the ports list',
    config: withFilter(`{"header_filter": "${SAFE_FILTER}", "ports": [9100]}`),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
    spans: { 'liveness-probe-stolen': '[9100]', 'readiness-probe-stolen': '[9100]' },
    check: ({ analysis }) => {
      assert.equal(analysis.filterPortsRule, 'unlisted-ports-stolen-whole');
      assert.match(findingOf(analysis, 'liveness-probe-stolen').message, /3\.181 and later/);
    },
  },
  {
    name: '3.181+: the probe port inside http_filter.ports: the filter decides (safe)',
    config: withFilter(`{"header_filter": "${SAFE_FILTER}", "ports": [8080, 9100]}`),
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: 'mirrord 3.150.0: a port outside http_filter.ports is not stolen',
    config: withFilter('{"header_filter": ".*", "ports": [9100]}'),
    options: { mirrordVersion: '3.150.0' },
    verdicts: ALL_SAFE,
    codes: [],
    check: ({ analysis }) => assert.equal(analysis.filterPortsRule, 'unlisted-ports-not-stolen'),
  },
  {
    name: 'mirrord 3.150.0: the default http_filter.ports is [80, 8080], so 8080 is filtered',
    config: headerFilter('.*'),
    options: { mirrordVersion: '3.150.0' },
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
  },
  {
    name: 'mirrord 3.150.0: the default [80, 8080] leaves a probe on 3000 alone',
    config: headerFilter('.*'),
    manifests: livenessOnly('              path: /healthz\n              port: 3000\n', '            - containerPort: 3000\n'),
    options: { mirrordVersion: '3.150.0' },
    verdicts: { 'app/liveness': 'safe' },
    codes: [],
  },
  {
    name: 'current rules: no http_filter.ports means every port is filtered (a probe on 3000 matched by ".*")',
    config: headerFilter('.*'),
    manifests: livenessOnly('              path: /healthz\n              port: 3000\n', '            - containerPort: 3000\n'),
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
  },

  // ---- copy_target ------------------------------------------------------------------------------
  {
    name: 'copy_target: true runs on a copy with no probes: nothing at risk',
    config: jsonConfig('"steal"', '\n    "copy_target": true,'),
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: 'copy_target: {"scale_down": true} (enabled not false) is on',
    config: jsonConfig('"steal"', '\n    "copy_target": {"scale_down": true},'),
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: 'copy_target: {"enabled": false} is off: the probes are stolen',
    config: jsonConfig('"steal"', '\n    "copy_target": {"enabled": false},'),
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
  },
  {
    name: 'copy_target with a rollout target is allowed (mirrord supports it): no error, nothing at risk',
    config: jsonConfig('"steal"', '\n    "copy_target": true,', '"rollout/api"'),
    manifests: null,
    codes: [],
  },
  {
    name: 'copy_target with a service target is an error',
    config: jsonConfig('"steal"', '\n    "copy_target": true,', '"service/api"'),
    manifests: null,
    codes: ['copy-target-unsupported:error'],
  },
  {
    name: 'copy_target with a label target is an error',
    config: jsonConfig('"steal"', '\n    "copy_target": true,', '"label/app=api"'),
    manifests: null,
    codes: ['copy-target-unsupported:error'],
  },

  // ---- Templates --------------------------------------------------------------------------------
  {
    name: 'a templated incoming mode: unknown, never safe',
    config: jsonConfig('{"mode": {{ get_env(name="MODE", default="steal") }}}'),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
    check: ({ analysis }) => assert.equal(analysis.steals, 'unknown'),
  },
  {
    name: 'a templated incoming value: unknown',
    config: jsonConfig('{{ get_env(name="INCOMING") }}'),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
  },
  {
    name: 'a templated port in ports: unknown for a port not otherwise listed',
    config: jsonConfig('{"mode": "steal", "ports": [{{ get_env(name="PORT", default="8080") }}]}'),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
  },
  {
    name: 'a templated ignore_ports: unknown',
    config: jsonConfig('{"mode": "steal", "ignore_ports": [{{ get_env(name="PORT") }}]}'),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
  },
  {
    name: 'a templated header_filter: unknown',
    config: withFilter('{"header_filter": "{{ get_env(name=\\"FILTER\\") }}"}'),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
  },
  {
    name: 'a templated http_filter.ports: unknown',
    config: withFilter(`{"header_filter": ".*", "ports": [{{ get_env(name="P") }}]}`),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
  },

  // ---- Environment overrides -------------------------------------------------------------------
  {
    name: 'MIRRORD_AGENT_TCP_STEAL_TRAFFIC=true turns a mirror config into steal',
    config: jsonConfig('"mirror"'),
    options: { env: { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'true' } },
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
  },
  {
    name: 'MIRRORD_AGENT_TCP_STEAL_TRAFFIC=false turns a steal config into a mode that does not steal',
    config: jsonConfig('"steal"'),
    options: { env: { MIRRORD_AGENT_TCP_STEAL_TRAFFIC: 'false' } },
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: 'MIRRORD_HTTP_HEADER_FILTER with the documented recipe protects a steal config',
    config: jsonConfig('"steal"'),
    options: { env: { MIRRORD_HTTP_HEADER_FILTER: SAFE_FILTER } },
    verdicts: ALL_SAFE,
    codes: [],
  },
  {
    name: "MIRRORD_HTTP_HEADER_FILTER overrides the file's filter",
    config: headerFilter(SAFE_FILTER),
    options: { env: { MIRRORD_HTTP_HEADER_FILTER: 'kube-probe' } },
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
  },
  {
    name: 'MIRRORD_HTTP_PATH_FILTER overrides the file',
    config: jsonConfig('"steal"'),
    options: { env: { MIRRORD_HTTP_PATH_FILTER: '^/ready' } },
    verdicts: { 'app/liveness': 'safe', 'app/readiness': 'stolen', 'app/startup': 'safe' },
    codes: ['readiness-probe-stolen:warning'],
  },
  {
    name: "MIRRORD_IMPERSONATED_TARGET replaces the file's target",
    config: jsonConfig('"steal"', '', '{"path": "deployment/elsewhere", "namespace": "shop"}'),
    options: { env: { MIRRORD_IMPERSONATED_TARGET: 'deployment/api' } },
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
    check: ({ analysis }) => {
      assert.equal(analysis.lookup?.ref.kind, 'deployment');
      assert.equal(analysis.lookup?.ref.name, 'api');
      assert.equal(analysis.lookup?.namespace, 'shop');
    },
  },

  // ---- Section 2: which pod ------------------------------------------------------------------
  {
    name: 'a service target: the probes of the pods its selector picks',
    config: jsonConfig('"steal"', '', '{"path": "service/api", "namespace": "shop"}'),
    manifests: `${API_MANIFEST}---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector:
    app: api
  ports:
    - port: 80
      targetPort: http
`,
    verdicts: ALL_STOLEN,
    codes: STOLEN_CODES,
  },

  // ---- Config errors -----------------------------------------------------------------------------
  {
    name: 'targetless with steal is an error',
    config: '{"target": "targetless", "feature": {"network": {"incoming": "steal"}}}',
    manifests: null,
    codes: ['targetless-steal:error'],
    spans: { 'targetless-steal': '"steal"' },
  },
  {
    name: 'two filter kinds is an error on the second key',
    config: withFilter(`{"header_filter": "${SAFE_FILTER}", "path_filter": "^/api"}`),
    check: ({ analysis, parsed }) => {
      const finding = findingOf(analysis, 'multiple-filters');
      assert.equal(finding.severity, 'error');
      assert.equal(spanText(parsed, finding), '"path_filter"');
      assert.match(finding.message, /any_of or all_of/);
    },
  },
  {
    name: 'an empty header_filter is an error on the value',
    config: headerFilter(''),
    check: ({ analysis, parsed }) => {
      const finding = findingOf(analysis, 'empty-regex');
      assert.equal(finding.severity, 'error');
      assert.equal(spanText(parsed, finding), '""');
    },
  },
  {
    name: 'an invalid regex is an error whose message carries the regex error, on the regex',
    config: headerFilter('^x-user: (alice'),
    check: ({ analysis, parsed }) => {
      const finding = findingOf(analysis, 'invalid-regex');
      assert.equal(finding.severity, 'error');
      assert.equal(spanText(parsed, finding), '"^x-user: (alice"');
      assert.match(finding.message, /Invalid regex in header_filter: .*(paren|group|\(|closing|unclosed)/i);
      for (const v of analysis.probes) assert.notEqual(v.verdict, 'safe', 'an invalid regex never makes a probe safe');
    },
  },
  {
    name: 'an unknown key in incoming is an error on the key',
    config: jsonConfig('{"mode": "steal", "http_filter": {"header_filter": "^User-Agent: (?!kube-probe)"}, "port_mappings": [[1, 2]]}'),
    verdicts: ALL_SAFE,
    codes: ['unknown-key:error'],
    spans: { 'unknown-key': '"port_mappings"' },
  },
  {
    name: 'an unknown key in http_filter is an error on the key',
    config: withFilter(`{"header_filter": "${SAFE_FILTER}", "headers_filter": "x"}`),
    verdicts: ALL_SAFE,
    codes: ['unknown-key:error'],
    spans: { 'unknown-key': '"headers_filter"' },
  },
  {
    name: 'a "$schema" key is an error',
    config: `{
  "$schema": "https://example.com/mirrord.schema.json",
  "target": {"path": "deployment/api", "namespace": "shop"},
  "feature": {"network": {"incoming": "mirror"}}
}`,
    verdicts: ALL_SAFE,
    codes: ['schema-key:error'],
    spans: { 'schema-key': '"$schema"' },
  },
  {
    name: 'section 3: the kubelet sends Host: <pod IP>:<port>, so a filter that steals "every host but one" steals the probe',
    config: headerFilter('^Host: (?!api\\.example\\.com)'),
    manifests: HEALTHZ_ON_HTTP,
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
    check: ({ analysis }) => assert.match(analysis.probes[0].reason, /host: <pod IP>:8080/),
  },
  {
    name: "section 3: a Host filter whose answer depends on the pod's IP is unknown, never safe",
    config: headerFilter('^host: 10\\.'),
    manifests: HEALTHZ_ON_HTTP,
    verdicts: { 'app/liveness': 'unknown' },
    codes: ['probe-verdict-unknown:information'],
  },
  {
    name: "section 3: httpGet.host on loopback: the kubelet calls its node's loopback, never the pod",
    config: jsonConfig('"steal"'),
    manifests: probeOnHost('127.0.0.1'),
    verdicts: { 'app/liveness': 'safe' },
    codes: [],
    check: ({ analysis }) => assert.match(analysis.probes[0].reason, /node's own loopback/),
  },
  {
    name: 'section 3: httpGet.host names another address: stolen only if it is the pod, so unknown, never safe',
    config: jsonConfig('"steal"'),
    manifests: probeOnHost('10.0.12.7'),
    verdicts: { 'app/liveness': 'unknown' },
    codes: ['probe-verdict-unknown:information'],
  },
  {
    name: "section 3: a hostNetwork pod's httpGet.host on loopback is the pod's own network: stolen",
    config: jsonConfig('"steal"'),
    manifests: probeOnHost('127.0.0.1').replace('      containers:', '      hostNetwork: true\n      containers:'),
    verdicts: { 'app/liveness': 'stolen' },
    codes: ['liveness-probe-stolen:error'],
  },
  {
    name: 'section 3: a Host filter for a public name leaves the probe (Host is the pod IP) to the pod',
    config: headerFilter('^host: api\\.example\\.com'),
    manifests: HEALTHZ_ON_HTTP,
    verdicts: { 'app/liveness': 'safe' },
    codes: [],
  },
  {
    name: "section 3: a filter on the kubelet's version (kube-probe/1.30 here, another in the cluster) has no answer yet: unknown, never safe",
    config: headerFilter('^User-Agent: (?!kube-probe/1\\.30)'),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
    check: ({ analysis }) => assert.match(analysis.probes[0].reason, /Kubernetes version/),
  },
  {
    name: 'section 3: a filter for older kubelets (kube-probe/1.2x) may steal the probes: unknown, never safe',
    config: headerFilter('^User-Agent: kube-probe/1\\.2'),
    verdicts: ALL_UNKNOWN,
    codes: UNKNOWN_CODES,
  },
  {
    name: 'section 3: gRPC: a filter on the grpc-go version of the kubelet is unknown',
    config: headerFilter('grpc-go/1\\.65'),
    manifests: GRPC_MANIFEST,
    verdicts: { 'inventory/liveness': 'unknown', 'inventory/readiness': 'unknown', 'inventory/startup': 'unknown' },
    codes: UNKNOWN_CODES,
  },
];

describe('probe semantics rules (table)', () => {
  for (const c of cases) {
    test(c.name, () => {
      const manifests = c.manifests === null ? undefined : (c.manifests ?? API_MANIFEST);
      const result = analyse(c.config, c.format ?? 'json', manifests, c.options);
      const { analysis, parsed } = result;
      assert.deepEqual(parsed.problems, [], 'the config parses cleanly');
      if (manifests !== undefined) assert.ok(result.resolution?.ok, `target resolves: ${JSON.stringify(result.resolution)}`);
      if (c.verdicts) {
        assert.deepEqual(verdicts(analysis), c.verdicts, analysis.probes.map((p) => `${p.probe.container}/${p.probe.probe}: ${p.reason}`).join('\n'));
      }
      if (c.codes) assert.deepEqual(findingCodes(analysis), [...c.codes].sort(), analysis.findings.map((f) => f.message).join('\n'));
      for (const [code, text] of Object.entries(c.spans ?? {})) {
        for (const finding of analysis.findings.filter((f) => f.code === code)) assert.equal(spanText(parsed, finding), text, `span of ${code}`);
        findingOf(analysis, code);
      }
      // Whatever the case, the rule book's invariants.
      for (const v of analysis.probes) {
        // An exec probe is safe only when every part of its command was read.
        if (v.probe.handler === 'exec' && v.verdict === 'safe') assert.deepEqual(v.probe.exec?.unreadable, [], v.reason);
      }
      for (const f of analysis.findings) {
        assert.ok(f.span.start >= 0 && f.span.end <= parsed.text.length && f.span.start <= f.span.end, `span of ${f.code} in range`);
      }
      c.check?.(result);
    });
  }
});

describe('section 3: timing in the messages', () => {
  test('a stolen probe gives the breakpoint window: (failureThreshold-1) x period + timeout to failureThreshold x period + timeout', () => {
    const manifest = deployment(
      API_CONTAINER.replace(
        'periodSeconds: 10\n            failureThreshold: 3',
        'periodSeconds: 5\n            failureThreshold: 4\n            timeoutSeconds: 2',
      ),
    );
    const { analysis } = analyse(jsonConfig('"steal"'), 'json', manifest);
    assert.match(
      findingOf(analysis, 'liveness-probe-stolen').message,
      /restarts the remote container between 17 and 22 s after the local app stops answering \(safe hold time 17 s: \(4-1\) × 5 s \+ 2 s\)/,
    );
    assert.match(findingOf(analysis, 'readiness-probe-stolen').message, /between 21 and 31 s .*safe hold time 21 s/);
    for (const f of analysis.findings) assert.doesNotMatch(f.message, /about 30 s/);
  });

  test('steal with no filter and no target: the static warning gives the default window, not "30 s"', () => {
    const { analysis } = analyse(jsonConfig('"steal"'), 'json');
    assert.match(findingOf(analysis, 'steal-without-filter').message, /21 to 31 s/);
  });
});

describe('regex time budget', () => {
  test('a hostile regex against a long header value is unknown with the budgeted runner, never safe', () => {
    const manifest = probeWithHeaders(`                - name: X-Pad
                  value: "${'a'.repeat(34)}!"
`);
    const runner = createBudgetedRegexRunner({ budgetMs: 50 });
    const started = Date.now();
    const { analysis } = analyse(headerFilter('^x-pad: (a+)+$'), 'json', manifest, { regexRunner: runner });
    const elapsed = Date.now() - started;
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'unknown' }, analysis.probes[0]?.reason);
    assert.match(analysis.probes[0].reason, /too long/);
    assert.ok(elapsed < 5000, `took ${elapsed} ms`);
  });
});

describe('spans over the YAML and TOML sources', () => {
  test('YAML: a stolen finding points at the plain "steal" scalar', () => {
    const text = `target: {path: deployment/api, namespace: shop}
feature:
  network:
    incoming: steal   # no filter yet
`;
    const { analysis, parsed } = analyse(text, 'yaml', API_MANIFEST);
    assert.equal(spanText(parsed, findingOf(analysis, 'liveness-probe-stolen')), 'steal');
  });

  test('YAML: a port-outside-ports finding points at the flow list', () => {
    const text = `target: {path: deployment/api, namespace: shop}
feature:
  network:
    incoming:
      mode: steal
      http_filter:
        header_filter: "^User-Agent: (?!kube-probe)"
        ports: [9100, 9200]
`;
    const { analysis, parsed } = analyse(text, 'yaml', API_MANIFEST);
    assert.equal(spanText(parsed, findingOf(analysis, 'liveness-probe-stolen')), '[9100, 9200]');
  });

  test('static analysis and analysis with a target agree that a parse of the same text is stable', () => {
    const parsed = parseConfig(jsonConfig('"steal"'), 'json');
    const a = analyzeConfig(parsed);
    const b = analyzeConfig(parsed);
    assert.deepEqual(findingCodes(a), findingCodes(b));
  });
});
