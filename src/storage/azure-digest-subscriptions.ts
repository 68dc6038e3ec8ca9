import type { TableClient, TableEntityResult } from '@azure/data-tables';
import {
  digestSubscriptionRecord,
  type DigestSubscription,
  type DigestSubscriptionRepository,
} from '../ports/digest-subscriptions.js';
import { corrupt, parseStored } from './entity-codec.js';
import { statusOf, storageCall } from './storage-call.js';
import { encodeKeyPart } from './table-keys.js';

/**
 * Digest subscriptions in Table Storage. (The digest's delivery records and lease are the
 * reminders', in the reminders' table, so "once" means the same thing for both.)
 *
 * | Record            | table (default)       | PartitionKey | RowKey              |
 * | ----------------- | --------------------- | ------------ | ------------------- |
 * | digest subscriber | `DigestSubscriptions` | plan id      | the conversation id |
 *
 * A subscription is one entity whose `record` property holds its JSON, checked on the way back by
 * its schema (ports/digest-subscriptions.ts); keys are encoded as in the plan table (table-keys.ts).
 */
export const DEFAULT_DIGEST_SUBSCRIPTIONS_TABLE_NAME = 'DigestSubscriptions';

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

function subscriptionOf(e: Entity): DigestSubscription {
  let json: unknown;
  try {
    json = JSON.parse(String(e['record']));
  } catch {
    throw corrupt(e, 'record is not JSON');
  }
  return parseStored(digestSubscriptionRecord, json, e);
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
      return e ? subscriptionOf(e) : undefined;
    });
  }

  list(): Promise<DigestSubscription[]> {
    return storageCall('read the digest subscriptions', async () =>
      (await this.table.query('')).map(subscriptionOf),
    );
  }
}
