import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { InputError, loadManifests, ParsedManifestFiles, readConfigFile } from '../../../src/service/inputFiles';
import { configTextProblem } from '../../../src/service/inputLimits';
import { resolveFromManifestFiles } from '../../../src/service/manifestResolution';

const deployment = (name: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: default}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers:\n        - name: app\n          image: x\n          livenessProbe: {httpGet: {path: /healthz, port: 8080}}\n`;

describe('manifest reading (files, folders, globs)', () => {
  let dir = '';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-manifests-'));
    fs.mkdirSync(path.join(dir, 'k8s', 'base'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'k8s', 'node_modules'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'k8s', 'base', 'api.yaml'), deployment('api'));
    fs.writeFileSync(path.join(dir, 'k8s', 'web.yml'), deployment('web'));
    fs.writeFileSync(path.join(dir, 'k8s', 'notes.txt'), 'not a manifest');
    fs.writeFileSync(path.join(dir, 'k8s', 'node_modules', 'dep.yaml'), deployment('dep'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a folder is walked recursively for YAML and JSON, node_modules skipped', () => {
    const loaded = loadManifests(['k8s'], { baseDir: dir, missing: 'error' });
    assert.deepEqual(loaded.files.map((f) => path.relative(dir, f)).sort(), [path.join('k8s', 'base', 'api.yaml'), path.join('k8s', 'web.yml')]);
    assert.deepEqual(loaded.objects.map((o) => o.object.metadata?.name).sort(), ['api', 'web']);
  });

  test('a glob is matched from the base folder; a file is read as given; repeats are read once', () => {
    const loaded = loadManifests(['k8s/**/*.yaml', 'k8s/base/api.yaml', path.join(dir, 'k8s', 'web.yml')], { baseDir: dir, missing: 'error' });
    assert.deepEqual(
      loaded.files.map((f) => path.basename(f)),
      ['api.yaml', 'web.yml'],
    );
  });

  test('a missing entry: an error for the CLI, a warning for a setting', () => {
    assert.throws(() => loadManifests(['nope'], { baseDir: dir, missing: 'error' }), InputError);
    const loaded = loadManifests(['nope', 'none/*.yaml'], { baseDir: dir, missing: 'warn' });
    assert.equal(loaded.files.length, 0);
    assert.equal(loaded.warnings.length, 2);
  });

  test('resolveFromManifestFiles looks the target up in what it read', () => {
    const found = resolveFromManifestFiles({
      request: { ref: { kind: 'deployment', name: 'web' } },
      namespace: 'default',
      entries: ['k8s'],
      baseDir: dir,
      missing: 'warn',
    });
    assert.equal(found.result.ok, true);
    assert.equal(found.files.length, 2);
  });

  test('parsed files are kept between reads and parsed again when they change; new files in a folder are seen', () => {
    const parsedFiles = new ParsedManifestFiles();
    const folder = path.join(dir, 'cached');
    fs.mkdirSync(folder);
    const file = path.join(folder, 'a.yaml');
    fs.writeFileSync(file, deployment('first'));
    const read = () => loadManifests(['cached'], { baseDir: dir, missing: 'warn', parsedFiles });
    const one = read();
    const two = read();
    assert.deepEqual(
      two.objects.map((o) => o.object.metadata?.name),
      ['first'],
    );
    assert.equal(two.objects[0].object, one.objects[0].object, 'the second read reuses the parsed object');
    assert.equal(two.objects[0].lineOf(['spec']), 3);
    // A change of the file (another size, another mtime) is parsed again.
    fs.writeFileSync(file, deployment('second-name'));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    assert.deepEqual(
      read().objects.map((o) => o.object.metadata?.name),
      ['second-name'],
    );
    fs.writeFileSync(path.join(folder, 'b.yaml'), deployment('added'));
    assert.deepEqual(
      read()
        .objects.map((o) => o.object.metadata?.name)
        .sort(),
      ['added', 'second-name'],
    );
    // Without a cache every read parses.
    assert.notEqual(loadManifests(['cached'], { baseDir: dir, missing: 'warn' }).objects[0].object, read().objects[0].object);
  });

  test('a config text over the size limit is refused with a message', () => {
    assert.equal(configTextProblem('{}'), undefined);
    assert.match(configTextProblem('x'.repeat(17 * 1024 * 1024)) ?? '', /17 MB; configs over 16 MB are not analysed/);
  });
});

describe('config reading', () => {
  let dir = '';
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-config-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  test('UTF-8 text; a byte order mark is dropped from YAML and TOML, kept in JSON (where mirrord refuses it: the analysis says so)', () => {
    assert.equal(readConfigFile(write('a.mirrord.yaml', Buffer.from('target: "caf\u00e9"\n'))), 'target: "caf\u00e9"\n');
    assert.equal(readConfigFile(write('b.mirrord.yaml', Buffer.from('\ufefftarget: x\n'))), 'target: x\n');
    assert.equal(readConfigFile(write('c.mirrord.toml', Buffer.from('\ufefftarget = "x"\n'))), 'target = "x"\n');
    assert.equal(readConfigFile(write('d.mirrord.json', Buffer.from('\ufeff{"target": "x"}'))), '\ufeff{"target": "x"}');
  });

  test('bytes that are not UTF-8 are an input error naming the file, not text with replacement characters', () => {
    const latin1 = write('latin1.mirrord.json', Buffer.from('{"agent": {"labels": {"owner": "Jos\u00e9"}}}', 'latin1'));
    assert.throws(
      () => readConfigFile(latin1),
      (e: Error) => e instanceof InputError && /latin1\.mirrord\.json is not UTF-8 text; mirrord reads configs as UTF-8 only/.test(e.message),
    );
    for (const bom of ['utf16le', 'utf16be']) {
      const bytes = Buffer.from('\ufeff{"target": "targetless"}', 'utf16le');
      if (bom === 'utf16be') bytes.swap16();
      const file = write(`${bom}.mirrord.json`, bytes);
      assert.throws(
        () => readConfigFile(file),
        (e: Error) => e instanceof InputError && /is UTF-16 text; mirrord reads configs as UTF-8 only \(save it as UTF-8\)/.test(e.message),
      );
    }
    const utf32 = write('utf32.mirrord.json', Buffer.from([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0, 0x7d, 0, 0, 0]));
    assert.throws(() => readConfigFile(utf32), /utf32\.mirrord\.json is UTF-32 text/);
  });
});
