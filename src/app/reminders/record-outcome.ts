import { sameArea } from '../../domain/area-name.js';
import { todayIn } from '../../domain/calendar.js';
import { isActionPlanError } from '../../domain/errors.js';
import { normaliseEmail, type Plan } from '../../domain/plan.js';
import type { DeliveryRecord } from '../../ports/delivery-records.js';
import type { Person } from '../../ports/people-repository.js';
import type { ProactiveDelivery } from '../../ports/proactive-notifier.js';
import type { ReceivedReminder } from '../../ports/reminder-queue.js';
import type { ReminderDeps } from './reminder-deps.js';
import type { DeliverySettings } from './delivery-options.js';
import { loggedReminderId } from './records.js';
import { refusalReason } from './refusal-reason.js';

/** What one round of delivering did. */
export interface DeliverReport {
  sent: number;
  /** Put back on the queue to try again later (429, 412, 5xx, timeouts). */
  retried: number;
  /** Refused by Teams (403, 404), or no way to message the person. */
  unreachable: number;
  /** No longer wanted when their turn came. */
  skipped: number;
  /** Given up: on the dead-letter queue. */
  failed: number;
  /** Messages whose reminder was already handled (a copy, or one back after a sender died). */
  alreadyDone: number;
  /** 429 answers from Teams. */
  throttled: number;
}

/**
 * Writes a change to a delivery record, conditional on its version. When someone else wrote it
 * meanwhile (a second sender that judged our claim stale), re-reads it and applies the change
 * again — except that a record already `sent` is never overwritten: what Teams accepted stays.
 */
export async function settle(
  deps: Pick<ReminderDeps, 'deliveries'>,
  current: { record: DeliveryRecord; version: string },
  change: (record: DeliveryRecord) => DeliveryRecord,
): Promise<DeliveryRecord> {
  let { record, version } = current;
  for (let attempt = 1; ; attempt++) {
    const next = change(record);
    try {
      await deps.deliveries.update(next, version);
      return next;
    } catch (error) {
      if (!isActionPlanError(error, 'conflict') || attempt >= 5) throw error;
      const fresh = await deps.deliveries.get(record.planId, record.id, record.scheduledFor);
      if (!fresh) throw error;
      if (fresh.value.state === 'sent') return fresh.value;
      ({ value: record, version } = fresh);
    }
  }
}

/**
 * Records what Teams said about one send, and does what follows from it:
 * - sent: the card is recorded as a SentCard (its activity id, so it can be updated in place when
 *   the action changes), a newly created 1:1 chat is kept on the person, the message deleted;
 * - retry: back on the queue after Retry-After, or a backoff with jitter (doubling, capped); after
 *   `maxAttempts` sends, to the dead-letter queue;
 * - unreachable: the person is marked unreachable (the digest and status cards show it, and no
 *   more reminders are queued for them), and the action's champion is told with a card of its own;
 * - failed: to the dead-letter queue.
 */
export async function recordOutcome(
  deps: ReminderDeps,
  o: DeliverySettings,
  received: ReceivedReminder,
  current: { record: DeliveryRecord; version: string },
  report: DeliverReport,
  result: ProactiveDelivery,
  context?: { plan: Plan; person: Person },
): Promise<void> {
  const record = current.record;
  const now = () => deps.clock.now().toISOString();
  report.throttled += result.throttled;
  const throttled = record.throttled + result.throttled;

  switch (result.outcome) {
    case 'sent': {
      report.sent++;
      const sentAt = now();
      // The card's copy and the record are written together; the message goes only after both.
      const card = deps.sentCards.record({
        planId: record.planId,
        ref: record.ref,
        activityId: result.activityId,
        conversation: result.conversation,
        kind:
          record.kind === 'escalation' || record.kind === 'unreachable_owner'
            ? record.kind
            : 'reminder',
        recipient: record.recipient,
        sentAt,
      });
      const settled = settle(deps, current, (r) => ({
        ...withoutFailure(r),
        state: 'sent',
        activityId: result.activityId,
        conversation: result.conversation,
        sentAt,
        updatedAt: sentAt,
        throttled,
      }));
      await Promise.all([card, settled]);
      if (result.createdConversation && context) {
        await keepConversation(deps, context.person.email, result.conversation);
      }
      await deps.queue.delete(received);
      return;
    }
    case 'retry': {
      if (record.attempts >= o.maxAttempts) {
        const reason = `Teams kept answering ${result.status ?? ''} ${result.code}; gave up after ${record.attempts} tries.`;
        await giveUp(
          deps,
          received,
          current,
          report,
          result.code,
          reason.replace(/\s+/g, ' '),
          throttled,
        );
        return;
      }
      report.retried++;
      await settle(deps, current, (r) => ({
        ...r,
        state: 'retrying',
        code: result.code,
        reason: `Teams answered ${result.status ?? ''} ${result.code}; trying again.`.replace(
          /\s+/g,
          ' ',
        ),
        updatedAt: now(),
        throttled,
      }));
      await deps.queue.retryLater(
        received,
        Math.ceil(retryDelayMs(o, record.attempts, result.retryAfterMs) / 1000),
      );
      return;
    }
    case 'unreachable': {
      report.unreachable++;
      const today = todayIn(context?.plan.timeZone ?? 'Europe/London', deps.clock.now());
      const reason = refusalReason(result.status, result.code, today);
      await settle(deps, current, (r) => ({
        ...r,
        state: 'unreachable',
        code: result.code,
        reason,
        updatedAt: now(),
        throttled,
      }));
      await markUnreachable(deps, record.recipient, reason);
      if (record.role === 'owner') await tellChampions(deps, record, context?.plan);
      await deps.queue.delete(received);
      return;
    }
    case 'failed':
      await giveUp(deps, received, current, report, result.code, result.message, throttled);
      return;
  }
}

async function giveUp(
  deps: ReminderDeps,
  received: ReceivedReminder,
  current: { record: DeliveryRecord; version: string },
  report: DeliverReport,
  code: string,
  reason: string,
  throttled: number,
): Promise<void> {
  report.failed++;
  const at = deps.clock.now().toISOString();
  const saved = await settle(deps, current, (r) => ({
    ...r,
    state: 'failed',
    code,
    reason,
    updatedAt: at,
    throttled,
  }));
  if (saved.state === 'sent') {
    await deps.queue.delete(received);
    return;
  }
  await deps.queue.deadLetter(received, {
    planId: saved.planId,
    id: saved.id,
    ref: saved.ref,
    kind: saved.kind,
    recipient: saved.recipient,
    code,
    reason,
    attempts: saved.attempts,
    failedAt: at,
  });
  deps.logger.warn(
    { reminder: loggedReminderId(saved.id), planId: saved.planId, code },
    'reminder given up: dead-lettered',
  );
}

/** Retry-After when Teams gave one (plus up to 10% so senders do not return in step), else backoff. */
export function retryDelayMs(
  o: Pick<DeliverySettings, 'retryBaseMs' | 'retryMaxMs'>,
  attempts: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return retryAfterMs * (1 + random() * 0.1);
  const ceiling = Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}

const withoutFailure = (r: DeliveryRecord): DeliveryRecord => {
  const { code: _code, reason: _reason, ...rest } = r;
  return rest;
};

/** Marks the person unreachable, saying why (read, change, conditional write; re-read on a race). */
async function markUnreachable(deps: ReminderDeps, email: string, reason: string): Promise<void> {
  await updatePerson(deps, email, (p) => ({ ...p, reachable: false, unreachableReason: reason }));
}

/** Keeps the 1:1 chat just created, so the next reminder goes straight to it. */
async function keepConversation(
  deps: ReminderDeps,
  email: string,
  conversation: string,
): Promise<void> {
  await updatePerson(deps, email, (p) => ({ ...p, conversation }));
}

async function updatePerson(
  deps: ReminderDeps,
  email: string,
  change: (p: Person) => Person,
): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const current = await deps.people.getByEmail(email);
    if (!current) return;
    try {
      await deps.people.savePerson(
        { ...change(current.value), updatedAt: deps.clock.now().toISOString() },
        current.version,
      );
      return;
    } catch (error) {
      if (!isActionPlanError(error, 'conflict') || attempt === 3) throw error;
    }
  }
}

/**
 * Tells the action's champions (or, without one, the plan admins) that Teams refused its owner,
 * with a card of their own: queued like any reminder, once per action, owner and champion a day.
 */
export async function tellChampions(
  deps: ReminderDeps,
  record: DeliveryRecord,
  known?: Plan,
): Promise<void> {
  const plan = known ?? (await deps.plans.getPlan(record.planId))?.value;
  const action = (await deps.plans.getAction(record.planId, record.ref))?.value;
  if (!plan || !action) return;
  const owner = record.recipient;
  const champions = (await deps.plans.listAreas(plan.id))
    .map((a) => a.value)
    .filter((a) => sameArea(a.name, action.area))
    .flatMap((a) => a.champions.map(normaliseEmail))
    .filter((c) => c !== owner);
  const role = champions.length > 0 ? 'champion' : 'admin';
  const recipients = [
    ...new Set(champions.length > 0 ? champions : deps.adminEmails.map(normaliseEmail)),
  ].filter((c) => c !== owner);
  const at = deps.clock.now().toISOString();
  const today = todayIn(plan.timeZone, deps.clock.now());
  for (const recipient of recipients) {
    const notice: DeliveryRecord = {
      planId: plan.id,
      id: [record.ref, `unreachable_owner:${owner}`, today, recipient].join('|'),
      ref: record.ref,
      kind: 'unreachable_owner',
      recipient,
      role,
      scheduledFor: today,
      about: owner,
      state: 'queued',
      queuedAt: at,
      updatedAt: at,
      attempts: 0,
      throttled: 0,
    };
    if (await deps.deliveries.create(notice)) {
      await deps.queue.send({
        planId: notice.planId,
        id: notice.id,
        scheduledFor: notice.scheduledFor,
      });
    }
  }
}
