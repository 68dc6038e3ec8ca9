import { ActionPlanError } from '../domain/errors.js';
import type { Action, Area, HistoryEntry, Plan } from '../domain/plan.js';
import type { Clock } from '../ports/clock.js';
import type {
  InstalledConversation,
  PeopleRepository,
  Person,
} from '../ports/people-repository.js';
import type { PlanRepository } from '../ports/plan-repository.js';
import { noProgress, type Progress } from '../ports/progress.js';
import type { SentCard, SentCardRepository } from '../ports/sent-card-repository.js';
import type {
  DigestSubscription,
  DigestSubscriptionRepository,
} from '../ports/digest-subscriptions.js';
import type { DeliveryRecord, DeliveryRecordRepository } from '../ports/delivery-records.js';

/**
 * A backup: everything the bot stores, as one JSON document.
 *
 * ```json
 * {
 *   "format": "actionplan-backup",
 *   "formatVersion": 1,
 *   "createdAt": "2026-11-24T10:00:00.000Z",
 *   "counts": { "plans": 1, "actions": 42, "areas": 5, "history": 61, "people": 9, "conversations": 1, "sentCards": 0 },
 *   "plans": [{ "plan": {…}, "actions": […], "areas": […], "history": […], "deliveries": […] }],
 *   "people": […],
 *   "conversations": […],
 *   "sentCards": […]
 * }
 * ```
 *
 * Records are the domain's own shapes (Plan, Action, Area, HistoryEntry, Person,
 * InstalledConversation, SentCard), never storage entities, so a backup can be restored into any
 * adapter. Versions (ETags) are not kept: restored records get new ones. History is in the order it
 * happened. `sentCards`, `digestSubscriptions` and a plan's `deliveries` (reminder delivery
 * records) are absent when the deployment does not store them. `formatVersion`
 * goes up whenever a record changes shape; a restore refuses a version newer than it knows and
 * upgrades older ones.
 */
export interface Backup {
  readonly format: typeof BACKUP_FORMAT;
  readonly formatVersion: number;
  readonly createdAt: string;
  readonly counts: BackupCounts;
  readonly plans: readonly BackupPlan[];
  readonly people: readonly Person[];
  readonly conversations: readonly InstalledConversation[];
  readonly sentCards?: readonly SentCard[];
  /** Channels and chats subscribed to a plan's weekly digest; absent when none are stored. */
  readonly digestSubscriptions?: readonly DigestSubscription[];
}

export interface BackupPlan {
  readonly plan: Plan;
  readonly actions: readonly Action[];
  readonly areas: readonly Area[];
  readonly history: readonly HistoryEntry[];
  /** The plan's reminder delivery records; absent when the deployment keeps none. */
  readonly deliveries?: readonly DeliveryRecord[];
}

export interface BackupCounts {
  readonly plans: number;
  readonly actions: number;
  readonly areas: number;
  readonly history: number;
  readonly people: number;
  readonly conversations: number;
  /** Absent when the deployment does not store sent cards. */
  readonly sentCards?: number;
  /** Reminder delivery records: absent when the deployment does not store them. */
  readonly deliveries?: number;
  readonly digestSubscriptions?: number;
}

export const BACKUP_FORMAT = 'actionplan-backup';
export const BACKUP_FORMAT_VERSION = 1;

/**
 * Where everything is stored. The reminder stores are optional: a deployment without the
 * scheduler keeps none. Leases and queued reminder messages are never backed up: they only
 * matter while the bot runs (a restored lease would hold the scheduler back; the next sweep
 * queues again whatever is due, and the delivery records stop anything going twice).
 */
export interface BackupStores {
  readonly plans: PlanRepository;
  readonly people: PeopleRepository;
  readonly sentCards?: SentCardRepository;
  readonly deliveries?: DeliveryRecordRepository;
  readonly digestSubscriptions?: DigestSubscriptionRepository;
  readonly clock: Clock;
}

/** Before any day a record can be scheduled for: "every delivery record of the plan". */
const EVERY_DAY = '0000-01-01';

/** A plan read again when it changed while being read; after this many tries the backup fails. */
const MAX_PLAN_READS = 5;

/**
 * Reads everything stored into a Backup. Each plan is a consistent copy: its plan record and
 * actions are read again after its history, and if any changed meanwhile (someone answered a
 * card during the backup) the plan is read again, so a backup never holds a change without its
 * history entry or the other way round. People, conversations and sent cards are read as they are.
 */
export async function createBackup(
  stores: BackupStores,
  progress: Progress = noProgress,
): Promise<Backup> {
  const createdAt = stores.clock.now().toISOString();
  const listed = await stores.plans.listPlans();
  progress.stage('Reading plans', listed.length);
  const plans: BackupPlan[] = [];
  for (const [i, p] of listed.entries()) {
    const copy = await readPlan(stores.plans, p.value.id);
    if (copy) {
      const deliveries = await stores.deliveries?.listSince(p.value.id, EVERY_DAY);
      plans.push({
        ...copy,
        ...(deliveries ? { deliveries: deliveries.map((d) => d.value) } : {}),
      });
    }
    progress.update(i + 1);
  }
  const [people, conversations, sentCards, digestSubscriptions] = await Promise.all([
    stores.people.listPeople(),
    stores.people.listConversations(),
    stores.sentCards?.listAll(),
    stores.digestSubscriptions?.list(),
  ]);
  const counts: BackupCounts = {
    plans: plans.length,
    actions: sum(plans.map((p) => p.actions.length)),
    areas: sum(plans.map((p) => p.areas.length)),
    history: sum(plans.map((p) => p.history.length)),
    people: people.length,
    conversations: conversations.length,
    ...(sentCards ? { sentCards: sentCards.length } : {}),
    ...(stores.deliveries ? { deliveries: sum(plans.map((p) => p.deliveries?.length ?? 0)) } : {}),
    ...(digestSubscriptions ? { digestSubscriptions: digestSubscriptions.length } : {}),
  };
  return {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    createdAt,
    counts,
    plans,
    people: people.map((p) => p.value),
    conversations,
    ...(sentCards ? { sentCards } : {}),
    ...(digestSubscriptions ? { digestSubscriptions } : {}),
  };
}

/** A consistent copy of one plan; undefined when it was removed since it was listed. */
async function readPlan(plans: PlanRepository, planId: string): Promise<BackupPlan | undefined> {
  for (let attempt = 1; ; attempt++) {
    const [plan, actions, areas] = await Promise.all([
      plans.getPlan(planId),
      plans.listActions(planId),
      plans.listAreas(planId),
    ]);
    const history = await plans.listHistory(planId);
    const [planAgain, actionsAgain, areasAgain] = await Promise.all([
      plans.getPlan(planId),
      plans.listActions(planId),
      plans.listAreas(planId),
    ]);
    const unchanged =
      plan?.version === planAgain?.version &&
      versions(actions) === versions(actionsAgain) &&
      versions(areas) === versions(areasAgain);
    if (plan && unchanged) {
      return {
        plan: plan.value,
        actions: actions.map((a) => a.value),
        areas: areas.map((a) => a.value),
        history,
      };
    }
    // Removed since it was listed (only a forced restore removes plans): nothing to back up.
    if (!plan && !planAgain) return undefined;
    if (attempt >= MAX_PLAN_READS) {
      throw new ActionPlanError(
        'conflict',
        `Plan "${planId}" kept changing while it was being backed up (read ${MAX_PLAN_READS} times); try again when the bot is quieter.`,
      );
    }
  }
}

const versions = (records: readonly { version: string }[]): string =>
  records.map((r) => r.version).join('\n');

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
