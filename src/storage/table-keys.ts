import { areaKey } from '../domain/area-name.js';
import { ActionPlanError } from '../domain/errors.js';
import type { Action, Area, HistoryEntry, Plan } from '../domain/plan.js';
import type { ExpectedVersion, PlanChanges } from '../ports/plan-repository.js';

/**
 * The PartitionKey/RowKey scheme of the action plan table, in one place.
 *
 * One table (default name `ActionPlans`). PartitionKey = the plan id, so a plan and all its
 * records share a partition and can be written in one entity-group transaction (at most 100
 * operations, all in one partition).
 *
 * | Record        | RowKey                                      |
 * | ------------- | ------------------------------------------- |
 * | the plan      | `plan`                                      |
 * | an action     | `action\|<ref>`                             |
 * | an area       | `area\|<area key>`                          |
 * | history entry | `history\|<ref>\|<ISO instant>\|<suffix>`   |
 *
 * - `<ISO instant>` is the entry's `at` normalised to `YYYY-MM-DDTHH:mm:ss.sssZ`, so one action's
 *   history sorts by time; `<suffix>` is the entry's 4-digit position within its save, a dash and
 *   8 random hex digits, so entries with the same instant keep their order and never collide.
 * - Ranges: every action is `action|` ≤ RowKey < `action}`; every area `area|` … `area}`; the whole
 *   plan's history `history|` … `history}`; one action's history `history|<ref>|` … `history|<ref>}`
 *   (`}` is the character after `|`). Because `|` is always encoded inside a ref, the history of
 *   4.9 (`history|4.9|…`) never mixes with that of 4.9a (`history|4.9a|…`).
 * - `<area key>` is the name's letters and digits, lower-cased (domain/area-name.ts): "MoJ HQ"
 *   and "MoJ-HQ" are one key, so storage itself refuses a second row for one area. Areas written
 *   before this rule sit under their lower-cased name (`area|moj hq`); they are read as they are,
 *   and moved to their key the next time they are written (storage/area-rows.ts).
 * - Plan ids, refs and area names are encoded before they go into a key: `%`, `|`, `/`, `\`, `#`,
 *   `?` and control characters (U+0000–U+001F, U+007F–U+009F), which Azure Table Storage forbids
 *   in keys or which the scheme uses, become `%XX` (the code point in upper-case hex). Everything
 *   else is kept, so keys stay readable in Storage Explorer. Keys are decoded on read.
 */
export const DEFAULT_TABLE_NAME = 'ActionPlans';

/** The RowKey of the plan record itself. */
export const PLAN_ROW_KEY = 'plan';

const SEPARATOR = '|';
/** The character after SEPARATOR: the exclusive upper bound of a prefix range. */
const AFTER_SEPARATOR = '}';

// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const NEEDS_ENCODING = /[%|/\\#?\u0000-\u001f\u007f-\u009f]/g;
const ENCODED = /%([0-9A-F]{2})/g;

/** Makes a plan id, ref or area name safe to put in a key (see the scheme above). */
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

const prefixRange = (prefix: string): RowKeyRange => ({
  ge: prefix + SEPARATOR,
  lt: prefix + AFTER_SEPARATOR,
});

export const partitionKeyOf = (planId: string): string => encodeKeyPart(planId);
export const planIdOf = (partitionKey: string): string => decodeKeyPart(partitionKey);

export const actionRowKey = (ref: string): string => `action${SEPARATOR}${encodeKeyPart(ref)}`;
export const ACTION_RANGE: RowKeyRange = prefixRange('action');

/** Areas are keyed by their area key, so "MoJ HQ", "moj hq" and "MoJ-HQ" are one row. */
export const areaRowKey = (name: string): string =>
  `area${SEPARATOR}${encodeKeyPart(areaKey(name))}`;

export const AREA_RANGE: RowKeyRange = prefixRange('area');

export const HISTORY_RANGE: RowKeyRange = prefixRange('history');

/** One action's history: `history|<ref>|` … `history|<ref>}`. */
export const historyRangeOf = (ref: string): RowKeyRange =>
  prefixRange(`history${SEPARATOR}${encodeKeyPart(ref)}`);

/**
 * The instant as it appears in a history key. Throws on a text that is not a date: history with
 * no usable time could not be put in order.
 */
export function keyInstant(at: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) throw new RangeError(`"${at}" is not an ISO 8601 instant.`);
  return new Date(ms).toISOString();
}

/** A suffix that keeps entries of one save in order and makes every history key unique. */
export function historySuffix(position: number): string {
  const random = Math.floor(Math.random() * 0x1_0000_0000)
    .toString(16)
    .padStart(8, '0');
  return `${String(position).padStart(4, '0')}-${random}`;
}

export const historyRowKey = (ref: string, at: string, suffix: string): string =>
  ['history', encodeKeyPart(ref), keyInstant(at), suffix].join(SEPARATOR);

/** What a RowKey says about its record. */
export type RecordKey =
  | { readonly kind: 'plan' }
  | { readonly kind: 'action'; readonly ref: string }
  /** `key`: the area key (or, for a row written before the rule, its lower-cased name). */
  | { readonly kind: 'area'; readonly key: string }
  | {
      readonly kind: 'history';
      readonly ref: string;
      readonly instant: string;
      readonly suffix: string;
    };

/** Reads a RowKey back; undefined for a key this scheme did not make. */
export function parseRowKey(rowKey: string): RecordKey | undefined {
  if (rowKey === PLAN_ROW_KEY) return { kind: 'plan' };
  const parts = rowKey.split(SEPARATOR);
  const [kind, first] = parts;
  if (first === undefined) return undefined;
  if (kind === 'action' && parts.length === 2) return { kind, ref: decodeKeyPart(first) };
  if (kind === 'area' && parts.length === 2) return { kind, key: decodeKeyPart(first) };
  const [, , instant, suffix] = parts;
  if (kind === 'history' && parts.length === 4 && instant && suffix) {
    return { kind, ref: decodeKeyPart(first), instant, suffix };
  }
  return undefined;
}

/**
 * Orders history keys as things happened: by instant, then by position within a save. Sorting
 * whole-plan history by RowKey alone would group it by ref instead.
 */
export function compareHistoryKeys(a: string, b: string): number {
  const ka = parseRowKey(a);
  const kb = parseRowKey(b);
  if (ka?.kind !== 'history' || kb?.kind !== 'history') return a < b ? -1 : a > b ? 1 : 0;
  return (
    cmp(ka.instant, kb.instant) || cmp(ka.suffix, kb.suffix) || cmp(ka.ref, kb.ref) || cmp(a, b)
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Why a conditional write was refused, in words for a person. Kept next to the keys because both
 * storage adapters must say the same thing about the same record.
 */
export type Refusal = 'changed' | 'exists' | 'missing';

/** How a record is named in a message to a person: "Action 4.9a", "The area \"HMPPS\"". */
export const recordLabel = {
  plan: (planId: string): string => `The plan "${planId}"`,
  action: (ref: string): string => `Action ${ref}`,
  area: (name: string): string => `The area "${name}"`,
  history: (ref: string): string => `A history entry of action ${ref}`,
} as const;

/** The plain-English message of a 'conflict' error about one record. */
export function conflictMessage(label: string, refusal: Refusal): string {
  switch (refusal) {
    case 'changed':
      return `${label} was changed by someone else; read it again and retry.`;
    case 'exists':
      return `${label} already exists; read it again and retry.`;
    case 'missing':
      return `${label} is no longer stored; read it again and retry.`;
  }
}

/** A record one save writes, with its key and the condition it is written under. */
export type KeyedRecord =
  | { readonly kind: 'plan'; readonly value: Plan }
  | { readonly kind: 'action'; readonly value: Action }
  | { readonly kind: 'area'; readonly value: Area }
  | { readonly kind: 'history'; readonly value: HistoryEntry };

export interface KeyedWrite {
  readonly rowKey: string;
  /** How the record is named in messages ("Action 4.9a"). */
  readonly label: string;
  /** create: must not exist; update: must still be at `version`; upsert: whatever is there. */
  readonly mode: 'create' | 'update' | 'upsert';
  /** The expected version (ETag) when mode is update. */
  readonly version?: string;
  readonly record: KeyedRecord;
}

/**
 * Turns one save's changes into keyed writes, checking what storage cannot: every record belongs
 * to the plan being saved, and no record is written twice. Both adapters use it, so both refuse
 * the same saves and agree on every key.
 */
export function keyedWrites(planId: string, changes: PlanChanges): KeyedWrite[] {
  const problems: string[] = [];
  const writes: KeyedWrite[] = [];
  const seen = new Set<string>();
  const add = (record: KeyedRecord, rowKey: string, label: string, expected: ExpectedVersion) => {
    const recordPlan = record.kind === 'plan' ? record.value.id : record.value.planId;
    if (recordPlan !== planId) {
      problems.push(`${label} belongs to plan "${recordPlan}", not "${planId}".`);
    }
    if (seen.has(rowKey)) problems.push(`${label} appears twice in one save.`);
    seen.add(rowKey);
    const mode = expected === null ? 'create' : expected === undefined ? 'upsert' : 'update';
    writes.push({
      rowKey,
      label,
      mode,
      ...(mode === 'update' ? { version: expected! } : {}),
      record,
    });
  };

  for (const put of changes.areas ?? []) {
    add(
      { kind: 'area', value: put.value },
      areaRowKey(put.value.name),
      recordLabel.area(put.value.name),
      put.expectedVersion,
    );
  }
  for (const put of changes.actions ?? []) {
    add(
      { kind: 'action', value: put.value },
      actionRowKey(put.value.ref),
      recordLabel.action(put.value.ref),
      put.expectedVersion,
    );
  }
  (changes.history ?? []).forEach((entry, i) => {
    let rowKey: string;
    try {
      rowKey = historyRowKey(entry.ref, entry.at, historySuffix(i));
    } catch {
      problems.push(
        `The history entry of action ${entry.ref} has time "${entry.at}", which is not an ISO 8601 instant.`,
      );
      return;
    }
    add({ kind: 'history', value: entry }, rowKey, recordLabel.history(entry.ref), null);
  });
  if (changes.plan) {
    add(
      { kind: 'plan', value: changes.plan.value },
      PLAN_ROW_KEY,
      recordLabel.plan(planId),
      changes.plan.expectedVersion,
    );
  }

  if (problems.length > 0) {
    throw new ActionPlanError(
      'invalid_input',
      `The changes to plan "${planId}" cannot be saved.`,
      problems,
    );
  }
  return writes;
}
