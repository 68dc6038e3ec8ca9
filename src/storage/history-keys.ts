import { randomBytes } from 'node:crypto';
import { decodeKeyPart, encodeKeyPart, type RowKeyRange } from './key-parts.js';

/**
 * The RowKeys of history entries, newest first.
 *
 * | Record                               | RowKey                                                  |
 * | ------------------------------------ | ------------------------------------------------------- |
 * | history entry                        | `hist\|<ref>\|<inverted ms>\|<inverted sequence>-<tag>` |
 * | history entry written before this    | `history\|<ref>\|<ISO instant>\|<position>-<random>`    |
 *
 * - `<inverted ms>` is 9,999,999,999,999 minus the entry's time in milliseconds since 1970, 13
 *   digits: Table Storage returns a range in RowKey order, so an action's history comes newest
 *   first and its latest five entries are the first five of the range (`$top`), whatever its
 *   length.
 * - `<inverted sequence>` orders entries of the same millisecond: a counter of this process that
 *   grows with every entry it keys (the entries of one save in the order given, then the next
 *   save's), inverted in 13 hex digits so the later comes first. Entries written at the same
 *   instant therefore keep their arrival order. Two processes writing the same action at the same
 *   millisecond have no arrival order to keep (the action's ETag orders their changes, and each
 *   change's time is after the one before); `<tag>`, 6 random hex digits, keeps their keys apart.
 * - Entries written before this scheme (`history|…`, oldest first) are still read, never moved:
 *   `listHistory` merges both ranges, and `latestHistory` reads the old range of an action only
 *   when its new range holds fewer entries than asked for. Both ranges of one action are
 *   `…|<ref>|` … `…|<ref>}`, so 4.9's history never mixes with 4.9a's; `hist|` and `history|`
 *   never overlap (`o` sorts before `|`).
 */

const SEPARATOR = '|';
const AFTER_SEPARATOR = '}';

/** Times past this (the year 2286) cannot be inverted in 13 digits. */
const MAX_MS = 9_999_999_999_999;
const MAX_SEQUENCE = 0xf_ffff_ffff_ffff;

export const HISTORY_PREFIX = 'hist';
export const LEGACY_HISTORY_PREFIX = 'history';

const prefixRange = (prefix: string): RowKeyRange => ({
  ge: prefix + SEPARATOR,
  lt: prefix + AFTER_SEPARATOR,
});

/** The whole plan's history, newest first within each action. */
export const HISTORY_RANGE: RowKeyRange = prefixRange(HISTORY_PREFIX);
/** The whole plan's history as written before the newest-first keys. */
export const LEGACY_HISTORY_RANGE: RowKeyRange = prefixRange(LEGACY_HISTORY_PREFIX);

/** One action's history: `hist|<ref>|` … `hist|<ref>}`, newest first. */
export const historyRangeOf = (ref: string): RowKeyRange =>
  prefixRange(`${HISTORY_PREFIX}${SEPARATOR}${encodeKeyPart(ref)}`);

/** One action's history as written before the newest-first keys, oldest first. */
export const legacyHistoryRangeOf = (ref: string): RowKeyRange =>
  prefixRange(`${LEGACY_HISTORY_PREFIX}${SEPARATOR}${encodeKeyPart(ref)}`);

/**
 * The time of an entry in milliseconds. Throws on a text that is not a date, or one outside 1970
 * to 2286: history with no usable time could not be put in order.
 */
export function entryMs(at: string): number {
  const ms = Date.parse(at);
  if (Number.isNaN(ms) || ms < 0 || ms > MAX_MS) {
    throw new RangeError(`"${at}" is not an ISO 8601 instant.`);
  }
  return ms;
}

let sequence = 0;

/**
 * The RowKey of a new history entry. Each call takes the next number of this process's
 * sequence, so call it in the order the entries happened.
 */
export function historyRowKey(ref: string, at: string): string {
  const inverted = String(MAX_MS - entryMs(at)).padStart(13, '0');
  sequence = sequence >= MAX_SEQUENCE ? 0 : sequence + 1;
  const order = (MAX_SEQUENCE - sequence).toString(16).padStart(13, '0');
  const tag = randomBytes(3).toString('hex');
  return [HISTORY_PREFIX, encodeKeyPart(ref), inverted, `${order}-${tag}`].join(SEPARATOR);
}

/** What a history RowKey says: the action, and where the entry stands in its history. */
export interface HistoryKey {
  readonly ref: string;
  /** The entry's time in milliseconds. */
  readonly ms: number;
  /** Written before the newest-first keys. */
  readonly legacy: boolean;
  /**
   * Orders entries of the same millisecond and kind, ascending = earlier: the legacy position and
   * random suffix; for new keys the sequence, turned back the right way up.
   */
  readonly order: string;
}

/** Reads a history RowKey of either scheme; undefined for any other key. */
export function parseHistoryKey(rowKey: string): HistoryKey | undefined {
  const parts = rowKey.split(SEPARATOR);
  if (parts.length !== 4) return undefined;
  const [kind, ref, time, order] = parts as [string, string, string, string];
  if (!ref || !time || !order) return undefined;
  if (kind === HISTORY_PREFIX && /^\d{13}$/.test(time)) {
    const seq = /^([0-9a-f]{13})-/.exec(order)?.[1];
    if (!seq) return undefined;
    const ascending = (MAX_SEQUENCE - parseInt(seq, 16)).toString(16).padStart(13, '0');
    return {
      ref: decodeKeyPart(ref),
      ms: MAX_MS - Number(time),
      legacy: false,
      order: `${ascending}${order.slice(13)}`,
    };
  }
  if (kind === LEGACY_HISTORY_PREFIX) {
    const ms = Date.parse(time);
    if (Number.isNaN(ms)) return undefined;
    return { ref: decodeKeyPart(ref), ms, legacy: true, order };
  }
  return undefined;
}

/**
 * Orders history keys of either scheme as things happened, oldest first: by time, then (at the
 * same millisecond) entries written before the newest-first keys, then by arrival. Sorting a
 * whole plan's history by RowKey alone would group it by ref instead.
 */
export function compareHistoryKeys(a: string, b: string): number {
  const ka = parseHistoryKey(a);
  const kb = parseHistoryKey(b);
  if (!ka || !kb) return cmp(a, b);
  return (
    ka.ms - kb.ms ||
    Number(kb.legacy) - Number(ka.legacy) ||
    cmp(ka.order, kb.order) ||
    cmp(ka.ref, kb.ref) ||
    cmp(a, b)
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
