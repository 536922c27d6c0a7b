import { getEntry, getSetEntry, isTemplate } from '../config/configQuery';
import type { HttpFilterSpec } from '../filter/httpFilter';
import type { ConfigNode, ObjectEntry, RuleCode, Span } from '../types';

/**
 * The part of a mirrord config that decides what is stolen: `feature.network.incoming` and
 * `feature.copy_target`, with the nodes they came from (for squiggles and fixes). The `MIRRORD_*`
 * environment overrides are applied over them by envOverrides.ts.
 */

export type IncomingMode = 'steal' | 'mirror' | 'off' | 'unknown';

export interface ConfigProblem {
  code: RuleCode;
  message: string;
  span: Span;
  severity?: 'error' | 'warning' | 'information';
}

/** A list of ports; `templated` when a template decides some of it (values then incomplete). */
export interface PortList {
  ports: number[];
  templated: boolean;
  node?: ConfigNode;
  /** Set when the list came from an environment variable. */
  fromEnv?: string;
}

export interface PortMapping {
  local: number;
  remote: number;
}

/** One of the filter kinds of `http_filter`, with its node. */
export interface FilterPart {
  key: string;
  entry: ObjectEntry;
  spec: HttpFilterSpec;
}

export interface HttpFilterReading {
  entry?: ObjectEntry;
  /**
   * The filter kinds in force (normally one). Several (say `method_filter` next to
   * `header_filter`) combine in a way the semantics do not pin down, so the verdict decides only
   * when they all agree. Empty when `http_filter` names no filter kind.
   */
  specs: HttpFilterSpec[];
  parts: FilterPart[];
  ports?: PortList;
  /** The MIRRORD_HTTP_*_FILTER variables in force, when any (they replace the file's keys of the same name). */
  fromEnv?: string;
}

export interface NetworkSettings {
  mode: IncomingMode;
  /** Where the mode is decided in the file (the `incoming` string, `mode` value, `network: false`...). */
  modeSpan?: Span;
  modeFromEnv?: string;
  /** `feature.network.incoming` entry, when present. */
  incomingEntry?: ObjectEntry;
  ports?: PortList;
  ignorePorts?: PortList;
  portMapping: PortMapping[];
  portMappingTemplated: boolean;
  httpFilter: HttpFilterReading;
  copyTarget: boolean | 'unknown';
  copyTargetSpan?: Span;
  /**
   * `incoming.https_delivery` / `tls_delivery` is set: TLS stealing is set up (it needs the
   * operator), so the agent decrypts HTTPS and the filter judges it. `'unknown'`: a template.
   */
  tlsDelivery: boolean | 'unknown';
  problems: ConfigProblem[];
}

// Unknown keys in these sections (and everywhere else) are reported from the key model
// (keyModelFindings.ts), not here.
/** Only one of these may be set (mirrord: "use any_of or all_of to combine"). */
export const EXCLUSIVE_FILTER_KEYS = ['header_filter', 'path_filter', 'all_of', 'any_of', 'body_filter'];

/** `null` is "not set" (mirrord's file config fields are `Option`s). */
const setEntry = getSetEntry;

/** The file's settings; analyzeConfig applies the `MIRRORD_*` environment over them (envOverrides.ts). */
export function readNetworkSettings(root: ConfigNode | undefined): NetworkSettings {
  const settings: NetworkSettings = {
    mode: 'mirror',
    portMapping: [],
    portMappingTemplated: false,
    httpFilter: { parts: [], specs: [] },
    copyTarget: false,
    tlsDelivery: false,
    problems: [],
  };
  const feature = getEntry(root, 'feature');
  const network = getEntry(feature?.value, 'network');
  readCopyTarget(getEntry(feature?.value, 'copy_target'), settings);

  if (network) readNetwork(network, settings);

  return settings;
}

function readNetwork(network: ObjectEntry, settings: NetworkSettings): void {
  const value = network.value;
  if (value.kind === 'template') {
    settings.mode = 'unknown';
    settings.modeSpan = value.span;
    return;
  }
  if (value.kind === 'scalar') {
    // `network: false` turns incoming off too; `true` keeps the defaults (mirror).
    if (value.value === false) settings.mode = 'off';
    settings.modeSpan = value.span;
    return;
  }
  const incoming = getEntry(value, 'incoming');
  if (!incoming) return;
  settings.incomingEntry = incoming;
  readIncoming(incoming.value, settings);
}

function readIncoming(node: ConfigNode, settings: NetworkSettings): void {
  if (node.kind === 'template') {
    settings.mode = 'unknown';
    settings.modeSpan = node.span;
    return;
  }
  if (node.kind === 'scalar') {
    settings.modeSpan = node.span;
    const mode = scalarMode(node.value);
    if (mode) settings.mode = mode;
    else invalidMode(node, settings);
    return;
  }
  if (node.kind !== 'object') {
    invalidMode(node, settings);
    return;
  }
  const modeEntry = setEntry(node, 'mode');
  if (modeEntry) {
    settings.modeSpan = modeEntry.value.span;
    if (modeEntry.value.kind === 'template') settings.mode = 'unknown';
    else if (modeEntry.value.kind === 'scalar' && typeof modeEntry.value.value === 'string' && parseModeText(modeEntry.value.value)) {
      settings.mode = parseModeText(modeEntry.value.value)!;
    } else invalidMode(modeEntry.value, settings);
  } else {
    settings.modeSpan = node.span;
  }
  const ports = setEntry(node, 'ports');
  const ignorePorts = setEntry(node, 'ignore_ports');
  if (ports) settings.ports = readPortList(ports.value, 'feature.network.incoming.ports', settings.problems);
  if (ignorePorts) settings.ignorePorts = readPortList(ignorePorts.value, 'feature.network.incoming.ignore_ports', settings.problems);
  // mirrord refuses the pair only when ignore_ports is not empty (mirrord/config/src/lib.rs, verify).
  if (ports && ignorePorts && (settings.ignorePorts!.ports.length > 0 || settings.ignorePorts!.templated || ignorePorts.value.kind !== 'array')) {
    settings.problems.push({
      code: 'ports-with-ignore-ports',
      message: '`ports` and `ignore_ports` cannot be set together: mirrord rejects this config.',
      span: ignorePorts.keySpan,
      severity: 'error',
    });
  }
  const mapping = setEntry(node, 'port_mapping');
  if (mapping) readPortMapping(mapping.value, settings);
  const httpFilter = setEntry(node, 'http_filter');
  if (httpFilter) readHttpFilter(httpFilter, settings);
  const tlsDelivery = setEntry(node, 'tls_delivery') ?? setEntry(node, 'https_delivery');
  if (tlsDelivery) settings.tlsDelivery = tlsDelivery.value.kind === 'template' ? 'unknown' : true;
}

function readCopyTarget(entry: ObjectEntry | undefined, settings: NetworkSettings): void {
  if (!entry) return;
  const value = entry.value;
  settings.copyTargetSpan = entry.span;
  if (value.kind === 'template') settings.copyTarget = 'unknown';
  else if (value.kind === 'scalar') settings.copyTarget = value.value === true;
  else if (value.kind === 'object') {
    const enabled = getEntry(value, 'enabled');
    if (!enabled) settings.copyTarget = true;
    else if (enabled.value.kind === 'template') settings.copyTarget = 'unknown';
    else settings.copyTarget = !(enabled.value.kind === 'scalar' && enabled.value.value === false);
  }
}

/** `true` means mirror and `false` off in the file (docs/semantics.md section 4). */
function scalarMode(value: string | number | boolean | null): IncomingMode | undefined {
  if (value === true) return 'mirror';
  if (value === false) return 'off';
  if (value === null) return 'mirror';
  if (typeof value === 'string') return parseModeText(value);
  return undefined;
}

/**
 * Text from a `mode` value or MIRRORD_AGENT_TCP_STEAL_TRAFFIC (where `true` means steal). Case
 * matters, as in mirrord (serde `rename_all = "lowercase"`): "Steal" is rejected.
 */
function parseModeText(text: string): IncomingMode | undefined {
  switch (text.trim()) {
    case 'steal':
    case 'true':
      return 'steal';
    case 'mirror':
      return 'mirror';
    case 'off':
    case 'false':
      return 'off';
    default:
      return undefined;
  }
}

function invalidMode(node: ConfigNode, settings: NetworkSettings): void {
  settings.mode = 'unknown';
  settings.problems.push({
    code: 'invalid-mode',
    message: 'Incoming mode must be "steal", "mirror" or "off".',
    span: node.span,
    severity: 'error',
  });
}

export function readPortList(node: ConfigNode, where: string, problems: ConfigProblem[]): PortList {
  const list: PortList = { ports: [], templated: false, node };
  const items = node.kind === 'array' ? node.items : [node];
  for (const item of items) {
    if (item.kind === 'template') list.templated = true;
    else if (item.kind === 'scalar' && isPortNumber(item.value)) list.ports.push(item.value as number);
    else problems.push({ code: 'invalid-port', message: `${where} must list port numbers (0-65535).`, span: item.span, severity: 'error' });
  }
  return list;
}

/** A u16, as mirrord's port fields are: 0 included (a port nothing listens on, never a probe's). */
function isPortNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 65536;
}

function readPortMapping(node: ConfigNode, settings: NetworkSettings): void {
  if (node.kind === 'template') {
    settings.portMappingTemplated = true;
    return;
  }
  if (node.kind !== 'array') {
    settings.problems.push({ code: 'invalid-port', message: 'port_mapping must be a list of [local, remote] pairs.', span: node.span, severity: 'error' });
    return;
  }
  for (const pair of node.items) {
    if (pair.kind === 'template' || (pair.kind === 'array' && pair.items.some(isTemplate))) {
      settings.portMappingTemplated = true;
      continue;
    }
    if (pair.kind === 'array' && pair.items.length === 2 && pair.items.every((p) => p.kind === 'scalar' && isPortNumber(p.value))) {
      const [local, remote] = pair.items.map((p) => (p as { value: number }).value);
      settings.portMapping.push({ local, remote });
    } else {
      settings.problems.push({ code: 'invalid-port', message: 'Each port_mapping entry must be [local, remote].', span: pair.span, severity: 'error' });
    }
  }
}

function readHttpFilter(entry: ObjectEntry, settings: NetworkSettings): void {
  const reading = settings.httpFilter;
  reading.entry = entry;
  const node = entry.value;
  if (node.kind === 'template') {
    reading.specs = [{ kind: 'templated', what: 'http_filter' }];
    return;
  }
  // `http_filter: true` or `false` is mirrord's ToggleableConfig: no filter either way, only the
  // MIRRORD_HTTP_* variables (mirrord/config/src/util.rs, feature/network/incoming/http_filter.rs).
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return;
  if (node.kind !== 'object') {
    settings.problems.push({ code: 'invalid-filter', message: 'http_filter must be an object (or true/false).', span: node.span, severity: 'error' });
    return;
  }
  const portsEntry = setEntry(node, 'ports');
  if (portsEntry) reading.ports = readPortList(portsEntry.value, 'http_filter.ports', settings.problems);

  for (const child of node.entries) {
    if (child.value.kind === 'scalar' && child.value.value === null) continue;
    const spec = filterPartSpec(child, settings.problems);
    if (spec) reading.parts.push({ key: child.key, entry: child, spec });
  }
  const exclusive = reading.parts.filter((p) => EXCLUSIVE_FILTER_KEYS.includes(p.key));
  if (exclusive.length > 1) {
    settings.problems.push({
      code: 'multiple-filters',
      message: `Only one of ${EXCLUSIVE_FILTER_KEYS.join(', ')} may be set (found ${exclusive.map((p) => p.key).join(' and ')}): use any_of or all_of to combine.`,
      span: exclusive[1].entry.keySpan,
      severity: 'error',
    });
  }
  reading.specs = reading.parts.map((p) => p.spec);
}

function filterPartSpec(entry: ObjectEntry, problems: ConfigProblem[]): HttpFilterSpec | undefined {
  const value = entry.value;
  switch (entry.key) {
    case 'header_filter':
      return regexSpec('header', value, entry, problems);
    case 'path_filter':
      return regexSpec('path', value, entry, problems);
    case 'method_filter':
      if (value.kind === 'template') return { kind: 'templated', what: 'method_filter' };
      if (value.kind === 'scalar' && typeof value.value === 'string' && value.value.trim()) return { kind: 'method', method: value.value.trim() };
      problems.push({
        code: 'invalid-filter',
        message:
          value.kind === 'array'
            ? 'method_filter takes one HTTP method, not a list: for several, use "any_of": [{"method": "POST"}, {"method": "PUT"}].'
            : 'method_filter must be an HTTP method name.',
        span: value.span,
        severity: 'error',
      });
      return { kind: 'opaque', what: 'an invalid method_filter' };
    case 'header_filter_jq':
      return { kind: 'opaque', what: 'header_filter_jq (a jq program)' };
    case 'body_filter':
      return { kind: 'opaque', what: 'body_filter (depends on the request body)' };
    case 'all_of':
    case 'any_of':
      return compositeSpec(entry.key, value, problems);
    default:
      return undefined;
  }
}

function regexSpec(kind: 'header' | 'path', value: ConfigNode, entry: ObjectEntry, problems: ConfigProblem[]): HttpFilterSpec {
  if (value.kind === 'template') return { kind: 'templated', what: entry.key };
  if (value.kind !== 'scalar' || typeof value.value !== 'string') {
    const jq = value.kind === 'object' && getEntry(value, 'query') && entry.key === 'header_filter';
    const message = jq ? 'header_filter must be a regex string: a jq query goes in "header_filter_jq" (as a string).' : `${entry.key} must be a regex string.`;
    problems.push({ code: 'invalid-filter', message, span: value.span, severity: 'error' });
    return { kind: 'opaque', what: `an invalid ${entry.key}` };
  }
  if (value.value === '') {
    problems.push({ code: 'empty-regex', message: `${entry.key} is empty: mirrord rejects empty filters.`, span: value.span, severity: 'error' });
  }
  return { kind, pattern: value.value };
}

function compositeSpec(key: 'all_of' | 'any_of', value: ConfigNode, problems: ConfigProblem[]): HttpFilterSpec {
  if (value.kind === 'template') return { kind: 'templated', what: key };
  if (value.kind !== 'array') {
    problems.push({ code: 'invalid-filter', message: `${key} must be a list of filters.`, span: value.span, severity: 'error' });
    return { kind: 'opaque', what: `an invalid ${key}` };
  }
  if (value.items.length === 0) {
    problems.push({ code: 'empty-filter-list', message: `${key} must not be empty.`, span: value.span, severity: 'error' });
  }
  const filters = value.items.map((item) => innerFilterSpec(item, key, problems));
  return { kind: key, filters };
}

function innerFilterSpec(item: ConfigNode, key: string, problems: ConfigProblem[]): HttpFilterSpec {
  if (item.kind === 'template') return { kind: 'templated', what: `an item of ${key}` };
  if (item.kind !== 'object') {
    problems.push({ code: 'invalid-filter', message: `Each item of ${key} must be an object such as {"header": "..."}.`, span: item.span, severity: 'error' });
    return { kind: 'opaque', what: `an invalid item of ${key}` };
  }
  const header = setEntry(item, 'header');
  const path = setEntry(item, 'path');
  const method = setEntry(item, 'method');
  if (setEntry(item, 'body') || setEntry(item, 'query')) return { kind: 'opaque', what: 'a body or jq query filter' };
  if (header) return regexSpec('header', header.value, header, problems);
  if (path) return regexSpec('path', path.value, path, problems);
  if (method) {
    if (method.value.kind === 'template') return { kind: 'templated', what: 'method' };
    if (method.value.kind === 'scalar' && typeof method.value.value === 'string' && method.value.value.trim()) {
      return { kind: 'method', method: method.value.value.trim() };
    }
    // mirrord rejects empty filters (and a method that is not a string is no method).
    problems.push({ code: 'invalid-filter', message: `"method" in ${key} must be an HTTP method name.`, span: method.value.span, severity: 'error' });
    return { kind: 'opaque', what: `an invalid method in ${key}` };
  }
  problems.push({ code: 'invalid-filter', message: `An item of ${key} needs "header", "path" or "method".`, span: item.span, severity: 'error' });
  return { kind: 'opaque', what: `an invalid item of ${key}` };
}
