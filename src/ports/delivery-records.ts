import type { Versioned } from '../domain/plan.js';

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
export type DeliveryState =
  'queued' | 'sending' | 'retrying' | 'sent' | 'unreachable' | 'skipped' | 'failed';

/** States a record never leaves. */
export const FINAL_STATES: readonly DeliveryState[] = ['sent', 'unreachable', 'skipped', 'failed'];

/**
 * The record of one reminder (one reminder id of the policy, for one recipient). Created once with
 * a create-only write: whoever creates it owns sending it, and anyone else who tries is told it
 * exists, which is how a reminder is never sent twice across restarts and instances.
 */
export interface DeliveryRecord {
  readonly planId: string;
  /** The policy's reminder id: ref, kind, day, recipient. */
  readonly id: string;
  readonly ref: string;
  /** The reminder kind (`before`, `overdue`, `escalation`, `unreachable_owner`…). */
  readonly kind: string;
  readonly workingDaysBefore?: number;
  /** Lower-cased email of the person it is for. */
  readonly recipient: string;
  readonly role: 'owner' | 'champion' | 'admin';
  /** YYYY-MM-DD, the plan's time zone: the day it belongs to. */
  readonly scheduledFor: string;
  /** The target date it was worked out from, when it depends on one. */
  readonly targetDate?: string;
  /** True when it went out late, after downtime. */
  readonly caughtUp?: boolean;
  /** Only for `unreachable_owner` notices: the owner who could not be reached. */
  readonly about?: string;
  readonly state: DeliveryState;
  /** ISO instants. */
  readonly queuedAt: string;
  readonly updatedAt: string;
  /** Sends tried (each may include the Teams SDK's own quick retries). */
  readonly attempts: number;
  /** 429 answers seen on the way. */
  readonly throttled: number;
  /** Who claimed it for sending, and when (ISO). */
  readonly claimedBy?: string;
  readonly claimedAt?: string;
  /** The Teams message, once sent: kept so that the card can be updated later. */
  readonly activityId?: string;
  /** The conversation reference JSON it went to. */
  readonly conversation?: string;
  readonly sentAt?: string;
  /** Why it is not sent: a Teams error code, or one of ours (`Uncertain`, `NoConversation`…). */
  readonly code?: string;
  readonly reason?: string;
}

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
