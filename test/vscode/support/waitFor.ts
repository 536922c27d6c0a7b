/** Waits until `predicate` holds, re-checking on each VS Code event given and on a short poll. */
import type * as vscode from 'vscode';

export async function waitFor<T>(
  what: string,
  predicate: () => T | undefined | false | Promise<T | undefined | false>,
  opts: { timeoutMs?: number; events?: Array<vscode.Event<unknown>> } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const first = await predicate();
  if (first) return first;
  return new Promise<T>((resolve, reject) => {
    const disposables: vscode.Disposable[] = [];
    let done = false;
    const finish = (err: Error | undefined, value?: T) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(poll);
      for (const d of disposables) d.dispose();
      if (err) reject(err);
      else resolve(value as T);
    };
    const check = async () => {
      try {
        const v = await predicate();
        if (v) finish(undefined, v);
      } catch (e) {
        finish(e as Error);
      }
    };
    for (const ev of opts.events ?? []) disposables.push(ev(() => void check()));
    const poll = setInterval(() => void check(), 100);
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
}
