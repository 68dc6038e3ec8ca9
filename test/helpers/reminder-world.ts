/**
 * The reminder scheduler on in-memory stores, with a scripted notifier: unit tests of the sweep,
 * the senders and what they record, on any day, without a network.
 */
import type { ReminderDeps } from '../../src/app/reminders/reminder-deps.js';
import { workingDaysFor } from '../../src/calendar/bank-holidays.js';
import { silentLogger } from '../../src/ports/logger.js';
import type {
  ProactiveDelivery,
  ProactiveMessage,
  ProactiveNotifier,
  ProactiveRecipient,
} from '../../src/ports/proactive-notifier.js';
import {
  InMemoryDeliveryRecords,
  InMemoryLeaseStore,
  InMemoryReminderQueue,
} from '../../src/storage/in-memory-reminder-stores.js';
import { InMemorySentCardRepository } from '../../src/storage/in-memory-sent-card-repository.js';
import { mojWorld } from './bot-world.js';

export interface SentMessage {
  readonly to: ProactiveRecipient;
  readonly message: ProactiveMessage;
}

/** A notifier that records every send and answers from a script (sent, by default). */
export class ScriptedNotifier implements ProactiveNotifier {
  readonly sends: SentMessage[] = [];
  private next = 1;
  /** Decides the answer per send; undefined means "sent". */
  script: (to: ProactiveRecipient, n: number) => ProactiveDelivery | undefined = () => undefined;

  async send(to: ProactiveRecipient, message: ProactiveMessage): Promise<ProactiveDelivery> {
    this.sends.push({ to, message });
    const scripted = this.script(to, this.sends.length);
    if (scripted) return scripted;
    return {
      outcome: 'sent',
      activityId: `activity-${this.next++}`,
      conversation: to.conversation ?? JSON.stringify({ conversation: { id: `new:${to.email}` } }),
      createdConversation: !to.conversation,
      attempts: 1,
      throttled: 0,
    };
  }

  /** Recipients of the cards sent, with the card's heading. */
  headings(): string[] {
    return this.sends.map((s) => `${s.to.email}: ${s.message.summary.split(':')[0]}`);
  }
}

/** A clock the queue and the lease read, moved on by the test. */
export class TestTime {
  constructor(public ms: number) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface ReminderWorld {
  readonly deps: ReminderDeps;
  readonly notifier: ScriptedNotifier;
  readonly deliveries: InMemoryDeliveryRecords;
  readonly queue: InMemoryReminderQueue;
  readonly sentCards: InMemorySentCardRepository;
  readonly time: TestTime;
}

/** The MoJ plan with its owners and champions (bot-world.ts), on `now`, with reminder stores. */
export async function reminderWorld(now: string): Promise<ReminderWorld> {
  const bot = await mojWorld(now);
  const time = new TestTime(Date.parse(now));
  const notifier = new ScriptedNotifier();
  const deliveries = new InMemoryDeliveryRecords();
  const queue = new InMemoryReminderQueue(time.now);
  const sentCards = new InMemorySentCardRepository();
  const deps: ReminderDeps = {
    ...bot,
    clock: { now: () => new Date(time.ms) },
    deliveries,
    queue,
    notifier,
    sentCards,
    leases: new InMemoryLeaseStore(time.now),
    workingDaysFor,
    logger: silentLogger,
  };
  return { deps, notifier, deliveries, queue, sentCards, time };
}
