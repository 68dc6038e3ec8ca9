import type { TableClient, TableEntity } from '@azure/data-tables';
import { ActionPlanError } from '../domain/errors.js';
import type { StoredEntity } from './entity-codec.js';
import { statusOf } from './storage-call.js';
import { encodeKeyPart } from './table-keys.js';
import { requestLimitMs } from '../ports/turn-deadline.js';

/**
 * The reminder table's key scheme, in one place. One table (default `Reminders`):
 *
 * | Record             | PartitionKey          | RowKey                                   |
 * | ------------------ | --------------------- | ---------------------------------------- |
 * | a lease            | `lease`               | its name (`reminders`)                   |
 * | a delivery record  | `delivery\|<plan id>` | `<scheduled day>\|<reminder id>`          |
 *
 * - A delivery record's RowKey starts with the day it was scheduled for, so a sweep reads only the
 *   last few days of records (`RowKey ge '2017-03-24'`), however long the plan has run.
 * - Plan ids and reminder ids are encoded as in the plan table (`encodeKeyPart`): the
 *   reminder id's own `|` separators become `%7C`, so the key splits cleanly in two.
 * - Every write that must happen once is a create (409: already there) or an update conditional
 *   on the ETag (412: someone else was first), so the rules hold across instances.
 */
export const DEFAULT_REMINDER_TABLE_NAME = 'Reminders';
export const LEASE_PARTITION = 'lease';
export const deliveryPartition = (planId: string): string => `delivery|${encodeKeyPart(planId)}`;
export const deliveryRowKey = (scheduledFor: string, id: string): string =>
  `${scheduledFor}|${encodeKeyPart(id)}`;

/** A TableClient with the table created on first use, and a timeout on every request. */
export class ReminderTable {
  private ready: Promise<void> | undefined;

  constructor(
    readonly client: TableClient,
    private readonly requestTimeoutMs = 10_000,
  ) {}

  options(): { abortSignal: AbortSignal } {
    // Within a turn (a Teams invoke), no longer than what is left of its storage time.
    return { abortSignal: AbortSignal.timeout(requestLimitMs(this.requestTimeoutMs)) };
  }

  ensure(): Promise<void> {
    this.ready ??= this.client.createTable(this.options()).catch((error: unknown) => {
      if (statusOf(error) === 409) return;
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  async get(partitionKey: string, rowKey: string): Promise<StoredEntity | undefined> {
    await this.ensure();
    try {
      return await this.client.getEntity<Record<string, unknown>>(
        partitionKey,
        rowKey,
        this.options(),
      );
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /**
   * Replaces `entity` if it is still at `etag` and resolves to its new ETag: the write that makes
   * a claim once. ActionPlanError('conflict', `conflict`) when someone else changed it first (412)
   * or removed it (404).
   */
  async replaceAt(
    entity: TableEntity<Record<string, unknown>>,
    etag: string,
    conflict: string,
  ): Promise<string> {
    await this.ensure();
    try {
      const response = await this.client.updateEntity(entity, 'Replace', {
        etag,
        ...this.options(),
      });
      if (!response.etag) throw new Error('Table Storage answered an update without an ETag.');
      return response.etag;
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 404) {
        throw new ActionPlanError('conflict', conflict, [], { cause: error });
      }
      throw error;
    }
  }

  async query(filter: string): Promise<StoredEntity[]> {
    await this.ensure();
    const found: StoredEntity[] = [];
    const pages = this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter },
      abortSignal: AbortSignal.timeout(requestLimitMs(this.requestTimeoutMs * 6)),
    });
    for await (const e of pages) found.push(e);
    return found;
  }
}
