/**
 * Colour for the text report: FORCE_COLOR forces it (unless "0" or "false"), a non-empty NO_COLOR
 * turns it off (no-color.org), otherwise only on a terminal that is not "dumb". FORCE_COLOR wins
 * over NO_COLOR, as in Node itself and the supports-color convention.
 */
export function useColour(env: Record<string, string | undefined>, isTty: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTty && env.TERM !== 'dumb';
}
