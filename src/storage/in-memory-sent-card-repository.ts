import type { SentCard, SentCardRepository } from '../ports/sent-card-repository.js';

/** Sent cards in this process's memory: for tests and single-process tools only. */
export class InMemorySentCardRepository implements SentCardRepository {
  private readonly cards = new Map<string, SentCard>();

  async record(card: SentCard): Promise<void> {
    this.cards.set(`${card.planId}|${card.ref}|${card.activityId}`, structuredClone(card));
  }

  async listAll(): Promise<SentCard[]> {
    return [...this.cards.values()]
      .sort((a, b) => a.sentAt.localeCompare(b.sentAt))
      .map((c) => structuredClone(c));
  }

  async remove(card: Pick<SentCard, 'planId' | 'ref' | 'activityId'>): Promise<void> {
    this.cards.delete(`${card.planId}|${card.ref}|${card.activityId}`);
  }

  async listForAction(planId: string, ref: string): Promise<SentCard[]> {
    return [...this.cards.values()]
      .filter((c) => c.planId === planId && c.ref === ref)
      .sort((a, b) => a.sentAt.localeCompare(b.sentAt))
      .map((c) => structuredClone(c));
  }
}
