import type { TransactionAction } from '@azure/data-tables';
import {
  addressesOf,
  type Person,
  rosterEntryOf,
  sameRosterEntry,
} from '../ports/people-repository.js';
import {
  isGone,
  rosterProperties,
  tombstone,
  type Entity,
  type Properties,
  type StoredEntity,
} from './people-entities.js';
import {
  adminRowKey,
  addressRowKey,
  objectIdRowKey,
  PEOPLE_PARTITION,
  personRowKey,
  rosterRowKey,
} from './people-table-keys.js';

/**
 * How a write of people becomes People table transactions: a person with every index, admin and
 * roster row they touch in one entity-group transaction (rows to remove become tombstones), new
 * people packed many to a transaction, and a refused transaction's operation read back. Kept
 * apart from the repository and its writes, which read and send; this part is pure.
 */

/** Azure's limit of operations in one entity-group transaction. */
const TRANSACTION_LIMIT = 100;

/**
 * The operations of one write, each conditional on what was read: a row read is updated at its
 * ETag (a tombstone too), a row not there is created, and a row to remove becomes a tombstone.
 */
export class TransactionPlan {
  readonly actions: TransactionAction[] = [];
  /** Rows made tombstones (and their operation), to delete once the transaction is in. */
  readonly buried: { readonly rowKey: string; readonly index: number }[] = [];

  /** The person's own record, always first (refusals of operation 0 are about it). */
  put(entity: Entity, read: StoredEntity | undefined): void {
    this.actions.push(
      read ? ['update', entity, 'Replace', { etag: read.etag }] : ['create', entity],
    );
  }

  /** A row written only with its person (a roster row), replaced by a tombstone at any ETag. */
  drop(rowKey: string): void {
    this.buried.push({ rowKey, index: this.actions.length });
    this.actions.push(['upsert', tombstone(rowKey), 'Replace']);
  }

  /** A row written only with its person, as it should be now. */
  upsert(entity: Entity): void {
    this.actions.push(['upsert', entity, 'Replace']);
  }

  /** A record that must still be at `etag`, replaced by a tombstone. */
  bury(rowKey: string, etag: string): void {
    this.buried.push({ rowKey, index: this.actions.length });
    this.actions.push(['update', tombstone(rowKey), 'Replace', { etag }]);
  }

  /** An index row as it should be (`undefined`: nothing left in it); nothing sent if unchanged. */
  setIndex(
    rowKey: string,
    read: StoredEntity | undefined,
    properties: Properties | undefined,
    unchanged: boolean,
  ): void {
    const live = read !== undefined && !isGone(read);
    if (properties === undefined) {
      if (!live) return;
      this.bury(rowKey, read.etag);
      return;
    }
    if (live && unchanged) return;
    this.put({ partitionKey: PEOPLE_PARTITION, rowKey, ...properties }, read);
  }
}

/**
 * The person's roster rows as `after` says (none when undefined), given what `before` said: a
 * team listed gets its row when new or when what it says of them changed; a team no longer
 * listed loses it. Roster rows change only with their person's record, in its transaction, so
 * they need no reads of their own.
 */
export function planRoster(
  plan: TransactionPlan,
  rowKey: string,
  after: Person | undefined,
  before: Person | undefined,
): void {
  const keep = new Set(after?.teams ?? []);
  for (const teamId of keep) {
    const entry = after ? rosterEntryOf(after, teamId) : undefined;
    if (!entry) continue; // without an object id nobody is in a roster
    const was = before?.teams?.includes(teamId) ? rosterEntryOf(before, teamId) : undefined;
    if (was && sameRosterEntry(was, entry)) continue;
    plan.upsert({
      partitionKey: PEOPLE_PARTITION,
      rowKey: rosterRowKey(teamId, rowKey),
      ...rosterProperties(entry, rowKey),
    });
  }
  for (const teamId of before?.teams ?? []) {
    if (!keep.has(teamId)) plan.drop(rosterRowKey(teamId, rowKey));
  }
}

/** A new person's rows: their record, address and object id rows, and roster rows. */
export interface NewPerson {
  readonly person: Person;
  readonly entities: readonly Entity[];
}

export function newPersonEntities(value: Person, properties: Properties): Entity[] {
  const rowKey = personRowKey(value);
  const row = (key: string, props: Properties): Entity => ({
    partitionKey: PEOPLE_PARTITION,
    rowKey: key,
    ...props,
  });
  return [
    row(rowKey, properties),
    ...addressesOf(value).map((a) => row(addressRowKey(a), { keys: JSON.stringify([rowKey]) })),
    ...(value.aadObjectId ? [row(objectIdRowKey(value.aadObjectId), { key: rowKey })] : []),
    // The admin index is kept in the person's own transaction, here as on every other write.
    ...(value.admin ? [row(adminRowKey(rowKey), { key: rowKey })] : []),
    ...(value.teams ?? []).flatMap((teamId) => {
      const entry = rosterEntryOf(value, teamId);
      return entry ? [row(rosterRowKey(teamId, rowKey), rosterProperties(entry, rowKey))] : [];
    }),
  ];
}

/** New people packed into transactions of at most TRANSACTION_LIMIT operations, in order. */
export function packed(groups: readonly NewPerson[]): NewPerson[][] {
  const batches: NewPerson[][] = [];
  let current: NewPerson[] = [];
  let size = 0;
  for (const g of groups) {
    if (size + g.entities.length > TRANSACTION_LIMIT && current.length > 0) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(g);
    size += g.entities.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * The operation a refused transaction names (-1 when it names none), as Azure and Azurite put it
 * at the start of the message.
 */
export function refusedOperation(error: unknown): number {
  const index = /^(\d+):/.exec(error instanceof Error ? error.message : '')?.[1];
  return index === undefined ? -1 : Number(index);
}
