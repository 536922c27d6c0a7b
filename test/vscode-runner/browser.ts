/** Launches Debian's chromium through playwright-core (Playwright's own browsers cannot be downloaded here). */
import * as fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function chromiumPath(): string {
  const candidates = [process.env.PROBE_GUARD_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  for (const c of candidates) if (c && fs.existsSync(c)) return c;
  throw new Error('chromium not found: run `npm run provision` (apt-get install chromium) or set PROBE_GUARD_CHROMIUM');
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: process.env.PROBE_GUARD_HEADED !== '1',
    args: chromiumFlags,
    timeout: 60_000,
  });
}
