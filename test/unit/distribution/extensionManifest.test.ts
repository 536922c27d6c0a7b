/**
 * The extension is ready for the Visual Studio Marketplace and for Open VSX: the manifest fields
 * both use (publisher, licence, repository, icon, links, banner), `extensionKind: ["workspace"]`
 * (it reads kubeconfigs and runs exec plugins where the workspace is: SSH, WSL, Dev Containers),
 * no proposed API; and the .vsix that `npm run package` makes (in a temporary copy of the
 * checkout, so the shared dist/ is never rebuilt under other tests) carries them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { repoRoot } from '../analyze/analyzeSupport';

const ROOT = repoRoot();
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const GITHUB = 'https://github.com/probe-guard/mirrord-probe-guard';

/** A zip's files (stored or deflated), read from its central directory. */
function readZip(file: string): Map<string, Buffer> {
  const buf = fs.readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, `${file} is not a zip`);
  const entries = new Map<string, Buffer>();
  let p = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < buf.readUInt16LE(eocd + 10); i++) {
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const [nameLength, extraLength, commentLength] = [buf.readUInt16LE(p + 28), buf.readUInt16LE(p + 30), buf.readUInt16LE(p + 32)];
    const name = buf.toString('utf8', p + 46, p + 46 + nameLength);
    const local = buf.readUInt32LE(p + 42);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe('the extension manifest', () => {
  test('the fields the Marketplace and Open VSX show or require', () => {
    assert.match(pkg.publisher, /^[a-z0-9][a-z0-9-]*$/, 'a publisher id (an Open VSX namespace)');
    assert.match(pkg.name, /^[a-z0-9][a-z0-9-]*$/);
    assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
    assert.equal(pkg.license, 'MIT');
    assert.ok(fs.existsSync(path.join(ROOT, 'LICENSE')), 'Open VSX refuses an extension without a licence file');
    assert.equal(pkg.repository.url, `${GITHUB}.git`);
    assert.equal(pkg.homepage, `${GITHUB}#readme`);
    assert.equal(pkg.bugs.url, `${GITHUB}/issues`);
    assert.equal(pkg.qna, false, 'no Marketplace Q&A: questions go to the issues');
    assert.equal(pkg.pricing, 'Free');
    assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
    assert.ok(pkg.displayName && pkg.description && pkg.categories.length > 0 && pkg.keywords.length <= 30);
    const icon = fs.readFileSync(path.join(ROOT, pkg.icon));
    assert.equal(icon.toString('latin1', 1, 4), 'PNG', 'the icon is a PNG (SVG icons are refused)');
    assert.ok(icon.readUInt32BE(16) >= 128 && icon.readUInt32BE(20) >= 128, 'at least 128x128');
  });

  test('extensionKind workspace, engines pinned, no proposed API', () => {
    assert.deepEqual(pkg.extensionKind, ['workspace']);
    assert.equal(pkg.engines.vscode, '^1.100.0');
    assert.equal(pkg.enabledApiProposals, undefined);
    assert.equal(pkg.enableProposedApi, undefined);
  });
});

describe('the .vsix', () => {
  let tmp = '';
  let vsix = new Map<string, Buffer>();
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-vsix-'));
    for (const entry of [
      'package.json',
      'package.nls.json',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      '.vscodeignore',
      'tsconfig.json',
      'images',
      'schemas',
      'syntaxes',
      'l10n',
      'src',
      'scripts',
      'bin',
    ]) {
      if (fs.existsSync(path.join(ROOT, entry))) fs.cpSync(path.join(ROOT, entry), path.join(tmp, entry), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
    const r = spawnSync(process.execPath, ['scripts/package-vsix.mjs', '--out', 'probe-guard.vsix'], { cwd: tmp, encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, `npm run package failed:\n${r.stdout}\n${r.stderr}`);
    vsix = readZip(path.join(tmp, 'probe-guard.vsix'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('the vsix manifest: licence, icon, links, banner, extension kind, no proposals', () => {
    const manifest = vsix.get('extension.vsixmanifest')!.toString('utf8');
    const property = (id: string) => new RegExp(`<Property Id="${id.replace(/\./g, '\\.')}" Value="([^"]*)"`).exec(manifest)?.[1];
    assert.match(manifest, /<License>extension\/LICENSE(\.txt)?<\/License>/);
    assert.match(manifest, /<Icon>extension\/images\/icon\.png<\/Icon>/);
    assert.equal(property('Microsoft.VisualStudio.Code.ExtensionKind'), 'workspace');
    assert.equal(property('Microsoft.VisualStudio.Code.EnabledApiProposals'), '');
    assert.equal(property('Microsoft.VisualStudio.Services.Links.Source'), `${GITHUB}.git`);
    assert.equal(property('Microsoft.VisualStudio.Services.Links.Support'), `${GITHUB}/issues`);
    assert.equal(property('Microsoft.VisualStudio.Services.Links.Learn'), `${GITHUB}#readme`);
    assert.equal(property('Microsoft.VisualStudio.Services.Branding.Color'), pkg.galleryBanner.color);
    assert.equal(property('Microsoft.VisualStudio.Services.Branding.Theme'), pkg.galleryBanner.theme);
    assert.equal(property('Microsoft.VisualStudio.Services.EnableMarketplaceQnA'), 'false');
  });

  test('the packaged package.json, the bundles, README, CHANGELOG, licence and icon; no sources, maps or node_modules', () => {
    const packaged = JSON.parse(vsix.get('extension/package.json')!.toString('utf8'));
    assert.deepEqual(packaged.extensionKind, ['workspace']);
    assert.equal(packaged.version, pkg.version);
    for (const file of [
      'extension/dist/extension.js',
      // The commands, debug guard, countdown and launch.json CodeLens, loaded on first use.
      'extension/dist/clientFeatures.js',
      'extension/dist/languageClient.js',
      'extension/dist/server.js',
      'extension/dist/serverWorker.js',
      'extension/dist/kube.js',
      'extension/dist/kubeClientNode.js',
      'extension/readme.md',
      'extension/changelog.md',
      'extension/images/icon.png',
    ]) {
      assert.ok(vsix.has(file), file);
    }
    assert.ok(vsix.has('extension/LICENSE.txt') || vsix.has('extension/LICENSE'));
    const stray = [...vsix.keys()].filter(
      (e) => /^extension\/(node_modules|src|test|out|scripts|bench|packages|action)\//.test(e) || e.endsWith('.map') || e.endsWith('.ts'),
    );
    assert.deepEqual(stray, []);
    const readme = vsix.get('extension/readme.md')!.toString('utf8');
    assert.doesNotMatch(readme, /\]\((?!https?:|#)[^)]+\)/, 'relative links in the README are made absolute (they break on the galleries)');
  });
});
