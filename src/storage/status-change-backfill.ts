import type { TableClient, TransactionAction } from '@azure/data-tables';
import { withStatusChange, type HistoryEntry } from '../domain/plan.js';
import { LEGACY_HISTORY_RANGE } from './history-keys.js';
import { MAX_TRANSACTION_OPERATIONS } from './plan-transactions.js';
import { actionFromEntity, historyFromEntity, keysOf, type StoredEntity } from './plan-entities.js';
import { statusOf } from './storage-call.js';
import {
  ACTION_RANGE,
  actionRowKey,
  STATUS_CHANGES_ROW_KEY,
  type RowKeyRange,
} from './table-keys.js';

/** What the backfill needs of the repository: its client and its reads, with their time limits. */
export interface BackfillAccess {
  readonly client: TableClient;
  readonly partitionKey: string;
  readonly requestOptions: () => { abortSignal: AbortSignal };
  readonly queryRange: (range: RowKeyRange) => Promise<StoredEntity[]>;
}

/** An action whose ETag moved while it was given its field is read again, a few times. */
const ATTEMPTS = 5;

/**
 * Makes sure every action of one plan records its last status change (`statusChangedAt`), so the
 * reminders' sweep reads no history. Actions written by this version have it from the
 * transaction that changed their status; actions stored before it get it here, once, from the
 * history written before the newest-first keys (entries written since carry it already). Each
 * is updated at the ETag read, with only that one property merged, so nothing written meanwhile
 * is overwritten; then the marker row says the plan is done, and later calls cost one point read
 * (a plan with no such history costs one empty range read and gets no marker).
 * Safe in several processes at once: two give an action the same value.
 */
export async function recordStatusChanges(access: BackfillAccess): Promise<void> {
  const { client, partitionKey } = access;
  const marker = await client
    .getEntity(partitionKey, STATUS_CHANGES_ROW_KEY, access.requestOptions())
    .catch((error: unknown) => {
      if (statusOf(error) === 404) return undefined;
      throw error;
    });
  if (marker) return;
  const older = (await access.queryRange(LEGACY_HISTORY_RANGE)).map(historyFromEntity);
  // A plan with no history of the earlier keys has nothing to give and needs no marker: the
  // empty range read once per process is as cheap as the marker's.
  if (older.length === 0) return;
  const byRef = new Map<string, HistoryEntry[]>();
  for (const h of older) {
    const list = byRef.get(h.ref);
    if (list) list.push(h);
    else byRef.set(h.ref, [h]);
  }
  const actions = await access.queryRange(ACTION_RANGE);
  const updates = actions.flatMap((e) => {
    const update = fieldFor(e, byRef);
    return update ? [update] : [];
  });
  for (let i = 0; i < updates.length; i += MAX_TRANSACTION_OPERATIONS) {
    const batch = updates.slice(i, i + MAX_TRANSACTION_OPERATIONS);
    try {
      await client.submitTransaction(
        batch.map((u): TransactionAction => u.action),
        access.requestOptions(),
      );
    } catch (error) {
      if (statusOf(error) !== 412 && statusOf(error) !== 404) throw error;
      // One changed meanwhile: each again, read afresh.
      for (const u of batch) await one(access, u.ref, byRef);
    }
  }
  await client.upsertEntity(
    { partitionKey, rowKey: STATUS_CHANGES_ROW_KEY, at: new Date().toISOString() },
    'Replace',
    access.requestOptions(),
  );
}

interface FieldUpdate {
  readonly ref: string;
  readonly action: TransactionAction;
}

/** The merge that gives a stored action its field, or undefined when it has the right one. */
function fieldFor(
  e: StoredEntity,
  byRef: ReadonlyMap<string, HistoryEntry[]>,
): FieldUpdate | undefined {
  const action = actionFromEntity(e);
  const recorded = withStatusChange(action, byRef.get(action.ref) ?? []);
  const known = action.statusChangedAt;
  const found = recorded.statusChangedAt;
  if (!found || (known && Date.parse(known) >= Date.parse(found))) return undefined;
  const { partitionKey, rowKey } = keysOf(e);
  return {
    ref: action.ref,
    action: ['update', { partitionKey, rowKey, statusChangedAt: found }, 'Merge', { etag: e.etag }],
  };
}

async function one(
  access: BackfillAccess,
  ref: string,
  byRef: ReadonlyMap<string, HistoryEntry[]>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const e = await access.client
      .getEntity<Record<string, unknown>>(
        access.partitionKey,
        actionRowKey(ref),
        access.requestOptions(),
      )
      .catch((error: unknown) => {
        if (statusOf(error) === 404) return undefined;
        throw error;
      });
    const update = e && fieldFor(e, byRef);
    if (!update) return;
    try {
      await access.client.submitTransaction([update.action], access.requestOptions());
      return;
    } catch (error) {
      if (statusOf(error) !== 412 || attempt >= ATTEMPTS) throw error;
    }
  }
}
