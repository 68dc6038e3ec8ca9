import { randomBytes } from 'node:crypto';
import { ActionPlanError } from '../../../src/domain/errors.js';
import type { DeliveryRecord } from '../../../src/ports/delivery-records.js';
import { fixedClock, systemClock } from '../../../src/ports/clock.js';
import type { Stores } from '../../../src/ports/stores.js';
import { openStorage, storesOn } from '../../../src/storage/open-storage.js';
import { freshTableName, useTestAzurite } from '../../helpers/azurite.js';
import { importMojPlan } from '../../helpers/fixtures.js';

/** The reminder stores on Azurite: what "once" rests on, checked against the real service. */
const azurite = useTestAzurite();

const fresh = (): Stores =>
  storesOn(
    { kind: 'connection-string', connectionString: azurite.connectionString },
    {
      queueName: `q-${randomBytes(6).toString('hex')}`,
      reminderTableName: freshTableName('rem'),
      sentCardsTableName: freshTableName('sent'),
      clock: systemClock,
    },
  );

const record = (overrides: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  planId: 'moj/ima?2017',
  id: '4.9a|before-7|2017-03-22|alex@justice.gov.uk',
  ref: '4.9a',
  kind: 'before',
  workingDaysBefore: 7,
  recipient: 'alex@justice.gov.uk',
  role: 'owner',
  scheduledFor: '2017-03-22',
  targetDate: '2017-03-31',
  caughtUp: true,
  state: 'queued',
  queuedAt: '2017-03-22T09:00:01.000Z',
  updatedAt: '2017-03-22T09:00:01.000Z',
  attempts: 0,
  throttled: 0,
  ...overrides,
});

describe('delivery records', () => {
  it('are created once (a second create is told it exists) and read back whole', async () => {
    const { deliveries } = fresh();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => deliveries.create(record())),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const got = await deliveries.get('moj/ima?2017', record().id, '2017-03-22');
    expect(got?.value).toEqual(record());
  });

  it('many at once, in transactions; one that exists already is told so, the rest created', async () => {
    const { deliveries } = fresh();
    const many = Array.from({ length: 150 }, (_, i) =>
      record({ id: `1.${i}|before-7|2017-03-22|a@b.uk`, ref: `1.${i}` }),
    );
    await deliveries.create(many[120]!);
    const created = await deliveries.createAll!(many);
    expect(created.filter((c) => !c)).toHaveLength(1);
    expect(created[120]).toBe(false);
    expect(await deliveries.listSince('moj/ima?2017', '2017-03-22')).toHaveLength(150);
    expect((await deliveries.createAll!(many)).every((c) => !c)).toBe(true);
  });

  it('update only at the version read; a stale one is a conflict', async () => {
    const { deliveries } = fresh();
    await deliveries.create(record());
    const v1 = (await deliveries.get('moj/ima?2017', record().id, '2017-03-22'))!.version;
    const sent = record({
      state: 'sent',
      activityId: 'act-1',
      conversation: '{"x":1}',
      sentAt: 'now',
      attempts: 1,
    });
    const v2 = await deliveries.update(sent, v1);
    expect(v2).not.toBe(v1);
    await expect(deliveries.update(record({ state: 'failed' }), v1)).rejects.toMatchObject({
      reason: 'conflict',
    });
    await expect(deliveries.update(record({ state: 'failed' }), v1)).rejects.toBeInstanceOf(
      ActionPlanError,
    );
    expect((await deliveries.get('moj/ima?2017', record().id, '2017-03-22'))!.value).toEqual(sent);
  });

  it('are listed from a day on, per plan', async () => {
    const { deliveries } = fresh();
    for (const day of ['2017-03-20', '2017-03-22', '2017-03-24']) {
      await deliveries.create(record({ id: `1.1|overdue|${day}|a@b.uk`, scheduledFor: day }));
    }
    await deliveries.create(record({ planId: 'other', scheduledFor: '2017-03-24' }));
    const listed = await deliveries.listSince('moj/ima?2017', '2017-03-22');
    expect(listed.map((r) => r.value.scheduledFor)).toEqual(['2017-03-22', '2017-03-24']);
  });
});

describe('the lease', () => {
  it('one holder at a time; renewable by its holder; free once released or expired', async () => {
    const { leases } = fresh();
    const got = await Promise.all(
      ['a', 'b', 'c', 'd'].map((h) => leases.acquire('reminders', h, 60_000)),
    );
    expect(got.filter(Boolean)).toHaveLength(1);
    const holder = ['a', 'b', 'c', 'd'][got.indexOf(true)]!;
    const other = holder === 'a' ? 'b' : 'a';
    expect(await leases.acquire('reminders', holder, 60_000)).toBe(true);
    expect(await leases.acquire('reminders', other, 60_000)).toBe(false);
    await leases.release('reminders', other); // not theirs: nothing happens
    expect(await leases.acquire('reminders', other, 60_000)).toBe(false);
    await leases.release('reminders', holder);
    expect(await leases.acquire('reminders', other, 50)).toBe(true);
    await new Promise((r) => setTimeout(r, 80));
    expect(await leases.acquire('reminders', holder, 60_000)).toBe(true);
  });

  it('lapses by the clock it was given, the one the jobs read, not the machine’s', async () => {
    let now = Date.parse('2017-03-27T08:00:00Z');
    const { leases } = storesOn(
      { kind: 'connection-string', connectionString: azurite.connectionString },
      { reminderTableName: freshTableName('rem'), clock: { now: () => new Date(now) } },
    );
    expect(await leases.acquire('reminders', 'a', 60_000)).toBe(true);
    expect(await leases.acquire('reminders', 'b', 60_000)).toBe(false);
    now += 61_000;
    expect(await leases.acquire('reminders', 'b', 60_000)).toBe(true);
    expect(await leases.acquire('reminders', 'a', 60_000)).toBe(false);
  });
});

describe('the reminder queue', () => {
  const message = { planId: 'p', id: '1.1|before-7|2017-03-22|a@b.uk', scheduledFor: '2017-03-22' };

  it('hides a taken message for its visibility timeout, brings it back, and deletes it', async () => {
    const { queue } = fresh();
    await queue.send(message);
    const [m] = await queue.receive(32, 1);
    expect(m).toMatchObject({ message, dequeueCount: 1 });
    expect(await queue.receive(32, 1)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1200));
    const [again] = await queue.receive(32, 30);
    expect(again).toMatchObject({ message, dequeueCount: 2 });
    await queue.delete(m!); // a stale pop receipt: ignored, the message is someone else's now
    expect(await queue.approximateCount()).toBe(1);
    await queue.delete(again!);
    expect(await queue.approximateCount()).toBe(0);
  });

  it('puts a message back for later, and moves one to the dead-letter queue', async () => {
    const { queue } = fresh();
    await queue.send(message);
    await queue.send({ ...message, id: 'other' });
    const [a, b] = await queue.receive(32, 30);
    await queue.retryLater(a!, 1);
    expect(await queue.receive(32, 30)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await queue.receive(32, 30)).map((m) => m.message.id)).toEqual([a!.message.id]);
    const letter = {
      ...message,
      ref: '1.1',
      kind: 'before',
      recipient: 'a@b.uk',
      code: 'Throttled',
      reason: 'kept failing',
      attempts: 5,
      failedAt: 'now',
    };
    await queue.deadLetter(b!, letter);
    expect(await queue.listDeadLetters()).toEqual({ letters: [letter], total: 1 });
    expect(await queue.approximateCount()).toBe(1);
  });
});

describe('sent cards', () => {
  it('one per activity, oldest first, per action (4.9 apart from 4.9a), all, and forgotten on request', async () => {
    const { sentCards } = fresh();
    const card = {
      planId: 'moj',
      ref: '4.9a',
      activityId: '1:abc/def',
      conversation: '{}',
      kind: 'reminder',
      recipient: 'a@b.uk',
      sentAt: '2017-03-22T09:00:02Z',
    };
    await sentCards.record(card);
    await sentCards.record(card);
    await sentCards.record({ ...card, activityId: 'earlier', sentAt: '2017-03-13T09:00:02Z' });
    await sentCards.record({ ...card, ref: '4.9', activityId: 'x' });
    expect((await sentCards.listForAction('moj', '4.9a')).map((c) => c.activityId)).toEqual([
      'earlier',
      '1:abc/def',
    ]);
    expect(await sentCards.listForAction('moj', '4.9')).toHaveLength(1);
    expect(await sentCards.listAll()).toHaveLength(3);
    await sentCards.remove(card);
    await sentCards.remove(card);
    expect((await sentCards.listForAction('moj', '4.9a')).map((c) => c.activityId)).toEqual([
      'earlier',
    ]);
  });
});

describe('plan settings', () => {
  it('round-trip through Table Storage, and a re-import of the plan keeps them', async () => {
    const storage = await openStorage({
      connectionString: azurite.connectionString,
      tableName: freshTableName('plans'),
      clock: systemClock,
    });
    const deps = { plans: storage.plans, clock: fixedClock('2017-05-31T12:00:00Z') };
    await importMojPlan(deps, { planId: 'moj' });
    const stored = (await storage.plans.getPlan('moj'))!;
    expect(stored.value.settings).toBeUndefined();
    const settings = {
      reminders: { workingDaysBefore: [10, 0], sendAt: '08:30', holidays: 'GB-SCT' },
    };
    await storage.plans.save('moj', {
      plan: { value: { ...stored.value, settings }, expectedVersion: stored.version },
    });
    expect((await storage.plans.getPlan('moj'))!.value.settings).toEqual(settings);
    await importMojPlan(deps, { planId: 'moj', force: true });
    expect((await storage.plans.getPlan('moj'))!.value.settings).toEqual(settings);
  });
});
