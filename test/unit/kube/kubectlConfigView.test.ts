// Probe Guard picks the cluster kubectl picks: over a matrix of kubeconfigs, ClusterResolver.describe
// and `kubectl config view --minify` (YAML, and -o json) agree on the context, cluster, server,
// user and namespace, or both refuse. The mirrord config's own `kubeconfig` and `kube_context` are
// given to kubectl as --kubeconfig and --context; kubectl runs in the config's folder, the base
// Probe Guard resolves relative paths against.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import { isResolveFailure } from '../../../src/kube/clusterTypes';
import { type ContextEntry, kubeconfigDoc, tempDir, writeKubeconfig } from '../../support/kubeconfigs';
import { settingsFor } from '../../support/kubeFixtures';

const KUBECTL = '/usr/bin/kubectl';

interface Choice {
  context?: string;
  cluster?: string;
  server?: string;
  user?: string;
  namespace?: string;
}

type Outcome = { ok: true; choice: Choice } | { ok: false };

interface Case {
  name: string;
  /** KUBECONFIG, with `DIR` standing for the case's folder; unset when undefined. */
  kubeconfigEnv?: string;
  /** The mirrord config's `kubeconfig` (kubectl --kubeconfig). */
  kubeconfig?: string;
  /** The mirrord config's `kube_context` (kubectl --context). */
  kubeContext?: string;
  /** Expect both to refuse (else both to agree on a choice). */
  refused?: boolean;
}

const entry = (name: string, server: string, extra: Partial<ContextEntry> = {}): ContextEntry => ({
  name,
  cluster: { server, 'insecure-skip-tls-verify': true },
  user: { token: `token-${name}` },
  ...extra,
});

/** The kubeconfig files every case draws on, in one folder (plus a HOME with ~/.kube/config). */
function writeFiles(): { dir: string; home: string } {
  const dir = tempDir('probe-guard-config-view-');
  const home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  writeKubeconfig(join(home, '.kube'), 'config', kubeconfigDoc([entry('home', 'https://home.example:6443', { namespace: 'home-ns' })]));
  writeKubeconfig(
    dir,
    'a.yaml',
    kubeconfigDoc([entry('alpha', 'https://a.example:6443', { namespace: 'team-a' }), entry('shared', 'https://from-a:6443')], 'alpha'),
  );
  writeKubeconfig(
    dir,
    'b.yaml',
    kubeconfigDoc([entry('beta', 'https://b.example:6443'), entry('shared', 'https://from-b:6443', { namespace: 'ns-b', userName: 'b-user' })], 'beta'),
  );
  writeKubeconfig(dir, 'no-current.yaml', kubeconfigDoc([entry('gamma', 'https://g.example:6443', { namespace: 'gamma-ns' })], null));
  writeKubeconfig(dir, 'dangling.yaml', kubeconfigDoc([entry('delta', 'https://d.example:6443')], 'not-defined'));
  // A context whose cluster and user are defined only in other files.
  writeKubeconfig(dir, 'context-only.yaml', {
    apiVersion: 'v1',
    kind: 'Config',
    contexts: [{ name: 'split', context: { cluster: 'alpha-cluster', user: 'b-user', namespace: 'split-ns' } }],
    'current-context': 'split',
  });
  // A context without a user (anonymous access) and without a namespace.
  writeKubeconfig(dir, 'anonymous.yaml', {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'open', cluster: { server: 'https://open.example:6443' } }],
    contexts: [{ name: 'anon', context: { cluster: 'open' } }],
    'current-context': 'anon',
  });
  return { dir, home };
}

const CASES: Case[] = [
  { name: 'one KUBECONFIG file, namespace set', kubeconfigEnv: 'DIR/a.yaml' },
  { name: 'namespace unset: default', kubeconfigEnv: 'DIR/b.yaml' },
  { name: 'KUBECONFIG list: the first file that sets current-context and each name wins', kubeconfigEnv: 'DIR/b.yaml:DIR/a.yaml' },
  { name: 'KUBECONFIG list, the other order', kubeconfigEnv: 'DIR/a.yaml:DIR/b.yaml', kubeContext: 'shared' },
  { name: 'KUBECONFIG list whose first file sets no current-context', kubeconfigEnv: 'DIR/no-current.yaml:DIR/b.yaml' },
  { name: 'KUBECONFIG list with missing files and empty entries', kubeconfigEnv: 'DIR/missing.yaml::DIR/a.yaml:DIR/also-missing.yaml' },
  { name: 'KUBECONFIG with relative entries (against the config folder)', kubeconfigEnv: 'b.yaml:a.yaml' },
  { name: 'a context whose cluster and user come from other files', kubeconfigEnv: 'DIR/context-only.yaml:DIR/a.yaml:DIR/b.yaml' },
  { name: 'a context without user or namespace', kubeconfigEnv: 'DIR/anonymous.yaml' },
  { name: 'no KUBECONFIG: ~/.kube/config' },
  { name: 'current-context unset', kubeconfigEnv: 'DIR/no-current.yaml', refused: true },
  { name: 'current-context names an undefined context', kubeconfigEnv: 'DIR/dangling.yaml', refused: true },
  { name: 'every KUBECONFIG file missing', kubeconfigEnv: 'DIR/missing.yaml:DIR/also-missing.yaml', refused: true },
  { name: "the config's kube_context", kubeconfigEnv: 'DIR/a.yaml:DIR/b.yaml', kubeContext: 'beta' },
  { name: 'kube_context where current-context is unset', kubeconfigEnv: 'DIR/no-current.yaml', kubeContext: 'gamma' },
  { name: 'kube_context naming an undefined context', kubeconfigEnv: 'DIR/a.yaml', kubeContext: 'nope', refused: true },
  { name: "the config's kubeconfig wins over KUBECONFIG", kubeconfigEnv: 'DIR/a.yaml', kubeconfig: 'DIR/b.yaml' },
  { name: "the config's kubeconfig, relative, with kube_context", kubeconfigEnv: 'DIR/b.yaml', kubeconfig: 'a.yaml', kubeContext: 'shared' },
  { name: "the config's kubeconfig without current-context", kubeconfig: 'DIR/no-current.yaml', refused: true },
];

function kubectlChoice(c: Case, dir: string, home: string): { yaml: Outcome; json: Outcome } {
  const env: Record<string, string> = { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin' };
  if (c.kubeconfigEnv !== undefined) env.KUBECONFIG = c.kubeconfigEnv.replaceAll('DIR', dir);
  const flags = [...(c.kubeconfig ? ['--kubeconfig', c.kubeconfig.replaceAll('DIR', dir)] : []), ...(c.kubeContext ? ['--context', c.kubeContext] : [])];
  const view = (extra: string[]): any => {
    try {
      return parse(
        execFileSync(KUBECTL, ['config', 'view', '--minify', ...flags, ...extra], { env, cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
      );
    } catch {
      return undefined;
    }
  };
  const outcome = (doc: any): Outcome => {
    if (!doc) return { ok: false };
    const context = doc.contexts?.[0];
    const cluster = doc.clusters?.[0];
    return {
      ok: true,
      choice: {
        context: context?.name,
        cluster: context?.context?.cluster,
        server: cluster?.cluster?.server,
        user: context?.context?.user || undefined,
        namespace: context?.context?.namespace || 'default',
      },
    };
  };
  return { yaml: outcome(view([])), json: outcome(view(['-o', 'json'])) };
}

function probeGuardChoice(c: Case, dir: string, home: string): Outcome {
  const env: Record<string, string | undefined> = { HOME: home };
  if (c.kubeconfigEnv !== undefined) env.KUBECONFIG = c.kubeconfigEnv.replaceAll('DIR', dir);
  const described = createClusterResolver().describe(
    { kubeconfig: c.kubeconfig?.replaceAll('DIR', dir), kubeContext: c.kubeContext },
    settingsFor(dir, { env }),
  );
  if (isResolveFailure(described)) {
    assert.equal(described.kind, 'bad-kubeconfig', `${c.name}: ${described.message}`);
    return { ok: false };
  }
  return {
    ok: true,
    choice: {
      context: described.context,
      cluster: described.cluster,
      server: described.server,
      user: described.user || undefined,
      namespace: described.namespace,
    },
  };
}

describe('Probe Guard and kubectl config view --minify pick the same cluster', () => {
  const { dir, home } = writeFiles();
  for (const c of CASES) {
    it(c.name, () => {
      const kubectl = kubectlChoice(c, dir, home);
      assert.deepEqual(kubectl.json, kubectl.yaml, 'kubectl config view --minify: YAML and -o json differ');
      assert.equal(kubectl.json.ok, !c.refused, `kubectl ${c.refused ? 'accepted' : 'refused'} the case: ${JSON.stringify(kubectl.json)}`);
      assert.deepEqual(probeGuardChoice(c, dir, home), kubectl.json);
    });
  }
});
