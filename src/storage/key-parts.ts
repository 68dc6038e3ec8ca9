/**
 * The parts every key of this app's tables is made of: text made safe for a key, and the ranges
 * a query reads. Kept apart so that each table's key scheme (table-keys.ts, history-keys.ts,
 * people-table-keys.ts) can use them without importing another.
 */

// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const NEEDS_ENCODING = /[%|/\\#?\u0000-\u001f\u007f-\u009f]/g;
const ENCODED = /%([0-9A-F]{2})/g;

/**
 * Makes a plan id, ref or area name safe to put in a key: `%`, `|`, `/`, `\`, `#`, `?` and
 * control characters, which Azure Table Storage forbids in keys or which the schemes use, become
 * `%XX` (the code point in upper-case hex).
 */
export function encodeKeyPart(text: string): string {
  return text.replace(
    NEEDS_ENCODING,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** Reverses encodeKeyPart. */
export function decodeKeyPart(encoded: string): string {
  return encoded.replace(ENCODED, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A RowKey range: `ge` ≤ RowKey < `lt`. */
export interface RowKeyRange {
  readonly ge: string;
  readonly lt: string;
}
