/**
 * Public entry: a mirrord filter regex as a JS RegExp with the same matches, or the reason why
 * not. mirrord compiles every filter as `(?i)` + pattern with fancy-regex 0.14 and searches
 * unanchored; `regex.test(line)` on the result answers the same question.
 * Never a wrong translation: anything uncertain comes back as `untranslatable`.
 */

import { emitJsRegex } from './emitJsRegex';
import { parseMirrordRegex } from './parseMirrordRegex';
import { RegexSyntaxError, UntranslatableRegexError } from './regexAst';

export type RegexTranslation = { ok: true; regex: RegExp; source: string } | { ok: false; reason: 'invalid' | 'untranslatable'; message: string };

export function translateMirrordRegex(pattern: string): RegexTranslation {
  if (typeof pattern !== 'string') {
    return { ok: false, reason: 'invalid', message: 'the pattern is not a string' };
  }
  try {
    const parsed = parseMirrordRegex(pattern);
    const { source, flags } = emitJsRegex(parsed.root);
    let regex: RegExp;
    try {
      regex = new RegExp(source, flags);
    } catch (err) {
      // A bug in the emitter, not in the user's pattern: say so rather than guess.
      return { ok: false, reason: 'untranslatable', message: `internal translation error (${errorText(err)})` };
    }
    return { ok: true, regex, source };
  } catch (err) {
    if (err instanceof RegexSyntaxError) return { ok: false, reason: 'invalid', message: err.message };
    if (err instanceof UntranslatableRegexError) return { ok: false, reason: 'untranslatable', message: err.message };
    return { ok: false, reason: 'untranslatable', message: `internal translation error (${errorText(err)})` };
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
