/**
 * mirrord's HTTP filter model and how its agent matches a request against it
 * (docs/semantics.md section 4): header regexes against each `"<name>: <value>"` line,
 * path regexes against the path then the path plus query, methods case-insensitively,
 * and all_of / any_of combinations. Three-valued: a filter we cannot evaluate is `unknown`.
 */

import { type HeaderLine, type ProbeRequest, type RegexOutcome, type RegexRunner } from '../types';
import { cachedTranslation } from '../regex/translationCache';

export type HttpFilterSpec =
  | { kind: 'header'; pattern: string }
  | { kind: 'path'; pattern: string }
  | { kind: 'method'; method: string }
  | { kind: 'all_of' | 'any_of'; filters: HttpFilterSpec[] }
  /** header_filter_jq, body filters, `{"query": jq}`: cannot be judged from a probe. */
  | { kind: 'opaque'; what: string }
  /** A Tera template decides the value. */
  | { kind: 'templated'; what: string };

export type FilterMatch = { result: 'match' | 'no-match' | 'unknown'; reason: string };

export function matchFilter(filter: HttpFilterSpec, request: ProbeRequest, runner: RegexRunner): FilterMatch {
  try {
    return matchAny(filter, request, runner);
  } catch (err) {
    // Bad input (or a misbehaving runner) must not take the analysis down.
    return unknown(`could not evaluate the filter (${err instanceof Error ? err.message : String(err)})`);
  }
}

function matchAny(filter: HttpFilterSpec, request: ProbeRequest, runner: RegexRunner): FilterMatch {
  if (filter === null || typeof filter !== 'object') return unknown('the filter is missing or malformed');
  if (request === null || typeof request !== 'object') return unknown('the probe request is missing');
  switch (filter.kind) {
    case 'header':
      return matchHeader(filter.pattern, request, runner);
    case 'path':
      return matchPath(filter.pattern, request, runner);
    case 'method':
      return matchMethod(filter.method, request);
    case 'all_of':
      return matchAllOf(filter.filters, request, runner);
    case 'any_of':
      return matchAnyOf(filter.filters, request, runner);
    case 'opaque':
      return unknown(`cannot tell from a probe whether ${filter.what} matches`);
    case 'templated':
      return unknown(`${filter.what} is set by a template; its value is unknown until mirrord renders the file`);
    default:
      return unknown(`unsupported filter kind "${String((filter as { kind?: unknown }).kind)}"`);
  }
}

// -- header ---------------------------------------------------------------------------------

function matchHeader(pattern: string, request: ProbeRequest, runner: RegexRunner): FilterMatch {
  const label = `header filter ${quote(pattern)}`;
  const compiled = compile(pattern, label);
  if ('result' in compiled) return compiled;
  const lines = headerLines(Array.isArray(request.headers) ? request.headers : []);
  // `host: <pod IP>:<port>`: tried with pod IPs of several shapes; the answer counts when they agree.
  let podHost: 'match' | 'no-match' | 'depends' | undefined;
  const port = request.podIpHostPort;
  if (typeof port === 'number') {
    const outcomes = POD_IPS.map((ip) => run(runner, compiled.regex, `host: ${ip}:${port}`));
    if (outcomes.includes('timeout')) return unknown(`${label} took too long to evaluate (it ran out of its time budget) against the probe's host header`);
    podHost = outcomes.every((o) => o === true) ? 'match' : outcomes.some((o) => o === true) ? 'depends' : 'no-match';
    if (podHost === 'match') return match(`${label} matches the probe's header "host: <pod IP>:${port}" (whatever the pod's IP)`);
  }
  if (lines.length === 0 && podHost === undefined) return noMatch(`${label} matches nothing: the probe sends no headers`);
  // The agent stops at the first line that matches, in order; a line we could not finish
  // before that leaves the answer open.
  for (const line of lines) {
    if (compiled.asciiOnly && NON_ASCII.test(line))
      return unknown(`${label} uses Unicode classes that are only checked against ASCII text, and ${quote(line)} is not ASCII`);
    const outcome = run(runner, compiled.regex, line);
    if (outcome === true) return match(`${label} matches the probe's header ${quote(line)}`);
    if (outcome === 'timeout') return unknown(`${label} took too long to evaluate (it ran out of its time budget) against ${quote(line)}`);
  }
  if (podHost === 'depends')
    return unknown(`whether ${label} matches the probe's header "host: <pod IP>:${port}" depends on the pod's IP, which is not known here`);
  const shown = typeof port === 'number' ? [`host: <pod IP>:${port}`, ...lines] : lines;
  return noMatch(`${label} matches none of the probe's headers (${shown.join(', ')})`);
}

/** Pod IPs of the shapes clusters hand out (IPv4 ranges, IPv6 in brackets as in a Host header). */
const POD_IPS = ['10.244.1.23', '172.17.0.5', '192.168.3.41', '100.64.2.7', '[fd00:10:244::17]'];

/**
 * `"<lowercase name>: <value>"`. The agent skips values that are not visible ASCII
 * (hyper's `HeaderValue::to_str` fails on them), so those lines are never tried.
 */
function headerLines(headers: HeaderLine[]): string[] {
  const lines: string[] = [];
  for (const header of headers) {
    if (header === null || typeof header !== 'object') continue;
    const name = String(header.name ?? '').toLowerCase();
    const value = String(header.value ?? '');
    if (!/^[\t\x20-\x7e]*$/.test(value)) continue;
    lines.push(`${name}: ${value}`);
  }
  return lines;
}

// -- path -----------------------------------------------------------------------------------

function matchPath(pattern: string, request: ProbeRequest, runner: RegexRunner): FilterMatch {
  const label = `path filter ${quote(pattern)}`;
  const compiled = compile(pattern, label);
  if ('result' in compiled) return compiled;
  const path = typeof request.path === 'string' ? request.path : '/';
  const withQuery = typeof request.pathAndQuery === 'string' ? request.pathAndQuery : path;
  const candidates = withQuery === path ? [path] : [path, withQuery];
  for (const candidate of candidates) {
    if (compiled.asciiOnly && NON_ASCII.test(candidate)) {
      return unknown(`${label} uses Unicode classes that are only checked against ASCII text, and ${quote(candidate)} is not ASCII`);
    }
    const outcome = run(runner, compiled.regex, candidate);
    if (outcome === true) return match(`${label} matches the probe's path ${quote(candidate)}`);
    if (outcome === 'timeout') return unknown(`${label} took too long to evaluate (it ran out of its time budget) against ${quote(candidate)}`);
  }
  return noMatch(
    candidates.length === 1
      ? `${label} does not match the probe's path ${quote(path)}`
      : `${label} matches neither the probe's path ${quote(path)} nor ${quote(withQuery)}`,
  );
}

// -- method ---------------------------------------------------------------------------------

function matchMethod(method: string, request: ProbeRequest): FilterMatch {
  if (typeof method !== 'string' || method.length === 0) return unknown('the method filter has no method');
  const probeMethod = typeof request.method === 'string' ? request.method : 'GET';
  const label = `method filter ${quote(method)}`;
  return method.toLowerCase() === probeMethod.toLowerCase()
    ? match(`${label} matches the probe's method ${probeMethod}`)
    : noMatch(`${label} does not match the probe's method ${probeMethod}`);
}

// -- combinations ---------------------------------------------------------------------------

function matchAllOf(filters: HttpFilterSpec[], request: ProbeRequest, runner: RegexRunner): FilterMatch {
  if (!Array.isArray(filters) || filters.length === 0) return unknown('all_of is empty (a config error)');
  const results = filters.map((f) => matchAny(f, request, runner));
  const failed = results.find((r) => r.result === 'no-match');
  if (failed) return noMatch(`all_of fails: ${failed.reason}`);
  const open = results.find((r) => r.result === 'unknown');
  if (open) return unknown(`all_of: ${open.reason}`);
  return match(`all ${results.length} filters of all_of match (${results.map((r) => r.reason).join('; ')})`);
}

function matchAnyOf(filters: HttpFilterSpec[], request: ProbeRequest, runner: RegexRunner): FilterMatch {
  if (!Array.isArray(filters) || filters.length === 0) return unknown('any_of is empty (a config error)');
  const results = filters.map((f) => matchAny(f, request, runner));
  const hit = results.find((r) => r.result === 'match');
  if (hit) return match(`any_of: ${hit.reason}`);
  const open = results.find((r) => r.result === 'unknown');
  if (open) return unknown(`any_of: ${open.reason}`);
  return noMatch(`none of the ${results.length} filters of any_of match`);
}

// -- helpers --------------------------------------------------------------------------------

/**
 * Unicode classes are translated exactly on ASCII text only (Node's Unicode tables are not
 * regex-syntax's, and folding outside ASCII is not modelled): other text gets `unknown`.
 */
// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose: everything outside ASCII
const NON_ASCII = /[^\u{0}-\u{7f}]/u;

function compile(pattern: string, label: string): { regex: RegExp; asciiOnly: boolean } | FilterMatch {
  if (typeof pattern !== 'string') return unknown(`${label.split(' ')[0]} filter has no pattern`);
  const translation = cachedTranslation(pattern);
  if (translation.ok) return { regex: translation.regex, asciiOnly: translation.asciiOnly };
  return translation.reason === 'invalid'
    ? unknown(`${label} is not a valid regex: ${translation.message}`)
    : unknown(`${label} cannot be evaluated here: ${translation.message}`);
}

function run(runner: RegexRunner, regex: RegExp, input: string): RegexOutcome {
  try {
    return runner.test(regex, input);
  } catch {
    return 'timeout';
  }
}

function quote(text: string): string {
  return JSON.stringify(text);
}

const match = (reason: string): FilterMatch => ({ result: 'match', reason });
const noMatch = (reason: string): FilterMatch => ({ result: 'no-match', reason });
const unknown = (reason: string): FilterMatch => ({ result: 'unknown', reason });
