import { parseTargetPath } from '../target/targetPath';
import type { EnvOverride, Span, TargetSummary } from '../types';
import type { HttpFilterSpec } from '../filter/httpFilter';
import { EXCLUSIVE_FILTER_KEYS, type ConfigProblem, type NetworkSettings } from './readNetworkSettings';

/**
 * The `MIRRORD_*` variables that change what a session steals, applied over the file as mirrord
 * 3.250 applies them (docs/semantics.md section 1). mirrord reads each through `FromEnv::new(NAME)
 * .or(file value)`: a variable that is set (even to "") replaces that one field of the file and
 * nothing else, and a value that does not parse stops mirrord before the session starts
 * (`ConfigError::InvalidValue`). Sources: metalbear-co/mirrord:mirrord/config/src/feature/network/incoming.rs
 * (mode), .../incoming/http_filter.rs (filters, ports), mirrord/config/src/target.rs (target,
 * namespace), mirrord/config/src/lib.rs (kubeconfig, kube_context, the multiple-filter check),
 * mirrord/config/src/util.rs (`VecOrSingle::from_str` splits on `;`).
 */
export const MIRRORD_ENV_VARIABLES = [
  'MIRRORD_AGENT_TCP_STEAL_TRAFFIC',
  'MIRRORD_HTTP_HEADER_FILTER',
  'MIRRORD_HTTP_PATH_FILTER',
  'MIRRORD_HTTP_METHOD_FILTER',
  'MIRRORD_HTTP_HEADER_FILTER_JQ',
  'MIRRORD_HTTP_FILTER_PORTS',
  'MIRRORD_IMPERSONATED_TARGET',
  'MIRRORD_TARGET_NAMESPACE',
  'MIRRORD_KUBECONFIG',
  'MIRRORD_KUBE_CONTEXT',
] as const;

type Env = Record<string, string | undefined>;

/** The environment has no span in the file: its problems point at the file's start. */
const ENV_SPAN: Span = { start: 0, end: 0 };

/** `http_filter` keys each filter variable replaces, and what mirrord does with the value. */
const FILTER_VARIABLES: { name: string; key: string; spec: (value: string) => HttpFilterSpec }[] = [
  { name: 'MIRRORD_HTTP_HEADER_FILTER', key: 'header_filter', spec: (pattern) => ({ kind: 'header', pattern }) },
  { name: 'MIRRORD_HTTP_PATH_FILTER', key: 'path_filter', spec: (pattern) => ({ kind: 'path', pattern }) },
  { name: 'MIRRORD_HTTP_METHOD_FILTER', key: 'method_filter', spec: (method) => ({ kind: 'method', method: method.trim() }) },
  { name: 'MIRRORD_HTTP_HEADER_FILTER_JQ', key: 'header_filter_jq', spec: () => ({ kind: 'opaque', what: 'header_filter_jq (a jq program)' }) },
];

/** `IncomingMode::from_str`: Rust's `bool` parse (exactly "true"/"false"), then the lowercase names. */
function modeFromEnv(value: string): NetworkSettings['mode'] | undefined {
  switch (value) {
    case 'true':
    case 'steal':
      return 'steal';
    case 'false':
    case 'off':
      return 'off';
    case 'mirror':
      return 'mirror';
    default:
      return undefined;
  }
}

function refused(name: string, value: string, code: ConfigProblem['code'], why: string): ConfigProblem {
  return { code, message: `${name}=${JSON.stringify(value)} in the environment: ${why}; mirrord refuses to start with it.`, span: ENV_SPAN, severity: 'error' };
}

/** The incoming mode, the filters and `http_filter.ports` from the environment, over the file's. */
export function applyNetworkEnv(env: Env, settings: NetworkSettings, applied: EnvOverride[]): void {
  const mode = env.MIRRORD_AGENT_TCP_STEAL_TRAFFIC;
  if (mode !== undefined) {
    const parsed = modeFromEnv(mode);
    if (parsed) {
      settings.mode = parsed;
      settings.modeFromEnv = 'MIRRORD_AGENT_TCP_STEAL_TRAFFIC';
      applied.push({ name: 'MIRRORD_AGENT_TCP_STEAL_TRAFFIC', value: mode, effect: `incoming mode ${parsed}` });
    } else {
      settings.problems.push(refused('MIRRORD_AGENT_TCP_STEAL_TRAFFIC', mode, 'invalid-mode', 'the incoming mode must be true, false, steal, mirror or off'));
    }
  }

  const reading = settings.httpFilter;
  const fromEnv: string[] = [];
  for (const variable of FILTER_VARIABLES) {
    const value = env[variable.name];
    if (value === undefined) continue;
    if (value === '') {
      settings.problems.push(refused(variable.name, value, 'empty-regex', `${variable.key} is empty`));
      continue;
    }
    // The variable replaces this one key of the file's http_filter; the file's other keys stay.
    reading.parts = reading.parts.filter((part) => part.key !== variable.key);
    fromEnv.push(variable.key);
    applied.push({ name: variable.name, value, effect: `http_filter.${variable.key}` });
  }
  if (fromEnv.length > 0) {
    const specs = reading.parts.map((part) => ({ key: part.key, spec: part.spec }));
    for (const variable of FILTER_VARIABLES) if (fromEnv.includes(variable.key)) specs.push({ key: variable.key, spec: variable.spec(env[variable.name]!) });
    reading.specs = specs.map((s) => s.spec);
    reading.fromEnv = FILTER_VARIABLES.filter((v) => fromEnv.includes(v.key))
      .map((v) => v.name)
      .join(', ');
    const exclusive = specs.filter((s) => EXCLUSIVE_FILTER_KEYS.includes(s.key)).map((s) => s.key);
    if (exclusive.length > 1) {
      settings.problems.push({
        code: 'multiple-filters',
        message: `With ${reading.fromEnv} from the environment, http_filter has ${exclusive.join(' and ')}: mirrord refuses to start ("use any_of or all_of to combine filters").`,
        span: reading.entry?.keySpan ?? ENV_SPAN,
        severity: 'error',
      });
    }
  }

  const ports = env.MIRRORD_HTTP_FILTER_PORTS;
  if (ports !== undefined) {
    // `VecOrSingle<u16>::from_str`: split on ';', each part a u16 as Rust parses it (no spaces).
    const parts = ports.split(';');
    const numbers = parts.map((part) => (/^\+?\d{1,5}$/.test(part) ? Number(part) : NaN));
    if (numbers.every((n) => Number.isInteger(n) && n <= 65535)) {
      reading.ports = { ports: numbers.filter((n) => n > 0), templated: false, fromEnv: 'MIRRORD_HTTP_FILTER_PORTS' };
      applied.push({ name: 'MIRRORD_HTTP_FILTER_PORTS', value: ports, effect: 'http_filter.ports' });
    } else {
      settings.problems.push(refused('MIRRORD_HTTP_FILTER_PORTS', ports, 'invalid-port', 'http_filter.ports must be port numbers separated by ";"'));
    }
  }
}

/** MIRRORD_IMPERSONATED_TARGET and MIRRORD_TARGET_NAMESPACE over the file's target. */
export function applyTargetEnv(env: Env, target: TargetSummary, problems: ConfigProblem[], applied: EnvOverride[]): void {
  const impersonated = env.MIRRORD_IMPERSONATED_TARGET;
  if (impersonated !== undefined) {
    const parsedPath = parseTargetPath(impersonated);
    if (parsedPath.ok) {
      target.ref = { ...parsedPath.ref, namespace: target.ref?.namespace };
      target.templated = false;
      applied.push({ name: 'MIRRORD_IMPERSONATED_TARGET', value: impersonated, effect: 'target.path' });
    } else {
      problems.push(refused('MIRRORD_IMPERSONATED_TARGET', impersonated, 'invalid-target', parsedPath.message.replace(/\.$/, '')));
    }
  }
  // An empty namespace, kubeconfig or context is taken as unset: mirrord would pass "" on to the
  // Kubernetes client, which then uses its default, the same as unset.
  const namespace = env.MIRRORD_TARGET_NAMESPACE;
  if (namespace && target.ref) {
    target.ref = { ...target.ref, namespace };
    applied.push({ name: 'MIRRORD_TARGET_NAMESPACE', value: namespace, effect: 'target.namespace' });
  }
}

/** MIRRORD_KUBECONFIG and MIRRORD_KUBE_CONTEXT over the file's `kubeconfig` and `kube_context`. */
export function clusterEnv(env: Env, applied: EnvOverride[]): { kubeconfig?: string; kubeContext?: string } {
  const result: { kubeconfig?: string; kubeContext?: string } = {};
  if (env.MIRRORD_KUBECONFIG) {
    result.kubeconfig = env.MIRRORD_KUBECONFIG;
    applied.push({ name: 'MIRRORD_KUBECONFIG', value: env.MIRRORD_KUBECONFIG, effect: 'kubeconfig' });
  }
  if (env.MIRRORD_KUBE_CONTEXT) {
    result.kubeContext = env.MIRRORD_KUBE_CONTEXT;
    applied.push({ name: 'MIRRORD_KUBE_CONTEXT', value: env.MIRRORD_KUBE_CONTEXT, effect: 'kube_context' });
  }
  return result;
}
