import { z } from 'zod';
import type { Versioned } from '../domain/plan.js';
import { anyText, count, instant, isoDay, record, someText } from '../domain/record-fields.js';

/**
 * Where a reminder stands:
 * - `queued`: the sweep created the record and put a message on the queue;
 * - `sending`: a sender claimed it and is talking to Teams;
 * - `retrying`: Teams said "not now" (429, 412, 5xx, a timeout); the queue brings it back;
 * - `sent`: delivered, with the activity id of the message;
 * - `unreachable`: Teams refused the person (403, 404): they removed or blocked the bot;
 * - `skipped`: no longer wanted when its turn came (the action was done, the target moved);
 * - `failed`: gave up (kept failing, or a sender died mid-send and nobody can tell whether it
 *   went): it is on the dead-letter queue, listed by `actionplan reminders failed`.
 */
export const DELIVERY_STATES = [
  'queued',
  'sending',
  'retrying',
  'sent',
  'unreachable',
  'skipped',
  'failed',
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** States a record never leaves. */
export const FINAL_STATES: readonly DeliveryState[] = ['sent', 'unreachable', 'skipped', 'failed'];

/**
 * The record of one reminder (one reminder id of the policy, for one recipient). Created once with
 * a create-only write: whoever creates it owns sending it, and anyone else who tries is told it
 * exists, which is how a reminder is never sent twice across restarts and instances.
 */
export const deliveryRecord = record({
  planId: someText,
  /** The policy's reminder id: ref, kind, day, recipient. */
  id: someText,
  /** The action's ref; empty for a digest post. */
  ref: anyText,
  /** The reminder kind (`before`, `overdue`, `escalation`, `unreachable_owner`…). */
  kind: anyText,
  workingDaysBefore: count.optional(),
  /** Lower-cased email of the person it is for. */
  recipient: anyText,
  role: z.enum(['owner', 'champion', 'admin'], { error: 'is not owner, champion or admin' }),
  /** YYYY-MM-DD, the plan's time zone: the day it belongs to. */
  scheduledFor: isoDay,
  /** The target date it was worked out from, when it depends on one. */
  targetDate: anyText.optional(),
  /** Present (true) when it went out late, after downtime. */
  caughtUp: z.literal(true).optional(),
  /** Only for `unreachable_owner` notices: the owner who could not be reached. */
  about: anyText.optional(),
  state: z.enum(DELIVERY_STATES, { error: `is not one of ${DELIVERY_STATES.join(', ')}` }),
  /** ISO instants. */
  queuedAt: instant,
  updatedAt: instant,
  /** Sends tried (each may include the Teams SDK's own quick retries). */
  attempts: count,
  /** 429 answers seen on the way. */
  throttled: count,
  /** Who claimed it for sending, and when (ISO). */
  claimedBy: anyText.optional(),
  claimedAt: anyText.optional(),
  /** The Teams message, once sent: kept so that the card can be updated later. */
  activityId: anyText.optional(),
  /** The conversation reference JSON it went to. */
  conversation: anyText.optional(),
  sentAt: anyText.optional(),
  /** Why it is not sent: a Teams error code, or one of ours (`Uncertain`, `NoConversation`…). */
  code: anyText.optional(),
  reason: anyText.optional(),
});
export type DeliveryRecord = z.infer<typeof deliveryRecord>;

/** Delivery records; conditional writes use the version (ETag) like every other repository. */
export interface DeliveryRecordRepository {
  /** Creates the record. False when one with the same plan and id exists (someone handled it). */
  create(record: DeliveryRecord): Promise<boolean>;
  /**
   * Creates many records at once (in transactions where storage has them); for each, whether it
   * was created (false: it existed). Same rule as `create`, fewer round trips. Optional: without
   * it, callers create one by one.
   */
  createAll?(records: readonly DeliveryRecord[]): Promise<boolean[]>;
  get(
    planId: string,
    id: string,
    scheduledFor: string,
  ): Promise<Versioned<DeliveryRecord> | undefined>;
  /**
   * Replaces the record if it is still at `version`; resolves to the new version. A stale version
   * is ActionPlanError('conflict'): someone else moved it on.
   */
  update(record: DeliveryRecord, version: string): Promise<string>;
  /** The plan's records scheduled on or after `since` (YYYY-MM-DD), oldest day first. */
  listSince(planId: string, since: string): Promise<Versioned<DeliveryRecord>[]>;
}
