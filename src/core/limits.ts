/**
 * Size limits, documented in the README: above them a file is skipped with a message instead of
 * being analysed, so that a hostile or accidental giant cannot stall the editor or CI.
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
export const MAX_MANIFEST_FILE_BYTES = 16 * 1024 * 1024;
export const MAX_MANIFEST_TOTAL_BYTES = 64 * 1024 * 1024;
/** Folders deeper than this, or with more files, are not walked for manifests. */
export const MAX_MANIFEST_FILES = 5000;
/**
 * Deeper nesting than this is not analysed (a syntax problem says so): no mirrord config needs more
 * than a handful of levels, and the engine's tree walks would exhaust the stack on a hostile file.
 * 128 is serde_json's default recursion limit.
 */
export const MAX_CONFIG_DEPTH = 128;
