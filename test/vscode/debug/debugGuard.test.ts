/**
 * The check before F5 and the breakpoint countdown in the extension host, with the built-in
 * JavaScript debugger running the demo's local app (src/server.js; no real mirrord runs). The
 * prompt is answered through the extension's test API (the UI test clicks the real modal); the
 * countdown runs on a manual clock.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PromptAnswer, PromptQuestion } from '../../../src/client/debugGuard';
import { probeGuard, workspaceUri } from '../suite/support/harness';
import { waitFor } from '../support/waitFor';
import { ManualClock } from '../../support/manualClock';

type Api = Awaited<ReturnType<typeof probeGuard>>;

function folder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'no workspace folder');
  return f;
}

function launch(name: string, env: Record<string, string>): vscode.DebugConfiguration {
  return { type: 'node', request: 'launch', name, program: '${workspaceFolder}/src/server.js', env: { PORT: '0', ...env } };
}

/** Starts a session; resolves with whether it started and the questions asked on the way. */
async function start(api: Api, configuration: vscode.DebugConfiguration, answers: PromptAnswer[]): Promise<{ started: boolean; asked: PromptQuestion[] }> {
  const asked: PromptQuestion[] = [];
  api.debugGuard.setPrompt(async (question) => {
    asked.push(question);
    return answers.shift() ?? 'cancel';
  });
  const started = await vscode.debug.startDebugging(folder(), configuration);
  return { started, asked };
}

/** Every session started and not yet terminated (js-debug's child sessions too). */
const running = new Set<vscode.DebugSession>();
vscode.debug.onDidStartDebugSession((session) => running.add(session));
vscode.debug.onDidTerminateDebugSession((session) => running.delete(session));

async function stopAll(): Promise<void> {
  // Each session by name, children first, asked again while one is left.
  for (let attempt = 0; attempt < 3 && running.size > 0; attempt++) {
    for (const session of [...running].reverse()) await vscode.debug.stopDebugging(session);
    await waitFor('every debug session stopped', () => running.size === 0, { events: [vscode.debug.onDidTerminateDebugSession], timeoutMs: 15_000 }).catch(
      () => undefined,
    );
  }
  assert.equal(running.size, 0, `debug sessions still running: ${[...running].map((s) => s.name).join(', ')}`);
}

suite('debug: the check before F5', () => {
  let api: Api;

  suiteSetup(async () => {
    api = await probeGuard();
  });

  teardown(async () => {
    api.debugGuard.setPrompt(undefined);
    await stopAll();
  });

  test('the risky config asks once, naming the liveness and readiness probes; Cancel keeps the session from starting', async () => {
    const { started, asked } = await start(api, launch('risky', { MIRRORD_CONFIG_FILE: '.mirrord/risky.mirrord.json' }), ['cancel']);
    assert.equal(started, false);
    assert.equal(asked.length, 1);
    assert.equal(asked[0].configFile, workspaceUri('.mirrord/risky.mirrord.json').fsPath);
    assert.deepEqual(
      asked[0].check.risk.probes.map((p) => p.probe),
      ['liveness', 'readiness'],
    );
    assert.ok(asked[0].check.fix, 'the fix is offered');
    assert.equal(vscode.debug.activeDebugSession, undefined);
  });

  test('Start anyway starts it and leaves the file alone', async () => {
    const before = fs.readFileSync(workspaceUri('.mirrord/risky.mirrord.json').fsPath, 'utf8');
    const { started, asked } = await start(api, launch('risky', { MIRRORD_CONFIG_FILE: '${workspaceFolder}/.mirrord/risky.mirrord.json' }), ['start']);
    assert.equal(started, true);
    assert.equal(asked.length, 1);
    assert.equal(fs.readFileSync(workspaceUri('.mirrord/risky.mirrord.json').fsPath, 'utf8'), before);
  });

  test('the safe config, and a session not under mirrord, start without a question', async () => {
    const safe = await start(api, launch('safe', { MIRRORD_CONFIG_FILE: '.mirrord/safe.mirrord.json' }), []);
    assert.deepEqual([safe.started, safe.asked.length], [true, 0]);
    await stopAll();
    const plain = await start(api, launch('plain', {}), []);
    assert.deepEqual([plain.started, plain.asked.length], [true, 0]);
  });

  test("the launch's MIRRORD_HTTP_HEADER_FILTER protects the risky config: no question", async () => {
    const { started, asked } = await start(
      api,
      launch('risky, filtered by env', { MIRRORD_CONFIG_FILE: '.mirrord/risky.mirrord.json', MIRRORD_HTTP_HEADER_FILTER: '^User-Agent: (?!kube-probe)' }),
      [],
    );
    assert.deepEqual([started, asked.length], [true, 0]);
  });

  test('MIRRORD_ACTIVE=0 keeps mirrord off: no question', async () => {
    const { started, asked } = await start(api, launch('mirrord off', { MIRRORD_CONFIG_FILE: '.mirrord/risky.mirrord.json', MIRRORD_ACTIVE: '0' }), []);
    assert.deepEqual([started, asked.length], [true, 0]);
  });

  test("Don't ask again starts it and is remembered for that config only", async () => {
    const backwards = launch('backwards', { MIRRORD_CONFIG_FILE: '.mirrord/backwards-filter.mirrord.json' });
    const first = await start(api, backwards, ['dont-ask']);
    assert.deepEqual([first.started, first.asked.length], [true, 1]);
    await stopAll();
    const second = await start(api, backwards, []);
    assert.deepEqual([second.started, second.asked.length], [true, 0]);
  });

  test('probeGuard.debug.confirmBeforeStart off: no question', async () => {
    const settings = vscode.workspace.getConfiguration('probeGuard');
    await settings.update('debug.confirmBeforeStart', false, vscode.ConfigurationTarget.Workspace);
    try {
      const { started, asked } = await start(api, launch('grpc', { MIRRORD_CONFIG_FILE: '.mirrord/grpc.mirrord.toml' }), []);
      assert.deepEqual([started, asked.length], [true, 0]);
    } finally {
      await settings.update('debug.confirmBeforeStart', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('the countdown starts at a breakpoint, warns after the safe hold time, and is gone on continue', async () => {
    const clock = new ManualClock();
    api.countdown.setClock(clock);
    const program = workspaceUri('src/server.js');
    const line = fs
      .readFileSync(program.fsPath, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('beats += 1'));
    assert.ok(line >= 0, 'the heartbeat line');
    const breakpoint = new vscode.SourceBreakpoint(new vscode.Location(program, new vscode.Position(line, 0)));
    vscode.debug.addBreakpoints([breakpoint]);
    try {
      const { started } = await start(api, launch('risky', { MIRRORD_CONFIG_FILE: '.mirrord/risky.mirrord.json' }), ['start']);
      assert.equal(started, true);
      const counting = await waitFor('the countdown', () => api.countdown.text(), { events: [api.countdown.onDidChange], timeoutMs: 60_000 });
      assert.match(counting, /checkout: (liveness restarts the pod|readiness takes the pod out of its Service) in \d+ s/);
      clock.advance(40_000);
      const warning = await waitFor(
        'the warning',
        () => /restarted container checkout|out of its Service/.test(api.countdown.text() ?? '') && api.countdown.text(),
        {
          events: [api.countdown.onDidChange],
        },
      );
      assert.doesNotMatch(warning, / in \d+ s/);
      vscode.debug.removeBreakpoints([breakpoint]);
      // Continue the thread that stopped (js-debug's child session), as the Continue button does.
      const stopped = await waitFor('the stopped thread', () => vscode.debug.activeStackItem, { events: [vscode.debug.onDidChangeActiveStackItem] });
      const threadId = stopped instanceof vscode.DebugStackFrame || stopped instanceof vscode.DebugThread ? stopped.threadId : undefined;
      await stopped.session.customRequest('continue', { threadId });
      await waitFor('the countdown gone', () => api.countdown.text() === undefined, { events: [api.countdown.onDidChange] });
    } finally {
      vscode.debug.removeBreakpoints([breakpoint]);
      api.countdown.setClock(undefined);
    }
  });

  test('Add kube-probe filter and start: the file is fixed and saved, checked again, and the session starts', async () => {
    const file = workspaceUri('.mirrord/risky.mirrord.json').fsPath;
    const { started, asked } = await start(api, launch('risky', { MIRRORD_CONFIG_FILE: '.mirrord/risky.mirrord.json' }), ['fix']);
    assert.equal(started, true);
    assert.equal(asked.length, 1, 'no second question: the fixed config is safe');
    const fixed = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.equal(fixed.feature.network.incoming.http_filter.header_filter, '^User-Agent: (?!kube-probe)');
    assert.equal(fixed.target.path, 'deployment/checkout', 'the rest of the file kept');
    const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    assert.equal(document?.isDirty, false, 'saved');
  });
});
