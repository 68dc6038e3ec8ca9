import type { TableEntity } from '@azure/data-tables';
import {
  actionRecord,
  areaRecord,
  historyRecord,
  planRecord,
  type Action,
  type Area,
  type HistoryEntry,
  type Plan,
  type Versioned,
} from '../domain/plan.js';
import { corrupt, entityCodec, type StoredEntity } from './entity-codec.js';
import { parseHistoryKey } from './history-keys.js';
import { parseRowKey, planIdOf, type KeyedRecord, type KeyedWrite } from './table-keys.js';

export type { StoredEntity } from './entity-codec.js';

/**
 * The plan table's records in table entities, both ways: each laid out by its schema
 * (entity-codec.ts), the plan id held by the PartitionKey and an action's or history entry's ref
 * by the RowKey (table-keys.ts). A stored record this code cannot read is reported as corrupt (a
 * bug or a hand edit), never guessed at.
 */

export type Entity = TableEntity<Record<string, string | number | boolean>>;

const codecs = {
  plan: entityCodec(planRecord, ['id']),
  action: entityCodec(actionRecord, ['planId', 'ref']),
  area: entityCodec(areaRecord, ['planId']),
  history: entityCodec(historyRecord, ['planId', 'ref']),
};

/** Puts a record in an entity (its size checked against Table Storage's limit). */
export function toEntity(partitionKey: string, write: KeyedWrite): Entity {
  return { partitionKey, rowKey: write.rowKey, ...propertiesOf(write.record, write.label) };
}

function propertiesOf(record: KeyedRecord, label: string) {
  switch (record.kind) {
    case 'plan':
      return codecs.plan.properties(record.value, label);
    case 'action':
      return codecs.action.properties(record.value, label);
    case 'area':
      return codecs.area.properties(record.value, label);
    case 'history':
      return codecs.history.properties(record.value, label);
  }
}

export function planFromEntity(e: StoredEntity): Plan {
  return codecs.plan.fromEntity(e, { id: planIdOf(keysOf(e).partitionKey) });
}

export function actionFromEntity(e: StoredEntity): Action {
  const { partitionKey, rowKey } = keysOf(e);
  const key = parseRowKey(rowKey);
  if (key?.kind !== 'action') throw corrupt(e, 'its RowKey is not an action key');
  return codecs.action.fromEntity(e, { planId: planIdOf(partitionKey), ref: key.ref });
}

export function areaFromEntity(e: StoredEntity): Area {
  return codecs.area.fromEntity(e, { planId: planIdOf(keysOf(e).partitionKey) });
}

export function historyFromEntity(e: StoredEntity): HistoryEntry {
  const { partitionKey, rowKey } = keysOf(e);
  // Either scheme: newest first (hist|…) or as written before it (history|…).
  const key = parseHistoryKey(rowKey);
  if (!key) throw corrupt(e, 'its RowKey is not a history key');
  return codecs.history.fromEntity(e, { planId: planIdOf(partitionKey), ref: key.ref });
}

export function keysOf(e: StoredEntity): { partitionKey: string; rowKey: string } {
  if (e.partitionKey === undefined || e.rowKey === undefined) {
    throw new Error('A stored entity came back without its keys.');
  }
  return { partitionKey: e.partitionKey, rowKey: e.rowKey };
}

export const versioned = <T>(value: T, e: StoredEntity): Versioned<T> => ({
  value,
  version: e.etag,
});
