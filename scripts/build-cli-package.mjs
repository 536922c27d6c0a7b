// Builds the `probe-guard` npm package in packages/cli/ from this repository (npm run build:cli-package):
// production bundles of the CLI (with the parsers and file discovery it loads on first use, and its
// code cache), the cluster layer (client-node, loaded only by a cluster lookup),
// the language server and its engine worker into packages/cli/dist/, the two launchers into bin/,
// LICENSE, and THIRD_PARTY_LICENSES.md for every package the bundles contain. The package has no
// runtime dependencies: `npx probe-guard` installs one tarball and never runs an install script.
// Then `npm pack` in packages/cli/ makes the tarball to publish.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(root, 'packages', 'cli');
const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const cliPkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
if (cliPkg.version !== rootPkg.version) {
  console.error(`packages/cli/package.json has version ${cliPkg.version}, the repository ${rootPkg.version}: make them the same`);
  process.exit(1);
}

const BUNDLES = ['cli', 'kube', 'kubeClientNode', 'server', 'serverWorker'];
// Built with cli (scripts/build.mjs): the packages dist/cli.js loads on first use and the code cache bin/probe-guard.js sets up.
const CLI_PARTS = ['cli-yaml', 'cli-toml-eslint-parser', 'cli-tinyglobby', 'cli-ignore', 'cli-dotenv', 'compileCache'];
rmSync(join(pkgDir, 'dist'), { recursive: true, force: true });
rmSync(join(pkgDir, 'bin'), { recursive: true, force: true });
mkdirSync(join(pkgDir, 'dist'), { recursive: true });
mkdirSync(join(pkgDir, 'bin'), { recursive: true });
const metafile = join(pkgDir, 'dist', 'meta.json');
execFileSync(
  process.execPath,
  [join(root, 'scripts', 'build.mjs'), '--production', '--outdir', join(pkgDir, 'dist'), '--only', BUNDLES.join(','), '--metafile', metafile],
  { cwd: root, stdio: 'inherit' },
);
const meta = JSON.parse(readFileSync(metafile, 'utf8'));
rmSync(metafile);
for (const bundle of [...BUNDLES, ...CLI_PARTS]) if (!existsSync(join(pkgDir, 'dist', `${bundle}.js`))) throw new Error(`dist/${bundle}.js was not built`);

for (const bin of ['probe-guard.js', 'probe-guard-language-server.js']) copyFileSync(join(root, 'bin', bin), join(pkgDir, 'bin', bin));
copyFileSync(join(root, 'LICENSE'), join(pkgDir, 'LICENSE'));
writeFileSync(join(pkgDir, 'THIRD_PARTY_LICENSES.md'), thirdPartyLicenses(Object.keys(meta.inputs)));
console.log(`packages/cli: probe-guard ${cliPkg.version} built (${BUNDLES.map((b) => `dist/${b}.js`).join(', ')})`);

/** The name, version, licence and licence text of every npm package whose files went into a bundle. */
function thirdPartyLicenses(inputs) {
  const packages = new Map();
  for (const input of inputs) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const rest = input.slice(at + 'node_modules/'.length).split('/');
    const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
    const dir = join(root, input.slice(0, at), 'node_modules', name);
    if (!packages.has(dir)) packages.set(dir, name);
  }
  const sections = [...packages.entries()]
    .sort((a, b) => a[1].localeCompare(b[1]))
    .map(([dir, name]) => {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
      const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `(no licence file in the package; package.json says ${pkg.license})`;
      return `## ${name} ${pkg.version}\n\nLicence: ${typeof pkg.license === 'string' ? pkg.license : JSON.stringify(pkg.license)}\n\n\`\`\`\n${text}\n\`\`\`\n`;
    });
  return `# Third-party software in the probe-guard package\n\nThe bundles in dist/ contain these npm packages.\n\n${sections.join('\n')}`;
}
