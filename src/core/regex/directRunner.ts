/**
 * A RegexRunner with no time budget: fine for tests and for patterns known to be linear.
 * Resets `lastIndex` so a `g`/`y` regex gives the same answer on every call.
 */

import { type RegexOutcome, type RegexRunner } from '../types';

export const directRegexRunner: RegexRunner = {
  test(regex: RegExp, input: string): RegexOutcome {
    regex.lastIndex = 0;
    return regex.test(input);
  },
};
