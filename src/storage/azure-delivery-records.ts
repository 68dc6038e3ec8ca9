import { odata, type TransactionAction } from '@azure/data-tables';
import type { Versioned } from '../domain/plan.js';
import {
  deliveryRecord,
  type DeliveryRecord,
  type DeliveryRecordRepository,
} from '../ports/delivery-records.js';
import { deliveryPartition, deliveryRowKey, ReminderTable } from './azure-reminder-table.js';
import { entityCodec, type StoredEntity } from './entity-codec.js';
import { statusOf, storageCall } from './storage-call.js';

/**
 * Delivery records in Table Storage (key scheme in azure-reminder-table.ts). `create` is
 * `createEntity`: a 409 means the reminder was recorded before — by this instance, another one,
 * or a run before a restart — and the caller must not send it.
 */
export class AzureDeliveryRecords implements DeliveryRecordRepository {
  constructor(private readonly table: ReminderTable) {}

  create(record: DeliveryRecord): Promise<boolean> {
    return storageCall('record a reminder', async () => {
      await this.table.ensure();
      return this.createOne(record);
    });
  }

  private async createOne(record: DeliveryRecord): Promise<boolean> {
    try {
      await this.table.client.createEntity(entityOf(record), this.table.options());
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }

  /**
   * Creates in transactions of 100 (a partition is a plan): one round trip per hundred. A
   * transaction that meets a record created meanwhile (409, another instance) is refused whole,
   * and its records are then created one by one, so each still gets its own answer.
   */
  createAll(records: readonly DeliveryRecord[]): Promise<boolean[]> {
    return storageCall('record reminders', async () => {
      await this.table.ensure();
      const created: boolean[] = [];
      const byPartition = new Map<string, { index: number; record: DeliveryRecord }[]>();
      records.forEach((record, index) => {
        const pk = deliveryPartition(record.planId);
        byPartition.set(pk, [...(byPartition.get(pk) ?? []), { index, record }]);
      });
      for (const group of byPartition.values()) {
        for (let i = 0; i < group.length; i += 100) {
          const chunk = group.slice(i, i + 100);
          try {
            await this.table.client.submitTransaction(
              chunk.map(({ record }): TransactionAction => ['create', entityOf(record)]),
              this.table.options(),
            );
            for (const { index } of chunk) created[index] = true;
          } catch (error) {
            if (statusOf(error) !== 409) throw error;
            for (const { index, record } of chunk) created[index] = await this.createOne(record);
          }
        }
      }
      return created;
    });
  }

  get(
    planId: string,
    id: string,
    scheduledFor: string,
  ): Promise<Versioned<DeliveryRecord> | undefined> {
    return storageCall('read a reminder’s record', async () => {
      const e = await this.table.get(deliveryPartition(planId), deliveryRowKey(scheduledFor, id));
      return e && { value: recordOf(e), version: e.etag };
    });
  }

  update(record: DeliveryRecord, version: string): Promise<string> {
    return storageCall('update a reminder’s record', () =>
      this.table.replaceAt(
        entityOf(record),
        version,
        `The record of reminder ${record.id} was changed by someone else.`,
      ),
    );
  }

  listSince(planId: string, since: string): Promise<Versioned<DeliveryRecord>[]> {
    return storageCall('read the reminders’ records', async () => {
      const pk = deliveryPartition(planId);
      const found = await this.table.query(odata`PartitionKey eq ${pk} and RowKey ge ${since}`);
      return found.map((e) => ({ value: recordOf(e), version: e.etag }));
    });
  }
}

/** Every field is stored, the plan id and reminder id too (the keys hold them encoded). */
const codec = entityCodec(deliveryRecord);

function entityOf(r: DeliveryRecord): ReturnType<typeof codec.properties> & {
  partitionKey: string;
  rowKey: string;
} {
  return {
    partitionKey: deliveryPartition(r.planId),
    rowKey: deliveryRowKey(r.scheduledFor, r.id),
    ...codec.properties(r, `The record of reminder ${r.id}`),
  };
}

const recordOf = (e: StoredEntity): DeliveryRecord => codec.fromEntity(e);
