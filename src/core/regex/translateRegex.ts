/**
 * Public entry: a mirrord filter regex as a JS RegExp with the same matches, or the reason why
 * not. mirrord compiles every filter as `(?i)` + pattern with fancy-regex 0.14 and searches
 * unanchored (`is_match`); `regex.test(line)` on the result answers the same question.
 * Never a wrong translation: anything uncertain comes back as `untranslatable`. When `asciiOnly`
 * is set, the answer is exact only for text made of ASCII characters (the pattern has Unicode
 * classes, whose tables differ between Node and mirrord's regex-syntax, or folds non-ASCII case).
 */

import { emitJsRegex } from './emitJsRegex';
import { parseMirrordRegex } from './parseMirrordRegex';
import { RegexSyntaxError, UntranslatableRegexError } from './regexAst';
import { checkNfaSize, NFA_SIZE_LIMIT } from './sizeLimit';

export type RegexTranslation =
  { ok: true; regex: RegExp; source: string; asciiOnly: boolean } | { ok: false; reason: 'invalid' | 'untranslatable'; message: string };

export function translateMirrordRegex(pattern: string): RegexTranslation {
  if (typeof pattern !== 'string') {
    return { ok: false, reason: 'invalid', message: 'the pattern is not a string' };
  }
  try {
    const parsed = parseMirrordRegex(pattern);
    const { source, flags, asciiOnly } = emitJsRegex(parsed.root);
    const size = checkNfaSize(parsed.root);
    if (size.kind === 'too-big') {
      return {
        ok: false,
        reason: 'invalid',
        message: `compiled regex exceeds the size limit of ${NFA_SIZE_LIMIT} bytes (about ${mib(size.bytes)} MiB at least)`,
      };
    }
    if (size.kind === 'unknown') {
      return {
        ok: false,
        reason: 'untranslatable',
        message: `the compiled size (${mib(size.low)} to ${mib(size.high)} MiB) may exceed regex-automata's ${mib(NFA_SIZE_LIMIT)} MiB limit`,
      };
    }
    let regex: RegExp;
    try {
      regex = new RegExp(source, flags);
    } catch (err) {
      // A bug in the emitter, not in the user's pattern: say so rather than guess.
      return { ok: false, reason: 'untranslatable', message: `internal translation error (${errorText(err)})` };
    }
    return { ok: true, regex, source, asciiOnly };
  } catch (err) {
    if (err instanceof RegexSyntaxError) return { ok: false, reason: 'invalid', message: err.message };
    if (err instanceof UntranslatableRegexError) return { ok: false, reason: 'untranslatable', message: err.message };
    return { ok: false, reason: 'untranslatable', message: `internal translation error (${errorText(err)})` };
  }
}

function mib(bytes: number): string {
  return (bytes / (1 << 20)).toFixed(1);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
