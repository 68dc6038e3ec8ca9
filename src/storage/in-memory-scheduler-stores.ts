import { ActionPlanError } from '../domain/errors.js';
import type { Versioned } from '../domain/plan.js';
import type { DeliveryRecord, DeliveryRecordRepository } from '../ports/delivery-records.js';
import type {
  DigestSubscription,
  DigestSubscriptionRepository,
} from '../ports/digest-subscriptions.js';
import type { LeaseStore } from '../ports/lease.js';

/** In-memory delivery records, leases and digest subscriptions: the Azure ones' rules, for tests. */
export class InMemoryDeliveryRecords implements DeliveryRecordRepository {
  private readonly records = new Map<string, Versioned<DeliveryRecord>>();
  private next = 1;
  private key = (planId: string, scheduledFor: string, id: string): string =>
    `${planId}\u0000${scheduledFor}\u0000${id}`;

  create(record: DeliveryRecord): Promise<boolean> {
    const k = this.key(record.planId, record.scheduledFor, record.id);
    if (this.records.has(k)) return Promise.resolve(false);
    this.records.set(k, { value: record, version: String(this.next++) });
    return Promise.resolve(true);
  }

  get(
    planId: string,
    id: string,
    scheduledFor: string,
  ): Promise<Versioned<DeliveryRecord> | undefined> {
    return Promise.resolve(this.records.get(this.key(planId, scheduledFor, id)));
  }

  update(record: DeliveryRecord, version: string): Promise<string> {
    const k = this.key(record.planId, record.scheduledFor, record.id);
    const stored = this.records.get(k);
    if (!stored || stored.version !== version) {
      return Promise.reject(
        new ActionPlanError(
          'conflict',
          `The delivery record ${record.id} was changed by someone else.`,
        ),
      );
    }
    const v = String(this.next++);
    this.records.set(k, { value: record, version: v });
    return Promise.resolve(v);
  }

  listSince(planId: string, since: string): Promise<Versioned<DeliveryRecord>[]> {
    return Promise.resolve(
      [...this.records.values()]
        .filter((r) => r.value.planId === planId && r.value.scheduledFor >= since)
        .sort((a, b) => a.value.scheduledFor.localeCompare(b.value.scheduledFor)),
    );
  }
}

export class InMemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { holder: string; until: number }>();
  constructor(private readonly now: () => Date = () => new Date()) {}

  acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const at = this.now().getTime();
    const held = this.leases.get(name);
    if (held && held.holder !== holder && held.until > at) return Promise.resolve(false);
    this.leases.set(name, { holder, until: at + ttlMs });
    return Promise.resolve(true);
  }

  release(name: string, holder: string): Promise<void> {
    if (this.leases.get(name)?.holder === holder) this.leases.delete(name);
    return Promise.resolve();
  }
}

export class InMemoryDigestSubscriptions implements DigestSubscriptionRepository {
  private readonly subs = new Map<string, DigestSubscription>();
  private key = (planId: string, conversationId: string): string =>
    `${planId}\u0000${conversationId}`;

  save(s: DigestSubscription): Promise<void> {
    this.subs.set(this.key(s.planId, s.conversationId), s);
    return Promise.resolve();
  }

  remove(planId: string, conversationId: string): Promise<boolean> {
    return Promise.resolve(this.subs.delete(this.key(planId, conversationId)));
  }

  get(planId: string, conversationId: string): Promise<DigestSubscription | undefined> {
    return Promise.resolve(this.subs.get(this.key(planId, conversationId)));
  }

  list(): Promise<DigestSubscription[]> {
    return Promise.resolve([...this.subs.values()]);
  }
}
