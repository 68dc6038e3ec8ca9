import type { Clock } from '../ports/clock.js';
import type { LeaseStore } from '../ports/lease.js';
import { LEASE_PARTITION, optionalStr, ReminderTable } from './azure-reminder-table.js';
import { statusOf, storageCall } from './storage-call.js';
import { encodeKeyPart } from './table-keys.js';

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
      const rowKey = encodeKeyPart(name);
      const current = await this.table.get(LEASE_PARTITION, rowKey);
      const entity = {
        partitionKey: LEASE_PARTITION,
        rowKey,
        holder,
        expiresAt: new Date(this.now() + ttlMs).toISOString(),
      };
      try {
        if (!current) {
          await this.table.client.createEntity(entity, this.table.options());
          return true;
        }
        const held = optionalStr(current, 'holder');
        const expiresAt = Date.parse(optionalStr(current, 'expiresAt') ?? '');
        if (held !== holder && expiresAt > this.now()) return false;
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
      const rowKey = encodeKeyPart(name);
      const current = await this.table.get(LEASE_PARTITION, rowKey);
      if (!current || optionalStr(current, 'holder') !== holder) return;
      try {
        await this.table.client.updateEntity(
          { partitionKey: LEASE_PARTITION, rowKey, holder, expiresAt: new Date(0).toISOString() },
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
