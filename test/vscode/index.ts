/**
 * Test module loaded by VS Code's extension host (`extensionTestsPath`). Runs mocha 11 (TDD UI:
 * `suite`/`test`/`suiteSetup`) over the files listed in PROBE_GUARD_TEST_FILES (a JSON array set by
 * test/vscode-runner/runExtensionTests.ts), or else every `*.test.js` below this folder.
 * The report goes to the extension host's console, which the runner prints.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha = require('mocha');

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p));
    else if (e.isFile() && e.name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env.PROBE_GUARD_MOCHA_TIMEOUT ?? 60_000),
    grep: process.env.PROBE_GUARD_TEST_GREP || undefined,
  });
  const listed = process.env.PROBE_GUARD_TEST_FILES;
  const files: string[] = listed ? JSON.parse(listed) : findTests(__dirname);
  for (const f of files) mocha.addFile(f);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} test(s) failed.`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
