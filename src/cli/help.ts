/** `probe-guard --help`, `probe-guard help check`, `probe-guard check --help`: printed on stdout, exit 0. */
export type HelpTopic = 'main' | 'check' | 'fix' | 'new' | 'rules';

const MAIN = `probe-guard: will a mirrord steal session take a Kubernetes pod's liveness and readiness probes away?

Usage:
  probe-guard check [<config|folder|glob>...] [options]   report on every config (default: the current folder)
  probe-guard fix   [<config|folder|glob>...] [options]   apply the fixes that are certainly correct
  probe-guard new   <kind/name> [options] [--write [DIR]]  a new config for a workload, verified safe
                                                          for its liveness and readiness probes
  probe-guard rules                                       list the rule codes and their default severities
  probe-guard help [check|fix|new|rules]
  probe-guard --version

Exit codes (the worst config decides, in this order): 2 bad usage or an input that cannot be read,
1 a config fails (by default: a liveness or readiness probe would be stolen, or something mirrord
would refuse), 3 a target could not be resolved, 0 otherwise.

Run "probe-guard check --help" for the options. Docs: https://github.com/probe-guard/mirrord-probe-guard#the-cli`;

const PATHS = `Paths: config files (any name), folders (searched for *mirrord.{json,yaml,yml,toml} and .mirrord/*,
without node_modules, .git and what git ignores) and globs (quote them: '**/*.mirrord.json').`;

const TARGET_OPTIONS = `Where the targets come from:
  --manifest <file|folder|glob>  Kubernetes YAML/JSON manifests to find the targets in (repeatable);
                                 then no cluster is asked
  --kubeconfig <path>            without --manifest: this kubeconfig, for configs that name none
                                 (the config's kubeconfig or MIRRORD_KUBECONFIG wins, as in mirrord;
                                 else KUBECONFIG, ~/.kube/config); relative to the current folder
  --context <name>               the kube context for configs that set no kube_context (else the
                                 kubeconfig's current one)
  --namespace <ns>               the namespace when the config names none (else the context's)
  --timeout <seconds>            per cluster call (default 5)

The environment mirrord would run with:
  MIRRORD_* variables (MIRRORD_AGENT_TCP_STEAL_TRAFFIC, MIRRORD_HTTP_HEADER_FILTER, ...) apply over
  every config, as mirrord applies them; the report lists those that did.
  --env-file <file>              dotenv file(s) applied over the environment (repeatable)
  --mirrord-version <x.y.z>      the mirrord version whose rules apply (default: 3.181 and later)

Findings:
  --rule <code>=<level>          off, error, warning, information or hint (as probeGuard.severity;
                                 repeatable; "probe-guard rules" lists the codes)
  -q, --quiet                    only findings and errors`;

const CHECK = `Usage: probe-guard check [<config|folder|glob>...] [options]

${PATHS}

Output:
  --format text|json|sarif       the report on stdout (default text; colour on a terminal, never with
                                 NO_COLOR, always with FORCE_COLOR)
  -o, --output <file>            write the report to a file instead of stdout
  --sarif-output <file>          also write SARIF 2.1.0 (for code scanning) to a file
  --fail-on <when>               stolen (default: a liveness or readiness probe would be stolen, or
                                 an error finding: a config mirrord would refuse), a severity
                                 (error, warning, information, hint: any finding at or above it),
                                 or never

${TARGET_OPTIONS}

Exit codes (the worst config decides, in this order): 2 bad usage or a config that cannot be read,
1 a config fails (--fail-on; by default a liveness or readiness probe would be stolen, or the
config has an error finding: something mirrord would refuse, such as a syntax error, an unknown
key or steal without a target), 3 a target could not be resolved, 0 otherwise. "maybe" verdicts
(stolen only if the local app listens on a sidecar's port) and unknown ones do not fail a config.`;

const FIX = `Usage: probe-guard fix [<config|folder|glob>...] [options] [--write]

Applies every fix that is certainly correct (each re-checked by re-analysing the fixed file).
Without --write, one config's fixed text goes to stdout; over several configs, --write is needed.
What was applied goes to stderr.

${PATHS}

  --write                        fix the files in place

${TARGET_OPTIONS}

Exit codes (the worst config decides): 2 bad usage or a config that cannot be read, 1 a liveness
or readiness probe is still stolen after the fixes, 3 a target could not be resolved, 0 otherwise.`;

const NEW = `Usage: probe-guard new <kind/name> [options] [--write [DIR]]

A new mirrord config for one workload (deployment/NAME, rollout/NAME or statefulset/NAME; a
container as NAME/container/C or --container): its target and namespace, steal with mirrord's
kube-probe header filter and whatever else its own probes need (an exec probe's curl, a probe on
another port), never a "$schema" key. The workload is looked up (the cluster, or --manifest) and the
config analysed against it before it is printed: when a liveness or readiness probe would still be
stolen, or cannot be judged, nothing is printed or written and the reason names the probe.

  --container <name>             the container to target (several containers: else mirrord picks one)
  --namespace <ns>               the workload's namespace (else the context's)
  --manifest <file|folder|glob>  find the workload in these manifests instead of the cluster (repeatable)
  --kubeconfig <path>            this kubeconfig (else KUBECONFIG, ~/.kube/config)
  --context <name>               this kube context (else the kubeconfig's current one)
  --timeout <seconds>            per cluster call (default 5)
  --mirrord-version <x.y.z>      the mirrord version whose rules apply
  --write [DIR]                  write DIR/.mirrord/NAME.mirrord.json (DIR: the current folder when
                                 left out; NAME-2.mirrord.json, -3... when it exists: never
                                 overwrites) and print its path, instead of printing the config
  -q, --quiet                    no notes on stderr

Exit codes: 0 the config was printed or written, 1 refused (a liveness or readiness probe would
still be stolen, or cannot be judged), 2 bad usage or a file that cannot be read or written,
3 the workload or container was not found (or the cluster could not answer).`;

const RULES = `Usage: probe-guard rules

Lists every rule code with its default severity and title (docs/rules.md explains each).`;

export function helpText(topic: HelpTopic): string {
  switch (topic) {
    case 'check':
      return CHECK;
    case 'fix':
      return FIX;
    case 'new':
      return NEW;
    case 'rules':
      return RULES;
    default:
      return MAIN;
  }
}
