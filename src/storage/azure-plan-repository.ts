import {
  odata,
  RestError,
  TableClient,
  type TableServiceClientOptions,
  type TableEntity,
  type TableEntityResult,
  type TransactionAction,
} from '@azure/data-tables';
import { compareRefs } from '../domain/action-ref.js';
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
import { isStatus } from '../domain/status.js';
import { PRIORITIES, type Priority } from '../domain/priority.js';
import type { Target } from '../domain/target.js';
import type { PlanChanges, PlanRepository, SaveOptions } from '../ports/plan-repository.js';
import {
  ACTION_RANGE,
  actionRowKey,
  AREA_RANGE,
  compareHistoryKeys,
  conflictMessage,
  DEFAULT_TABLE_NAME,
  HISTORY_RANGE,
  historyRangeOf,
  type KeyedRecord,
  type KeyedWrite,
  keyedWrites,
  parseRowKey,
  partitionKeyOf,
  PLAN_ROW_KEY,
  planIdOf,
  type Refusal,
  type RowKeyRange,
} from './table-keys.js';

/** Azure Table Storage runs at most 100 operations in one entity-group transaction. */
export const MAX_TRANSACTION_OPERATIONS = 100;

/** A string property may hold 64 KiB, stored as UTF-16: 32,768 characters. */
const MAX_STRING_PROPERTY_CHARS = 32 * 1024;

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

type Entity = TableEntity<Record<string, string>>;
type StoredEntity = TableEntityResult<Record<string, unknown>>;

/**
 * The PlanRepository on Azure Table Storage (or Azurite), one table for every plan; the key scheme
 * is in table-keys.ts. A record's version is its entity's ETag, so conditional writes are checked
 * by the service itself, across every instance of the bot.
 */
export class AzurePlanRepository implements PlanRepository {
  private tableReady: Promise<void> | undefined;
  private readonly requestTimeoutMs: number;

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
    return this.storage('read the list of plans', async () => {
      const entities = await this.query(odata`RowKey eq ${PLAN_ROW_KEY}`);
      return entities
        .map((e) => versioned(planFromEntity(e), e))
        .sort((a, b) => cmp(a.value.id, b.value.id));
    });
  }

  getPlan(planId: string): Promise<Versioned<Plan> | undefined> {
    return this.storage(`read plan "${planId}"`, async () => {
      const e = await this.getEntity(planId, PLAN_ROW_KEY);
      return e && versioned(planFromEntity(e), e);
    });
  }

  listActions(planId: string): Promise<Versioned<Action>[]> {
    return this.storage(`read the actions of plan "${planId}"`, async () => {
      const entities = await this.queryRange(planId, ACTION_RANGE);
      return entities
        .map((e) => versioned(actionFromEntity(e), e))
        .sort((a, b) => compareRefs(a.value.ref, b.value.ref));
    });
  }

  getAction(planId: string, ref: string): Promise<Versioned<Action> | undefined> {
    return this.storage(`read action ${ref} of plan "${planId}"`, async () => {
      const e = await this.getEntity(planId, actionRowKey(ref));
      return e && versioned(actionFromEntity(e), e);
    });
  }

  listAreas(planId: string): Promise<Versioned<Area>[]> {
    return this.storage(`read the areas of plan "${planId}"`, async () => {
      const entities = await this.queryRange(planId, AREA_RANGE);
      return entities.map((e) => versioned(areaFromEntity(e), e));
    });
  }

  listHistory(planId: string, ref?: string): Promise<HistoryEntry[]> {
    return this.storage(`read the history of plan "${planId}"`, async () => {
      const range = ref === undefined ? HISTORY_RANGE : historyRangeOf(ref);
      const entities = await this.queryRange(planId, range);
      return entities
        .sort((a, b) => compareHistoryKeys(keysOf(a).rowKey, keysOf(b).rowKey))
        .map(historyFromEntity);
    });
  }

  /**
   * Writes the changes in as few transactions as possible (see `transactions`), one after the
   * other. A refused transaction stops the save: earlier ones stay written, later ones are not
   * tried, and the error's details say how far it got.
   */
  async save(planId: string, changes: PlanChanges, options: SaveOptions = {}): Promise<void> {
    const writes = keyedWrites(planId, changes);
    if (writes.length === 0) return;
    const pk = partitionKeyOf(planId);
    const batches = transactions(writes);
    // Every entity is built (and its size checked) before anything is sent.
    const actions = batches.map((batch) => batch.map((w) => transactionAction(pk, w)));
    await this.storage(`save the changes to plan "${planId}"`, async () => {
      await this.ensureTable();
      let written = 0;
      for (const [i, batch] of batches.entries()) {
        try {
          await this.client.submitTransaction(actions[i]!, this.requestOptions());
          written += batch.length;
          options.onProgress?.(written, writes.length);
        } catch (error) {
          const refused = refusalOf(error, batch);
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
  }

  /**
   * Deletes the partition in transactions of 100, the plan record in the last one. Reads only the
   * keys; a record already gone (someone else deleting too) is not an error.
   */
  deletePlan(planId: string): Promise<number> {
    return this.storage(`remove plan "${planId}"`, async () => {
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

  private queryRange(planId: string, range: RowKeyRange): Promise<StoredEntity[]> {
    const pk = partitionKeyOf(planId);
    return this.query(
      odata`PartitionKey eq ${pk} and RowKey ge ${range.ge} and RowKey lt ${range.lt}`,
    );
  }

  private async query(filter: string, select?: string[]): Promise<StoredEntity[]> {
    await this.ensureTable();
    const found: StoredEntity[] = [];
    // One time limit for the whole listing: the plans read here are a few pages at most.
    const entities = this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter, ...(select ? { select } : {}) },
      ...this.requestOptions(),
    });
    for await (const entity of entities) found.push(entity);
    return found;
  }

  private requestOptions(): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(this.requestTimeoutMs) };
  }

  /** Runs one storage call, turning "storage is down" into an ActionPlanError callers can show. */
  private async storage<T>(doing: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ActionPlanError) throw error;
      const status = statusOf(error);
      if (status === 401 || status === 403) {
        throw new ActionPlanError(
          'storage_unavailable',
          `Storage refused the bot's credentials, so it could not ${doing}. Check the storage connection string, or (with AZURE_STORAGE_ACCOUNT_URL) that the bot's managed identity has the Storage Table Data Contributor role on the account.`,
          [messageOf(error)],
          { cause: error },
        );
      }
      if (isUnavailable(error)) {
        throw new ActionPlanError(
          'storage_unavailable',
          `Storage is not answering, so the bot could not ${doing}. Try again in a few minutes.`,
          [messageOf(error)],
          { cause: error },
        );
      }
      throw error;
    }
  }
}

/**
 * Groups writes into transactions of at most 100: each action with its own history entries, the
 * plan record in the last one. When everything fits in one transaction the save is atomic. An
 * action with more than 99 history entries in one save (never seen in practice) is split: the
 * action and its first entries together, the rest in the following transactions.
 */
export function transactions(writes: readonly KeyedWrite[]): KeyedWrite[][] {
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
  const flush = () => {
    if (current.length > 0) batches.push(current);
    current = [];
  };
  for (const unit of units.values()) {
    if (current.length + unit.length > MAX_TRANSACTION_OPERATIONS) flush();
    for (const w of unit) {
      if (current.length === MAX_TRANSACTION_OPERATIONS) flush();
      current.push(w);
    }
  }
  if (planWrite) {
    if (current.length === MAX_TRANSACTION_OPERATIONS) flush();
    current.push(planWrite);
  }
  flush();
  return batches;
}

function transactionAction(partitionKey: string, write: KeyedWrite): TransactionAction {
  const entity = toEntity(partitionKey, write);
  switch (write.mode) {
    case 'create':
      return ['create', entity];
    case 'update':
      // Replace, not Merge: a field removed from the record (a cleared note) must go.
      return ['update', entity, 'Replace', { etag: write.version }];
    case 'upsert':
      return ['upsert', entity, 'Replace'];
  }
}

/**
 * Which write of a refused transaction failed, and why. Inside a transaction Azure (and Azurite)
 * answer with the failing operation's status, `code` set to the service's error code
 * (UpdateConditionNotSatisfied, EntityAlreadyExists, ResourceNotFound) and a message starting
 * with its index ("1:The update condition specified in the request was not satisfied."). Outside
 * a transaction the code is in `details.errorCode` instead; both are read.
 */
function refusalOf(
  error: unknown,
  batch: readonly KeyedWrite[],
): { write: KeyedWrite; refusal: Refusal } | undefined {
  const status = statusOf(error);
  if (status !== 412 && status !== 409 && status !== 404) return undefined;
  const index = /^(\d+):/.exec(messageOf(error))?.[1];
  const write =
    index === undefined ? (batch.length === 1 ? batch[0] : undefined) : batch[Number(index)];
  const code = errorCodeOf(error);
  if (status === 412) {
    return { write: write ?? unknownWrite(batch), refusal: 'changed' };
  }
  if (status === 409 && (code === 'EntityAlreadyExists' || write?.mode === 'create')) {
    return { write: write ?? unknownWrite(batch), refusal: 'exists' };
  }
  if (status === 404 && code !== 'TableNotFound' && write?.mode === 'update') {
    return { write, refusal: 'missing' };
  }
  return undefined;
}

/** When the service did not say which write failed, the message cannot name the record. */
function unknownWrite(batch: readonly KeyedWrite[]): KeyedWrite {
  const first = batch[0]!;
  return { ...first, label: 'One of the records being saved' };
}

// ---- Entity mapping: the only place that knows how a record is laid out in a table entity. ----

/** Puts a record in an entity: lists, objects and the target as JSON text, every value a string. */
function toEntity(partitionKey: string, write: KeyedWrite): Entity {
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

function planFromEntity(e: StoredEntity): Plan {
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

function actionFromEntity(e: StoredEntity): Action {
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

function areaFromEntity(e: StoredEntity): Area {
  return {
    planId: planIdOf(keysOf(e).partitionKey),
    name: str(e, 'name'),
    champions: json<string[]>(e, 'champions'),
  };
}

const HISTORY_KINDS: readonly string[] = ['created', 'changed', 'refused'] satisfies HistoryKind[];

function historyFromEntity(e: StoredEntity): HistoryEntry {
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

function keysOf(e: StoredEntity): { partitionKey: string; rowKey: string } {
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

const versioned = <T>(value: T, e: StoredEntity): Versioned<T> => ({ value, version: e.etag });

// ---- Errors ----

/** Error codes of a network that failed, a host that is not there, or a request given up on. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  RestError.REQUEST_SEND_ERROR,
]);

function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const status = statusOf(error);
  return status !== undefined && (status >= 500 || status === 408);
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function errorCodeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; details?: { errorCode?: unknown } } | null;
  const code = e?.code ?? e?.details?.errorCode;
  return typeof code === 'string' ? code : undefined;
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
