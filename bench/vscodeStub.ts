/**
 * A minimal stand-in for the `vscode` module, enough for activate() to run in plain Node: real
 * EventEmitter/Disposable, an empty workspace (no open documents, trusted), settings at their
 * defaults, and an inert callable proxy for every other member (registrations return disposables).
 */

/** Callable, constructible, every property is another inert value; never a thenable or a primitive trap. */
function inert(): any {
  const target = function () {};
  return new Proxy(target, {
    get(_t, key) {
      if (key === 'then') return undefined;
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => '';
      return inert();
    },
    apply: () => inert(),
    construct: () => inert(),
  });
}

/** Like `inert()`, but with some members given real values. */
function partial(members: Record<string, unknown>): any {
  return new Proxy(members, { get: (t, key) => (key in t ? t[key as string] : key === 'then' ? undefined : inert()) });
}

class Disposable {
  constructor(private readonly fn: () => void = () => {}) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i.dispose()));
  }
  dispose(): void {
    this.fn();
  }
}

class EventEmitter<T> {
  private listeners = new Set<(value: T) => void>();
  readonly event = (listener: (value: T) => void): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

const event = (): Disposable => new Disposable();

export function createVscodeStub(): any {
  return partial({
    Disposable,
    EventEmitter,
    l10n: partial({ t: (message: string, ...args: unknown[]) => message.replace(/\{(\d+)\}/g, (_m, i) => String(args[Number(i)])) }),
    workspace: partial({
      isTrusted: true,
      textDocuments: [],
      workspaceFolders: undefined,
      getWorkspaceFolder: () => undefined,
      getConfiguration: () => partial({ get: (_key: string, fallback?: unknown) => fallback }),
      onDidOpenTextDocument: event,
      onDidChangeTextDocument: event,
      onDidCloseTextDocument: event,
      onDidChangeConfiguration: event,
      onDidGrantWorkspaceTrust: event,
      onDidChangeWorkspaceFolders: event,
    }),
    window: partial({ activeTextEditor: undefined, onDidChangeActiveTextEditor: event }),
  });
}
