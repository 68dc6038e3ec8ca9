import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import { ActionPlanError } from '../domain/errors.js';
import type { Versioned } from '../domain/plan.js';
import type { DeliveryRecord, DeliveryRecordRepository } from '../ports/delivery-records.js';
import type {
  DigestSubscription,
  DigestSubscriptionRepository,
} from '../ports/digest-subscriptions.js';
import type { LeaseStore } from '../ports/lease.js';
import { statusOf, storageCall } from './storage-call.js';
import { encodeKeyPart } from './table-keys.js';

/**
 * Table Storage for the scheduler's records: delivery records, leases and digest subscriptions.
 * Each record is one entity whose `record` property holds its JSON; its ETag is its version.
 * "Once" comes from the service itself: `createEntity` on an existing key is 409, and an update
 * with a stale ETag is 412, whichever instance of the bot asks.
 *
 * | Record            | table (default)       | PartitionKey | RowKey                         |
 * | ----------------- | --------------------- | ------------ | ------------------------------ |
 * | delivery record   | `Deliveries`          | plan id      | `<scheduledFor>\|<id>`          |
 * | lease             | `Leases`              | `lease`      | the lease's name               |
 * | digest subscriber | `DigestSubscriptions` | plan id      | the conversation id            |
 *
 * Keys are encoded as in the plan table (table-keys.ts).
 */
export const DEFAULT_DELIVERIES_TABLE = 'Deliveries';
export const DEFAULT_LEASES_TABLE = 'Leases';
export const DEFAULT_DIGEST_SUBSCRIPTIONS_TABLE = 'DigestSubscriptions';

type Entity = TableEntityResult<Record<string, unknown>>;

class JsonTable {
  private ready: Promise<void> | undefined;
  constructor(private readonly client: TableClient) {}

  async ensure(): Promise<void> {
    this.ready ??= this.client.createTable().catch((error: unknown) => {
      if (statusOf(error) === 409) return;
      this.ready = undefined;
      throw error;
    });
    await this.ready;
  }

  async get(pk: string, rk: string): Promise<Entity | undefined> {
    await this.ensure();
    try {
      return await this.client.getEntity<Record<string, unknown>>(pk, rk);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** False when the key exists. */
  async create(pk: string, rk: string, record: object): Promise<boolean> {
    await this.ensure();
    try {
      await this.client.createEntity({
        partitionKey: pk,
        rowKey: rk,
        record: JSON.stringify(record),
      });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }

  /** The new ETag; undefined when `etag` is stale (412) or the entity is gone (404). */
  async update(pk: string, rk: string, record: object, etag: string): Promise<string | undefined> {
    await this.ensure();
    try {
      const r = await this.client.updateEntity(
        { partitionKey: pk, rowKey: rk, record: JSON.stringify(record) },
        'Replace',
        { etag },
      );
      return r.etag;
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 404) return undefined;
      throw error;
    }
  }

  async upsert(pk: string, rk: string, record: object): Promise<void> {
    await this.ensure();
    await this.client.upsertEntity(
      { partitionKey: pk, rowKey: rk, record: JSON.stringify(record) },
      'Replace',
    );
  }

  async remove(pk: string, rk: string): Promise<boolean> {
    await this.ensure();
    try {
      await this.client.deleteEntity(pk, rk);
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  async query(filter: string): Promise<Entity[]> {
    await this.ensure();
    const found: Entity[] = [];
    for await (const e of this.client.listEntities<Record<string, unknown>>(
      filter ? { queryOptions: { filter } } : {},
    )) {
      found.push(e);
    }
    return found;
  }
}

const recordOf = <T>(e: Entity): T => JSON.parse(String(e['record'])) as T;

export class AzureDeliveryRecords implements DeliveryRecordRepository {
  private readonly table: JsonTable;
  constructor(client: TableClient) {
    this.table = new JsonTable(client);
  }

  create(record: DeliveryRecord): Promise<boolean> {
    return storageCall('record a delivery', () =>
      this.table.create(encodeKeyPart(record.planId), rowKey(record), record),
    );
  }

  get(
    planId: string,
    id: string,
    scheduledFor: string,
  ): Promise<Versioned<DeliveryRecord> | undefined> {
    return storageCall('read a delivery record', async () => {
      const e = await this.table.get(encodeKeyPart(planId), rowKey({ id, scheduledFor }));
      return e ? { value: recordOf<DeliveryRecord>(e), version: e.etag } : undefined;
    });
  }

  update(record: DeliveryRecord, version: string): Promise<string> {
    return storageCall('update a delivery record', async () => {
      const etag = await this.table.update(
        encodeKeyPart(record.planId),
        rowKey(record),
        record,
        version,
      );
      if (etag === undefined) {
        throw new ActionPlanError(
          'conflict',
          `The delivery record ${record.id} was changed by someone else.`,
        );
      }
      return etag;
    });
  }

  listSince(planId: string, since: string): Promise<Versioned<DeliveryRecord>[]> {
    return storageCall('read delivery records', async () => {
      const found = await this.table.query(
        odata`PartitionKey eq ${encodeKeyPart(planId)} and RowKey ge ${since}`,
      );
      return found
        .map((e) => ({ value: recordOf<DeliveryRecord>(e), version: e.etag }))
        .sort((a, b) => a.value.scheduledFor.localeCompare(b.value.scheduledFor));
    });
  }
}

const rowKey = (r: Pick<DeliveryRecord, 'id' | 'scheduledFor'>): string =>
  `${r.scheduledFor}|${encodeKeyPart(r.id)}`;

interface LeaseRecord {
  readonly holder: string;
  /** Epoch milliseconds. */
  readonly until: number;
}

const LEASE_PARTITION = 'lease';

export class AzureLeaseStore implements LeaseStore {
  private readonly table: JsonTable;
  constructor(
    client: TableClient,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.table = new JsonTable(client);
  }

  acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return storageCall('take the scheduler lease', async () => {
      const key = encodeKeyPart(name);
      const at = this.now().getTime();
      const record: LeaseRecord = { holder, until: at + ttlMs };
      const e = await this.table.get(LEASE_PARTITION, key);
      if (!e) return this.table.create(LEASE_PARTITION, key, record);
      const held = recordOf<LeaseRecord>(e);
      if (held.holder !== holder && held.until > at) return false;
      return (await this.table.update(LEASE_PARTITION, key, record, e.etag)) !== undefined;
    });
  }

  release(name: string, holder: string): Promise<void> {
    return storageCall('give up the scheduler lease', async () => {
      const key = encodeKeyPart(name);
      const e = await this.table.get(LEASE_PARTITION, key);
      if (!e || recordOf<LeaseRecord>(e).holder !== holder) return;
      await this.table.update(LEASE_PARTITION, key, { holder: '', until: 0 }, e.etag);
    });
  }
}

export class AzureDigestSubscriptions implements DigestSubscriptionRepository {
  private readonly table: JsonTable;
  constructor(client: TableClient) {
    this.table = new JsonTable(client);
  }

  save(s: DigestSubscription): Promise<void> {
    return storageCall('save the digest subscription', () =>
      this.table.upsert(encodeKeyPart(s.planId), encodeKeyPart(s.conversationId), s),
    );
  }

  remove(planId: string, conversationId: string): Promise<boolean> {
    return storageCall('remove the digest subscription', () =>
      this.table.remove(encodeKeyPart(planId), encodeKeyPart(conversationId)),
    );
  }

  get(planId: string, conversationId: string): Promise<DigestSubscription | undefined> {
    return storageCall('read the digest subscription', async () => {
      const e = await this.table.get(encodeKeyPart(planId), encodeKeyPart(conversationId));
      return e ? recordOf<DigestSubscription>(e) : undefined;
    });
  }

  list(): Promise<DigestSubscription[]> {
    return storageCall('read the digest subscriptions', async () =>
      (await this.table.query('')).map((e) => recordOf<DigestSubscription>(e)),
    );
  }
}
