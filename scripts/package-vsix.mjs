// Production build + `vsce package --no-dependencies`, then checks what went into the .vsix:
// the bundled extension, manifest and icon are there; node_modules, sources, tests, maps are not.
//   node scripts/package-vsix.mjs [--out FILE.vsix]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outArg = process.argv.indexOf('--out');
const out = resolve(root, outArg > 0 ? process.argv[outArg + 1] : `${pkg.name}-${pkg.version}.vsix`);
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

console.log('> production build');
run(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production']);
for (const f of ['dist/extension.js', 'dist/languageClient.js', 'dist/kube.js', 'dist/kubeClientNode.js', 'dist/server.js', 'dist/serverWorker.js']) {
  if (!existsSync(join(root, f))) throw new Error(`${f} was not built`);
}

console.log(`> vsce package -> ${out}`);
// package.json's repository lets vsce turn README's relative links and images into absolute URLs.
run(bin('vsce'), ['package', '--no-dependencies', '--out', out]);

// List the zip's central directory (no unzip needed).
function zipEntries(file) {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory');
    const n = buf.readUInt16LE(p + 28),
      m = buf.readUInt16LE(p + 30),
      k = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + n));
    p += 46 + n + m + k;
  }
  return names;
}

const entries = zipEntries(out);
const required = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/languageClient.js',
  'extension/dist/kube.js',
  'extension/dist/kubeClientNode.js',
  'extension/dist/server.js',
  'extension/dist/serverWorker.js',
  'extension/images/icon.png',
  'extension/LICENSE.txt',
];
const missing = required.filter((r) => !entries.includes(r) && !(r.endsWith('LICENSE.txt') && entries.includes('extension/LICENSE')));
const forbidden = entries.filter(
  (e) => /^extension\/(node_modules|src|test|out|scripts|demo|\.vscode-test|bench)\//.test(e) || e.endsWith('.map') || e.endsWith('.ts'),
);
console.log(`\n${out} (${(statSync(out).size / 1024).toFixed(0)} KiB, ${entries.length} entries):`);
for (const e of entries) console.log(`  ${e}`);
if (missing.length || forbidden.length) {
  if (missing.length) console.error(`missing from the vsix: ${missing.join(', ')}`);
  if (forbidden.length) console.error(`must not be in the vsix: ${forbidden.join(', ')}`);
  process.exit(1);
}
console.log('vsix contents OK');
