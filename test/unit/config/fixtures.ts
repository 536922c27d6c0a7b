import type { ConfigFormat } from '../../../src/core/types';

/** Realistic mirrord configs in every format, for parser tests and for anyone else's tests. */
export interface ConfigFixture {
  name: string;
  format: ConfigFormat;
  text: string;
}

export const CONFIG_FIXTURES: ConfigFixture[] = [
  {
    name: 'json-steal-with-probe-safe-filter',
    format: 'json',
    text: `{
  "target": {"path": "deployment/api", "namespace": "shop"},
  "feature": {
    "network": {
      "incoming": {
        "mode": "steal",
        "http_filter": {"header_filter": "^User-Agent: (?!kube-probe)", "ports": [8080]},
        "port_mapping": [[9090, 8080]]
      }
    }
  }
}
`,
  },
  {
    name: 'jsonc-steal-everything-with-comments-and-templates',
    format: 'json',
    text: `// steals every request, probes included
{
  "target": "pod/{{ get_env(name="POD", default="api-0") }}/container/app",
  "kube_context": "staging",
  /* the port comes from the shell */
  "feature": {
    "network": {
      "incoming": "steal",
      "outgoing": true,
    },
    {# fs stays local #}
    "fs": "local",
  },
  {% if get_env(name="CI", default="") %}"agent": {"ttl": 30},{% endif %}
}
`,
  },
  {
    name: 'yaml-steal-filter-matching-probes',
    format: 'yaml',
    text: `# the common mistake: this filter selects exactly the probes
target:
  path: deployment/checkout
  namespace: shop
feature:
  network:
    incoming:
      mode: steal
      http_filter:
        header_filter: "User-Agent: kube-probe"
        ports: [8080, 9090]
      ignore_ports:
        - 9999
    outgoing: true
  env: true
`,
  },
  {
    name: 'yaml-templated-mirror',
    format: 'yaml',
    text: `target: "pod/{{ get_env(name='POD') }}"
agent:
  namespace: {{ get_env(name="NS", default="default") }}
  ttl: 15
feature:
  network:
    incoming: mirror
    dns: false
{% if get_env(name="STEAL", default="") %}
  copy_target:
    enabled: true
{% endif %}
`,
  },
  {
    name: 'toml-steal-with-path-filter',
    format: 'toml',
    text: `# mirrord config in TOML
kube_context = "prod-eu"

[target]
path = "deployment/payments"
namespace = "billing"

[feature.network.incoming]
mode = "steal"
port_mapping = [[8080, 80], [9443, 443]]
http_filter.path_filter = "^/api/"
http_filter.ports = [80, 443]

[feature.network]
outgoing = { tcp = true, udp = false }

[feature]
env.include = "DATABASE_*"
`,
  },
  {
    name: 'toml-templated-with-array-of-tables',
    format: 'toml',
    text: `target = "deployment/{{ get_env(name='APP') }}"

[agent]
ttl = {{ get_env(name="TTL", default="30") }}
{# labels are informative only #}

[feature.network.incoming]
mode = 'steal'
ports = [8080]

[[feature.network.dns.filter.local]]
name = "internal"

[[feature.network.dns.filter.local]]
name = """multi
line"""
`,
  },
];
