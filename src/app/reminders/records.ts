import type { Reminder } from '../../domain/reminder-policy.js';
import type { DeliveryRecord } from '../../ports/delivery-records.js';

/** The delivery record a sweep creates for a reminder it queues. */
export function queuedRecord(reminder: Reminder, at: string): DeliveryRecord {
  return {
    planId: reminder.planId,
    id: reminder.id,
    ref: reminder.ref,
    kind: reminder.kind,
    ...(reminder.workingDaysBefore === undefined
      ? {}
      : { workingDaysBefore: reminder.workingDaysBefore }),
    recipient: reminder.recipient,
    role: reminder.role,
    scheduledFor: reminder.scheduledFor,
    ...(reminder.targetDate ? { targetDate: reminder.targetDate } : {}),
    ...(reminder.caughtUp ? { caughtUp: true } : {}),
    state: 'queued',
    queuedAt: at,
    updatedAt: at,
    attempts: 0,
    throttled: 0,
  };
}

/** How far back a sweep looks for records: the catch-up window and a little more. */
export const oldestScheduledFor = (reminders: readonly Pick<Reminder, 'scheduledFor'>[]): string =>
  reminders.map((r) => r.scheduledFor).sort()[0] ?? '9999-12-31';

/**
 * A reminder's id as the logs give it: the id names its recipient (and, for a notice, the owner)
 * by email, which logs never carry, so each address is replaced. What is left (ref, kind, day,
 * and the plan beside it) finds the delivery record.
 */
export const loggedReminderId = (id: string): string => id.replace(/[^|:\s]+@[^|\s]+/g, '(person)');
