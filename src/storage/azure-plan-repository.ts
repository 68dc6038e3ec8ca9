import {
  odata,
  TableClient,
  type TableServiceClientOptions,
  type TransactionAction,
} from '@azure/data-tables';
import { compareRefs } from '../domain/action-ref.js';
import { ActionPlanError } from '../domain/errors.js';
import type { Action, Area, HistoryEntry, Plan, Versioned } from '../domain/plan.js';
import type {
  ListActionsOptions,
  PlanChanges,
  PlanRepository,
  SaveOptions,
  SaveResult,
} from '../ports/plan-repository.js';
import {
  compareHistoryKeys,
  HISTORY_RANGE,
  historyRangeOf,
  LEGACY_HISTORY_RANGE,
  legacyHistoryRangeOf,
} from './history-keys.js';
import { recordStatusChanges } from './status-change-backfill.js';
import { areaOf, areaRowsOf, type AreaRows } from './area-rows.js';
import {
  actionFromEntity,
  historyFromEntity,
  keysOf,
  planFromEntity,
  toEntity,
  versioned,
  type StoredEntity,
} from './plan-entities.js';
import {
  MAX_TRANSACTION_OPERATIONS,
  refusalOf,
  stepsOf,
  transactions,
} from './plan-transactions.js';
import { statusOf, storageCall } from './storage-call.js';
import {
  ACTION_RANGE,
  actionRowKey,
  AREA_RANGE,
  conflictMessage,
  DEFAULT_TABLE_NAME,
  keyedWrites,
  partitionKeyOf,
  PLAN_ROW_KEY,
  type RowKeyRange,
} from './table-keys.js';
import { requestLimitMs } from '../ports/turn-deadline.js';

export interface AzurePlanRepositoryOptions {
  /** Table name; `ActionPlans` unless given. */
  readonly tableName?: string;
  /**
   * Give up on one request (a whole listing counts as one) after this long, so a storage that accepts
   * connections but never answers is reported instead of hanging a Teams card. Default 10 s.
   */
  readonly requestTimeoutMs?: number;
}

/**
 * Retries kept modest on purpose: a Teams card must be answered within about 5 seconds, so a dead
 * storage should be reported as 'storage_unavailable' in well under that, not retried for a minute
 * (the SDK's default).
 */
export const STORAGE_RETRY_OPTIONS = {
  maxRetries: 2,
  retryDelayInMs: 200,
  maxRetryDelayInMs: 1000,
} as const;

/**
 * The PlanRepository on Azure Table Storage (or Azurite), one table for every plan; the key scheme
 * is in table-keys.ts. A record's version is its entity's ETag, so conditional writes are checked
 * by the service itself, across every instance of the bot.
 */
export class AzurePlanRepository implements PlanRepository {
  private tableReady: Promise<void> | undefined;
  private readonly requestTimeoutMs: number;
  /** Plans whose actions all record their last status change, checked once per process. */
  private readonly statusChanges = new Map<string, Promise<void>>();

  /** Takes a ready TableClient; `fromConnectionString` builds one with the right options. */
  constructor(
    private readonly client: TableClient,
    options: Pick<AzurePlanRepositoryOptions, 'requestTimeoutMs'> = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  /**
   * A repository on the table named in options (default `ActionPlans`) of the account in the
   * connection string. Plain http is allowed only when the connection string asks for it (Azurite
   * on this machine); Azure itself is always https.
   */
  static fromConnectionString(
    connectionString: string,
    options: AzurePlanRepositoryOptions = {},
  ): AzurePlanRepository {
    const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
    const clientOptions: TableServiceClientOptions = { retryOptions: { ...STORAGE_RETRY_OPTIONS } };
    let client = TableClient.fromConnectionString(connectionString, tableName, clientOptions);
    if (client.url.startsWith('http:')) {
      client = TableClient.fromConnectionString(connectionString, tableName, {
        ...clientOptions,
        allowInsecureConnection: true,
      });
    }
    return new AzurePlanRepository(client, options);
  }

  listPlans(): Promise<Versioned<Plan>[]> {
    return storageCall('read the list of plans', async () => {
      const entities = await this.query(odata`RowKey eq ${PLAN_ROW_KEY}`);
      return entities
        .map((e) => versioned(planFromEntity(e), e))
        .sort((a, b) => cmp(a.value.id, b.value.id));
    });
  }

  getPlan(planId: string): Promise<Versioned<Plan> | undefined> {
    return storageCall(`read plan "${planId}"`, async () => {
      const e = await this.getEntity(planId, PLAN_ROW_KEY);
      return e && versioned(planFromEntity(e), e);
    });
  }

  listActions(planId: string, options: ListActionsOptions = {}): Promise<Versioned<Action>[]> {
    return storageCall(`read the actions of plan "${planId}"`, async () => {
      await this.statusChangesRecorded(planId);
      // Open ones only: the done are left out by storage, not read and dropped here.
      const entities = await this.queryRange(
        planId,
        ACTION_RANGE,
        undefined,
        options.open ? OPEN_FILTER : undefined,
      );
      return entities
        .map((e) => versioned(actionFromEntity(e), e))
        .sort((a, b) => compareRefs(a.value.ref, b.value.ref));
    });
  }

  getAction(planId: string, ref: string): Promise<Versioned<Action> | undefined> {
    return storageCall(`read action ${ref} of plan "${planId}"`, async () => {
      const e = await this.getEntity(planId, actionRowKey(ref));
      return e && versioned(actionFromEntity(e), e);
    });
  }

  listAreas(planId: string): Promise<Versioned<Area>[]> {
    return storageCall(`read the areas of plan "${planId}"`, async () => {
      // One per area, however many rows a table written before the one area rule has for it.
      return areaRowsOf(await this.queryRange(planId, AREA_RANGE)).map(areaOf);
    });
  }

  listHistory(planId: string, ref?: string): Promise<HistoryEntry[]> {
    return storageCall(`read the history of plan "${planId}"`, async () => {
      const [entries, older] = await Promise.all([
        this.queryRange(planId, ref === undefined ? HISTORY_RANGE : historyRangeOf(ref)),
        this.queryRange(
          planId,
          ref === undefined ? LEGACY_HISTORY_RANGE : legacyHistoryRangeOf(ref),
        ),
      ]);
      return [...older, ...entries]
        .sort((a, b) => compareHistoryKeys(keysOf(a).rowKey, keysOf(b).rowKey))
        .map(historyFromEntity);
    });
  }

  latestHistory(planId: string, ref: string, count: number): Promise<HistoryEntry[]> {
    return storageCall(`read the history of action ${ref}`, async () => {
      if (count <= 0) return [];
      const latest = await this.queryRange(planId, historyRangeOf(ref), count);
      if (latest.length >= count) return latest.map(historyFromEntity);
      // Fewer than asked for: the rest may be entries written before the newest-first keys,
      // which are older than all of these and come oldest first (history-keys.ts).
      const older = (await this.queryRange(planId, legacyHistoryRangeOf(ref)))
        .sort((a, b) => compareHistoryKeys(keysOf(b).rowKey, keysOf(a).rowKey))
        .slice(0, count - latest.length);
      return [...latest, ...older].map(historyFromEntity);
    });
  }

  /**
   * Writes the changes in as few transactions as possible (see `transactions`), one after the
   * other. A refused transaction stops the save: earlier ones stay written, later ones are not
   * tried, and the error's details say how far it got.
   */
  async save(planId: string, changes: PlanChanges, options: SaveOptions = {}): Promise<SaveResult> {
    const writes = keyedWrites(planId, changes);
    const actionVersions = new Map<string, string>();
    if (writes.length === 0) return { actionVersions };
    const pk = partitionKeyOf(planId);
    // Every entity is built (and its size checked) before anything is sent.
    const entities = new Map(writes.map((w) => [w, toEntity(pk, w)]));
    await storageCall(`save the changes to plan "${planId}"`, async () => {
      await this.ensureTable();
      // An area may still be under the key of an older version (area-rows.ts): see where.
      const areas = writes.some((w) => w.record.kind === 'area')
        ? new Map(areaRowsOf(await this.queryRange(planId, AREA_RANGE)).map((g) => [g.key, g]))
        : new Map<string, AreaRows>();
      const steps = new Map(writes.map((w) => [w, stepsOf(pk, w, entities.get(w)!, areas)]));
      const batches = transactions(writes, (w) => steps.get(w)!.length);
      let written = 0;
      for (const [i, batch] of batches.entries()) {
        const batchSteps = batch.flatMap((w) => steps.get(w)!);
        try {
          const response = await this.client.submitTransaction(
            batchSteps.map((step) => step.action),
            this.requestOptions(),
          );
          // Sub-responses come in the order of the operations, each with its entity's new ETag.
          batchSteps.forEach((step, index) => {
            const etag = response.subResponses[index]?.etag;
            if (step.write.record.kind === 'action' && etag) {
              actionVersions.set(step.write.record.value.ref, etag);
            }
          });
          written += batch.length;
          options.onProgress?.(written, writes.length);
        } catch (error) {
          const refused = refusalOf(error, batchSteps);
          if (!refused) throw error;
          const progress =
            i > 0
              ? [`The first ${i} of ${batches.length} batches were saved; the rest were not.`]
              : [];
          throw new ActionPlanError(
            'conflict',
            conflictMessage(refused.write.label, refused.refusal),
            progress,
            { cause: error },
          );
        }
      }
    });
    return { actionVersions };
  }

  /**
   * Deletes the partition in transactions of 100, the plan record in the last one. Reads only the
   * keys; a record already gone (someone else deleting too) is not an error.
   */
  deletePlan(planId: string): Promise<number> {
    this.statusChanges.delete(planId);
    return storageCall(`remove plan "${planId}"`, async () => {
      const pk = partitionKeyOf(planId);
      const keys = (await this.query(odata`PartitionKey eq ${pk}`, ['PartitionKey', 'RowKey'])).map(
        (e) => keysOf(e).rowKey,
      );
      const rowKeys = [
        ...keys.filter((k) => k !== PLAN_ROW_KEY),
        ...keys.filter((k) => k === PLAN_ROW_KEY),
      ];
      for (let i = 0; i < rowKeys.length; i += MAX_TRANSACTION_OPERATIONS) {
        const batch = rowKeys.slice(i, i + MAX_TRANSACTION_OPERATIONS);
        try {
          await this.client.submitTransaction(
            batch.map((rowKey): TransactionAction => ['delete', { partitionKey: pk, rowKey }]),
            this.requestOptions(),
          );
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
          // One of them went meanwhile: delete the rest one by one.
          for (const rowKey of batch) {
            await this.client
              .deleteEntity(pk, rowKey, this.requestOptions())
              .catch((e: unknown) => {
                if (statusOf(e) !== 404) throw e;
              });
          }
        }
      }
      return rowKeys.length;
    });
  }

  /** Creates the table on first use; an existing table is fine. Retried after a failure. */
  private ensureTable(): Promise<void> {
    this.tableReady ??= this.client.createTable(this.requestOptions()).catch((error: unknown) => {
      if (statusOf(error) === 409) return; // TableAlreadyExists
      this.tableReady = undefined;
      throw error;
    });
    return this.tableReady;
  }

  private async getEntity(planId: string, rowKey: string): Promise<StoredEntity | undefined> {
    await this.ensureTable();
    try {
      return await this.client.getEntity<Record<string, unknown>>(
        partitionKeyOf(planId),
        rowKey,
        this.requestOptions(),
      );
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * Once per plan and process: makes sure every action records its last status change, giving
   * actions stored before that field theirs from their history (status-change-backfill.ts).
   */
  private statusChangesRecorded(planId: string): Promise<void> {
    let done = this.statusChanges.get(planId);
    if (!done) {
      done = recordStatusChanges({
        client: this.client,
        partitionKey: partitionKeyOf(planId),
        requestOptions: () => this.requestOptions(),
        queryRange: (range) => this.queryRange(planId, range),
      }).catch((error: unknown) => {
        this.statusChanges.delete(planId);
        throw error;
      });
      this.statusChanges.set(planId, done);
    }
    return done;
  }

  /** The records of one key range in key order; the first `top` only when given. */
  private queryRange(
    planId: string,
    range: RowKeyRange,
    top?: number,
    also?: string,
  ): Promise<StoredEntity[]> {
    const pk = partitionKeyOf(planId);
    const keys = odata`PartitionKey eq ${pk} and RowKey ge ${range.ge} and RowKey lt ${range.lt}`;
    return this.query(also ? `${keys} and ${also}` : keys, undefined, top);
  }

  private async query(filter: string, select?: string[], top?: number): Promise<StoredEntity[]> {
    await this.ensureTable();
    const found: StoredEntity[] = [];
    // One time limit for the whole listing: the plans read here are a few pages at most.
    const entities = this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter, ...(select ? { select } : {}) },
      ...this.requestOptions(),
    });
    if (top === undefined) {
      for await (const entity of entities) found.push(entity);
      return found;
    }
    // A page may hold fewer than asked for and still go on: read pages until there are enough.
    for await (const page of entities.byPage({ maxPageSize: top })) {
      found.push(...page);
      if (found.length >= top) break;
    }
    return found.slice(0, top);
  }

  private requestOptions(): { abortSignal: AbortSignal } {
    // Within a turn (a Teams invoke), no longer than what is left of its storage time.
    return { abortSignal: AbortSignal.timeout(requestLimitMs(this.requestTimeoutMs)) };
  }
}

/** The actions not yet done (isDone's complement, as a table filter). */
const OPEN_FILTER = odata`status ne ${'complete'} and status ne ${'closed'}`;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
