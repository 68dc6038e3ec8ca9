import { areaKey } from '../domain/area-name.js';
import { ActionPlanError } from '../domain/errors.js';
import {
  withStatusChange,
  type Action,
  type Area,
  type HistoryEntry,
  type Plan,
} from '../domain/plan.js';
import type { ExpectedVersion, PlanChanges } from '../ports/plan-repository.js';
import { historyRowKey, parseHistoryKey } from './history-keys.js';
import { decodeKeyPart, encodeKeyPart, type RowKeyRange } from './key-parts.js';

export { decodeKeyPart, encodeKeyPart, type RowKeyRange } from './key-parts.js';

/**
 * The PartitionKey/RowKey scheme of the action plan table, in one place.
 *
 * One table (default name `ActionPlans`). PartitionKey = the plan id, so a plan and all its
 * records share a partition and can be written in one entity-group transaction (at most 100
 * operations, all in one partition).
 *
 * | Record        | RowKey                                          |
 * | ------------- | ----------------------------------------------- |
 * | the plan      | `plan`                                          |
 * | an action     | `action\|<ref>`                                 |
 * | an area       | `area\|<area key>`                              |
 * | history entry | `hist\|<ref>\|<inverted ms>\|<inverted seq>-<tag>` |
 * | the marker that every action records its last status change | `meta\|status-changes` |
 *
 * - History keys (newest first, and how entries written before them are still read) are in
 *   history-keys.ts.
 * - Ranges: every action is `action|` ≤ RowKey < `action}`; every area `area|` … `area}`
 *   (`}` is the character after `|`).
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

/**
 * Present once every action of the plan records its last status change (`statusChangedAt`):
 * actions stored before that field get it from their history once (AzurePlanRepository).
 */
export const STATUS_CHANGES_ROW_KEY = 'meta|status-changes';

const SEPARATOR = '|';
/** The character after SEPARATOR: the exclusive upper bound of a prefix range. */
const AFTER_SEPARATOR = '}';

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

/** What a RowKey says about its record. */
export type RecordKey =
  | { readonly kind: 'plan' }
  | { readonly kind: 'action'; readonly ref: string }
  /** `key`: the area key (or, for a row written before the rule, its lower-cased name). */
  | { readonly kind: 'area'; readonly key: string }
  /** Either history scheme (history-keys.ts). */
  | { readonly kind: 'history'; readonly ref: string };

/** Reads a RowKey back; undefined for a key this scheme did not make. */
export function parseRowKey(rowKey: string): RecordKey | undefined {
  if (rowKey === PLAN_ROW_KEY) return { kind: 'plan' };
  const parts = rowKey.split(SEPARATOR);
  const [kind, first] = parts;
  if (first === undefined) return undefined;
  if (kind === 'action' && parts.length === 2) return { kind, ref: decodeKeyPart(first) };
  if (kind === 'area' && parts.length === 2) return { kind, key: decodeKeyPart(first) };
  const history = parseHistoryKey(rowKey);
  return history ? { kind: 'history', ref: history.ref } : undefined;
}

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
    // An action written with a status change records when, in the same transaction.
    const value = withStatusChange(put.value, changes.history ?? []);
    add(
      { kind: 'action', value },
      actionRowKey(put.value.ref),
      recordLabel.action(put.value.ref),
      put.expectedVersion,
    );
  }
  for (const entry of changes.history ?? []) {
    let rowKey: string;
    try {
      // In the order given: entries of one instant keep it (history-keys.ts).
      rowKey = historyRowKey(entry.ref, entry.at);
    } catch {
      problems.push(
        `The history entry of action ${entry.ref} has time "${entry.at}", which is not an ISO 8601 instant.`,
      );
      continue;
    }
    add({ kind: 'history', value: entry }, rowKey, recordLabel.history(entry.ref), null);
  }
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
