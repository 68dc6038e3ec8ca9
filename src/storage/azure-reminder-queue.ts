import type { QueueClient } from '@azure/storage-queue';
import type {
  DeadLetter,
  ReceivedReminder,
  ReminderMessage,
  ReminderQueue,
} from '../ports/reminder-queue.js';
import { statusOf, storageCall } from './storage-call.js';

/** Queue names: 3–63 lower-case letters, digits and single hyphens. */
export const DEFAULT_REMINDER_QUEUE_NAME = 'actionplan-reminders';
export const deadLetterQueueName = (queueName: string): string => `${queueName}-failed`;

/** The queue and its dead-letter queue. */
export interface QueueClients {
  readonly queue: QueueClient;
  readonly dead: QueueClient;
}

/** Azure keeps a message hidden for at most 7 days. */
const MAX_VISIBILITY_SECONDS = 7 * 24 * 3600;
/** Azure returns at most 32 messages a call. */
const MAX_BATCH = 32;

/**
 * The reminder queue on Azure Storage Queues (Azurite locally), with its dead-letter queue next to
 * it (`<name>-failed`, messages that never expire). Messages are the JSON of a ReminderMessage.
 * Deleting or updating with a pop receipt that is no longer current (the message came back and
 * someone else took it) is ignored: that someone now owns it. The clients are made on first use,
 * so a process opens every store at start and a connection string naming a Table endpoint alone
 * still serves every command but the reminders'.
 */
export class AzureReminderQueue implements ReminderQueue {
  private ready: Promise<void> | undefined;
  private clients: QueueClients | undefined;

  constructor(private readonly connect: () => QueueClients) {}

  private get queue(): QueueClient {
    return (this.clients ??= this.connect()).queue;
  }

  private get dead(): QueueClient {
    return (this.clients ??= this.connect()).dead;
  }

  send(message: ReminderMessage): Promise<void> {
    return storageCall('queue a reminder', async () => {
      await this.ensure();
      await this.queue.sendMessage(JSON.stringify(message));
    });
  }

  receive(max: number, visibilitySeconds: number): Promise<ReceivedReminder[]> {
    return storageCall('take reminders from the queue', async () => {
      await this.ensure();
      const response = await this.queue.receiveMessages({
        numberOfMessages: Math.max(1, Math.min(MAX_BATCH, max)),
        visibilityTimeout: clampSeconds(visibilitySeconds),
      });
      const out: ReceivedReminder[] = [];
      for (const item of response.receivedMessageItems) {
        const message = parse(item.messageText);
        if (!message) {
          // Not ours (written by hand?): it would come back forever.
          await this.queue.deleteMessage(item.messageId, item.popReceipt).catch(() => undefined);
          continue;
        }
        out.push({
          message,
          messageId: item.messageId,
          popReceipt: item.popReceipt,
          dequeueCount: item.dequeueCount,
        });
      }
      return out;
    });
  }

  delete(received: ReceivedReminder): Promise<void> {
    return storageCall('remove a reminder from the queue', async () => {
      try {
        await this.queue.deleteMessage(received.messageId, received.popReceipt);
      } catch (error) {
        if (statusOf(error) !== 404 && statusOf(error) !== 400) throw error;
      }
    });
  }

  retryLater(received: ReceivedReminder, delaySeconds: number): Promise<void> {
    return storageCall('put a reminder back on the queue', async () => {
      try {
        await this.queue.updateMessage(
          received.messageId,
          received.popReceipt,
          JSON.stringify(received.message),
          clampSeconds(delaySeconds),
        );
      } catch (error) {
        if (statusOf(error) !== 404 && statusOf(error) !== 400) throw error;
      }
    });
  }

  deadLetter(received: ReceivedReminder, letter: DeadLetter): Promise<void> {
    return storageCall('move a failed reminder to the dead-letter queue', async () => {
      await this.ensure();
      await this.dead.sendMessage(JSON.stringify(letter), { messageTimeToLive: -1 });
      await this.delete(received);
    });
  }

  approximateCount(): Promise<number> {
    return storageCall('count the queued reminders', async () => {
      await this.ensure();
      return (await this.queue.getProperties()).approximateMessagesCount ?? 0;
    });
  }

  listDeadLetters(max = MAX_BATCH): Promise<{ letters: DeadLetter[]; total: number }> {
    return storageCall('read the failed reminders', async () => {
      await this.ensure();
      const total = (await this.dead.getProperties()).approximateMessagesCount ?? 0;
      if (total === 0) return { letters: [], total };
      const peeked = await this.dead.peekMessages({
        numberOfMessages: Math.max(1, Math.min(MAX_BATCH, max)),
      });
      const letters = peeked.peekedMessageItems.flatMap((m) => {
        try {
          return [JSON.parse(m.messageText) as DeadLetter];
        } catch {
          return [];
        }
      });
      return { letters, total };
    });
  }

  private ensure(): Promise<void> {
    this.ready ??= Promise.all([
      this.queue.createIfNotExists(),
      this.dead.createIfNotExists(),
    ]).then(
      () => undefined,
      (error: unknown) => {
        this.ready = undefined;
        throw error;
      },
    );
    return this.ready;
  }
}

const clampSeconds = (s: number): number =>
  Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(s)));

function parse(text: string): ReminderMessage | undefined {
  try {
    const m = JSON.parse(text) as Partial<ReminderMessage>;
    return typeof m.planId === 'string' &&
      typeof m.id === 'string' &&
      typeof m.scheduledFor === 'string'
      ? { planId: m.planId, id: m.id, scheduledFor: m.scheduledFor }
      : undefined;
  } catch {
    return undefined;
  }
}
