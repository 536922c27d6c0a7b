/**
 * A .json config that starts with a byte order mark: mirrord reads the file as it is
 * (`fs::read_to_string`, then Tera) and parses it with serde_json, which does not skip a BOM
 * (serde-rs/json#805: "expected value at line 1 column 1").
 */
export const JSON_BOM_MESSAGE =
  'The file starts with a byte order mark (U+FEFF): mirrord reads .json configs with serde_json, which refuses it ("expected value at line 1 column 1"). Save the file as UTF-8 without a BOM.';
