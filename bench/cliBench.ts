/**
 * `cli.scan_vs_single_ratio`: one `probe-guard check` over a git repository of 200 generated
 * configs (JSON, YAML and TOML, on 20 distinct targets, some risky, some safe, some mirror)
 * against a manifest folder, over one `check` of a single config of it, as whole processes of
 * the npm package users run (packages/cli, production bundles, built here). Samples interleaved,
 * medians. `cli.single_config_ms` is the single run.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from './bundleBench';
import { median } from './stats';

export interface CliResult {
  configs: number;
  distinct_targets: number;
  single_config_ms: number;
  scan_ms: number;
  scan_vs_single_ratio: number;
  /** `node -e ''`: what any of these processes pays before the CLI runs. */
  node_startup_ms: number;
  samples: number;
}

const CONFIGS = 200;
const TARGETS = 20;
const SAFE_FILTER = '^User-Agent: (?!kube-probe)';

function deployment(i: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: shop}
spec:
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}}}
    spec:
      containers:
        - name: app
          ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9100}]
          livenessProbe: {httpGet: {path: /healthz, port: http}, periodSeconds: 10}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
          startupProbe: {httpGet: {path: /healthz, port: http}, failureThreshold: 30}
`;
}

/** Config `i`: JSON, YAML or TOML by turns; steal without a filter, with the safe filter, or mirror. */
function config(i: number): { file: string; text: string } {
  const target = `deployment/app-${i % TARGETS}`;
  const kind = i % 3;
  const format = (['json', 'yaml', 'toml'] as const)[Math.floor(i / 3) % 3];
  const incoming =
    kind === 0 ? { mode: 'steal' } : kind === 1 ? { mode: 'steal', http_filter: { header_filter: SAFE_FILTER, ports: [8080] } } : { mode: 'mirror' };
  const file = `services/svc-${i}/${format === 'json' ? '.mirrord/mirrord.json' : `dev.mirrord.${format}`}`;
  if (format === 'json') {
    return { file, text: `${JSON.stringify({ target: { path: target, namespace: 'shop' }, feature: { network: { incoming }, fs: 'read' } }, null, 2)}\n` };
  }
  if (format === 'yaml') {
    const filter = 'http_filter' in incoming ? `      http_filter:\n        header_filter: "${SAFE_FILTER}"\n        ports: [8080]\n` : '';
    return {
      file,
      text: `target:\n  path: ${target}\n  namespace: shop\nfeature:\n  fs: read\n  network:\n    incoming:\n      mode: ${incoming.mode}\n${filter}`,
    };
  }
  const filter = 'http_filter' in incoming ? `\n[feature.network.incoming.http_filter]\nheader_filter = "${SAFE_FILTER}"\nports = [8080]\n` : '';
  return {
    file,
    text: `[target]\npath = "${target}"\nnamespace = "shop"\n\n[feature]\nfs = "read"\n\n[feature.network.incoming]\nmode = "${incoming.mode}"\n${filter}`,
  };
}

function timed(args: string[], cwd: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) =>
    execFile(process.execPath, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { PATH: process.env.PATH, HOME: cwd } }, (error) => {
      // Exit 1 is expected: some configs steal probes. Anything else is a broken benchmark.
      if (error && error.code !== 1) reject(new Error(`probe-guard ${args.join(' ')} failed: ${error.message}`));
      else resolve(performance.now() - started);
    }),
  );
}

let cliPackageBuilt = false;

/**
 * The `probe-guard` npm package as users get it (`npm run build:cli-package`: production bundles in
 * packages/cli/dist/), built once per bench run; returns its bin/probe-guard.js.
 */
export function productionCli(): string {
  const root = repoRoot();
  if (!cliPackageBuilt) execFileSync(process.execPath, [join(root, 'scripts', 'build-cli-package.mjs')], { cwd: root, stdio: 'ignore' });
  cliPackageBuilt = true;
  return join(root, 'packages', 'cli', 'bin', 'probe-guard.js');
}

export async function runCliBench(log: (line: string) => void, samples = 9): Promise<CliResult> {
  const cli = productionCli();
  const repo = mkdtempSync(join(tmpdir(), 'probe-guard-bench-cli-'));
  try {
    mkdirSync(join(repo, 'k8s'));
    for (let f = 0; f < 4; f++) {
      const docs: string[] = [];
      for (let i = f; i < TARGETS; i += 4) docs.push(deployment(i));
      writeFileSync(join(repo, 'k8s', `apps-${f}.yaml`), docs.join('---\n'));
    }
    for (let i = 0; i < CONFIGS; i++) {
      const { file, text } = config(i);
      mkdirSync(join(repo, file, '..'), { recursive: true });
      writeFileSync(join(repo, file), text);
    }
    // A CI checkout is a git work tree: the scan asks git which files to look at.
    spawnSync('git', ['init', '-q'], { cwd: repo });
    const single = [cli, 'check', config(0).file, '--manifest', 'k8s', '--format', 'json'];
    const scan = [cli, 'check', '--manifest', 'k8s', '--format', 'json'];
    const nodeOnly = ['-e', ''];
    const times = { single: [] as number[], scan: [] as number[], node: [] as number[] };
    await timed(single, repo);
    await timed(scan, repo);
    for (let i = 0; i < samples; i++) {
      times.single.push(await timed(single, repo));
      times.scan.push(await timed(scan, repo));
      times.node.push(await timed(nodeOnly, repo));
    }
    const result: CliResult = {
      configs: CONFIGS,
      distinct_targets: TARGETS,
      single_config_ms: round(median(times.single)),
      scan_ms: round(median(times.scan)),
      scan_vs_single_ratio: round(median(times.scan) / median(times.single), 2),
      node_startup_ms: round(median(times.node)),
      samples,
    };
    log(
      `  cli: check of 1 config ${result.single_config_ms} ms, of ${CONFIGS} configs (${TARGETS} targets) ${result.scan_ms} ms = ${result.scan_vs_single_ratio}x; node start-up ${result.node_startup_ms} ms`,
    );
    return result;
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
