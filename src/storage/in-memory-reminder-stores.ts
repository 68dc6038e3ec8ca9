import { randomUUID } from 'node:crypto';
import { ActionPlanError } from '../domain/errors.js';
import type { Versioned } from '../domain/plan.js';
import type { DeliveryRecord, DeliveryRecordRepository } from '../ports/delivery-records.js';
import type { LeaseStore } from '../ports/lease.js';
import type {
  DeadLetter,
  ReceivedReminder,
  ReminderMessage,
  ReminderQueue,
} from '../ports/reminder-queue.js';

/*
 * The reminder stores in this process's memory, with the Azure adapters' rules (create-only
 * records, versions, leases that lapse, messages that come back when their visibility runs out).
 * For unit tests and single-process tools only: two processes would each see their own, and a
 * reminder could then go out from both.
 */

type Now = () => number;

export class InMemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { holder: string; until: number }>();
  constructor(private readonly now: Now = Date.now) {}

  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const current = this.leases.get(name);
    if (current && current.holder !== holder && current.until > this.now()) return false;
    this.leases.set(name, { holder, until: this.now() + ttlMs });
    return true;
  }

  async release(name: string, holder: string): Promise<void> {
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
  }
}

export class InMemoryDeliveryRecords implements DeliveryRecordRepository {
  private readonly records = new Map<string, { value: DeliveryRecord; version: string }>();
  private lastVersion = 0;

  async create(record: DeliveryRecord): Promise<boolean> {
    const key = `${record.planId}|${record.id}`;
    if (this.records.has(key)) return false;
    this.records.set(key, { value: structuredClone(record), version: this.nextVersion() });
    return true;
  }

  async createAll(records: readonly DeliveryRecord[]): Promise<boolean[]> {
    const created: boolean[] = [];
    for (const r of records) created.push(await this.create(r));
    return created;
  }

  async get(planId: string, id: string): Promise<Versioned<DeliveryRecord> | undefined> {
    const found = this.records.get(`${planId}|${id}`);
    return found && { value: structuredClone(found.value), version: found.version };
  }

  async update(record: DeliveryRecord, version: string): Promise<string> {
    const key = `${record.planId}|${record.id}`;
    const found = this.records.get(key);
    if (!found || found.version !== version) {
      throw new ActionPlanError(
        'conflict',
        `The delivery of ${record.id} was changed by someone else.`,
      );
    }
    const next = this.nextVersion();
    this.records.set(key, { value: structuredClone(record), version: next });
    return next;
  }

  async listSince(planId: string, since: string): Promise<Versioned<DeliveryRecord>[]> {
    return [...this.records.values()]
      .filter((r) => r.value.planId === planId && r.value.scheduledFor >= since)
      .sort((a, b) => a.value.scheduledFor.localeCompare(b.value.scheduledFor))
      .map((r) => ({ value: structuredClone(r.value), version: r.version }));
  }

  /** Every record, for tests. */
  all(): DeliveryRecord[] {
    return [...this.records.values()].map((r) => structuredClone(r.value));
  }

  private nextVersion(): string {
    return `v${++this.lastVersion}`;
  }
}

interface Stored {
  readonly messageId: string;
  message: ReminderMessage;
  visibleAt: number;
  popReceipt: string;
  dequeueCount: number;
}

export class InMemoryReminderQueue implements ReminderQueue {
  private readonly messages: Stored[] = [];
  private readonly dead: DeadLetter[] = [];
  constructor(private readonly now: Now = Date.now) {}

  async send(message: ReminderMessage): Promise<void> {
    this.messages.push({
      messageId: randomUUID(),
      message: structuredClone(message),
      visibleAt: this.now(),
      popReceipt: '',
      dequeueCount: 0,
    });
  }

  async receive(max: number, visibilitySeconds: number): Promise<ReceivedReminder[]> {
    const now = this.now();
    const taken = this.messages.filter((m) => m.visibleAt <= now).slice(0, max);
    return taken.map((m) => {
      m.visibleAt = now + visibilitySeconds * 1000;
      m.popReceipt = randomUUID();
      m.dequeueCount++;
      return {
        message: structuredClone(m.message),
        messageId: m.messageId,
        popReceipt: m.popReceipt,
        dequeueCount: m.dequeueCount,
      };
    });
  }

  async delete(received: ReceivedReminder): Promise<void> {
    const i = this.indexOf(received);
    if (i >= 0) this.messages.splice(i, 1);
  }

  async retryLater(received: ReceivedReminder, delaySeconds: number): Promise<void> {
    const m = this.messages[this.indexOf(received)];
    if (m) m.visibleAt = this.now() + delaySeconds * 1000;
  }

  async deadLetter(received: ReceivedReminder, letter: DeadLetter): Promise<void> {
    this.dead.push(structuredClone(letter));
    await this.delete(received);
  }

  async approximateCount(): Promise<number> {
    return this.messages.length;
  }

  async listDeadLetters(max = 32): Promise<{ letters: DeadLetter[]; total: number }> {
    return {
      letters: this.dead.slice(0, max).map((d) => structuredClone(d)),
      total: this.dead.length,
    };
  }

  /** A message whose pop receipt is stale (someone else took it since) is not touched, as in Azure. */
  private indexOf(received: ReceivedReminder): number {
    return this.messages.findIndex(
      (m) => m.messageId === received.messageId && m.popReceipt === received.popReceipt,
    );
  }
}
