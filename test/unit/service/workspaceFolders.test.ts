import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { readSettings, sectionReader } from '../../../src/service/settings';
import { folderOfPath, foldersAfterChange, isInsideFolder, kubeconfigRelativeTo, normalizeFolder, settingsDiffer } from '../../../src/service/workspaceFolders';

const root = path.resolve('/ws');
const shop = path.join(root, 'shop');
const shopApi = path.join(root, 'shop-api');
const nested = path.join(shop, 'services', 'billing');

describe('workspace folders', () => {
  test('normalizeFolder: absolute, no trailing separator, a file system root kept', () => {
    assert.equal(normalizeFolder(shop + path.sep), shop);
    assert.equal(normalizeFolder(path.join(shop, '.', 'x', '..')), shop);
    assert.equal(normalizeFolder('relative/dir'), path.resolve('relative/dir'));
    const fsRoot = path.parse(process.cwd()).root;
    assert.equal(normalizeFolder(fsRoot), fsRoot);
  });

  test('isInsideFolder: files below the folder only, not the folder itself nor a sibling sharing its prefix', () => {
    assert.equal(isInsideFolder(path.join(shop, '.mirrord', 'a.mirrord.json'), shop), true);
    assert.equal(isInsideFolder(path.join(nested, 'x.json'), shop), true);
    assert.equal(isInsideFolder(shop, shop), false);
    assert.equal(isInsideFolder(path.join(shopApi, 'a.mirrord.json'), shop), false);
    assert.equal(isInsideFolder(path.join(root, 'a.mirrord.json'), shop), false);
    // A name that starts with two dots is inside; `..` itself climbs out.
    assert.equal(isInsideFolder(path.join(shop, '..cache', 'a.mirrord.json'), shop), true);
    assert.equal(isInsideFolder(path.join(shop, '..'), shop), false);
  });

  test('folderOfPath: the innermost folder, the sibling with a common prefix told apart, none outside', () => {
    const folders = [shop, shopApi, nested];
    assert.equal(folderOfPath(path.join(shop, '.mirrord', 'a.mirrord.json'), folders), shop);
    assert.equal(folderOfPath(path.join(shopApi, '.mirrord', 'a.mirrord.json'), folders), shopApi);
    assert.equal(folderOfPath(path.join(nested, '.mirrord', 'b.mirrord.json'), folders), nested);
    // Order of the folder list does not matter for nesting.
    assert.equal(folderOfPath(path.join(nested, 'b.json'), [nested, shop]), nested);
    assert.equal(folderOfPath(path.join(root, 'elsewhere.json'), folders), undefined);
    assert.equal(folderOfPath('', folders), undefined);
    assert.equal(folderOfPath(path.join(shop, 'a.json'), []), undefined);
  });

  test('foldersAfterChange: removals first, then additions in order, normalised, without duplicates', () => {
    assert.deepEqual(foldersAfterChange([shop, shopApi], [nested + path.sep], [shop]), [shopApi, nested]);
    assert.deepEqual(foldersAfterChange([shop], [shop, shopApi, shopApi], []), [shop, shopApi]);
    // Removed and added again in one event: it stays, moved to the end.
    assert.deepEqual(foldersAfterChange([shop, shopApi], [shop], [shop]), [shopApi, shop]);
    assert.deepEqual(foldersAfterChange([shop], [], [path.join(root, 'unknown')]), [shop]);
    assert.deepEqual(foldersAfterChange([], [], []), []);
  });

  test('kubeconfigRelativeTo: relative entries from the folder, absolute and expanded ones left alone', () => {
    const abs = path.resolve('/etc/kube/config');
    assert.equal(kubeconfigRelativeTo('kube/dev.yaml', shop), path.join(shop, 'kube', 'dev.yaml'));
    assert.equal(kubeconfigRelativeTo(abs, shop), abs);
    assert.equal(kubeconfigRelativeTo('../shared/config', shop), path.join(root, 'shared', 'config'));
    const list = ['kube/a.yaml', abs, '~/.kube/config', '$HOME/k', '%USERPROFILE%\\k'].join(path.delimiter);
    assert.equal(
      kubeconfigRelativeTo(list, shop),
      [path.join(shop, 'kube', 'a.yaml'), abs, '~/.kube/config', '$HOME/k', '%USERPROFILE%\\k'].join(path.delimiter),
    );
    // Blanks around entries are trimmed; an empty entry stays empty (the lookup skips it).
    assert.equal(kubeconfigRelativeTo(` a.yaml ${path.delimiter}`, shop), `${path.join(shop, 'a.yaml')}${path.delimiter}`);
    assert.equal(kubeconfigRelativeTo(undefined, shop), undefined);
    assert.equal(kubeconfigRelativeTo('   ', shop), '   ');
  });

  test('settingsDiffer: a changed value of this folder counts, key order and problem texts do not', () => {
    const read = (section: Record<string, unknown>) => readSettings(sectionReader(section), true);
    const a = read({ manifests: ['k8s'], severity: { 'liveness-probe-stolen': 'error', 'readiness-probe-stolen': 'warning' }, kubeconfig: 'kube/a.yaml' });
    const sameOtherOrder = read({
      kubeconfig: 'kube/a.yaml',
      severity: { 'readiness-probe-stolen': 'warning', 'liveness-probe-stolen': 'error' },
      manifests: ['k8s'],
    });
    assert.equal(settingsDiffer(a, sameOtherOrder), false);
    assert.equal(settingsDiffer(a, { ...a, problems: ['probeGuard.timeoutSeconds must be a number of seconds; using 5.'] }), false);
    assert.equal(
      settingsDiffer(
        a,
        read({ manifests: ['k8s'], severity: { 'liveness-probe-stolen': 'error', 'readiness-probe-stolen': 'warning' }, kubeconfig: 'kube/b.yaml' }),
      ),
      true,
    );
    assert.equal(settingsDiffer(a, { ...a, manifests: ['k8s', 'more'] }), true);
    assert.equal(settingsDiffer(a, { ...a, severityOverrides: { ...a.severityOverrides, 'liveness-probe-stolen': 'off' } }), true);
    assert.equal(settingsDiffer(a, { ...a, kubeContext: 'prod' }), true);
  });
});
