import type { z } from 'zod';
import { anyText, record, someText } from '../domain/record-fields.js';
import type { Clock } from '../ports/clock.js';
import type { LeaseStore } from '../ports/lease.js';
import { LEASE_PARTITION, ReminderTable } from './azure-reminder-table.js';
import { entityCodec, type StoredEntity } from './entity-codec.js';
import { statusOf, storageCall } from './storage-call.js';
import { decodeKeyPart, encodeKeyPart } from './table-keys.js';

/**
 * A lease as stored: who holds it, until when (ISO). Never backed up: it only matters while the
 * bot runs. Both read leniently: a lease whose expiry does not read is free to take.
 */
const leaseRecord = record({
  /** The lease's name (its RowKey): `reminders`, `digest-sweep`. */
  name: someText,
  holder: anyText.optional(),
  expiresAt: anyText.optional(),
});
type Lease = z.infer<typeof leaseRecord>;
const codec = entityCodec(leaseRecord, ['name']);

const leaseOf = (e: StoredEntity): Lease =>
  codec.fromEntity(e, { name: decodeKeyPart(e.rowKey ?? '') });

const entityOf = (lease: Lease) => ({
  partitionKey: LEASE_PARTITION,
  rowKey: encodeKeyPart(lease.name),
  ...codec.properties(lease, `The lease ${lease.name}`),
});

/**
 * Leases in Table Storage: one entity per lease with its holder and expiry. Taking a free lease is
 * a create (409: someone else just took it); taking an expired one, or renewing one's own, is an
 * update conditional on the ETag read (412: someone else was first). Expiry is timed by the
 * clock the process was given (the system's in production, a test's fixed day in tests, the same
 * one the jobs judge "now" by), so instances whose clocks differ by seconds could overlap by that
 * much: harmless, since the delivery records, not the lease, keep reminders from going twice.
 */
export class AzureLeaseStore implements LeaseStore {
  constructor(
    private readonly table: ReminderTable,
    private readonly clock: Clock,
  ) {}

  private now(): number {
    return this.clock.now().getTime();
  }

  acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return storageCall('take the reminder lease', async () => {
      const current = await this.table.get(LEASE_PARTITION, encodeKeyPart(name));
      const entity = entityOf({
        name,
        holder,
        expiresAt: new Date(this.now() + ttlMs).toISOString(),
      });
      try {
        if (!current) {
          await this.table.client.createEntity(entity, this.table.options());
          return true;
        }
        const lease = leaseOf(current);
        const expiresAt = Date.parse(lease.expiresAt ?? '');
        if (lease.holder !== holder && expiresAt > this.now()) return false;
        await this.table.client.updateEntity(entity, 'Replace', {
          etag: current.etag,
          ...this.table.options(),
        });
        return true;
      } catch (error) {
        const status = statusOf(error);
        if (status === 409 || status === 412 || status === 404) return false;
        throw error;
      }
    });
  }

  release(name: string, holder: string): Promise<void> {
    return storageCall('give the reminder lease back', async () => {
      const current = await this.table.get(LEASE_PARTITION, encodeKeyPart(name));
      if (!current || leaseOf(current).holder !== holder) return;
      try {
        await this.table.client.updateEntity(
          entityOf({ name, holder, expiresAt: new Date(0).toISOString() }),
          'Replace',
          { etag: current.etag, ...this.table.options() },
        );
      } catch (error) {
        const status = statusOf(error);
        if (status !== 412 && status !== 404) throw error;
      }
    });
  }
}
