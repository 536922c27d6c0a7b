/**
 * Playwright UI test helpers: a real VS Code workbench (code-server) in Debian chromium, with the
 * extension loaded from the repo root (`payload` extensionDevelopmentPath, no test module).
 *
 *   const wb = await Workbench.open({ workspace: 'demo/workspace' });
 *   await wb.openFile('.mirrord/risky.mirrord.json');
 *   const squiggle = await wb.waitForSquiggle('warning');
 *   const hover = await wb.hover(squiggle, /liveness/);
 *   await wb.quickFix('Add kube-probe filter');
 *   await wb.save();
 *   wb.readFile('.mirrord/risky.mirrord.json');
 *   await wb.close();
 *
 * Every wait is event-driven (Playwright's waitFor / waitForFunction) with generous timeouts.
 * Run with mocha (TDD UI): `npm run test:ui`. PROBE_GUARD_HEADED=1 shows the browser.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../vscode-runner/browser';
import { type CodeServer, type Trust, registerTempDir, removeTempDir, repoRoot, startCodeServer } from '../vscode-runner/codeServer';

// Browser globals used inside page.evaluate/waitForFunction callbacks (the project compiles without the DOM lib).
declare const document: any;

export const TIMEOUT = Number(process.env.PROBE_GUARD_UI_TIMEOUT ?? 60_000);
/**
 * Where `screenshot()` writes: images/screenshots/ (README material, committed) when
 * PROBE_GUARD_SCREENSHOTS=1 (`npm run screenshots`), else the git-ignored test-results/screenshots/
 * so that ordinary test runs leave the work tree clean.
 */
export const screenshotDir =
  process.env.PROBE_GUARD_SCREENSHOTS === '1' ? path.join(repoRoot, 'images', 'screenshots') : path.join(repoRoot, 'test-results', 'screenshots');

export interface OpenOptions {
  /** Workspace folder (repo-relative or absolute). Copied to a temp folder unless copy === false. */
  workspace: string;
  copy?: boolean;
  trust?: Trust;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  /** Extension to load; default the repo root. */
  extensionDevelopmentPath?: string;
  viewport?: { width: number; height: number };
}

/** Monaco renders spaces as U+00A0; normalise for comparisons. */
export function normalize(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

export class Workbench {
  private constructor(
    readonly server: CodeServer,
    readonly browser: Browser,
    readonly page: Page,
    /** Absolute path of the folder opened in VS Code (the temp copy). */
    readonly workspace: string,
    private readonly tempParent: string | undefined,
    readonly log: string[],
  ) {}

  static async open(opts: OpenOptions): Promise<Workbench> {
    const src = path.resolve(repoRoot, opts.workspace);
    if (!fs.existsSync(src)) throw new Error(`workspace does not exist: ${src}`);
    let workspace = src;
    let tempParent: string | undefined;
    if (opts.copy !== false) {
      tempParent = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-guard-ui-'));
      registerTempDir(tempParent);
      workspace = path.join(tempParent, path.basename(src));
      fs.cpSync(src, workspace, { recursive: true });
    }
    const log: string[] = [];
    let server: CodeServer | undefined;
    let browser: Browser | undefined;
    try {
      server = await startCodeServer({
        workspace,
        trust: opts.trust ?? 'trusted',
        env: opts.env,
        settings: opts.settings,
        onOutput: (l) => log.push(`[code-server] ${l}`),
      });
      browser = await launchChromium();
      const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1400, height: 900 } });
      page.setDefaultTimeout(TIMEOUT);
      page.on('console', (m) => log.push(`[page ${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => log.push(`[page error] ${e.message}`));
      const ext = opts.extensionDevelopmentPath ?? repoRoot;
      await page.goto(server.workbenchUrl(workspace, [['extensionDevelopmentPath', server.remoteUri(ext)]]), {
        waitUntil: 'domcontentloaded',
        timeout: TIMEOUT,
      });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: TIMEOUT });
      // The explorer lists the folder once the file service is up.
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: TIMEOUT });
      return new Workbench(server, browser, page, workspace, tempParent, log);
    } catch (e) {
      await browser?.close().catch(() => undefined);
      await server?.stop().catch(() => undefined);
      if (tempParent) removeTempDir(tempParent);
      throw e;
    }
  }

  /** Opens a workspace file by clicking through the explorer (folders by aria-label, then the file). */
  async openFile(relPath: string): Promise<void> {
    const parts = relPath.split('/').filter(Boolean);
    for (let i = 0; i < parts.length; i++) {
      const row = this.explorerRow(parts[i]);
      await row.waitFor({ state: 'visible' });
      const isLast = i === parts.length - 1;
      if (!isLast) {
        if ((await row.getAttribute('aria-expanded')) !== 'true') {
          await row.click();
          await this.page.waitForFunction(
            (label) => document.querySelector(`.explorer-folders-view .monaco-list-row[aria-label="${label}"]`)?.getAttribute('aria-expanded') === 'true',
            parts[i],
          );
        }
      } else {
        await row.click();
      }
    }
    const name = parts[parts.length - 1];
    await this.page
      .locator(`.tabs-container .tab.active[aria-label*="${name}"], .tabs-container .tab.active:has-text("${name}")`)
      .first()
      .waitFor({ state: 'visible' });
    await this.activeEditor().locator('.view-lines').waitFor({ state: 'visible' });
  }

  /**
   * Moves the cursor of the active editor to a 1-based line with Go to Line. Each step waits for
   * its effect: the digits typed before the quick input is open would land in whatever has focus
   * (the explorer's type-to-find), and a key pressed before the cursor moved acts on the old line.
   */
  async goToLine(line: number): Promise<void> {
    const input = this.page.locator('.quick-input-widget').first();
    await this.page.keyboard.press('Control+G');
    await input.waitFor({ state: 'visible' });
    await this.page.keyboard.type(String(line));
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await this.page
      .locator('.statusbar-item')
      .filter({ hasText: new RegExp(`\\bLn ${line}, Col \\d+`) })
      .first()
      .waitFor({ state: 'visible' });
  }

  explorerRow(label: string): Locator {
    return this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${label}"]`).first();
  }

  /** The editor in the active editor group. */
  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The visible text of the active editor (Monaco only renders visible lines). */
  async editorText(): Promise<string> {
    const lines = await this.activeEditor()
      .locator('.view-lines .view-line')
      .evaluateAll((els) =>
        els
          .map((e) => ({ top: parseFloat((e as any).style.top || '0'), text: e.textContent ?? '' }))
          .sort((a, b) => a.top - b.top)
          .map((l) => l.text),
      );
    return normalize(lines.join('\n'));
  }

  /** Waits until the active editor's visible text (lines joined by "\n") contains / matches `text`. */
  async waitForEditorText(text: string | RegExp, timeout = TIMEOUT): Promise<string> {
    const arg = typeof text === 'string' ? { source: text, flags: '', isRegex: false } : { source: text.source, flags: text.flags, isRegex: true };
    const handle = await this.page.waitForFunction(
      ({ source, flags, isRegex }) => {
        const els = document.querySelectorAll('.editor-group-container.active .monaco-editor .view-lines .view-line');
        const t = [...els]
          .map((e) => ({ top: parseFloat((e as any).style.top || '0'), text: e.textContent ?? '' }))
          .sort((x, y) => x.top - y.top)
          .map((l) => l.text)
          .join('\n')
          .replace(/\u00a0/g, ' ');
        const ok = isRegex ? new RegExp(source, flags).test(t) : t.includes(source);
        return ok ? t : false;
      },
      arg,
      { timeout },
    );
    return (await handle.jsonValue()) as string;
  }

  /** The innermost rendered token(s) of the active editor containing `text` (e.g. a JSON string value). */
  editorToken(text: string): Locator {
    return this.activeEditor().locator('.view-lines .view-line span > span').filter({ hasText: text }).first();
  }

  squiggles(kind: 'warning' | 'error' | 'any' = 'any'): Locator {
    const sel = kind === 'any' ? '.squiggly-warning, .squiggly-error' : `.squiggly-${kind}`;
    return this.activeEditor().locator(sel);
  }

  /** Waits for a squiggle in the active editor and returns it. */
  async waitForSquiggle(kind: 'warning' | 'error' | 'any' = 'any', timeout = TIMEOUT): Promise<Locator> {
    const s = this.squiggles(kind).first();
    await s.waitFor({ state: 'attached', timeout });
    return s;
  }

  /** Waits until the active editor shows no squiggle of the kind. */
  async waitForNoSquiggle(kind: 'warning' | 'error' | 'any' = 'any', timeout = TIMEOUT): Promise<void> {
    const sel =
      kind === 'any'
        ? '.editor-group-container.active .monaco-editor :is(.squiggly-warning, .squiggly-error)'
        : `.editor-group-container.active .monaco-editor .squiggly-${kind}`;
    await this.page.waitForFunction((s) => document.querySelectorAll(s).length === 0, sel, { timeout });
  }

  /** Status bar problems item, e.g. "Warnings: 1" or "No Problems". */
  async problemsStatus(): Promise<string> {
    return (await this.page.locator('#status\\.problems').first().getAttribute('aria-label')) ?? '';
  }

  /** Moves the mouse to the centre of `target` and returns the text of the hover that appears. */
  async hover(target: Locator, expect?: string | RegExp, timeout = TIMEOUT): Promise<string> {
    const box = await target.boundingBox();
    if (!box) throw new Error('hover target is not visible');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    const hover =
      expect === undefined
        ? this.page.locator('.monaco-hover:visible').first()
        : this.page.locator('.monaco-hover:visible').filter({ hasText: expect }).first();
    await hover.waitFor({ state: 'visible', timeout });
    return normalize((await hover.innerText()).trim());
  }

  /**
   * Hovers `target` until the hover shows `expect`: hovers are not updated while open, so when the
   * extension is still computing (e.g. a target lookup) this closes the hover and hovers again.
   * Each attempt waits for the hover widget to appear (no fixed sleeps).
   */
  async hoverUntil(target: Locator, expect: string | RegExp, timeout = TIMEOUT): Promise<string> {
    const deadline = Date.now() + timeout;
    const matches = (t: string) => (typeof expect === 'string' ? t.includes(expect) : expect.test(t));
    let last = '';
    while (Date.now() < deadline) {
      last = await this.hover(target, undefined, Math.max(1000, deadline - Date.now()));
      if (matches(last)) return last;
      await this.dismissWidgets();
      await this.page
        .locator('.monaco-hover:visible')
        .first()
        .waitFor({ state: 'hidden', timeout: 10_000 })
        .catch(() => undefined);
    }
    throw new Error(`hover never showed ${expect}; last hover:\n${last}`);
  }

  /** Moves the mouse away and presses Escape so hovers and widgets close. */
  async dismissWidgets(): Promise<void> {
    await this.page.mouse.move(2, 2);
    await this.page.keyboard.press('Escape');
  }

  /** Clicks into the middle of `target` (e.g. a squiggle) to put the cursor there. */
  async clickInto(target: Locator): Promise<void> {
    const box = await target.boundingBox();
    if (!box) throw new Error('click target is not visible');
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  /**
   * Opens the quick fix menu (Control+.) at the cursor, waits for an entry matching `label`, selects
   * it with the arrow keys and Enter (mouse clicks are intercepted by .context-view-pointerBlock).
   * Returns the labels that were offered.
   */
  async quickFix(label: string | RegExp, at?: Locator, timeout = TIMEOUT): Promise<string[]> {
    if (at) await this.clickInto(at);
    await this.page.keyboard.press('Control+.');
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    await this.page.locator('.action-widget .monaco-list-row.action').filter({ hasText: label }).first().waitFor({ state: 'visible', timeout });
    const texts = (await rows.allInnerTexts()).map((t) => normalize(t).trim());
    const target = texts.findIndex((t) => (typeof label === 'string' ? t.includes(label) : label.test(t)));
    if (target < 0) throw new Error(`no quick fix ${label}; offered: ${texts.join(' | ')}`);
    // The first enabled action is focused when the widget opens.
    const focused = await rows.evaluateAll((els) => els.findIndex((e) => e.classList.contains('focused')));
    const from = focused < 0 ? 0 : focused;
    const key = target >= from ? 'ArrowDown' : 'ArrowUp';
    for (let i = 0; i < Math.abs(target - from); i++) await this.page.keyboard.press(key);
    await rows.nth(target).and(this.page.locator('.focused')).waitFor({ state: 'visible', timeout });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.action-widget').first().waitFor({ state: 'hidden', timeout });
    return texts;
  }

  /** Control+S, then waits until the active tab is no longer dirty. */
  async save(timeout = TIMEOUT): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.waitForFunction(() => !document.querySelector('.editor-group-container.active .tabs-container .tab.active.dirty'), undefined, { timeout });
  }

  /** Reads a file of the opened workspace from disk. */
  readFile(relPath: string): string {
    return fs.readFileSync(path.join(this.workspace, relPath), 'utf8');
  }

  /** Waits (fs.watch + re-read) until the file on disk satisfies `predicate`. */
  async waitForFileOnDisk(relPath: string, predicate: (text: string) => boolean, timeout = TIMEOUT): Promise<string> {
    const file = path.join(this.workspace, relPath);
    const read = () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '');
    if (predicate(read())) return read();
    return new Promise((resolve, reject) => {
      const watcher = fs.watch(path.dirname(file), () => {
        const t = read();
        if (predicate(t)) done(undefined, t);
      });
      const timer = setTimeout(() => done(new Error(`timed out waiting for ${relPath} on disk:\n${read()}`)), timeout);
      const done = (err?: Error, text?: string) => {
        clearTimeout(timer);
        watcher.close();
        if (err) reject(err);
        else resolve(text!);
      };
    });
  }

  /** Saves a screenshot to `screenshotDir`/NAME.png (or `dir`) and returns its path. */
  async screenshot(name: string, dir = screenshotDir): Promise<string> {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, name.endsWith('.png') ? name : `${name}.png`);
    await this.settleAnimations();
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Waits (at most `timeout` ms) for finite CSS animations/transitions, e.g. a hover fading in. */
  async settleAnimations(timeout = 5000): Promise<void> {
    await this.page.evaluate(
      (ms) =>
        Promise.race([
          Promise.all(
            document
              .getAnimations()
              .filter((a: any) => a.effect?.getTiming?.().iterations !== Infinity)
              .map((a: any) => a.finished.catch(() => undefined)),
          ),
          new Promise((r) => setTimeout(r, ms)),
        ]).then(() => undefined),
      timeout,
    );
  }

  /** On failure: screenshot into test-results/ and print the collected log tail. */
  async reportFailure(testName: string): Promise<void> {
    const shot = await this.screenshot(testName.replace(/[^a-zA-Z0-9._-]+/g, '_'), path.join(repoRoot, 'test-results')).catch(() => undefined);
    process.stderr.write(`\n[ui] failure in "${testName}"; screenshot: ${shot ?? '(none)'}\n`);
    for (const l of this.log.slice(-80)) process.stderr.write(`${l}\n`);
    // The extension host's and Probe Guard's own logs say why a squiggle never came (server start, crash).
    for (const file of logFiles(path.join(this.server.userDataDir, 'logs'), /^(exthost|remoteexthost|Probe Guard)\.log$/)) {
      const lines = fs.readFileSync(file, 'utf8').split('\n').slice(-40);
      process.stderr.write(`[ui] ${path.relative(this.server.userDataDir, file)} (last ${lines.length} lines):\n${lines.join('\n')}\n`);
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop().catch(() => undefined);
    if (this.tempParent) removeTempDir(this.tempParent);
  }
}

/** Files under `dir` (recursively) whose name matches; none when `dir` is missing. */
function logFiles(dir: string, name: RegExp): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((relative) => name.test(path.basename(relative)))
    .map((relative) => path.join(dir, relative));
}
