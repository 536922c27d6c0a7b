// Which kubeconfig, context and namespace a lookup uses: precedence, KUBECONFIG merging as kubectl
// does it, `~`/`$VAR` expansion and paths relative to the mirrord config's folder. No network.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createClusterResolver } from '../../../src/kube/clusterResolver';
import { type ClusterInfo, isResolveFailure } from '../../../src/kube/clusterTypes';
import { kubeconfigDoc, tempDir, writeKubeconfig } from '../../support/kubeconfigs';
import { settingsFor } from '../../support/kubeFixtures';

const resolver = createClusterResolver();

function entry(name: string, server: string, namespace?: string) {
  return { name, cluster: { server }, user: { token: `t-${name}-secret` }, namespace };
}

function info(value: ReturnType<typeof resolver.describe>): ClusterInfo {
  assert.ok(!isResolveFailure(value), isResolveFailure(value) ? value.message : '');
  return value as ClusterInfo;
}

describe('kubeconfig selection', () => {
  const dir = tempDir();
  const a = writeKubeconfig(
    dir,
    'a.yaml',
    kubeconfigDoc([entry('alpha', 'https://a.example:6443', 'team-a'), entry('shared', 'https://from-a:6443')], 'alpha'),
  );
  const b = writeKubeconfig(dir, 'b.yaml', kubeconfigDoc([entry('beta', 'https://b.example:6443'), entry('shared', 'https://from-b:6443', 'ns-b')], 'beta'));
  const noCurrent = writeKubeconfig(dir, 'none.yaml', kubeconfigDoc([entry('gamma', 'https://g.example:6443')], null));

  it('KUBECONFIG list: first file that sets a value wins, current-context included', () => {
    const s = settingsFor(dir, { env: { KUBECONFIG: `${b}:${a}` } });
    const got = info(resolver.describe({}, s));
    assert.equal(got.context, 'beta');
    assert.deepEqual(got.kubeconfigFiles, [b, a]);
    assert.equal(info(resolver.describe({ kubeContext: 'shared' }, s)).server, 'https://from-b:6443');
    assert.equal(info(resolver.describe({ kubeContext: 'shared' }, settingsFor(dir, { env: { KUBECONFIG: `${a}:${b}` } }))).server, 'https://from-a:6443');
    assert.deepEqual(resolver.listContexts(s).sort(), ['alpha', 'beta', 'shared']);
  });

  it('current-context comes from the first file that sets it, even when that is not the first file', () => {
    const got = info(resolver.describe({}, settingsFor(dir, { env: { KUBECONFIG: `${noCurrent}:${a}:${b}` } })));
    assert.equal(got.context, 'alpha');
  });

  it('missing KUBECONFIG entries are skipped; all missing is a bad kubeconfig', () => {
    assert.equal(info(resolver.describe({}, settingsFor(dir, { env: { KUBECONFIG: `${join(dir, 'nope')}:${a}` } }))).context, 'alpha');
    const none = resolver.describe({}, settingsFor(dir, { env: { KUBECONFIG: join(dir, 'nope') } }));
    assert.ok(isResolveFailure(none) && none.kind === 'bad-kubeconfig');
  });

  it('precedence of files: the config field, then the override, then KUBECONFIG, then ~/.kube/config', () => {
    const home = tempDir();
    mkdirSync(join(home, '.kube'));
    const homeFile = writeKubeconfig(join(home, '.kube'), 'config', kubeconfigDoc([entry('home', 'https://home:6443')]));
    const env = { HOME: home, KUBECONFIG: b };
    assert.deepEqual(info(resolver.describe({ kubeconfig: a }, settingsFor(dir, { env, overrides: { kubeconfig: b } }))).kubeconfigFiles, [a]);
    assert.deepEqual(info(resolver.describe({}, settingsFor(dir, { env, overrides: { kubeconfig: a } }))).kubeconfigFiles, [a]);
    assert.deepEqual(info(resolver.describe({}, settingsFor(dir, { env }))).kubeconfigFiles, [b]);
    assert.deepEqual(info(resolver.describe({}, settingsFor(dir, { env: { HOME: home } }))).kubeconfigFiles, [homeFile]);
    assert.deepEqual(resolver.watchedFiles(settingsFor(dir, { env: { HOME: home } })), [homeFile]);
  });

  it('context: the config field, then the override, then current-context', () => {
    const s = settingsFor(dir, { env: { KUBECONFIG: `${a}:${b}` }, overrides: { context: 'beta' } });
    assert.equal(info(resolver.describe({ kubeContext: 'shared' }, s)).context, 'shared');
    assert.equal(info(resolver.describe({}, s)).context, 'beta');
    assert.equal(info(resolver.describe({}, settingsFor(dir, { env: { KUBECONFIG: a } }))).context, 'alpha');
  });

  it('namespace: target namespace, then the override, then the context, then default', () => {
    const s = settingsFor(dir, { env: { KUBECONFIG: a } });
    assert.equal(info(resolver.describe({ namespace: 'target-ns' }, { ...s, overrides: { namespace: 'flag-ns' } })).namespace, 'target-ns');
    assert.equal(info(resolver.describe({}, { ...s, overrides: { namespace: 'flag-ns' } })).namespace, 'flag-ns');
    assert.equal(info(resolver.describe({}, s)).namespace, 'team-a');
    assert.equal(info(resolver.describe({ kubeContext: 'shared' }, s)).namespace, 'default');
  });

  it('`~`, `$VAR`, `${VAR}` and relative paths (against the mirrord config folder) in the kubeconfig field', () => {
    const home = tempDir();
    const inHome = writeKubeconfig(home, 'k.yaml', kubeconfigDoc([entry('tilde', 'https://t:6443')]));
    const env = { HOME: home, KDIR: dir, KNAME: 'b.yaml' };
    assert.deepEqual(info(resolver.describe({ kubeconfig: '~/k.yaml' }, settingsFor(dir, { env }))).kubeconfigFiles, [inHome]);
    assert.deepEqual(info(resolver.describe({ kubeconfig: '$KDIR/a.yaml' }, settingsFor('/', { env }))).kubeconfigFiles, [a]);
    assert.deepEqual(info(resolver.describe({ kubeconfig: '${KDIR}/${KNAME}' }, settingsFor('/', { env }))).kubeconfigFiles, [b]);
    assert.deepEqual(info(resolver.describe({ kubeconfig: 'a.yaml:~/k.yaml' }, settingsFor(dir, { env }))).kubeconfigFiles, [a, inHome]);
    const nested = join(dir, 'project', '.mirrord');
    mkdirSync(nested, { recursive: true });
    assert.deepEqual(info(resolver.describe({ kubeconfig: '../../a.yaml' }, settingsFor(nested, { env }))).kubeconfigFiles, [a]);
  });

  it('no current-context and no kube_context: an actionable bad-kubeconfig', () => {
    const got = resolver.describe({}, settingsFor(dir, { env: { KUBECONFIG: noCurrent } }));
    assert.ok(isResolveFailure(got));
    assert.equal(got.kind, 'bad-kubeconfig');
    assert.match(got.message, /no current-context/);
  });

  it('describe returns user names only, never tokens', () => {
    const got = info(resolver.describe({}, settingsFor(dir, { env: { KUBECONFIG: a } })));
    assert.equal(got.user, 'alpha-user');
    assert.doesNotMatch(JSON.stringify(got), /secret/);
  });
});
