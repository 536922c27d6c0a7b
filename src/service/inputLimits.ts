/**
 * The input limits (README "Limits"): a config or manifest over them is not analysed, with a
 * message, so that a hostile or accidental giant cannot stall the editor or CI.
 */
import { MAX_CONFIG_BYTES } from '../core/limits';

export { MAX_CONFIG_BYTES, MAX_MANIFEST_FILE_BYTES, MAX_MANIFEST_FILES, MAX_MANIFEST_TOTAL_BYTES } from '../core/limits';

/** Why a config text (an editor buffer) is not analysed, or undefined when it may be. */
export function configTextProblem(text: string): string | undefined {
  // A UTF-16 length is at most the UTF-8 size, which is at most three times the length.
  if (text.length * 3 <= MAX_CONFIG_BYTES) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > MAX_CONFIG_BYTES ? configTooLargeMessage(bytes) : undefined;
}

export function configTooLargeMessage(bytes: number): string {
  return `The config is ${megabytes(bytes)} MB; configs over ${megabytes(MAX_CONFIG_BYTES)} MB are not analysed.`;
}

export function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');
}
