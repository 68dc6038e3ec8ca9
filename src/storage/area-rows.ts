import type { TransactionAction } from '@azure/data-tables';
import { areaKey } from '../domain/area-name.js';
import { ActionPlanError } from '../domain/errors.js';
import type { Area, Versioned } from '../domain/plan.js';
import { areaFromEntity, keysOf, type Entity, type StoredEntity } from './plan-entities.js';
import { areaRowKey, conflictMessage, type KeyedWrite } from './table-keys.js';

/**
 * Areas in a table written before the one "same area" rule (domain/area-name.ts). Then an area's
 * RowKey was its lower-cased name, so "MoJ HQ" sits at `area|moj hq`, and "MoJ-HQ" may sit beside
 * it at `area|moj-hq` as a second row for the same area. Nothing is migrated in bulk: reads show
 * each area once, and a write of an area moves it to its key, in the same transaction, so no
 * moment has the area twice or not at all.
 */

/** The stored rows of one area: the row at its key first (if any), then older rows by RowKey. */
export interface AreaRows {
  readonly key: string;
  readonly rows: readonly StoredEntity[];
}

/** The area rows of a partition, one group per area, in area-key order. */
export function areaRowsOf(entities: readonly StoredEntity[]): AreaRows[] {
  const groups = new Map<string, StoredEntity[]>();
  for (const e of entities) {
    const key = areaKey(areaFromEntity(e).name);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, rows]) => ({ key, rows: [...rows].sort(atKeyFirst) }));
}

const atKeyFirst = (a: StoredEntity, b: StoredEntity): number => {
  const [ka, kb] = [keysOf(a).rowKey, keysOf(b).rowKey];
  const [ca, cb] = [
    ka === areaRowKey(areaFromEntity(a).name),
    kb === areaRowKey(areaFromEntity(b).name),
  ];
  if (ca !== cb) return ca ? -1 : 1;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

/**
 * One area as callers see it: the name and version of its first row, the champions of every row
 * (a second row made before the rule holds champions of the same area, and they stay champions).
 */
export function areaOf(group: AreaRows): Versioned<Area> {
  const [first, ...others] = group.rows.map((e) => ({ area: areaFromEntity(e), etag: e.etag }));
  const champions = [first!, ...others].flatMap((r) => r.area.champions);
  return { value: { ...first!.area, champions: [...new Set(champions)] }, version: first!.etag };
}

/**
 * The operations that write an area, given the rows it has now (read just before): a create is
 * refused when the area is stored under an older key; an update of a row under an older key
 * deletes that row and creates the row at the key; every other row of the area is deleted with
 * it, its champions being in the value written (the caller read them merged, `areaOf`).
 *
 * A transaction's delete cannot carry an ETag (the SDK sends `If-Match: *`), so the version of a
 * moved row is compared with the one just read instead: a change that landed before that read is
 * a conflict as usual; one that lands between that read and the transaction could only come from
 * a copy of the bot older than the rule (newer copies move the row rather than update it in
 * place), during a rolling upgrade.
 */
export function areaOperations(
  partitionKey: string,
  write: KeyedWrite,
  entity: Entity,
  stored: AreaRows | undefined,
): TransactionAction[] {
  const rows = stored?.rows ?? [];
  const older = rows.filter((e) => keysOf(e).rowKey !== write.rowKey);
  const remove = (e: StoredEntity): TransactionAction => [
    'delete',
    { partitionKey, rowKey: keysOf(e).rowKey },
  ];
  switch (write.mode) {
    case 'create':
      if (rows.length > 0) {
        throw new ActionPlanError('conflict', conflictMessage(write.label, 'exists'));
      }
      return [['create', entity]];
    case 'upsert':
      return [['upsert', entity, 'Replace'], ...older.map(remove)];
    case 'update': {
      const first = rows[0];
      if (!first || keysOf(first).rowKey === write.rowKey) {
        return [['update', entity, 'Replace', { etag: write.version }], ...older.map(remove)];
      }
      if (first.etag !== write.version) {
        throw new ActionPlanError('conflict', conflictMessage(write.label, 'changed'));
      }
      return [...older.map(remove), ['create', entity]];
    }
  }
}
