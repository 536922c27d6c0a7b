/**
 * The rule registry: every finding code Probe Guard reports, with its default severity, a title,
 * its anchor in docs/rules.md and the SARIF descriptions. The engine types its findings with
 * `RuleCode`, so a code that is not registered here does not compile; the diagnostics' links, the
 * SARIF rules and the `probeGuard.severity` setting all read this table (a unit test checks that
 * docs/rules.md documents exactly these codes, under these headings, with these severities).
 * Pure data: it lives in the engine because the engine needs the codes and their severities; the
 * service layer re-exports it for the front ends.
 */
/** How loudly a finding is reported (LSP's and VS Code's four levels). */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RuleInfo {
  /** The default severity (the `probeGuard.severity` setting overrides it). */
  defaultSeverity: Severity;
  /** A few words, for SARIF's rule name and lists. */
  title: string;
  /** One sentence: SARIF `shortDescription`. */
  summary: string;
  /** What it means and what to do: SARIF `fullDescription`. */
  description: string;
  /** The heading group of docs/rules.md it is documented under. */
  group: 'probes' | 'mirrord-rejects' | 'other';
  /** A stolen probe or a risky filter: the findings a quick fix can address. */
  risk?: true;
}

const registry = {
  'liveness-probe-stolen': {
    defaultSeverity: 'error',
    title: 'Liveness probe stolen',
    summary: 'A liveness probe would be answered by the local app: Kubernetes restarts the remote container when it fails.',
    description:
      "The session would take a liveness probe away from the pod: the kubelet's request (or the connection an exec probe's command opens over loopback) reaches the local app. If it answers badly or not at all (a breakpoint is enough), Kubernetes restarts the remote container 21 to 31 s later with the default probe settings. Quick fix: Add kube-probe filter.",
    group: 'probes',
    risk: true,
  },
  'readiness-probe-stolen': {
    defaultSeverity: 'warning',
    title: 'Readiness probe stolen',
    summary: 'A readiness probe would be answered by the local app: Kubernetes takes the pod out of its Services when it fails.',
    description: "As for liveness, for a readiness probe: a failing answer takes the pod out of its Services' endpoints, so real traffic stops reaching it.",
    group: 'probes',
    risk: true,
  },
  'startup-probe-stolen': {
    defaultSeverity: 'information',
    title: 'Startup probe stolen',
    summary: 'A startup probe would be stolen (it matters only if the container restarts during the session).',
    description: 'A running target has passed its startup probe already; this only matters if the container restarts during the session.',
    group: 'probes',
    risk: true,
  },
  'sidecar-probe-conditional': {
    defaultSeverity: 'information',
    title: 'Sidecar probe at risk',
    summary:
      "A probe on another container's port (a sidecar, a mesh proxy) would be stolen if the local app listens on that port: the containers of a pod share one network.",
    description:
      "The verdict is conditional: mirrord steals a port only when the local app (a build of the target container) listens on it, which it rarely does on a sidecar's port. Raise the severity if your local app opens such ports; the quick fix protects these probes too.",
    group: 'probes',
    risk: true,
  },
  'ambiguous-target': {
    defaultSeverity: 'warning',
    title: 'Ambiguous target',
    summary: 'Several manifest objects match the target; the probes of every one were judged.',
    description:
      "Several manifest objects share the target's kind, name and namespace (several files, a base and an overlay copy). Each candidate is judged and named by its file and line; mirrord uses whichever the cluster has.",
    group: 'probes',
  },
  'probe-verdict-unknown': {
    defaultSeverity: 'information',
    title: 'Probe verdict unknown',
    summary: 'Probe Guard cannot tell whether a probe would be stolen (jq or body filters, templates, untranslatable regexes, exec commands it cannot read).',
    description:
      'A jq or body filter, a Tera template, a regex with no faithful translation, a regex that ran out of its time budget, an exec command Probe Guard cannot read, or a program whose User-Agent decides the filter: Probe Guard does not guess.',
    group: 'probes',
  },
  'steal-without-filter': {
    defaultSeverity: 'warning',
    title: 'Steal without a filter',
    summary: 'Steal mode with no http_filter takes every request on the stolen ports, probes included.',
    description: 'Steal mode with no http_filter takes every request on the stolen ports, the probes included (reported before the target is resolved).',
    group: 'probes',
    risk: true,
  },
  'filter-selects-probes': {
    defaultSeverity: 'warning',
    title: 'Filter selects probes',
    summary: "The http_filter matches the kubelet's probe requests: a filter chooses what to steal.",
    description:
      'The filter matches the kubelet\'s request, e.g. the widely copied "User-Agent: kube-probe": a filter chooses what to steal, so it steals exactly the probes. Use ^User-Agent: (?!kube-probe).',
    group: 'probes',
    risk: true,
  },
  'target-unresolved': {
    defaultSeverity: 'information',
    title: 'Target unresolved',
    summary: 'The target could not be found in the cluster or the manifests, so its probes were not checked.',
    description: 'The target was not found in the cluster or the manifests (or the cluster could not be reached); only the static findings apply.',
    group: 'probes',
  },
  'stale-pod-target': {
    defaultSeverity: 'warning',
    title: 'Stale pod target',
    summary: "The pod target is not there, and its name is a workload's pod name: pod names change on every rollout.",
    description:
      "A Deployment's or Rollout's pods get new generated names on every rollout (a StatefulSet's exist only while it runs that ordinal), so a pod target stops working. Target the owner instead (deployment/NAME, rollout/NAME, statefulset/NAME, keeping the container): mirrord picks one of its running pods. Quick fix: Target deployment/NAME instead.",
    group: 'probes',
  },
  'targetless-steal': {
    defaultSeverity: 'error',
    title: 'Targetless steal',
    summary: 'mirrord rejects steal mode without a target.',
    description: 'Steal mode needs a target.',
    group: 'mirrord-rejects',
  },
  'ports-with-ignore-ports': {
    defaultSeverity: 'error',
    title: 'ports with ignore_ports',
    summary: 'mirrord rejects incoming.ports together with incoming.ignore_ports.',
    description: 'incoming.ports and incoming.ignore_ports cannot be set together.',
    group: 'mirrord-rejects',
  },
  'multiple-filters': {
    defaultSeverity: 'error',
    title: 'Multiple filters',
    summary: 'mirrord rejects more than one filter kind in http_filter: combine them with all_of or any_of.',
    description: 'Only one of header_filter, path_filter, all_of, any_of, body_filter: combine them with all_of or any_of.',
    group: 'mirrord-rejects',
  },
  'empty-regex': {
    defaultSeverity: 'error',
    title: 'Empty regex',
    summary: 'mirrord rejects an empty filter regex.',
    description: 'A filter regex must not be empty.',
    group: 'mirrord-rejects',
  },
  'empty-filter-list': {
    defaultSeverity: 'error',
    title: 'Empty filter list',
    summary: 'mirrord rejects an empty all_of or any_of.',
    description: 'all_of and any_of must not be empty.',
    group: 'mirrord-rejects',
  },
  'invalid-regex': {
    defaultSeverity: 'error',
    title: 'Invalid regex',
    summary: 'The filter regex does not compile.',
    description: 'The regex does not compile (the message gives the regex error and its position).',
    group: 'mirrord-rejects',
  },
  'invalid-filter': {
    defaultSeverity: 'error',
    title: 'Invalid filter',
    summary: 'The http_filter value has the wrong shape.',
    description: 'An http_filter value has the wrong shape (not a string, not a list, an inner filter with no header, path or method).',
    group: 'mirrord-rejects',
  },
  'invalid-mode': {
    defaultSeverity: 'error',
    title: 'Invalid mode',
    summary: 'The incoming mode must be steal, mirror or off.',
    description: 'The incoming mode must be steal, mirror or off.',
    group: 'mirrord-rejects',
  },
  'invalid-port': {
    defaultSeverity: 'error',
    title: 'Invalid port',
    summary: 'A port list holds something that is not a port number.',
    description: 'A port list holds something that is not a port number.',
    group: 'mirrord-rejects',
  },
  'invalid-target': {
    defaultSeverity: 'error',
    title: 'Invalid target',
    summary: 'The target is not in a form mirrord accepts.',
    description:
      'The target is not in a form mirrord accepts (pod/NAME, deployment/NAME, rollout/NAME, statefulset/NAME, job/NAME, cronjob/NAME, replicaset/NAME, service/NAME, label/k=v, optionally /container/C; targetless; the object forms).',
    group: 'mirrord-rejects',
  },
  'unknown-key': {
    defaultSeverity: 'error',
    title: 'Unknown key',
    summary: 'mirrord rejects unknown keys in this section.',
    description:
      'mirrord rejects unknown keys (deny_unknown_fields) in every section it closes; the message names the closest known key (with a quick fix renaming it) or the section the key belongs in.',
    group: 'mirrord-rejects',
  },
  'invalid-type': {
    defaultSeverity: 'error',
    title: 'Wrong type or value',
    summary: 'The value is of a type or form mirrord does not accept for this key.',
    description:
      "A value of a kind the key never takes (a list where mirrord wants one string, an object for a regex), a string outside the key's choices, an integer out of range, or keys that no form of the section takes together.",
    group: 'mirrord-rejects',
  },
  'missing-key': {
    defaultSeverity: 'error',
    title: 'Missing key',
    summary: 'A key mirrord requires in this section is missing.',
    description:
      'The section needs this key (a field with no default in mirrord), e.g. "connection" in a database branch or "type" to say which kind of branch it is.',
    group: 'mirrord-rejects',
  },
  'strict-json': {
    defaultSeverity: 'error',
    title: 'Not strict JSON',
    summary: 'mirrord reads .json configs with a strict JSON parser: comments and trailing commas make the session fail.',
    description:
      'The editor reads the file as JSON with comments, mirrord does not (serde_json): a comment or a comma before } or ] stops the session before it starts. Quick fixes remove it, or all of them.',
    group: 'mirrord-rejects',
  },
  'duplicate-port-mapping': {
    defaultSeverity: 'error',
    title: 'Duplicate port mapping',
    summary: 'A local or remote port appears twice in port_mapping or listen_ports.',
    description: 'Since mirrord 3.218, port_mapping and listen_ports refuse a local port or a remote port mapped twice (older versions dropped one silently).',
    group: 'mirrord-rejects',
  },
  'env-include-exclude': {
    defaultSeverity: 'error',
    title: 'env include with exclude',
    summary: 'feature.env.include and feature.env.exclude cannot be used together.',
    description: 'mirrord refuses a config that sets both feature.env.include and feature.env.exclude: keep one.',
    group: 'mirrord-rejects',
  },
  'env-override-db-branch': {
    defaultSeverity: 'error',
    title: 'env override of a branch variable',
    summary: 'A feature.env.override variable is one a database branch redirects.',
    description:
      'Database branching redirects its connection variables through the operator; mirrord refuses a feature.env.override of the same variable, which would defeat the redirection.',
    group: 'mirrord-rejects',
  },
  'operator-required': {
    defaultSeverity: 'error',
    title: 'Operator required',
    summary: 'This target kind, or copy_target, needs the mirrord operator, and the config turns it off.',
    description:
      'Job, cronjob, statefulset, service, replicaset and label targets, and copy_target, need the mirrord operator: mirrord refuses them with "operator": false.',
    group: 'mirrord-rejects',
  },
  'label-target-unsupported': {
    defaultSeverity: 'error',
    title: 'Label target unsupported',
    summary: 'A label target does not work with this feature.',
    description:
      'mirrord refuses a label target together with multi_cluster: true, queue splitting (feature.split_queues) or database branching (feature.db_branches).',
    group: 'mirrord-rejects',
  },
  'schema-key': {
    defaultSeverity: 'error',
    title: '$schema key',
    summary: 'mirrord rejects a "$schema" key.',
    description: 'mirrord rejects a "$schema" key like any unknown key; Probe Guard\'s schema is applied by file name instead.',
    group: 'mirrord-rejects',
  },
  'copy-target-unsupported': {
    defaultSeverity: 'error',
    title: 'copy_target unsupported',
    summary: 'mirrord refuses copy_target with a targetless, service or label target.',
    description: 'copy_target does not work with targetless, service or label targets (rollouts are supported).',
    group: 'mirrord-rejects',
  },
  'regex-not-checked': {
    defaultSeverity: 'information',
    title: 'Regex not checked',
    summary: 'The filter regex uses a construct Probe Guard cannot evaluate faithfully.',
    description: 'The regex uses a construct with no faithful JavaScript translation, so verdicts that depend on it are unknown.',
    group: 'other',
  },
  'config-too-large': {
    defaultSeverity: 'warning',
    title: 'Config too large',
    summary: 'The config is over the size limit and was not analysed.',
    description: 'Configs over 16 MiB are not analysed, so that a giant file cannot stall the editor or CI (the CLI exits 2 instead).',
    group: 'other',
  },
  'syntax-error': {
    defaultSeverity: 'error',
    title: 'Syntax error',
    summary: 'The file does not parse.',
    description: 'The file does not parse.',
    group: 'other',
  },
  'internal-error': {
    defaultSeverity: 'information',
    title: 'Internal error',
    summary: 'Probe Guard failed on this file.',
    description: 'Probe Guard failed on this file; please report it.',
    group: 'other',
  },
} as const satisfies Record<string, RuleInfo>;

/** Every finding code, as a type: a finding with an unregistered code does not compile. */
export type RuleCode = keyof typeof registry;

export const RULES: { readonly [C in RuleCode]: RuleInfo } = registry;

export const RULE_CODES = Object.keys(registry) as RuleCode[];

export function isRuleCode(code: string): code is RuleCode {
  return Object.prototype.hasOwnProperty.call(registry, code);
}

/** Stolen probes and risky filters: the findings that quick fixes address. */
export function isRiskCode(code: string): boolean {
  return isRuleCode(code) && (RULES[code] as RuleInfo).risk === true;
}

export const RULE_DOCS_BASE = 'https://github.com/probe-guard/mirrord-probe-guard/blob/main/docs/rules.md';

/** The rule's heading in docs/rules.md (GitHub's anchor for `### code` is the code itself). */
export function ruleDocsAnchor(code: RuleCode): string {
  return code;
}

export function ruleDocsUrl(code: RuleCode): string {
  return `${RULE_DOCS_BASE}#${ruleDocsAnchor(code)}`;
}
