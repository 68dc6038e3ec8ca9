import type { SentCard } from '../../../src/ports/sent-card-repository.js';
import { InMemorySentCardRepository } from '../../../src/storage/in-memory-sent-card-repository.js';

const card = (overrides: Partial<SentCard> = {}): SentCard => ({
  planId: 'moj-ima-2017',
  ref: '1.1',
  activityId: 'a1',
  conversation: '{"conversation":{"id":"a:1"}}',
  kind: 'reminder',
  recipient: 'sam.owner@justice.gov.uk',
  sentAt: '2026-11-02T09:00:00.000Z',
  ...overrides,
});

describe('InMemorySentCardRepository', () => {
  it('lists every card of every plan, oldest first, and forgets one', async () => {
    const repo = new InMemorySentCardRepository();
    const later = card({ activityId: 'a2', sentAt: '2026-11-09T09:00:00.000Z' });
    const other = card({
      planId: 'other',
      ref: '4.9a',
      activityId: 'b1',
      sentAt: '2026-11-03T09:00:00.000Z',
    });
    await repo.record(later);
    await repo.record(card());
    await repo.record(other);
    await repo.record(card()); // idempotent
    expect(await repo.listAll()).toEqual([card(), other, later]);

    await repo.remove({ planId: 'moj-ima-2017', ref: '1.1', activityId: 'a1' });
    await repo.remove({ planId: 'moj-ima-2017', ref: '1.1', activityId: 'never-sent' });
    expect(await repo.listAll()).toEqual([other, later]);
    expect(await repo.listForAction('moj-ima-2017', '1.1')).toEqual([later]);
  });
});
