import type { ExecConnection, ExecProbeReading, HeaderLine, ProbeRequest } from '../types';
import { parseShellScript, type ShellWord, type SimpleCommand } from './shellScript';

/**
 * Reads an exec probe's command without running it: which TCP connections it opens to the pod's
 * own network, and what it sends there. mirrord's agent redirects loopback traffic to a stolen
 * port as well (nat OUTPUT `-o lo`, IPv6 too: mirrord:mirrord/agent/iptables/src/output.rs), so
 * `curl localhost:8080/healthz` in an exec probe reaches the local app like the kubelet's httpGet
 * would (docs/semantics.md section 3).
 *
 * Understood: `sh -c`/`bash -c` scripts (`&&`, `||`, `;`, pipes, `exec`, `timeout`, `env`, command
 * substitutions), curl, wget, grpc_health_probe, nc, redis-cli (and valkey-cli, keydb-cli),
 * pg_isready, mysqladmin (and mariadb-admin), podcli, `/dev/tcp`, the commands `xargs` and
 * `find -exec` run, and any program given a loopback URL or `host:port`.
 * A part that cannot be read is reported as such, never taken as harmless. Never throws.
 */
export function readExecProbe(command: unknown, env: ContainerEnv = {}): ExecProbeReading {
  const reading: ExecProbeReading = { connections: [], unreadable: [], harmless: [] };
  try {
    if (!Array.isArray(command) || command.length === 0 || !command.every((w) => typeof w === 'string')) {
      reading.unreadable.push('the exec probe has no command.');
      return reading;
    }
    const words = (command as string[]).map((text) => ({ text, expands: false }));
    interpret({ words, redirections: [], source: command.join(' ') }, { env, reading, depth: 0 });
  } catch (error) {
    reading.unreadable.push(`the command could not be read (${error instanceof Error ? error.message : String(error)}).`);
  }
  return reading;
}

/**
 * The container's environment as far as it is known: a literal `value`, or `{ podIP: true }` for a
 * variable set from `status.podIP`; `undefined` values are set from elsewhere (secrets, config maps).
 */
export type ContainerEnv = Record<string, string | { podIP: true } | undefined>;

/** Reads a container's `env` list into a ContainerEnv. */
export function containerEnv(container: unknown): ContainerEnv {
  const env: ContainerEnv = {};
  const list = isObject(container) && Array.isArray(container.env) ? container.env : [];
  for (const item of list) {
    if (!isObject(item) || typeof item.name !== 'string') continue;
    if (typeof item.value === 'string') env[item.name] = item.value;
    else if (isObject(item.valueFrom) && /^status\.podIPs?$/.test(String(item.valueFrom.fieldRef?.fieldPath ?? ''))) env[item.name] = { podIP: true };
    else env[item.name] = undefined;
  }
  return env;
}

interface Context {
  env: ContainerEnv;
  reading: ExecProbeReading;
  depth: number;
  /** The shell script being read, when inside `sh -c`. */
  script?: string;
}

/** Versions used where a tool puts its version in the User-Agent; filters should not depend on them. */
export const TOOL_AGENTS = {
  curl: 'curl/8.5.0',
  gnuWget: 'Wget/1.21.4',
  busyboxWget: 'Wget',
  goHttp: 'Go-http-client/1.1',
  grpcGo: 'grpc-go/1.65.0',
} as const;

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'busybox-sh']);
/** Programs that run the rest of their arguments as a command. */
const WRAPPERS = new Set(['exec', 'command', 'nohup', 'nice', 'ionice', 'time', 'sudo', 'chroot', 'setsid', 'stdbuf']);
/** Programs that open no TCP connection (files, processes, text): harmless to a steal session. */
const NO_NETWORK = new Set([
  'cat',
  'test',
  '[',
  '[[',
  ']]',
  'ls',
  'stat',
  'echo',
  'printf',
  'true',
  'false',
  'exit',
  'return',
  ':',
  'sleep',
  'grep',
  'egrep',
  'fgrep',
  'head',
  'tail',
  'wc',
  'pgrep',
  'pidof',
  'ps',
  'kill',
  'touch',
  'rm',
  'date',
  'expr',
  'cut',
  'tr',
  'id',
  'whoami',
  'jq',
  'sort',
  'uniq',
  'set',
  'export',
  'local',
  'readlink',
  'realpath',
  'df',
  'du',
  'file',
  'stty',
  'mkdir',
  'cd',
  'pwd',
  'hostname',
]);

function interpret(command: SimpleCommand, ctx: Context): void {
  let words = command.words;
  const source = command.source;
  for (const target of command.redirections) devTcp(target, source, ctx);
  // `$(curl ...)` and backticks run before the command, whatever the command is (`test`, `echo`,
  // an assignment): each substitution is a script of its own.
  for (const word of words) for (const script of word.substitutions ?? []) substitution(script, source, ctx);
  // Assignments before the command (`FOO=bar cmd`) only set its environment.
  while (words.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0].text)) words = words.slice(1);
  if (words.length === 0) {
    if (command.redirections.length === 0) ctx.reading.harmless.push(`\`${source}\` only sets variables.`);
    return;
  }
  const first = words[0];
  if (first.expands) {
    ctx.reading.unreadable.push(`a variable decides which program \`${source}\` runs.`);
    return;
  }
  const name = baseName(first.text);
  const args = words.slice(1);
  if (ctx.depth > 8) {
    ctx.reading.unreadable.push(`\`${source}\` nests too many shells to read.`);
    return;
  }
  if (SHELLS.has(name)) return shell(args, source, ctx);
  if (WRAPPERS.has(name)) return wrapped(name === 'nice' || name === 'ionice' || name === 'stdbuf' ? skipOptions(args) : args, source, ctx);
  if (name === 'timeout') return wrapped(timeoutCommand(args), source, ctx);
  if (name === 'env') return wrapped(envCommand(args), source, ctx);
  if (name === 'busybox' && args.length > 0 && !args[0].expands) return interpret({ ...command, words: args }, { ...ctx, depth: ctx.depth + 1 });
  const reader = TOOLS[name];
  if (reader) return reader(args, source, ctx);
  if (NO_NETWORK.has(name)) {
    if (name === 'cat' || name === 'test' || name === '[' || name === '[[') {
      for (const arg of args) if (/^\/dev\/tcp\//.test(arg.text)) devTcp(arg.text, source, ctx);
    }
    opensNoConnection(source, ctx);
    return;
  }
  genericProgram(name, args, source, ctx);
}

function shell(args: ShellWord[], source: string, ctx: Context): void {
  const flag = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a.text) && !a.expands);
  if (flag < 0 || flag + 1 >= args.length) {
    ctx.reading.unreadable.push(`\`${source}\` runs a script file, which Probe Guard cannot read.`);
    return;
  }
  const script = args[flag + 1].text;
  const commands = scriptCommands(script, `the script of \`${source}\``, ctx);
  if (commands?.length === 0) {
    ctx.reading.harmless.push(`\`${source}\` runs an empty script.`);
    return;
  }
  for (const inner of commands ?? []) interpret(inner, { ...ctx, depth: ctx.depth + 1, script });
}

function substitution(script: string, source: string, ctx: Context): void {
  if (ctx.depth > 8) {
    ctx.reading.unreadable.push(`\`${source}\` nests too many command substitutions to read.`);
    return;
  }
  for (const inner of scriptCommands(script, `the command substitution \`$(${script})\` of \`${source}\``, ctx) ?? []) {
    interpret(inner, { ...ctx, depth: ctx.depth + 1, script });
  }
}

/** The commands of a script, or undefined (reported as unreadable) when it cannot be read. */
function scriptCommands(script: string, what: string, ctx: Context): SimpleCommand[] | undefined {
  const parsed = parseShellScript(script);
  if (!parsed.problem) return parsed.commands;
  ctx.reading.unreadable.push(`${what} could not be read (${parsed.problem}).`);
  return undefined;
}

function wrapped(rest: ShellWord[] | undefined, source: string, ctx: Context): void {
  if (!rest) {
    ctx.reading.unreadable.push(`\`${source}\` could not be read.`);
    return;
  }
  if (rest.length === 0) {
    // `exec 3<>/dev/tcp/...` opens a connection through its redirection (recorded already).
    if (!/\/dev\/tcp\//.test(source)) ctx.reading.harmless.push(`\`${source}\` runs no command.`);
    return;
  }
  interpret({ words: rest, redirections: [], source }, { ...ctx, depth: ctx.depth + 1 });
}

function skipOptions(args: ShellWord[]): ShellWord[] {
  let i = 0;
  while (i < args.length && args[i].text.startsWith('-')) i += /^-[nc]$/.test(args[i].text) ? 2 : 1;
  return args.slice(i);
}

/** `timeout [-s SIG] [-k D] DURATION cmd...` */
function timeoutCommand(args: ShellWord[]): ShellWord[] | undefined {
  let i = 0;
  while (i < args.length && args[i].text.startsWith('-')) i += /^(-s|-k|--signal|--kill-after)$/.test(args[i].text) ? 2 : 1;
  return i < args.length ? args.slice(i + 1) : undefined;
}

/** `env [-i] [-u NAME] [NAME=value]... cmd...` */
function envCommand(args: ShellWord[]): ShellWord[] {
  let i = 0;
  while (i < args.length && (args[i].text.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[i].text))) i += args[i].text === '-u' ? 2 : 1;
  return args.slice(i);
}

// ---------------------------------------------------------------------------------------------
// Hosts and URLs

type HostClass = 'loopback' | 'self' | 'unix' | 'variable' | 'elsewhere';

/**
 * Loopback names and addresses, `0.0.0.0` (which Linux connects to locally) and an empty host
 * (`:8080`, Go's "local system"); the pod's own name or IP, which the kernel also routes over `lo`.
 */
function classifyHost(word: { text: string; expands: boolean }, env: ContainerEnv): HostClass {
  const host = word.text.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === '' || host === 'localhost' || host === 'ip6-localhost' || host === 'ip6-loopback' || host === '::1' || host === '::' || host === '0.0.0.0') {
    return 'loopback';
  }
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || /^0:0:0:0:0:0:0:1$/.test(host) || host.endsWith('.localhost')) return 'loopback';
  if (host.startsWith('/') || host.startsWith('unix:')) return 'unix';
  if (/^\$\(\s*hostname(\s+-[iI])?\s*\)$|^`\s*hostname(\s+-[iI])?\s*`$/.test(word.text) || /^\$\{?HOSTNAME\}?$/.test(word.text)) return 'self';
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(word.text);
  if (variable) {
    const value = env[variable[1]];
    if (typeof value === 'object') return 'self';
    if (typeof value === 'string' && value !== word.text) return classifyHost({ text: value, expands: false }, {});
    return 'variable';
  }
  if (word.expands || /[$`]/.test(word.text)) return 'variable';
  return 'elsewhere';
}

interface Address {
  scheme?: string;
  host: string;
  port?: number;
  /** Path plus query, `/` when none. */
  path: string;
}

/** `scheme://host:port/path`, `host:port/path`, `[::1]:8080`, `:8080`: undefined when it is none of these. */
function parseAddress(text: string, requireScheme = false): Address | undefined {
  const match = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(\[[0-9a-fA-F:.]+\]|[^/:?#\s[\]]*)(?::(\d{1,5}))?([/?][^\s#]*)?(?:#.*)?$/.exec(text);
  if (!match) return undefined;
  const [, scheme, host, port, rest] = match;
  if (requireScheme && !scheme) return undefined;
  if (!scheme && port === undefined) return undefined;
  const portNumber = port === undefined ? undefined : Number(port);
  if (portNumber !== undefined && (portNumber < 1 || portNumber > 65535)) return undefined;
  let path = rest ?? '/';
  if (path.startsWith('?')) path = `/${path}`;
  return { scheme: scheme?.toLowerCase(), host, port: portNumber, path };
}

function defaultPort(scheme: string | undefined): number | undefined {
  switch (scheme ?? 'http') {
    case 'http':
    case 'ws':
      return 80;
    case 'https':
    case 'wss':
      return 443;
    default:
      return undefined;
  }
}

/**
 * Records a connection when the host is this pod, and says why not otherwise. Returns whether the
 * connection was recorded.
 */
function connect(
  ctx: Context,
  source: string,
  hostWord: { text: string; expands: boolean },
  port: number | undefined,
  make: (host: string, port: number) => ExecConnection,
): boolean {
  const cls = classifyHost(hostWord, ctx.env);
  if (cls === 'unix') {
    ctx.reading.harmless.push(`\`${source}\` talks to a Unix socket, not a TCP port.`);
    return false;
  }
  if (cls === 'variable') {
    ctx.reading.unreadable.push(`a variable decides which host \`${source}\` connects to.`);
    return false;
  }
  if (cls === 'elsewhere') {
    ctx.reading.unreadable.push(`\`${source}\` connects to "${hostWord.text}", and Probe Guard cannot tell whether that is this pod.`);
    return false;
  }
  if (port === undefined) {
    ctx.reading.unreadable.push(`the port \`${source}\` connects to could not be read.`);
    return false;
  }
  ctx.reading.connections.push(make(hostWord.text || 'localhost', port));
  return true;
}

function portOf(word: ShellWord | undefined, ctx: Context): number | undefined | 'variable' {
  if (!word) return undefined;
  let text = word.text;
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(text);
  if (variable) {
    const value = ctx.env[variable[1]];
    if (typeof value !== 'string') return 'variable';
    text = value;
  } else if (word.expands) return 'variable';
  const n = Number(text);
  return /^\d{1,5}$/.test(text) && n >= 1 && n <= 65535 ? n : undefined;
}

// ---------------------------------------------------------------------------------------------
// Requests

function header(name: string, value: string): HeaderLine {
  return { name: name.toLowerCase(), value };
}

function hostHeader(host: string, port: number, scheme: string): string {
  return port === defaultPort(scheme) ? host : `${host}:${port}`;
}

function request(method: string, pathAndQuery: string, headers: HeaderLine[]): ProbeRequest {
  const question = pathAndQuery.indexOf('?');
  const path = question >= 0 ? pathAndQuery.slice(0, question) || '/' : pathAndQuery;
  return { method, path, pathAndQuery, headers };
}

/** User-Agent and other headers given on the command line override the tool's defaults. */
function withHeaders(defaults: HeaderLine[], given: HeaderLine[]): HeaderLine[] {
  const givenNames = new Set(given.map((h) => h.name));
  return [...defaults.filter((h) => !givenNames.has(h.name)), ...given.filter((h) => h.value !== '')];
}

/** `Name: value` as given to `-H`/`--header`; `Name;` sends it empty (curl), `Name:` removes it. */
function headerArg(text: string): HeaderLine | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return header(text.slice(0, colon).trim(), text.slice(colon + 1).trim());
}

function grpcRequest(userAgent: string, extra: HeaderLine[] = []): ProbeRequest {
  return request('POST', '/grpc.health.v1.Health/Check', [
    header('content-type', 'application/grpc'),
    header('user-agent', `${userAgent} ${TOOL_AGENTS.grpcGo}`.trim()),
    header('te', 'trailers'),
    ...extra,
  ]);
}

// ---------------------------------------------------------------------------------------------
// Options

interface OptionSpec {
  /** Short letters that take a value. */
  shortWithValue: string;
  /** Long names that take a value. */
  longWithValue: Set<string>;
}

interface OptionRead {
  /** Every option with its value (`true` for flags), in order; short flags one by one. */
  options: { name: string; value: string | true; word: ShellWord }[];
  positionals: ShellWord[];
}

/** getopt-style: `-fsSL`, `-o/dev/null`, `-H 'x: y'`, `--header=x`, `--header x`, `--` ends options. */
function readOptions(args: ShellWord[], spec: OptionSpec): OptionRead {
  const result: OptionRead = { options: [], positionals: [] };
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    const text = word.text;
    if (text === '--') {
      result.positionals.push(...args.slice(i + 1));
      break;
    }
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const name = eq >= 0 ? text.slice(2, eq) : text.slice(2);
      if (eq >= 0) result.options.push({ name, value: text.slice(eq + 1), word });
      else if (spec.longWithValue.has(name) && i + 1 < args.length) result.options.push({ name, value: args[++i].text, word: args[i] });
      else result.options.push({ name, value: true, word });
    } else if (text.startsWith('-') && text.length > 1) {
      for (let j = 1; j < text.length; j++) {
        const letter = text[j];
        if (spec.shortWithValue.includes(letter)) {
          const attached = text.slice(j + 1);
          if (attached) result.options.push({ name: letter, value: attached, word });
          else if (i + 1 < args.length) result.options.push({ name: letter, value: args[++i].text, word: args[i] });
          break;
        }
        result.options.push({ name: letter, value: true, word });
      }
    } else {
      result.positionals.push(word);
    }
  }
  return result;
}

function last(read: OptionRead, ...names: string[]): string | true | undefined {
  let found: string | true | undefined;
  for (const option of read.options) if (names.includes(option.name)) found = option.value;
  return found;
}

function all(read: OptionRead, ...names: string[]): string[] {
  return read.options.filter((o) => names.includes(o.name) && typeof o.value === 'string').map((o) => o.value as string);
}

// ---------------------------------------------------------------------------------------------
// Tools

type ToolReader = (args: ShellWord[], source: string, ctx: Context) => void;

const CURL_SPEC: OptionSpec = {
  shortWithValue: 'HAXdFoumewbcKxETrCyYzQD',
  longWithValue: new Set(
    'header user-agent request data data-raw data-binary data-ascii data-urlencode form form-string output max-time connect-timeout user referer cookie write-out retry retry-delay retry-max-time cookie-jar cacert capath cert key proxy resolve connect-to unix-socket abstract-unix-socket upload-file interface range limit-rate noproxy config url cert-type key-type pass dns-servers expect100-timeout keepalive-time max-filesize max-redirs proto proto-redir proxy-user speed-limit speed-time tls-max ciphers oauth2-bearer aws-sigv4 json variable url-query dump-header stderr trace trace-ascii netrc-file'.split(
      ' ',
    ),
  ),
};

function curl(args: ShellWord[], source: string, ctx: Context): void {
  const read = readOptions(args, CURL_SPEC);
  if (last(read, 'unix-socket', 'abstract-unix-socket') !== undefined) {
    ctx.reading.harmless.push(`\`${source}\` talks to a Unix socket, not a TCP port.`);
    return;
  }
  for (const [long, short] of [
    ['proxy', 'x'],
    ['resolve', ''],
    ['connect-to', ''],
    ['config', 'K'],
  ]) {
    if (last(read, long, short) !== undefined) {
      ctx.reading.unreadable.push(`\`${source}\` uses --${long}, which changes where it connects.`);
      return;
    }
  }
  const urls = [...all(read, 'url').map((text) => ({ text, expands: false })), ...read.positionals];
  if (urls.length === 0) {
    ctx.reading.unreadable.push(`\`${source}\` names no URL that Probe Guard can read.`);
    return;
  }
  const given: HeaderLine[] = [];
  for (const h of all(read, 'H', 'header')) {
    const line = headerArg(h);
    if (line) given.push(line);
  }
  const agent = last(read, 'A', 'user-agent');
  if (typeof agent === 'string') given.push(header('user-agent', agent));
  const referer = last(read, 'e', 'referer');
  if (typeof referer === 'string') given.push(header('referer', referer));
  const cookie = last(read, 'b', 'cookie');
  if (typeof cookie === 'string' && cookie.includes('=')) given.push(header('cookie', cookie));
  const hasData = read.options.some((o) => /^(d|data.*|F|form.*|json|T|upload-file)$/.test(o.name));
  let method = last(read, 'I', 'head') !== undefined ? 'HEAD' : hasData && last(read, 'G', 'get') === undefined ? 'POST' : 'GET';
  const explicit = last(read, 'X', 'request');
  if (typeof explicit === 'string') method = explicit.toUpperCase();
  for (const url of urls) {
    const address = parseAddress(url.text) ?? (url.text.includes('://') ? undefined : parseAddress(`http://${url.text}`));
    if (!address) {
      ctx.reading.unreadable.push(`the URL "${url.text}" of \`${source}\` could not be read.`);
      continue;
    }
    if (url.expands && classifyHost({ text: address.host, expands: true }, ctx.env) === 'variable') {
      ctx.reading.unreadable.push(`a variable decides the URL of \`${source}\`.`);
      continue;
    }
    const scheme = address.scheme ?? 'http';
    if (scheme !== 'http' && scheme !== 'https') {
      ctx.reading.unreadable.push(`\`${source}\` uses ${scheme}://, which Probe Guard does not read.`);
      continue;
    }
    const port = address.port ?? defaultPort(scheme);
    connect(ctx, source, { text: address.host, expands: url.expands }, port, (host, p) => ({
      command: source,
      tool: 'curl',
      host,
      port: p,
      wire: 'http',
      tls: scheme === 'https',
      requests: [
        request(
          method,
          address.path,
          withHeaders([header('host', hostHeader(host, p, scheme)), header('user-agent', TOOL_AGENTS.curl), header('accept', '*/*')], given),
        ),
      ],
    }));
  }
}

const WGET_SPEC: OptionSpec = {
  shortWithValue: 'OoTtUYePiwaBD',
  longWithValue: new Set(
    'output-document output-file timeout tries user-agent header post-data post-file body-data body-file method ca-certificate ca-directory certificate private-key user password http-user http-password bind-address wait referer load-cookies'.split(
      ' ',
    ),
  ),
};

function wget(args: ShellWord[], source: string, ctx: Context): void {
  const read = readOptions(args, WGET_SPEC);
  if (read.positionals.length === 0) {
    ctx.reading.unreadable.push(`\`${source}\` names no URL that Probe Guard can read.`);
    return;
  }
  const given: HeaderLine[] = [];
  for (const h of all(read, 'header')) {
    const line = headerArg(h);
    if (line) given.push(line);
  }
  const agent = last(read, 'U', 'user-agent');
  if (typeof agent === 'string') given.push(header('user-agent', agent));
  const spider = last(read, 'spider', 's') !== undefined;
  const post = last(read, 'post-data', 'post-file') !== undefined;
  const explicit = last(read, 'method');
  for (const url of read.positionals) {
    const address = parseAddress(url.text) ?? (url.text.includes('://') ? undefined : parseAddress(`http://${url.text}`));
    if (!address || (address.scheme && address.scheme !== 'http' && address.scheme !== 'https')) {
      ctx.reading.unreadable.push(`the URL "${url.text}" of \`${source}\` could not be read.`);
      continue;
    }
    const scheme = address.scheme ?? 'http';
    const port = address.port ?? defaultPort(scheme);
    // GNU wget sends HEAD for --spider; BusyBox wget a GET. Their User-Agents differ too.
    const gnuMethod = typeof explicit === 'string' ? explicit.toUpperCase() : post ? 'POST' : spider ? 'HEAD' : 'GET';
    const busyboxMethod = typeof explicit === 'string' ? explicit.toUpperCase() : post ? 'POST' : 'GET';
    connect(ctx, source, { text: address.host, expands: url.expands }, port, (host, p) => ({
      command: source,
      tool: 'wget',
      host,
      port: p,
      wire: 'http',
      tls: scheme === 'https',
      requests: [
        request(
          gnuMethod,
          address.path,
          withHeaders(
            [
              header('user-agent', TOOL_AGENTS.gnuWget),
              header('accept', '*/*'),
              header('accept-encoding', 'identity'),
              header('host', hostHeader(host, p, scheme)),
              header('connection', 'Keep-Alive'),
            ],
            given,
          ),
        ),
        request(
          busyboxMethod,
          address.path,
          withHeaders([header('host', hostHeader(host, p, scheme)), header('user-agent', TOOL_AGENTS.busyboxWget), header('connection', 'close')], given),
        ),
      ],
    }));
  }
}

/** Go's `flag` package: `-addr=:9090`, `-addr :9090`, `--addr=...`; booleans never take the next word. */
function goFlags(args: ShellWord[], booleans: Set<string>): Map<string, { value: string | true; word: ShellWord }[]> {
  const flags = new Map<string, { value: string | true; word: ShellWord }[]>();
  for (let i = 0; i < args.length; i++) {
    const match = /^--?([A-Za-z0-9_.-]+)(?:=(.*))?$/s.exec(args[i].text);
    if (!match) continue;
    const [, name, inline] = match;
    let value: string | true;
    let word = args[i];
    if (inline !== undefined) value = inline;
    else if (booleans.has(name) || i + 1 >= args.length) value = true;
    else {
      word = args[++i];
      value = word.text;
    }
    flags.set(name, [...(flags.get(name) ?? []), { value, word }]);
  }
  return flags;
}

function grpcHealthProbe(args: ShellWord[], source: string, ctx: Context): void {
  const flags = goFlags(args, new Set(['tls', 'tls-no-verify', 'spiffe', 'alts', 'v', 'version', 'gzip']));
  const addr = flags.get('addr')?.at(-1);
  if (!addr || addr.value === true) {
    ctx.reading.unreadable.push(`\`${source}\` has no -addr that Probe Guard can read.`);
    return;
  }
  const addrText = addr.value;
  if (addrText.startsWith('unix:')) {
    ctx.reading.harmless.push(`\`${source}\` talks to a Unix socket, not a TCP port.`);
    return;
  }
  const address = parseAddress(addrText);
  if (!address || address.scheme) {
    ctx.reading.unreadable.push(`the -addr "${addrText}" of \`${source}\` could not be read.`);
    return;
  }
  const agentFlag = flags.get('user-agent')?.at(-1)?.value;
  const agent = typeof agentFlag === 'string' ? agentFlag : 'grpc_health_probe';
  const extra = (flags.get('rpc-header') ?? []).map((f) => (typeof f.value === 'string' ? headerArg(f.value) : undefined)).filter((h): h is HeaderLine => !!h);
  const tls = flags.has('tls') || flags.has('spiffe');
  connect(ctx, source, { text: address.host, expands: addr.word.expands }, address.port, (host, port) => ({
    command: source,
    tool: 'grpc_health_probe',
    host,
    port,
    wire: 'grpc',
    tls,
    requests: [grpcRequest(agent, extra)],
  }));
}

function netcat(args: ShellWord[], source: string, ctx: Context): void {
  const read = readOptions(args, { shortWithValue: 'wipsqXxOIT', longWithValue: new Set(['wait', 'source', 'proxy']) });
  if (last(read, 'U', 'unixsock') !== undefined) {
    ctx.reading.harmless.push(`\`${source}\` talks to a Unix socket, not a TCP port.`);
    return;
  }
  if (last(read, 'u', 'udp') !== undefined || last(read, 'l', 'listen') !== undefined) {
    ctx.reading.harmless.push(`\`${source}\` opens no TCP connection to the pod.`);
    return;
  }
  if (last(read, 'x', 'X', 'proxy') !== undefined) {
    ctx.reading.unreadable.push(`\`${source}\` goes through a proxy.`);
    return;
  }
  const [hostWord, portWord] = read.positionals;
  const port = portOf(portWord, ctx);
  if (!hostWord || port === 'variable') {
    ctx.reading.unreadable.push(portWord ? `a variable decides the port of \`${source}\`.` : `\`${source}\` names no host and port that Probe Guard can read.`);
    return;
  }
  const zero = last(read, 'z') !== undefined;
  connect(ctx, source, hostWord, port, (host, p) => ({ command: source, tool: 'nc', host, port: p, wire: zero ? 'connect' : 'tcp', tls: false, requests: [] }));
}

function redisCli(args: ShellWord[], source: string, ctx: Context): void {
  const read = readOptions(args, { shortWithValue: 'hpsanuri', longWithValue: new Set(['user', 'pass', 'sni', 'cacert', 'cacertdir', 'cert', 'key']) });
  const tool = baseName(source.split(/\s+/)[0] ?? 'redis-cli');
  if (last(read, 's') !== undefined) {
    ctx.reading.harmless.push(`\`${source}\` talks to a Unix socket, not a TCP port.`);
    return;
  }
  let hostWord: { text: string; expands: boolean } = { text: '127.0.0.1', expands: false };
  let portValue: number | undefined | 'variable' = 6379;
  const uri = last(read, 'u');
  if (typeof uri === 'string') {
    const address = parseAddress(uri, true);
    if (!address) {
      ctx.reading.unreadable.push(`the -u URI of \`${source}\` could not be read.`);
      return;
    }
    hostWord = { text: address.host, expands: /[$`]/.test(uri) };
    portValue = address.port ?? 6379;
  }
  const hostOption = read.options.filter((o) => o.name === 'h').at(-1);
  if (hostOption && typeof hostOption.value === 'string') hostWord = { text: hostOption.value, expands: hostOption.word.expands };
  const portOption = read.options.filter((o) => o.name === 'p').at(-1);
  if (portOption && typeof portOption.value === 'string') portValue = portOf({ text: portOption.value, expands: portOption.word.expands }, ctx);
  if (portValue === 'variable') {
    ctx.reading.unreadable.push(`a variable decides the port of \`${source}\`.`);
    return;
  }
  const tls = last(read, 'tls') !== undefined;
  connect(ctx, source, hostWord, portValue, (host, port) => ({ command: source, tool, host, port, wire: 'tcp', tls, requests: [] }));
}

/** libpq: no -h and no PGHOST means the Unix socket; a host starting with `/` is a socket folder. */
function pgIsready(args: ShellWord[], source: string, ctx: Context): void {
  const read = readOptions(args, { shortWithValue: 'hpdUt', longWithValue: new Set(['host', 'port', 'dbname', 'username', 'timeout']) });
  const hostOption = read.options.filter((o) => o.name === 'h' || o.name === 'host').at(-1);
  const dbname = last(read, 'd', 'dbname');
  if (typeof dbname === 'string' && /[=/]/.test(dbname)) {
    ctx.reading.unreadable.push(`the connection string of \`${source}\` is not read.`);
    return;
  }
  let hostWord: { text: string; expands: boolean } | undefined;
  if (hostOption && typeof hostOption.value === 'string') hostWord = { text: hostOption.value, expands: hostOption.word.expands };
  else if ('PGHOST' in ctx.env) {
    const value = ctx.env.PGHOST;
    if (typeof value !== 'string') {
      ctx.reading.unreadable.push(`PGHOST, which decides where \`${source}\` connects, is set from outside the manifest.`);
      return;
    }
    hostWord = { text: value, expands: false };
  }
  if (!hostWord || hostWord.text === '') {
    ctx.reading.harmless.push(`\`${source}\` has no -h, so it talks to PostgreSQL's Unix socket, not a TCP port.`);
    return;
  }
  const portOption = read.options.filter((o) => o.name === 'p' || o.name === 'port').at(-1);
  const envPort = ctx.env.PGPORT;
  const port =
    portOption && typeof portOption.value === 'string'
      ? portOf({ text: portOption.value, expands: portOption.word.expands }, ctx)
      : typeof envPort === 'string'
        ? portOf({ text: envPort, expands: false }, ctx)
        : 5432;
  if (port === 'variable') {
    ctx.reading.unreadable.push(`a variable decides the port of \`${source}\`.`);
    return;
  }
  connect(ctx, source, hostWord, port, (host, p) => ({ command: source, tool: 'pg_isready', host, port: p, wire: 'tcp', tls: false, requests: [] }));
}

/** MySQL clients: host `localhost` (the default) means the Unix socket unless --protocol=tcp. */
function mysqladmin(args: ShellWord[], source: string, ctx: Context): void {
  const read = readOptions(args, { shortWithValue: 'hPSu', longWithValue: new Set(['host', 'port', 'socket', 'user', 'protocol', 'defaults-file']) });
  const tool = baseName(source.split(/\s+/)[0] ?? 'mysqladmin');
  if (last(read, 'defaults-file', 'defaults-extra-file') !== undefined) {
    ctx.reading.unreadable.push(`\`${source}\` reads its connection settings from an option file.`);
    return;
  }
  const protocol = last(read, 'protocol');
  if (typeof protocol === 'string' && /^(socket|pipe|memory)$/i.test(protocol)) {
    ctx.reading.harmless.push(`\`${source}\` talks to a Unix socket, not a TCP port.`);
    return;
  }
  const hostOption = read.options.filter((o) => o.name === 'h' || o.name === 'host').at(-1);
  let hostWord: { text: string; expands: boolean } = { text: 'localhost', expands: false };
  if (hostOption && typeof hostOption.value === 'string') hostWord = { text: hostOption.value, expands: hostOption.word.expands };
  else if (typeof ctx.env.MYSQL_HOST === 'string') hostWord = { text: ctx.env.MYSQL_HOST, expands: false };
  else if ('MYSQL_HOST' in ctx.env) {
    ctx.reading.unreadable.push(`MYSQL_HOST, which decides where \`${source}\` connects, is set from outside the manifest.`);
    return;
  }
  const tcp = typeof protocol === 'string' && /^tcp$/i.test(protocol);
  if (!tcp && (hostWord.text === 'localhost' || hostWord.text === '') && !hostWord.expands) {
    ctx.reading.harmless.push(`\`${source}\` connects to "localhost", which MySQL clients reach through the Unix socket, not a TCP port.`);
    return;
  }
  const portOption = read.options.filter((o) => o.name === 'P' || o.name === 'port').at(-1);
  const envPort = ctx.env.MYSQL_TCP_PORT;
  const port =
    portOption && typeof portOption.value === 'string'
      ? portOf({ text: portOption.value, expands: portOption.word.expands }, ctx)
      : typeof envPort === 'string'
        ? portOf({ text: envPort, expands: false }, ctx)
        : 3306;
  if (port === 'variable') {
    ctx.reading.unreadable.push(`a variable decides the port of \`${source}\`.`);
    return;
  }
  connect(ctx, source, hostWord, port, (host, p) => ({ command: source, tool, host, port: p, wire: 'tcp', tls: false, requests: [] }));
}

/** podinfo's CLI: `podcli check http|https|tcp|grpc <address>` (a Go program). */
function podcli(args: ShellWord[], source: string, ctx: Context): void {
  const positionals = args.filter((a) => !a.text.startsWith('-'));
  if (positionals[0]?.text !== 'check' || positionals.length < 3) return genericProgram('podcli', args, source, ctx);
  const kind = positionals[1].text;
  const target = positionals[2];
  if (kind === 'http' || kind === 'https') {
    const address = parseAddress(target.text) ?? parseAddress(`${kind}://${target.text}`);
    if (!address) {
      ctx.reading.unreadable.push(`the address of \`${source}\` could not be read.`);
      return;
    }
    const scheme = address.scheme ?? kind;
    const port = address.port ?? defaultPort(scheme);
    connect(ctx, source, { text: address.host, expands: target.expands }, port, (host, p) => ({
      command: source,
      tool: 'podcli',
      host,
      port: p,
      wire: 'http',
      tls: scheme === 'https',
      requests: [
        request('GET', address.path, [
          header('host', hostHeader(host, p, scheme)),
          header('user-agent', TOOL_AGENTS.goHttp),
          header('accept-encoding', 'gzip'),
        ]),
      ],
    }));
    return;
  }
  if (kind === 'tcp' || kind === 'grpc') {
    const address = parseAddress(target.text);
    if (!address) {
      ctx.reading.unreadable.push(`the address of \`${source}\` could not be read.`);
      return;
    }
    connect(ctx, source, { text: address.host, expands: target.expands }, address.port, (host, port) => ({
      command: source,
      tool: 'podcli',
      host,
      port,
      wire: kind === 'tcp' ? 'connect' : 'grpc',
      tls: false,
      requests: kind === 'grpc' ? [grpcRequest('')] : [],
    }));
    return;
  }
  genericProgram('podcli', args, source, ctx);
}

/**
 * `xargs [options] cmd args...` runs `cmd` with more arguments read from its input, which Probe
 * Guard does not see (`echo localhost:8080/healthz | xargs curl -f`): harmless only when `cmd`
 * opens no connection whatever its arguments; otherwise what it is given decides.
 */
function xargs(args: ShellWord[], source: string, ctx: Context): void {
  let i = 0;
  while (i < args.length && args[i].text.startsWith('-') && args[i].text !== '--') {
    // Options whose value is the next word when not attached (GNU and BusyBox xargs).
    i +=
      /^-[aEdILnPs]$/.test(args[i].text) || /^--(arg-file|delimiter|eof|max-args|max-lines|max-procs|max-chars|replace|process-slot-var)$/.test(args[i].text)
        ? 2
        : 1;
  }
  if (args[i]?.text === '--') i++;
  const rest = args.slice(i);
  if (rest.length === 0) {
    ctx.reading.harmless.push(`\`${source}\` only echoes its input.`);
    return;
  }
  if (rest[0].expands || !NO_NETWORK.has(baseName(rest[0].text))) {
    ctx.reading.unreadable.push(`\`${source}\` adds arguments read from its input to \`${rest[0].text}\`, and those decide where it connects.`);
  }
  interpret({ words: rest, redirections: [], source }, { ...ctx, depth: ctx.depth + 1 });
}

/** `find ... -exec cmd {} ;` (also -execdir, -ok, -okdir) runs `cmd`; find alone opens no connection. */
function find(args: ShellWord[], source: string, ctx: Context): void {
  let ran = false;
  for (let i = 0; i < args.length; i++) {
    if (!/^-(exec|execdir|ok|okdir)$/.test(args[i].text)) continue;
    let end = i + 1;
    while (end < args.length && args[end].text !== ';' && args[end].text !== '+') end++;
    const words = args.slice(i + 1, end);
    if (words.length > 0) interpret({ words, redirections: [], source }, { ...ctx, depth: ctx.depth + 1 });
    ran = true;
    i = end;
  }
  if (!ran) opensNoConnection(source, ctx);
}

/** awk opens no connection unless its program runs commands (`system()`, pipes) or uses gawk's `/inet/`. */
function awk(args: ShellWord[], source: string, ctx: Context): void {
  if (args.some((a) => /\bsystem\s*\(|\||\/inet[46]?\//.test(a.text))) {
    ctx.reading.unreadable.push(`\`${source}\` runs commands or opens connections from its awk program, which Probe Guard does not read.`);
    return;
  }
  if (readsProgramFile(args)) {
    ctx.reading.unreadable.push(`\`${source}\` runs an awk program file, which Probe Guard cannot read.`);
    return;
  }
  opensNoConnection(source, ctx);
}

/**
 * sed opens no connection, but GNU sed's `e` command and the `e` flag of `s///` run the pattern
 * space as a shell command: such a script, or one read from a file, cannot be judged.
 */
function sed(args: ShellWord[], source: string, ctx: Context): void {
  if (readsProgramFile(args)) {
    ctx.reading.unreadable.push(`\`${source}\` runs a sed script file, which Probe Guard cannot read.`);
    return;
  }
  if (args.some((a) => !/^-[a-zA-Z]+$/.test(a.text) && runsCommands(a.text))) {
    ctx.reading.unreadable.push(`\`${source}\` runs shell commands from its sed script (GNU sed's \`e\`), which Probe Guard does not read.`);
    return;
  }
  opensNoConnection(source, ctx);
}

/** An address (`3`, `$`, `/re/`, a range), then `e`: the command. `s/a/b/e`: the flag. Errs towards yes. */
const SED_E_COMMAND = /(^|[;\n{}])\s*(?:(?:\d+|\$|\/(?:[^/\\]|\\.)*\/)(?:\s*,\s*(?:\d+|\$|\/(?:[^/\\]|\\.)*\/))?)?\s*!?\s*e(?:\s|;|}|$)/;
const SED_E_FLAG = /(^|[;\n{}]|\/)\s*s(.)(?:(?!\2)[^\\]|\\.)*\2(?:(?!\2)[^\\]|\\.)*\2[a-zA-Z0-9]*e/;
function runsCommands(script: string): boolean {
  return SED_E_COMMAND.test(script) || SED_E_FLAG.test(script);
}

/** `-f FILE` / `--file=FILE` (awk and sed): the program is in a file Probe Guard does not read. */
function readsProgramFile(args: ShellWord[]): boolean {
  return args.some((a) => a.text === '-f' || a.text.startsWith('--file'));
}

function opensNoConnection(source: string, ctx: Context): void {
  ctx.reading.harmless.push(`\`${source}\` opens no network connection.`);
}

/** `exec 3<>/dev/tcp/127.0.0.1/8080`, `cat < /dev/tcp/localhost/6379`: bash opens a TCP connection. */
function devTcp(target: string, source: string, ctx: Context): void {
  const match = /^\/dev\/tcp\/([^/]+)\/([^/]+)$/.exec(target);
  if (!match) return;
  const port = Number(match[2]);
  // Writing to the descriptor (`printf 'GET / ...' >&3`) or to /dev/tcp itself sends bytes Probe
  // Guard does not read; only opening (and reading) it is a bare connect.
  const script = ctx.script ?? source;
  const sendsData = />&\s*[3-9]|(?<!<)>\s*\/dev\/tcp\//.test(script);
  connect(ctx, source, { text: match[1], expands: /[$`]/.test(match[1]) }, /^\d{1,5}$/.test(match[2]) && port <= 65535 ? port : undefined, (host, p) => ({
    command: source,
    tool: '/dev/tcp',
    host,
    port: p,
    wire: sendsData ? 'unknown' : 'connect',
    tls: false,
    requests: [],
  }));
}

/**
 * A program Probe Guard does not know: it connects to the pod when an argument is a loopback URL
 * or `host:port`. What it sends is a guess: an HTTP URL gets two candidate requests (Go's default
 * User-Agent, and none), so a filter's answer counts only when both agree.
 */
function genericProgram(name: string, args: ShellWord[], source: string, ctx: Context): void {
  let found = false;
  for (const arg of args) {
    const value = arg.text.replace(/^--?[A-Za-z0-9_.-]+=/, '');
    const address = parseAddress(value);
    if (!address) continue;
    const cls = classifyHost({ text: address.host, expands: arg.expands }, ctx.env);
    if (cls !== 'loopback' && cls !== 'self') continue;
    const scheme = address.scheme;
    const port = address.port ?? defaultPort(scheme);
    if (port === undefined) continue;
    const http = scheme === 'http' || scheme === 'https' || (scheme === undefined && address.path !== '/');
    const grpc = scheme === 'grpc' || scheme === 'grpcs';
    found =
      connect(ctx, source, { text: address.host, expands: arg.expands }, port, (host, p) => ({
        command: source,
        tool: name,
        host,
        port: p,
        wire: http ? 'http' : grpc ? 'grpc' : 'unknown',
        tls: scheme === 'https' || scheme === 'grpcs',
        requests: http
          ? [
              request('GET', address.path, [header('host', hostHeader(host, p, scheme ?? 'http')), header('user-agent', TOOL_AGENTS.goHttp)]),
              request('GET', address.path, [header('host', hostHeader(host, p, scheme ?? 'http'))]),
            ]
          : grpc
            ? [grpcRequest('')]
            : [],
        requestGuess: http || grpc ? `which User-Agent ${name} sends` : undefined,
      })) || found;
  }
  if (!found) ctx.reading.unreadable.push(`Probe Guard cannot tell whether \`${source}\` connects to a port of the pod.`);
}

const TOOLS: Record<string, ToolReader> = {
  curl,
  wget,
  grpc_health_probe: grpcHealthProbe,
  'grpc-health-probe': grpcHealthProbe,
  nc: netcat,
  ncat: netcat,
  netcat,
  'redis-cli': redisCli,
  'valkey-cli': redisCli,
  'keydb-cli': redisCli,
  pg_isready: pgIsready,
  mysqladmin,
  'mariadb-admin': mysqladmin,
  podcli,
  xargs,
  find,
  sed,
  gsed: sed,
  awk,
  gawk: awk,
  mawk: awk,
  nawk: awk,
};

function baseName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(slash + 1) : path;
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `curl -fsS localhost:8080/healthz`, shortened for tables and messages. */
export function execCommandText(command: string[] | undefined, max = 72): string {
  if (!Array.isArray(command)) return '';
  const shellIndex = command.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w) && SHELLS.has(baseName(command[0] ?? '')));
  const text = shellIndex > 0 && command[shellIndex + 1] !== undefined ? command[shellIndex + 1] : command.map(quoteWord).join(' ');
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function quoteWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
