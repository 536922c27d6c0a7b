/**
 * Runs the same extension-host suites (test/vscode-runner/suites.json) in desktop VS Code through
 * @vscode/test-electron, for contributors who can download VS Code (it is fetched from
 * update.code.visualstudio.com; that host is unreachable on the CI machines, where
 * `npm run test:vscode` runs them in code-server instead). Not part of `npm test`.
 *
 *   npm run test:electron [-- --suite NAME] [-- --version 1.100.3]
 * Needs a display on Linux (e.g. `xvfb-run -a npm run test:electron`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { defaultUserSettings, repoRoot } from './codeServer';
import { findTestFiles, loadSuites } from './runExtensionTests';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const only: string[] = [];
  let version = process.env.PROBE_GUARD_VSCODE_VERSION ?? '1.100.3';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--suite') only.push(argv[++i]);
    else if (argv[i] === '--version') version = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  const suites = loadSuites().filter((s) => only.length === 0 || only.includes(s.name ?? ''));
  const extensionTestsPath = path.join(repoRoot, 'out', 'test', 'vscode', 'index.js');
  let failed = 0;
  for (const s of suites) {
    const trust = s.trust ?? 'trusted';
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-electron-'));
    let teardown: (() => Promise<void>) | undefined;
    try {
      const workspace = path.join(state, path.basename(s.workspace));
      fs.cpSync(path.resolve(repoRoot, s.workspace), workspace, { recursive: true });
      const userDataDir = path.join(state, 'user-data');
      fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
      fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(defaultUserSettings(trust), null, 2));
      const launchArgs = [
        // A multi-root suite opens its .code-workspace (desktop VS Code takes the file as the workspace).
        s.workspaceFile ? path.join(workspace, s.workspaceFile) : workspace,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        path.join(state, 'extensions'),
        '--disable-extensions',
        '--skip-welcome',
        '--skip-release-notes',
      ];
      if (trust === 'trusted') launchArgs.push('--disable-workspace-trust');
      let env: Record<string, string> = { ...(s.env ?? {}) };
      if (s.setup) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const res = await require(path.resolve(repoRoot, s.setup)).setup({ workspace, stateDir: state });
        env = { ...env, ...(res?.env ?? {}) };
        teardown = res?.teardown;
      }
      process.stderr.write(`[electron] suite ${s.name} (${trust})\n`);
      const code = await runTests({
        version,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath,
        launchArgs,
        extensionTestsEnv: {
          ...env,
          PROBE_GUARD_TEST_FILES: JSON.stringify(findTestFiles(s.tests, s.shallow)),
          PROBE_GUARD_TRUST: trust,
          PROBE_GUARD_TEST_WORKSPACE: workspace,
          ...(s.grep ? { PROBE_GUARD_TEST_GREP: s.grep } : {}),
        },
      }).catch((e) => {
        process.stderr.write(`[electron] ${s.name}: ${e}\n`);
        return 1;
      });
      if (code !== 0) failed++;
    } finally {
      await teardown?.().catch(() => undefined);
      fs.rmSync(state, { recursive: true, force: true });
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exitCode = 1;
});
