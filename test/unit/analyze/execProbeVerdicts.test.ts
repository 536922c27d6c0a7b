/**
 * Exec probes that connect to a stolen port over loopback are stolen (mirrord redirects `-o lo`
 * traffic too), judged by the request THAT tool sends; and the fix planner protects them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyTextEdits } from '../../../src/core/fix/structuralEdits';
import { analyse, deployment, findingOf, jsonConfig, verdicts } from './analyzeSupport';

const RECIPE = '{"mode": "steal", "http_filter": {"header_filter": "^User-Agent: (?!kube-probe)"}}';

/** A container `app` serving on 8080 (plus a metrics port) whose liveness probe runs `command` (JSON array). */
function execApp(command: string, ports = '[{containerPort: 8080, name: http}, {containerPort: 9100, name: metrics}]'): string {
  return deployment(`        - name: app
          image: ghcr.io/example/api:1.4.2
          ports: ${ports}
          livenessProbe:
            exec:
              command: ${command}
`);
}

interface ExecCase {
  name: string;
  command: string;
  incoming: string;
  verdict: 'stolen' | 'safe' | 'unknown';
  reason?: RegExp;
  ports?: string;
}

const cases: ExecCase[] = [
  // curl
  {
    name: 'curl, steal with no filter',
    command: '["curl", "-f", "localhost:8080/healthz"]',
    incoming: '"steal"',
    verdict: 'stolen',
    reason: /connects to port 8080 over loopback/,
  },
  {
    name: 'curl, the kube-probe recipe STEALS it (curl/8.x is not kube-probe)',
    command: '["curl", "-f", "localhost:8080/healthz"]',
    incoming: RECIPE,
    verdict: 'stolen',
    reason: /user-agent: curl\/8/,
  },
  {
    name: 'curl -A kube-probe/1.30 with the recipe: safe',
    command: '["curl", "-A", "kube-probe/1.30", "http://127.0.0.1:8080/healthz"]',
    incoming: RECIPE,
    verdict: 'safe',
  },
  {
    name: 'curl with a path filter that excludes its path: safe',
    command: '["sh", "-c", "curl -fsS http://localhost:8080/healthz || exit 1"]',
    incoming: '{"mode": "steal", "http_filter": {"path_filter": "^/api/"}}',
    verdict: 'safe',
  },
  {
    name: 'curl on a port incoming.ports leaves alone: safe',
    command: '["curl", "localhost:8080/healthz"]',
    incoming: '{"mode": "steal", "ports": [9100]}',
    verdict: 'safe',
  },
  {
    name: 'curl to an ignored port: safe',
    command: '["curl", "localhost:8080/healthz"]',
    incoming: '{"mode": "steal", "ignore_ports": [8080]}',
    verdict: 'safe',
  },
  { name: 'curl, mirror mode: safe', command: '["curl", "localhost:8080/healthz"]', incoming: '"mirror"', verdict: 'safe' },
  {
    name: 'curl on a port outside http_filter.ports: stolen whole',
    command: '["curl", "localhost:9100/metrics"]',
    incoming: '{"mode": "steal", "http_filter": {"header_filter": "^x-user: me$", "ports": [8080]}}',
    verdict: 'stolen',
    reason: /http_filter\.ports does not list port 9100/,
  },
  {
    name: 'curl https with a filter and no TLS stealing: safe (the agent passes TLS through)',
    command: '["curl", "-k", "https://localhost:8080/healthz"]',
    incoming: RECIPE,
    verdict: 'safe',
  },
  // wget, grpc_health_probe, podcli, unknown programs
  {
    name: 'wget under the recipe: stolen (both Wget variants)',
    command: '["wget", "-qO-", "http://localhost:8080/healthz"]',
    incoming: RECIPE,
    verdict: 'stolen',
  },
  {
    name: 'wget --spider with method_filter GET: GNU sends HEAD, BusyBox GET: unknown',
    command: '["wget", "--spider", "http://localhost:8080/healthz"]',
    incoming: '{"mode": "steal", "http_filter": {"method_filter": "GET"}}',
    verdict: 'unknown',
    reason: /variant/,
  },
  {
    name: 'grpc_health_probe under the recipe: stolen',
    command: '["/bin/grpc_health_probe", "-addr=:8080"]',
    incoming: RECIPE,
    verdict: 'stolen',
    reason: /grpc_health_probe grpc-go/,
  },
  {
    name: 'podcli check http under the recipe: stolen (Go-http-client/1.1)',
    command: '["podcli", "check", "http", "localhost:8080/healthz"]',
    incoming: RECIPE,
    verdict: 'stolen',
  },
  {
    name: 'an unknown program with a URL under the recipe: unknown (its User-Agent decides)',
    command: '["/app/check", "http://localhost:8080/healthz"]',
    incoming: RECIPE,
    verdict: 'unknown',
    reason: /User-Agent check sends/,
  },
  {
    name: 'an unknown program with a URL, no filter: stolen',
    command: '["/app/check", "http://localhost:8080/healthz"]',
    incoming: '"steal"',
    verdict: 'stolen',
  },
  // Protocols other than HTTP
  { name: 'redis-cli ping on a stolen unfiltered port: stolen', command: '["redis-cli", "-p", "8080", "ping"]', incoming: '"steal"', verdict: 'stolen' },
  {
    name: 'redis-cli ping on a filtered port: not HTTP, passed through: safe',
    command: '["redis-cli", "-p", "8080", "ping"]',
    incoming: RECIPE,
    verdict: 'safe',
    reason: /not HTTP/,
  },
  {
    name: 'redis-cli ping on its default 6379, which nothing else uses: stolen with no filter',
    command: '["redis-cli", "ping"]',
    incoming: '"steal"',
    verdict: 'stolen',
  },
  { name: 'nc -z: a bare connect passes', command: '["nc", "-z", "localhost", "8080"]', incoming: '"steal"', verdict: 'safe', reason: /bare connect/ },
  { name: 'pg_isready on its Unix socket: safe', command: '["pg_isready", "-U", "app"]', incoming: '"steal"', verdict: 'safe', reason: /Unix socket/ },
  { name: 'pg_isready -h 127.0.0.1 -p 8080: stolen', command: '["pg_isready", "-h", "127.0.0.1", "-p", "8080"]', incoming: '"steal"', verdict: 'stolen' },
  { name: 'mysqladmin ping on localhost (the socket): safe', command: '["mysqladmin", "ping", "-h", "localhost"]', incoming: '"steal"', verdict: 'safe' },
  {
    name: 'mysqladmin ping -h 127.0.0.1 -P 8080: stolen',
    command: '["mysqladmin", "ping", "-h", "127.0.0.1", "-P", "8080"]',
    incoming: '"steal"',
    verdict: 'stolen',
  },
  // No connection, or unreadable
  { name: 'cat /tmp/ready: safe', command: '["cat", "/tmp/ready"]', incoming: '"steal"', verdict: 'safe', reason: /opens no TCP connection/ },
  { name: 'a script file: unknown, never safe', command: '["/bin/sh", "/health.sh"]', incoming: '"steal"', verdict: 'unknown' },
  {
    name: 'a readable and an unreadable part: unknown',
    command: '["sh", "-c", "cat /tmp/ready && /opt/bin/selfcheck"]',
    incoming: '"steal"',
    verdict: 'unknown',
  },
  {
    name: 'an unreadable part does not hide a stolen connection',
    command: '["sh", "-c", "/opt/bin/selfcheck && curl -f localhost:8080/healthz"]',
    incoming: '"steal"',
    verdict: 'stolen',
  },
  {
    name: 'curl inside a command substitution under the recipe: stolen',
    command: '["sh", "-c", "[ \\"$(curl -s localhost:8080/healthz)\\" = ok ]"]',
    incoming: RECIPE,
    verdict: 'stolen',
    reason: /user-agent: curl\/8/,
  },
  {
    name: 'xargs curl with the URL from its input: unknown, never safe',
    command: '["sh", "-c", "echo http://localhost:8080/healthz | xargs curl -f"]',
    incoming: '"steal"',
    verdict: 'unknown',
    reason: /from its input/,
  },
  {
    name: 'find -exec curl: stolen',
    command: '["find", "/tmp", "-maxdepth", "0", "-exec", "curl", "-f", "localhost:8080/healthz", ";"]',
    incoming: '"steal"',
    verdict: 'stolen',
  },
  // port_mapping
  {
    name: 'curl to 8080 when port_mapping sends local 8080 to remote 9090: nothing reaches 8080, safe',
    command: '["curl", "localhost:8080/healthz"]',
    incoming: '{"mode": "steal", "port_mapping": [[8080, 9090]]}',
    verdict: 'safe',
    reason: /no local port reaches remote port 8080/,
  },
];

describe('exec probes: verdicts by tool and config', () => {
  for (const c of cases) {
    test(c.name, () => {
      const { analysis } = analyse(jsonConfig(c.incoming), 'json', execApp(c.command, c.ports));
      const probe = analysis.probes[0];
      assert.equal(probe.verdict, c.verdict, probe.reason);
      if (c.reason) assert.match(probe.reason, c.reason);
      if (c.verdict === 'stolen') {
        assert.equal(findingOf(analysis, 'liveness-probe-stolen').severity, 'error');
        assert.match(findingOf(analysis, 'liveness-probe-stolen').message, /liveness exec `/);
      }
      if (c.verdict === 'unknown') findingOf(analysis, 'probe-verdict-unknown');
    });
  }
});

/** Applies the preferred fix and re-analyses: nothing liveness/readiness stays at risk. */
function fixAndRecheck(incoming: string, manifest: string): { fixed: string; title: string } {
  const { analysis, parsed } = analyse(jsonConfig(incoming), 'json', manifest);
  const finding = analysis.findings.find((f) => f.fixes.length > 0);
  assert.ok(finding, `a fix is offered: ${analysis.findings.map((f) => f.code).join(', ')}`);
  const fix = finding.fixes.find((f) => f.isPreferred)!;
  const fixed = applyTextEdits(parsed.text, fix.edits);
  const again = analyse(fixed, 'json', manifest).analysis;
  for (const p of again.probes) if (p.probe.probe !== 'startup') assert.notEqual(p.verdict, 'stolen', `${p.probe.container}/${p.probe.probe}: ${p.reason}`);
  assert.equal(again.steals, true);
  return { fixed, title: fix.title };
}

describe('exec probes: fixes proven by re-analysis', () => {
  test('no filter + curl probe: the recipe alone would still steal curl, so the fix adds a path exclusion', () => {
    const { fixed } = fixAndRecheck('"steal"', execApp('["curl", "-f", "localhost:8080/healthz"]'));
    assert.match(fixed, /"all_of"/);
    assert.match(fixed, /\^\(\?!\/healthz\(\?:\\\\\?\|\$\)\)/);
  });

  test('the recipe already set + wget probe: combined with a path exclusion', () => {
    const { fixed } = fixAndRecheck(RECIPE, execApp('["sh", "-c", "wget -q -O /dev/null http://127.0.0.1:8080/ready"]'));
    assert.match(fixed, /"all_of"/);
    assert.match(fixed, /\/ready/);
  });

  test('grpc_health_probe on a port of its own: the filter with a path exclusion of the health check', () => {
    const { fixed } = fixAndRecheck('"steal"', execApp('["grpc_health_probe", "-addr=:8080"]'));
    assert.match(fixed, /grpc\\\\.health\\\\.v1\\\\.Health\\\\\/Check|grpc\\\\\.health/);
  });

  test('curl to a probe-only port: ignore_ports is offered and proven too', () => {
    const manifest = execApp('["curl", "-f", "localhost:8081/healthz"]', '[{containerPort: 8080, name: http}, {containerPort: 8081, name: health}]');
    const { analysis } = analyse(jsonConfig('"steal"'), 'json', manifest);
    const titles = findingOf(analysis, 'liveness-probe-stolen').fixes.map((f) => f.title);
    assert.ok(titles.includes('Leave probe port 8081 to the pod (ignore_ports)'), titles.join(' / '));
  });

  test('redis-cli on a stolen port: any filter passes its non-HTTP connection through', () => {
    fixAndRecheck('"steal"', execApp('["redis-cli", "-p", "8080", "ping"]'));
  });

  test('verdicts of the demo-like probe set stay consistent with verdicts()', () => {
    const { analysis } = analyse(jsonConfig('"steal"'), 'json', execApp('["curl", "localhost:8080/"]'));
    assert.deepEqual(verdicts(analysis), { 'app/liveness': 'stolen' });
    assert.equal(analysis.probes[0].port, 8080, 'the verdict names the port the command connects to');
  });
});
