import type {
  DigestSubscription,
  DigestSubscriptionRepository,
} from '../ports/digest-subscriptions.js';

/**
 * Digest subscriptions in memory, for tests (the digest's delivery records and lease in memory are
 * the reminders': in-memory-reminder-stores.ts).
 */
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
