/** The text as a sentence: a full stop added unless it already ends one. */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
