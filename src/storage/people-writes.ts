import type { TransactionAction } from '@azure/data-tables';
import { ActionPlanError } from '../domain/errors.js';
import type { Versioned } from '../domain/plan.js';
import { addressesOf, type Person } from '../ports/people-repository.js';
import {
  isGone,
  keysOf,
  optionalStr,
  personFromEntity,
  sameList,
  type Properties,
} from './people-entities.js';
import type { PeopleTable } from './people-table.js';
import {
  adminRowKey,
  addressRowKey,
  objectIdRowKey,
  PEOPLE_PARTITION,
  personRowKey,
} from './people-table-keys.js';
import {
  planRoster,
  refusedOperation,
  TransactionPlan,
  type NewPerson,
} from './people-transactions.js';
import { statusOf } from './storage-call.js';

/**
 * The People repository's writes: a person and every index row they touch (addresses, object id,
 * admin, roster) read, planned (people-transactions.ts) and sent in one transaction, read again
 * and retried when someone else changed an index row meanwhile; a person forgotten the same way;
 * new people created many at once.
 */

/**
 * A write whose index rows someone else changed between its reads and its transaction is read
 * again and retried. Each round of a race has a winner, so n writers sharing an address need up
 * to n rounds (a roster sync may write several accounts of one address at once); far more such
 * races in a row means something is wrong.
 */
const WRITE_ATTEMPTS = 10;

/**
 * Writes a person (normalised, its properties built) with every index row they touch. A null
 * `expectedVersion` creates (ActionPlanError('conflict') if they exist), a string updates at that
 * version, undefined writes whatever is there; `replaces` are records it takes the place of, at
 * their versions; `exclusive` refuses an address another account claims.
 */
export async function writePerson(
  table: PeopleTable,
  value: Person,
  properties: Properties,
  expectedVersion: string | null | undefined,
  replaces: readonly Versioned<Person>[],
  exclusive = false,
): Promise<void> {
  const rowKey = personRowKey(value);
  const replaced = replaces.map((r) => ({ rowKey: personRowKey(r.value), read: r }));
  if (replaced.some((r) => r.rowKey === rowKey)) {
    throw new ActionPlanError('invalid_input', 'A person cannot take their own place.');
  }
  for (let attempt = 1; ; attempt += 1) {
    const current = await table.getEntity(PEOPLE_PARTITION, rowKey);
    const live = current && !isGone(current) ? current : undefined;
    if (expectedVersion === null && live) throw alreadyKnown(value.email);
    if (typeof expectedVersion === 'string' && live?.etag !== expectedVersion) {
      throw changedMeanwhile(value.email);
    }
    const plan = new TransactionPlan();
    plan.put({ partitionKey: PEOPLE_PARTITION, rowKey, ...properties }, current);
    for (const r of replaced) plan.bury(r.rowKey, r.read.version);
    planRoster(plan, rowKey, value, live ? personFromEntity(live) : undefined);
    for (const r of replaced) planRoster(plan, r.rowKey, undefined, r.read.value);
    const gone = new Set([rowKey, ...replaced.map((r) => r.rowKey)]);
    const claims = new Set(addressesOf(value));
    const addresses = new Set([
      ...claims,
      ...(live ? addressesOf(personFromEntity(live)) : []),
      ...replaced.flatMap((r) => addressesOf(r.read.value)),
    ]);
    const objectIds = new Set(
      [value, ...replaced.map((r) => r.read.value)].flatMap((p) =>
        p.aadObjectId ? [p.aadObjectId.toLowerCase()] : [],
      ),
    );
    const adminKeys = [rowKey, ...replaced.map((r) => r.rowKey)];
    const [addressRows, objectIdRows, adminRows] = await Promise.all([
      table.readRows([...addresses].map(addressRowKey)),
      table.readRows([...objectIds].map(objectIdRowKey)),
      table.readRows(adminKeys.map(adminRowKey)),
    ]);
    [...addresses].forEach((address, i) => {
      const row = addressRows[i];
      const before = row ? keysOf(row) : [];
      const others = before.filter((k) => !gone.has(k));
      if (exclusive && claims.has(address) && others.length > 0) throw addressHeld(address);
      const after = [...others, ...(claims.has(address) ? [rowKey] : [])];
      plan.setIndex(
        addressRowKey(address),
        row,
        after.length > 0 ? { keys: JSON.stringify(after) } : undefined,
        sameList(before, after),
      );
    });
    [...objectIds].forEach((oid, i) => {
      const row = objectIdRows[i];
      const before = row && !isGone(row) ? optionalStr(row, 'key') : undefined;
      const after =
        oid === value.aadObjectId?.toLowerCase()
          ? rowKey
          : before !== undefined && !gone.has(before)
            ? before
            : undefined;
      plan.setIndex(objectIdRowKey(oid), row, after ? { key: after } : undefined, before === after);
    });
    // The admin index: this record's row while it is an admin; the rows of those it replaces go.
    adminKeys.forEach((key, i) => {
      const admin = key === rowKey && value.admin === true;
      plan.setIndex(adminRowKey(key), adminRows[i], admin ? { key } : undefined, admin);
    });
    const outcome = await submit(table, plan);
    if (outcome === 'written') return;
    // The person's own record (first) or one it replaces changed: the caller read too early.
    // An index row changed: someone else wrote a person sharing an address; read it again.
    const refusedOwn = outcome.index === 0 && expectedVersion !== undefined;
    const refusedReplaced = outcome.index > 0 && outcome.index <= replaced.length;
    if (refusedOwn || refusedReplaced || attempt >= WRITE_ATTEMPTS) {
      const about = refusedReplaced ? replaced[outcome.index - 1]!.read.value.email : value.email;
      throw outcome.exists && expectedVersion === null && outcome.index === 0
        ? alreadyKnown(about)
        : changedMeanwhile(about, outcome.cause);
    }
  }
}

/** Forgets the person of this RowKey with their index and roster rows; gone already is fine. */
export async function removePersonRows(table: PeopleTable, rowKey: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await table.getEntity(PEOPLE_PARTITION, rowKey);
    if (!current || isGone(current)) return;
    const person = personFromEntity(current);
    const plan = new TransactionPlan();
    plan.bury(rowKey, current.etag);
    planRoster(plan, rowKey, undefined, person);
    const addresses = addressesOf(person);
    const oid = person.aadObjectId?.toLowerCase();
    const [addressRows, objectIdRows, adminRows] = await Promise.all([
      table.readRows(addresses.map(addressRowKey)),
      table.readRows(oid ? [objectIdRowKey(oid)] : []),
      table.readRows([adminRowKey(rowKey)]),
    ]);
    plan.setIndex(adminRowKey(rowKey), adminRows[0], undefined, false);
    addresses.forEach((address, i) => {
      const row = addressRows[i];
      const before = row ? keysOf(row) : [];
      const after = before.filter((k) => k !== rowKey);
      plan.setIndex(
        addressRowKey(address),
        row,
        after.length > 0 ? { keys: JSON.stringify(after) } : undefined,
        sameList(before, after),
      );
    });
    if (oid) {
      const row = objectIdRows[0];
      const pointsHere = row !== undefined && !isGone(row) && optionalStr(row, 'key') === rowKey;
      if (pointsHere) plan.setIndex(objectIdRowKey(oid), row, undefined, false);
    }
    const outcome = await submit(table, plan);
    if (outcome === 'written') return;
    if (attempt >= WRITE_ATTEMPTS) throw changedMeanwhile(person.email, outcome.cause);
  }
}

/**
 * Sends the transaction; then deletes what it buried, each at the ETag the transaction gave it
 * (a row someone wrote again since is theirs now, and stays). A refusal comes back with the
 * index of the refused operation, as Azure and Azurite put it at the start of the message.
 */
async function submit(
  table: PeopleTable,
  plan: TransactionPlan,
): Promise<'written' | { index: number; exists: boolean; cause: unknown }> {
  if (plan.actions.length === 0) return 'written';
  let response;
  try {
    response = await table.client.submitTransaction(plan.actions, table.requestOptions());
  } catch (error) {
    const status = statusOf(error);
    if (status !== 412 && status !== 409 && status !== 404) throw error;
    return {
      index: refusedOperation(error),
      exists: status === 409,
      cause: error,
    };
  }
  await Promise.all(
    plan.buried.map(async ({ rowKey, index }) => {
      // Sub-responses come in the order of the operations (their RowKeys are URL-encoded).
      const etag = response.subResponses[index]?.etag?.trim();
      if (!etag) return;
      await table.client
        .deleteEntity(PEOPLE_PARTITION, rowKey, { etag, ...table.requestOptions() })
        .catch(() => {
          // A tombstone left behind reads as absent and is reused by the next write.
        });
    }),
  );
  return 'written';
}

/**
 * One transaction of new people's creates; a person whose row exists already is taken out and
 * the rest sent again. Resolves to the people taken out.
 */
export async function createNewPeople(
  table: PeopleTable,
  batch: readonly NewPerson[],
): Promise<Person[]> {
  const leftOver: Person[] = [];
  let pending = [...batch];
  while (pending.length > 0) {
    const actions: TransactionAction[] = pending.flatMap((g) =>
      g.entities.map((e): TransactionAction => ['create', e]),
    );
    let refused: { index: number } | 'written';
    try {
      await table.client.submitTransaction(actions, table.requestOptions());
      refused = 'written';
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      refused = { index: refusedOperation(error) };
    }
    if (refused === 'written') return leftOver;
    // The person whose create was refused goes back to the caller; without an index, all do.
    let at = refused.index;
    const culprit =
      at < 0
        ? -1
        : pending.findIndex((g) => {
            at -= g.entities.length;
            return at < 0;
          });
    if (culprit < 0) return [...leftOver, ...pending.map((g) => g.person)];
    leftOver.push(pending[culprit]!.person);
    pending = pending.filter((_, i) => i !== culprit);
  }
  return leftOver;
}

export const alreadyKnown = (email: string): ActionPlanError =>
  new ActionPlanError('conflict', `${email} is already known; read them again and retry.`);

export const changedMeanwhile = (email: string, cause?: unknown): ActionPlanError =>
  new ActionPlanError(
    'conflict',
    `${email} was changed by someone else; read them again and retry.`,
    [],
    cause === undefined ? undefined : { cause },
  );

export const addressHeld = (address: string): ActionPlanError =>
  new ActionPlanError('conflict', `${address} is claimed by another account; read it again.`);
