import { digestScheduleOf, LATE_AFTER_MS, latestDigestSlot } from '../../domain/digest.js';
import { isActionPlanError } from '../../domain/errors.js';
import type { Plan, Versioned } from '../../domain/plan.js';
import type { DeliveryRecord } from '../../ports/delivery-records.js';
import type { DigestSubscription } from '../../ports/digest-subscriptions.js';
import { buildDigest } from './build-digest.js';
import type { DigestDeps } from './digest-deps.js';

/** The lease the digest sweep takes, so that two instances do not both compose every digest. */
export const DIGEST_LEASE = 'digest-sweep';
const LEASE_MS = 5 * 60 * 1000;
/** A record claimed for sending this long ago, never finished: its sender died; tried again. */
const STUCK_AFTER_MS = 10 * 60 * 1000;
/** Gives up on a channel's digest for the week after this many failed sends. */
const MAX_ATTEMPTS = 5;

export interface DigestSweepReport {
  /** False when another instance held the lease: this one did nothing. */
  readonly ran: boolean;
  readonly posted: number;
  /** Of those posted, how many went out late (a slot missed while the bot was down). */
  readonly late: number;
  /** Subscriptions whose digest this week was already handled (sent, or under way elsewhere). */
  readonly alreadyHandled: number;
  /** Posts Teams refused or that failed; tried again at the next sweep where that can help. */
  readonly failed: number;
}

/** The delivery record id of one channel's digest for one week (its slot day). */
export const digestDeliveryId = (conversationId: string, slotDay: string): string =>
  `digest:${conversationId}:${slotDay}`;

/**
 * One digest sweep at `now`: for every subscription, the latest slot (Monday 09:00 in the plan's
 * zone unless the plan says otherwise) at or before `now`. The digest for that slot goes out once:
 * a delivery record (the reminders' records, kind `digest`) is created with a create-only write
 * before posting, so another instance, or this one after a restart, finds it and posts nothing.
 * A slot found more than an hour after its time (the bot was down on Monday morning) goes out
 * then, once, saying it is late; a slot before the subscription was made is never sent.
 * The lease keeps two instances from composing the same digests at once; the records are what
 * make it once.
 */
export async function sweepDigests(deps: DigestDeps, now: Date): Promise<DigestSweepReport> {
  if (!(await deps.leases.acquire(DIGEST_LEASE, deps.instanceId, LEASE_MS))) {
    deps.logger.debug({ instance: deps.instanceId }, 'digest sweep: another instance has it');
    return { ran: false, posted: 0, late: 0, alreadyHandled: 0, failed: 0 };
  }
  let posted = 0;
  let late = 0;
  let alreadyHandled = 0;
  let failed = 0;
  try {
    const plans = new Map<string, Versioned<Plan> | undefined>();
    for (const sub of await deps.digestSubscriptions.list()) {
      if (!plans.has(sub.planId)) plans.set(sub.planId, await deps.plans.getPlan(sub.planId));
      const plan = plans.get(sub.planId)?.value;
      if (!plan) continue;
      const outcome = await sweepOne(deps, plan, sub, now);
      if (outcome === 'posted' || outcome === 'late') posted++;
      if (outcome === 'late') late++;
      if (outcome === 'handled') alreadyHandled++;
      if (outcome === 'failed') failed++;
    }
  } finally {
    await deps.leases.release(DIGEST_LEASE, deps.instanceId);
  }
  deps.logger.info({ posted, late, alreadyHandled, failed }, 'digest sweep');
  return { ran: true, posted, late, alreadyHandled, failed };
}

type Outcome = 'posted' | 'late' | 'handled' | 'none' | 'failed';

async function sweepOne(
  deps: DigestDeps,
  plan: Plan,
  sub: DigestSubscription,
  now: Date,
): Promise<Outcome> {
  const slot = latestDigestSlot(plan.timeZone, digestScheduleOf(plan), now);
  if (slot.at.getTime() < Date.parse(sub.subscribedAt)) return 'none';
  const id = digestDeliveryId(sub.conversationId, slot.day);
  const isLate = now.getTime() - slot.at.getTime() > LATE_AFTER_MS;
  const at = now.toISOString();
  const claim: DeliveryRecord = {
    planId: plan.id,
    id,
    ref: '',
    kind: 'digest',
    recipient: sub.conversationId,
    role: 'admin',
    scheduledFor: slot.day,
    ...(isLate ? { caughtUp: true } : {}),
    state: 'sending',
    queuedAt: at,
    updatedAt: at,
    attempts: 0,
    throttled: 0,
    claimedBy: deps.instanceId,
    claimedAt: at,
    conversation: sub.reference,
  };
  let record: DeliveryRecord;
  let version: string;
  if (await deps.deliveries.create(claim)) {
    const stored = await deps.deliveries.get(plan.id, id, slot.day);
    if (!stored) return 'handled';
    ({ value: record, version } = stored);
  } else {
    // Someone made it: done, or under way, unless it is waiting for another try.
    const stored = await deps.deliveries.get(plan.id, id, slot.day);
    if (!stored) return 'handled';
    const r = stored.value;
    const stuck = r.state === 'sending' && now.getTime() - Date.parse(r.updatedAt) > STUCK_AFTER_MS;
    if (r.state !== 'retrying' && !stuck) return 'handled';
    try {
      record = { ...r, state: 'sending', claimedBy: deps.instanceId, claimedAt: at, updatedAt: at };
      version = await deps.deliveries.update(record, stored.version);
    } catch (error) {
      if (isActionPlanError(error, 'conflict')) return 'handled';
      throw error;
    }
  }

  const lateFor = record.caughtUp ? slot.day : undefined;
  const built = await buildDigest(deps, plan, now, lateFor ? { lateFor } : {});
  const result = await deps.poster.post(sub.reference, {
    card: built.card,
    summary: built.summary,
  });
  const attempts = record.attempts + result.attempts;
  const done: DeliveryRecord = {
    ...record,
    attempts,
    throttled: record.throttled + result.throttled,
    updatedAt: new Date().toISOString(),
    ...(result.outcome === 'sent'
      ? { state: 'sent', activityId: result.activityId, sentAt: new Date().toISOString() }
      : result.outcome === 'retry' && attempts < MAX_ATTEMPTS
        ? { state: 'retrying', code: result.code }
        : result.outcome === 'unreachable'
          ? { state: 'unreachable', code: result.code }
          : {
              state: 'failed',
              code: result.code,
              ...(result.outcome === 'failed' ? { reason: result.message } : {}),
            }),
  };
  await deps.deliveries.update(done, version);
  const log = {
    planId: plan.id,
    conversationId: sub.conversationId,
    slot: slot.day,
    late: !!lateFor,
  };
  if (result.outcome !== 'sent') {
    deps.logger.warn({ ...log, outcome: result.outcome, code: result.code }, 'digest not posted');
    return 'failed';
  }
  deps.logger.info(log, 'digest posted');
  return lateFor ? 'late' : 'posted';
}
