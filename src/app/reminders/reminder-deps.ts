import type { WorkingDays } from '../../domain/working-days.js';
import type { RenderCard } from '../../ports/card-renderer.js';
import type { DeliveryRecordRepository } from '../../ports/delivery-records.js';
import type { LeaseStore } from '../../ports/lease.js';
import type { Logger } from '../../ports/logger.js';
import type { PeopleRepository } from '../../ports/people-repository.js';
import type { ProactiveNotifier } from '../../ports/proactive-notifier.js';
import type { ReminderQueue } from '../../ports/reminder-queue.js';
import type { SentCardRepository } from '../../ports/sent-card-repository.js';
import type { AppDeps } from '../deps.js';

/** What working out due reminders needs: the plans, the people, the calendar, the records. */
export type ReminderReadDeps = AppDeps & {
  readonly people: PeopleRepository;
  /** ADMIN_EMAILS: told about overdue actions in areas without a champion. */
  readonly adminEmails: readonly string[];
  readonly deliveries: DeliveryRecordRepository;
  /** The working days of a holiday region (`GB-ENG`…); the entry points pass bank-holidays.ts. */
  readonly workingDaysFor: (region: string) => WorkingDays;
};

/** Everything the scheduler needs: the above, the queue, Teams, and where sent cards are kept. */
export type ReminderDeps = ReminderReadDeps & {
  readonly queue: ReminderQueue;
  readonly notifier: ProactiveNotifier;
  readonly sentCards: SentCardRepository;
  readonly leases: LeaseStore;
  readonly renderCard: RenderCard;
  readonly logger: Logger;
};
