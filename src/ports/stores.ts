import type { DeliveryRecordRepository } from './delivery-records.js';
import type { DigestSubscriptionRepository } from './digest-subscriptions.js';
import type { LeaseStore } from './lease.js';
import type { PendingImportRepository } from './pending-imports.js';
import type { PeopleRepository } from './people-repository.js';
import type { PlanRepository } from './plan-repository.js';
import type { ReminderQueue } from './reminder-queue.js';
import type { SentCardRepository } from './sent-card-repository.js';

/**
 * Every store the bot keeps, each under one name. A process opens them once
 * (src/storage/open-storage.ts) and every door shares them: the web server, its scheduler and the
 * command line see the same instances, so a lease, a record or a cache means one thing for all.
 */
export interface Stores {
  /** Plans, their actions, areas and history. */
  readonly plans: PlanRepository;
  /** People the bot knows and the conversations it was added to. */
  readonly people: PeopleRepository;
  /** Every copy of an action's card sent to Teams, so that a change updates them all. */
  readonly sentCards: SentCardRepository;
  /** One record per reminder or digest post: what makes each go out once. */
  readonly deliveries: DeliveryRecordRepository;
  /** The scheduler's named leases (`reminders`, `digest-sweep`), timed by the injected clock. */
  readonly leases: LeaseStore;
  /** Channels subscribed to a plan's weekly digest. */
  readonly digestSubscriptions: DigestSubscriptionRepository;
  /** The reminders waiting to be sent, and those that gave up. */
  readonly queue: ReminderQueue;
  /** Files sent to the bot in Teams, waiting for their preview's Import or Cancel. */
  readonly pendingImports: PendingImportRepository;
}
