/**
 * A minimal stand-in for the `vscode` module, enough for activate() to run in plain Node: real
 * EventEmitter/Disposable, an empty workspace (no open documents, trusted), settings at their
 * defaults, and an inert callable proxy for every other member (registrations return disposables).
 */

/** Callable, constructible, every property is another inert value; never a thenable or a primitive trap. */
function inert(): any {
  const target = function () {};
  // Assigned members (a status item's text, a collection's name) read back as assigned.
  const assigned = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(_t, key) {
      if (assigned.has(key)) return assigned.get(key);
      if (key === 'then') return undefined;
      if (key === Symbol.iterator) return function* () {};
      if (key === Symbol.toPrimitive) return () => '';
      return inert();
    },
    set(_t, key, value) {
      assigned.set(key, value);
      return true;
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

/**
 * Every top-level name the extension uses. They must be own properties: esbuild's `__toESM`
 * copies the module's own keys, so a name only the proxy knows would arrive as undefined.
 */
const TOP_LEVEL = [
  'CodeAction',
  'CodeActionKind',
  'CancellationTokenSource',
  'CodeLens',
  'ConfigurationTarget',
  'Diagnostic',
  'DiagnosticRelatedInformation',
  'DiagnosticSeverity',
  'Hover',
  'LanguageStatusSeverity',
  'Location',
  'MarkdownString',
  'Position',
  'ProgressLocation',
  'Range',
  'RelativePattern',
  'Selection',
  'StatusBarAlignment',
  'ThemeColor',
  'Uri',
  'ViewColumn',
  'WorkspaceEdit',
  'commands',
  'debug',
  'languages',
];

export function createVscodeStub(): any {
  return partial({
    ...Object.fromEntries(TOP_LEVEL.map((name) => [name, inert()])),
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
