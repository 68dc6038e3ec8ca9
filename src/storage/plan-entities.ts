import type { TableEntity, TableEntityResult } from '@azure/data-tables';
import { ActionPlanError } from '../domain/errors.js';
import type {
  Action,
  ActionSnooze,
  Area,
  HistoryEntry,
  HistoryKind,
  Plan,
  ProposedTarget,
  Recommendation,
  Versioned,
} from '../domain/plan.js';
import type { PlanSettings } from '../domain/plan-settings.js';
import { PRIORITIES, type Priority } from '../domain/priority.js';
import { isStatus } from '../domain/status.js';
import type { Target } from '../domain/target.js';
import { parseRowKey, planIdOf, type KeyedRecord, type KeyedWrite } from './table-keys.js';

/**
 * How each record of the plan table is laid out in a table entity, both ways: the only place that
 * knows it. Lists, objects and the target are stored as JSON text, every value a string; a stored
 * record this code cannot read is reported as corrupt (a bug or a hand edit), never guessed at.
 */

/** A string property may hold 64 KiB, stored as UTF-16: 32,768 characters. */
const MAX_STRING_PROPERTY_CHARS = 32 * 1024;

export type Entity = TableEntity<Record<string, string>>;
export type StoredEntity = TableEntityResult<Record<string, unknown>>;

/** Puts a record in an entity: lists, objects and the target as JSON text, every value a string. */
export function toEntity(partitionKey: string, write: KeyedWrite): Entity {
  const props = propertiesOf(write.record);
  for (const [name, value] of Object.entries(props)) {
    if (value.length > MAX_STRING_PROPERTY_CHARS) {
      throw new ActionPlanError(
        'invalid_input',
        `${write.label} is too large to store: its ${name} is ${value.length.toLocaleString('en-GB')} characters long, and the limit is ${MAX_STRING_PROPERTY_CHARS.toLocaleString('en-GB')}.`,
      );
    }
  }
  return { partitionKey, rowKey: write.rowKey, ...props };
}

function propertiesOf(record: KeyedRecord): Record<string, string> {
  switch (record.kind) {
    case 'plan': {
      const p = record.value;
      return {
        title: p.title,
        progressUpdate: p.progressUpdate,
        timeZone: p.timeZone,
        recommendations: JSON.stringify(p.recommendations),
        createdAt: p.createdAt,
        updatedAt: p.updatedAt,
        ...optional('settings', p.settings && JSON.stringify(p.settings)),
      };
    }
    case 'action': {
      const a = record.value;
      return {
        recommendation: a.recommendation,
        text: a.text,
        priority: a.priority,
        target: JSON.stringify(a.target),
        status: a.status,
        owners: JSON.stringify(a.owners),
        ...optional('area', a.area),
        ...optional('note', a.note),
        ...optional('snooze', a.snooze && JSON.stringify(a.snooze)),
        ...optional('proposedTarget', a.proposedTarget && JSON.stringify(a.proposedTarget)),
        updatedAt: a.updatedAt,
        updatedBy: a.updatedBy,
      };
    }
    case 'area':
      return { name: record.value.name, champions: JSON.stringify(record.value.champions) };
    case 'history': {
      const h = record.value;
      return {
        at: h.at,
        by: h.by,
        kind: h.kind,
        ...optional('field', h.field),
        ...optional('from', h.from),
        ...optional('to', h.to),
        ...optional('note', h.note),
      };
    }
  }
}

const optional = (name: string, value: string | undefined): Record<string, string> =>
  value === undefined ? {} : { [name]: value };

export function planFromEntity(e: StoredEntity): Plan {
  const { partitionKey } = keysOf(e);
  return {
    id: planIdOf(partitionKey),
    title: str(e, 'title'),
    progressUpdate: str(e, 'progressUpdate'),
    timeZone: str(e, 'timeZone'),
    recommendations: json<Recommendation[]>(e, 'recommendations'),
    createdAt: str(e, 'createdAt'),
    updatedAt: str(e, 'updatedAt'),
    ...(optionalStr(e, 'settings') === undefined
      ? {}
      : { settings: json<PlanSettings>(e, 'settings') }),
  };
}

export function actionFromEntity(e: StoredEntity): Action {
  const { partitionKey, rowKey } = keysOf(e);
  const key = parseRowKey(rowKey);
  if (key?.kind !== 'action') throw corrupt(e, 'its RowKey is not an action key');
  const priority = str(e, 'priority');
  const status = str(e, 'status');
  if (!(PRIORITIES as readonly string[]).includes(priority)) throw corrupt(e, 'unknown priority');
  if (!isStatus(status)) throw corrupt(e, 'unknown status');
  const area = optionalStr(e, 'area');
  const note = optionalStr(e, 'note');
  const snooze =
    optionalStr(e, 'snooze') === undefined ? undefined : json<ActionSnooze>(e, 'snooze');
  const proposedTarget =
    optionalStr(e, 'proposedTarget') === undefined
      ? undefined
      : json<ProposedTarget>(e, 'proposedTarget');
  return {
    planId: planIdOf(partitionKey),
    ref: key.ref,
    recommendation: str(e, 'recommendation'),
    text: str(e, 'text'),
    priority: priority as Priority,
    target: json<Target>(e, 'target'),
    status,
    owners: json<string[]>(e, 'owners'),
    ...(area === undefined ? {} : { area }),
    ...(note === undefined ? {} : { note }),
    ...(snooze === undefined ? {} : { snooze }),
    ...(proposedTarget === undefined ? {} : { proposedTarget }),
    updatedAt: str(e, 'updatedAt'),
    updatedBy: str(e, 'updatedBy'),
  };
}

export function areaFromEntity(e: StoredEntity): Area {
  return {
    planId: planIdOf(keysOf(e).partitionKey),
    name: str(e, 'name'),
    champions: json<string[]>(e, 'champions'),
  };
}

const HISTORY_KINDS: readonly string[] = ['created', 'changed', 'refused'] satisfies HistoryKind[];

export function historyFromEntity(e: StoredEntity): HistoryEntry {
  const { partitionKey, rowKey } = keysOf(e);
  const key = parseRowKey(rowKey);
  if (key?.kind !== 'history') throw corrupt(e, 'its RowKey is not a history key');
  const kind = str(e, 'kind');
  if (!HISTORY_KINDS.includes(kind)) throw corrupt(e, 'unknown history kind');
  const extra: Record<string, string> = {};
  for (const name of ['field', 'from', 'to', 'note'] as const) {
    const value = optionalStr(e, name);
    if (value !== undefined) extra[name] = value;
  }
  return {
    planId: planIdOf(partitionKey),
    ref: key.ref,
    at: str(e, 'at'),
    by: str(e, 'by'),
    kind: kind as HistoryKind,
    ...extra,
  };
}

export function keysOf(e: StoredEntity): { partitionKey: string; rowKey: string } {
  if (e.partitionKey === undefined || e.rowKey === undefined) {
    throw new Error('A stored entity came back without its keys.');
  }
  return { partitionKey: e.partitionKey, rowKey: e.rowKey };
}

function str(e: StoredEntity, name: string): string {
  const value = e[name];
  if (typeof value !== 'string') throw corrupt(e, `"${name}" is missing`);
  return value;
}

function optionalStr(e: StoredEntity, name: string): string | undefined {
  const value = e[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw corrupt(e, `"${name}" is not text`);
  return value;
}

function json<T>(e: StoredEntity, name: string): T {
  try {
    return JSON.parse(str(e, name)) as T;
  } catch (error) {
    if (error instanceof SyntaxError) throw corrupt(e, `"${name}" is not JSON`);
    throw error;
  }
}

/** A stored record this code did not write: a bug or a hand edit, never a user's mistake. */
const corrupt = (e: StoredEntity, problem: string): Error =>
  new Error(
    `Stored record ${e.partitionKey ?? '?'}/${e.rowKey ?? '?'} cannot be read: ${problem}.`,
  );

export const versioned = <T>(value: T, e: StoredEntity): Versioned<T> => ({
  value,
  version: e.etag,
});
