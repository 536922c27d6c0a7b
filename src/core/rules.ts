/**
 * Every finding code, with the one-line description used by SARIF rules, the README's rule list
 * and the links on diagnostics.
 */
export const RULES: Record<string, string> = {
  'liveness-probe-stolen': 'A liveness probe would be answered by the local app: Kubernetes restarts the remote container when it fails.',
  'readiness-probe-stolen': 'A readiness probe would be answered by the local app: Kubernetes takes the pod out of its Services when it fails.',
  'startup-probe-stolen': 'A startup probe would be stolen (it matters only if the container restarts during the session).',
  'probe-verdict-unknown': 'Probe Guard cannot tell whether a probe would be stolen (jq or body filters, templates, untranslatable regexes).',
  'steal-without-filter': 'Steal mode with no http_filter takes every request on the stolen ports, probes included.',
  'filter-selects-probes': "The http_filter matches the kubelet's probe requests: a filter chooses what to steal.",
  'target-unresolved': 'The target could not be found in the cluster or the manifests, so its probes were not checked.',
  'targetless-steal': 'mirrord rejects steal mode without a target.',
  'ports-with-ignore-ports': 'mirrord rejects incoming.ports together with incoming.ignore_ports.',
  'multiple-filters': 'mirrord rejects more than one filter kind in http_filter: combine them with all_of or any_of.',
  'empty-regex': 'mirrord rejects an empty filter regex.',
  'empty-filter-list': 'mirrord rejects an empty all_of or any_of.',
  'invalid-regex': 'The filter regex does not compile.',
  'regex-not-checked': 'The filter regex uses a construct Probe Guard cannot evaluate faithfully.',
  'invalid-filter': 'The http_filter value has the wrong shape.',
  'invalid-mode': 'The incoming mode must be steal, mirror or off.',
  'invalid-port': 'A port list holds something that is not a port number.',
  'invalid-target': 'The target is not in a form mirrord accepts.',
  'unknown-key': 'mirrord rejects unknown keys in this section.',
  'schema-key': 'mirrord rejects a "$schema" key.',
  'copy-target-unsupported': 'copy_target does not work with this kind of target.',
  'syntax-error': 'The file does not parse.',
  'internal-error': 'Probe Guard failed on this file.',
};

export const RULE_DOCS_BASE = 'https://github.com/probe-guard/mirrord-probe-guard/blob/main/docs/rules.md';

export function ruleDocsUrl(code: string): string {
  return `${RULE_DOCS_BASE}#${code}`;
}
