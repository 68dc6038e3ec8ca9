import { deliverQueued, type DeliverOptions, type DeliverReport } from './send.js';
import type { ReminderDeps } from './reminder-deps.js';
import { sweepReminders, type SweepReport } from './sweep.js';

/** The lease every instance's scheduler competes for. */
export const REMINDER_LEASE = 'reminders';
/** Held for this long, renewed between batches: an instance that dies frees it within a minute. */
export const LEASE_TTL_MS = 60_000;

export type RunReport =
  | { readonly ran: false; readonly reason: string }
  | { readonly ran: true; readonly sweep: SweepReport; readonly delivery: DeliverReport };

export interface RunOptions extends Omit<DeliverOptions, 'now' | 'beforeBatch'> {
  /** The moment to judge reminders at (`reminders run --as-of`); now by default. */
  readonly asOf?: Date;
  readonly leaseTtlMs?: number;
}

/**
 * One scheduler round: take the lease (or let the instance holding it do the work), sweep, send
 * everything the queue holds (waiting out retries) while renewing the lease, and give the lease
 * back. One instance sends at a time, so the per-tenant rate limit is kept across instances; the
 * delivery records, not the lease, are what stop a reminder going twice.
 */
export async function runReminders(deps: ReminderDeps, options: RunOptions): Promise<RunReport> {
  const ttl = options.leaseTtlMs ?? LEASE_TTL_MS;
  if (!(await deps.leases.acquire(REMINDER_LEASE, options.holder, ttl))) {
    return { ran: false, reason: 'another instance holds the reminder lease' };
  }
  try {
    const asOf = options.asOf;
    const sweep = await sweepReminders(deps, asOf ?? deps.clock.now());
    const { asOf: _asOf, leaseTtlMs: _ttl, ...deliver } = options;
    const delivery = await deliverQueued(deps, {
      ...deliver,
      ...(asOf ? { now: () => asOf } : {}),
      beforeBatch: () => deps.leases.acquire(REMINDER_LEASE, options.holder, ttl),
    });
    deps.logger.info({ ...delivery }, 'reminders delivered');
    return { ran: true, sweep, delivery };
  } finally {
    await deps.leases.release(REMINDER_LEASE, options.holder);
  }
}
