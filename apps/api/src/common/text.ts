// PostgreSQL text cannot hold NUL, and stores a lone UTF-16 surrogate as U+FFFD: a value that
// changes on the way in would be a 500, or would no longer match the hash the audit chain took of it.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** Replaces what PostgreSQL would reject or rewrite, so what is hashed is what is stored. */
export function storableText(value: string): string {
  return value.replace(new RegExp(UNSTORABLE.source, 'gu'), '\uFFFD');
}
