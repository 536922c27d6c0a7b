/**
 * Messages quote what the user wrote (a key, a target name, a value). A quoted run that is very
 * long (a pasted blob, a generated key) is shortened to its head and tail with its length, so a
 * finding stays readable in a hover, a terminal and a SARIF viewer. Short messages are untouched.
 */
const LONG_MESSAGE = 1000;
const LONG_QUOTE = 200;
const HEAD = 80;
const TAIL = 20;
/** A run of more than LONG_QUOTE characters between double quotes or backticks. */
const LONG_QUOTED = new RegExp(`(["\`])([^"\`]{${LONG_QUOTE + 1},})\\1`, 'g');

export function elideLongQuotes(message: string): string {
  if (message.length <= LONG_MESSAGE) return message;
  return message.replace(
    LONG_QUOTED,
    (_whole, quote: string, inner: string) =>
      `${quote}${inner.slice(0, HEAD)}…${inner.slice(-TAIL)}${quote} (${inner.length.toLocaleString('en-US')} characters)`,
  );
}
