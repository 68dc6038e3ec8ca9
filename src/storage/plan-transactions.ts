import type { TransactionAction } from '@azure/data-tables';
import { areaKey } from '../domain/area-name.js';
import { areaOperations, type AreaRows } from './area-rows.js';
import type { Entity } from './plan-entities.js';
import { messageOf, statusOf } from './storage-call.js';
import type { KeyedWrite, Refusal } from './table-keys.js';

/**
 * How one save of a plan becomes Table Storage transactions, and how a refused transaction is
 * read back: which write it was, and why. Kept apart from AzurePlanRepository, which reads and
 * sends; this part is pure and tested on its own.
 */

/** Azure Table Storage runs at most 100 operations in one entity-group transaction. */
export const MAX_TRANSACTION_OPERATIONS = 100;

/**
 * Groups writes into transactions of at most 100: each action with its own history entries, the
 * plan record in the last one. When everything fits in one transaction the save is atomic. An
 * action with more than 99 history entries in one save (never seen in practice) is split: the
 * action and its first entries together, the rest in the following transactions. `size` is how
 * many operations a write takes (an area moved from an older key takes two or more).
 */
export function transactions(
  writes: readonly KeyedWrite[],
  size: (write: KeyedWrite) => number = () => 1,
): KeyedWrite[][] {
  const units = new Map<string, KeyedWrite[]>();
  let planWrite: KeyedWrite | undefined;
  writes.forEach((w, i) => {
    const unitKey =
      w.record.kind === 'action' || w.record.kind === 'history'
        ? `ref:${w.record.value.ref}`
        : `#${i}`;
    if (w.record.kind === 'plan') planWrite = w;
    else units.set(unitKey, [...(units.get(unitKey) ?? []), w]);
  });

  const batches: KeyedWrite[][] = [];
  let current: KeyedWrite[] = [];
  let operations = 0;
  const flush = () => {
    if (current.length > 0) batches.push(current);
    current = [];
    operations = 0;
  };
  const add = (w: KeyedWrite) => {
    if (operations + size(w) > MAX_TRANSACTION_OPERATIONS) flush();
    current.push(w);
    operations += size(w);
  };
  for (const unit of units.values()) {
    const unitSize = unit.reduce((n, w) => n + size(w), 0);
    if (operations + unitSize > MAX_TRANSACTION_OPERATIONS) flush();
    unit.forEach(add);
  }
  if (planWrite) add(planWrite);
  flush();
  return batches;
}

/** One operation of a transaction, with the write it is part of. */
export interface Step {
  readonly action: TransactionAction;
  readonly write: KeyedWrite;
}

export function stepsOf(
  partitionKey: string,
  write: KeyedWrite,
  entity: Entity,
  areas: ReadonlyMap<string, AreaRows>,
): Step[] {
  if (write.record.kind === 'area') {
    const stored = areas.get(areaKey(write.record.value.name));
    return areaOperations(partitionKey, write, entity, stored).map((action) => ({ action, write }));
  }
  switch (write.mode) {
    case 'create':
      return [{ action: ['create', entity], write }];
    case 'update':
      // Replace, not Merge: a field removed from the record (a cleared note) must go.
      return [{ action: ['update', entity, 'Replace', { etag: write.version }], write }];
    case 'upsert':
      return [{ action: ['upsert', entity, 'Replace'], write }];
  }
}

/**
 * Which write of a refused transaction failed, and why. Inside a transaction Azure (and Azurite)
 * answer with the failing operation's status, `code` set to the service's error code
 * (UpdateConditionNotSatisfied, EntityAlreadyExists, ResourceNotFound) and a message starting
 * with its index ("1:The update condition specified in the request was not satisfied."). Outside
 * a transaction the code is in `details.errorCode` instead; both are read.
 */
export function refusalOf(
  error: unknown,
  steps: readonly Step[],
): { write: KeyedWrite; refusal: Refusal } | undefined {
  const status = statusOf(error);
  if (status !== 412 && status !== 409 && status !== 404) return undefined;
  const index = /^(\d+):/.exec(messageOf(error))?.[1];
  const step =
    index === undefined ? (steps.length === 1 ? steps[0] : undefined) : steps[Number(index)];
  const write = step?.write;
  const batch = steps.map((s) => s.write);
  const code = errorCodeOf(error);
  if (status === 412) {
    return { write: write ?? unknownWrite(batch), refusal: 'changed' };
  }
  if (status === 409 && (code === 'EntityAlreadyExists' || write?.mode === 'create')) {
    return { write: write ?? unknownWrite(batch), refusal: 'exists' };
  }
  // An update, or the delete of an area's older row, found nothing: someone removed it meanwhile.
  const updating = write?.mode === 'update' || step?.action[0] === 'delete';
  if (status === 404 && code !== 'TableNotFound' && write && updating) {
    return { write, refusal: 'missing' };
  }
  return undefined;
}

/** When the service did not say which write failed, the message cannot name the record. */
function unknownWrite(batch: readonly KeyedWrite[]): KeyedWrite {
  const first = batch[0]!;
  return { ...first, label: 'One of the records being saved' };
}

function errorCodeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; details?: { errorCode?: unknown } } | null;
  const code = e?.code ?? e?.details?.errorCode;
  return typeof code === 'string' ? code : undefined;
}
