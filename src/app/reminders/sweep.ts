import { isActionPlanError } from '../../domain/errors.js';
import type { DeliveryRecord } from '../../ports/delivery-records.js';
import { mapLimit } from './concurrency.js';
import { remindersDueAt } from './due-now.js';
import { oldestScheduledFor, queuedRecord } from './records.js';
import type { ReminderDeps } from './reminder-deps.js';

export interface SweepReport {
  /** Reminders the policy says are due. */
  readonly due: number;
  /** New delivery records created and put on the queue by this sweep. */
  readonly queued: number;
  /** Due, but already recorded (sent, under way, or handled by another instance). */
  readonly alreadyHandled: number;
  /** Due, but the bot cannot message the person; tried again at each sweep until it can. */
  readonly unreachable: number;
  /** Records left queued with no message (a sweep that died between the two): queued again. */
  readonly requeued: number;
}

/** A queued record this old whose message may have been lost is queued again (harmlessly twice). */
export const STUCK_AFTER_MS = 10 * 60 * 1000;
const CREATE_CONCURRENCY = 16;

/**
 * One sweep: works out what is due at `now`, creates a delivery record for each new reminder with
 * a create-only write, and queues a message for each record it created. A record that exists
 * already means someone (this instance earlier, another instance, a run before a restart)
 * handled that reminder: it is not queued again, which is what keeps a reminder from going out
 * twice. Sends happen later, from the queue (send.ts).
 */
export async function sweepReminders(deps: ReminderDeps, now: Date): Promise<SweepReport> {
  let due = 0;
  let queued = 0;
  let alreadyHandled = 0;
  let unreachable = 0;
  let requeued = 0;
  for (const plan of await remindersDueAt(deps, now)) {
    if (plan.due.length === 0) continue;
    due += plan.due.length;
    const existing = new Map(
      (await deps.deliveries.listSince(plan.plan.id, oldestScheduledFor(plan.due))).map((r) => [
        r.value.id,
        r,
      ]),
    );
    const at = deps.clock.now();
    const fresh: DeliveryRecord[] = [];
    await mapLimit(plan.due, CREATE_CONCURRENCY, async (reminder) => {
      const stored = existing.get(reminder.id);
      if (stored) {
        alreadyHandled++;
        const found = stored.value;
        const age = at.getTime() - Date.parse(found.updatedAt);
        if (found.state === 'queued' && age > STUCK_AFTER_MS) {
          try {
            // Touched first, so that only one sweep queues it again.
            await deps.deliveries.update({ ...found, updatedAt: at.toISOString() }, stored.version);
          } catch (error) {
            if (isActionPlanError(error, 'conflict')) return;
            throw error;
          }
          await deps.queue.send({
            planId: found.planId,
            id: found.id,
            scheduledFor: found.scheduledFor,
          });
          requeued++;
        }
        return;
      }
      if (!reminder.reachable) {
        unreachable++;
        return;
      }
      fresh.push(queuedRecord(reminder, at.toISOString()));
    });
    // Created together (create-only: a record another sweep made meanwhile is not ours to queue),
    // then queued, each message once its record exists.
    const created = deps.deliveries.createAll
      ? await deps.deliveries.createAll(fresh)
      : await mapLimit(fresh, CREATE_CONCURRENCY, (r) => deps.deliveries.create(r));
    const ours = fresh.filter((_, i) => created[i]);
    alreadyHandled += fresh.length - ours.length;
    await mapLimit(ours, CREATE_CONCURRENCY, async (record) => {
      await deps.queue.send({
        planId: record.planId,
        id: record.id,
        scheduledFor: record.scheduledFor,
      });
      queued++;
    });
  }
  deps.logger.info({ due, queued, alreadyHandled, unreachable, requeued }, 'reminder sweep');
  return { due, queued, alreadyHandled, unreachable, requeued };
}
