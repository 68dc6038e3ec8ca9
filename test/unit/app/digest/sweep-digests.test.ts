import type { DigestDeps } from '../../../../src/app/digest/digest-deps.js';
import { sweepDigests } from '../../../../src/app/digest/sweep-digests.js';
import type { ChannelMessage, ChannelPoster } from '../../../../src/ports/channel-poster.js';
import { MAX_CARD_BYTES } from '../../../../src/ports/card-renderer.js';
import type { LeaseStore } from '../../../../src/ports/lease.js';
import type { ProactiveDelivery } from '../../../../src/ports/proactive-notifier.js';
import {
  InMemoryDeliveryRecords,
  InMemoryLeaseStore,
} from '../../../../src/storage/in-memory-reminder-stores.js';
import { InMemoryDigestSubscriptions } from '../../../../src/storage/in-memory-scheduler-stores.js';
import { ADMIN, crowd, mojWorld, MOJ_PLAN_ID, OWNER, textsOf } from '../../../helpers/bot-world.js';

/** Monday 19 June 2017, 09:00 in London. */
const MONDAY_0900 = new Date('2017-06-19T08:00:00.000Z');
const CHANNEL = '19:kim-team@thread.tacv2';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

interface Posted {
  readonly reference: string;
  readonly message: ChannelMessage;
}

function recordingPoster(
  answers: ProactiveDelivery['outcome'][] = [],
): ChannelPoster & { posts: Posted[] } {
  const posts: Posted[] = [];
  return {
    posts,
    post(reference, message) {
      const outcome = answers.shift() ?? 'sent';
      posts.push({ reference, message });
      if (outcome === 'retry')
        return Promise.resolve({
          outcome,
          code: 'Throttled',
          status: 429,
          attempts: 1,
          throttled: 1,
        });
      return Promise.resolve({
        outcome: 'sent',
        activityId: `activity-${posts.length}`,
        conversation: reference,
        createdConversation: false,
        attempts: 1,
        throttled: 0,
      });
    },
  };
}

async function world(subscribedAt = '2017-06-15T10:00:00.000Z') {
  const base = await mojWorld('2017-06-19T08:00:00.000Z');
  const alex = (await base.people.getByEmail(OWNER))!;
  await base.people.savePerson({ ...alex.value, teamsUserId: '29:alex' }, alex.version);
  const subscriptions = new InMemoryDigestSubscriptions();
  await subscriptions.save({
    planId: MOJ_PLAN_ID,
    conversationId: CHANNEL,
    reference: JSON.stringify({ conversation: { id: CHANNEL } }),
    kind: 'channel',
    subscribedBy: ADMIN,
    subscribedAt,
  });
  const deliveries = new InMemoryDeliveryRecords();
  const poster = recordingPoster();
  const instance = (
    instanceId: string,
    leases: LeaseStore = sharedLease,
    p: ChannelPoster = poster,
  ): DigestDeps => ({
    ...base,
    digestSubscriptions: subscriptions,
    deliveries,
    leases,
    poster: p,
    logger: silent,
    instanceId,
  });
  const sharedLease = new InMemoryLeaseStore(() => MONDAY_0900.getTime());
  return { base, subscriptions, deliveries, poster, instance };
}

/** A lease that lets everyone in: as if it lapsed mid-sweep. Only the records stop a repeat. */
const noLease: LeaseStore = {
  acquire: () => Promise.resolve(true),
  release: () => Promise.resolve(),
};

describe('sweepDigests', () => {
  it('posts one digest on Monday 09:00 with two instances sweeping at once', async () => {
    const w = await world();
    const [a, b] = await Promise.all([
      sweepDigests(w.instance('a'), MONDAY_0900),
      sweepDigests(w.instance('b'), MONDAY_0900),
    ]);
    expect(a.posted + b.posted).toBe(1);
    expect(w.poster.posts).toHaveLength(1);
    expect(w.poster.posts[0]!.reference).toContain(CHANNEL);
    const texts = textsOf(w.poster.posts[0]!.message.card).join('\n');
    expect(texts).toContain('Weekly digest');
    expect(texts).not.toContain('late');
    const [record] = await w.deliveries.listSince(MOJ_PLAN_ID, '2017-06-19');
    expect(record?.value).toMatchObject({
      kind: 'digest',
      state: 'sent',
      scheduledFor: '2017-06-19',
      activityId: 'activity-1',
    });
  });

  it('posts the digest in words when its card would be too big for Teams', async () => {
    const w = await world();
    await crowd(w.base, '4.1'); // overdue: the digest lists it with its 1,501 owners
    expect((await sweepDigests(w.instance('a'), MONDAY_0900)).posted).toBe(1);
    const card = w.poster.posts[0]!.message.card;
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const texts = textsOf(card).join('\n');
    expect(texts).toContain('Weekly digest');
    expect(texts).toMatch(/\d+ of 42 done/);
    expect(texts).toContain('too long for one Teams message');
  });

  it('posts once even when the lease lets both instances in: the delivery record decides', async () => {
    const w = await world();
    const reports = await Promise.all(
      ['a', 'b', 'c'].map((id) => sweepDigests(w.instance(id, noLease), MONDAY_0900)),
    );
    expect(reports.map((r) => r.posted).reduce((x, y) => x + y)).toBe(1);
    expect(w.poster.posts).toHaveLength(1);
  });

  it('posts nothing more that week after a restart, and again the next Monday', async () => {
    const w = await world();
    await sweepDigests(w.instance('before-restart'), MONDAY_0900);
    const wednesday = new Date('2017-06-21T10:00:00.000Z');
    expect(
      (await sweepDigests(w.instance('after-restart', noLease), wednesday)).alreadyHandled,
    ).toBe(1);
    expect(w.poster.posts).toHaveLength(1);
    await sweepDigests(w.instance('next-week', noLease), new Date('2017-06-26T08:00:30.000Z'));
    expect(w.poster.posts).toHaveLength(2);
  });

  it('sends a digest missed while the bot was down late, once, saying so', async () => {
    const w = await world();
    const tuesday = new Date('2017-06-20T11:00:00.000Z');
    const report = await sweepDigests(w.instance('back-up', noLease), tuesday);
    expect(report).toMatchObject({ posted: 1, late: 1 });
    const texts = textsOf(w.poster.posts[0]!.message.card).join('\n');
    expect(texts).toContain('This digest is late: it was due on 19 June 2017');
    expect(w.poster.posts[0]!.message.summary).toContain('(late)');
    await sweepDigests(w.instance('again', noLease), new Date('2017-06-20T12:00:00.000Z'));
    expect(w.poster.posts).toHaveLength(1);
  });

  it('does not send last Monday’s digest to a channel that subscribed after it', async () => {
    const w = await world('2017-06-20T10:00:00.000Z');
    const report = await sweepDigests(w.instance('a'), new Date('2017-06-21T10:00:00.000Z'));
    expect(report.posted).toBe(0);
    expect(w.poster.posts).toHaveLength(0);
  });

  it('tries again at the next sweep when Teams says not now, and then posts once', async () => {
    const w = await world();
    const flaky = recordingPoster(['retry']);
    expect((await sweepDigests(w.instance('a', noLease, flaky), MONDAY_0900)).failed).toBe(1);
    expect(
      (await sweepDigests(w.instance('a', noLease, flaky), new Date('2017-06-19T08:01:00.000Z')))
        .posted,
    ).toBe(1);
    await sweepDigests(w.instance('a', noLease, flaky), new Date('2017-06-19T08:02:00.000Z'));
    expect(flaky.posts).toHaveLength(2);
    const [record] = await w.deliveries.listSince(MOJ_PLAN_ID, '2017-06-19');
    expect(record?.value).toMatchObject({ state: 'sent', attempts: 2, throttled: 1 });
  });

  it('skips when another instance holds the lease', async () => {
    const w = await world();
    const lease = new InMemoryLeaseStore(() => MONDAY_0900.getTime());
    await lease.acquire('digest-sweep', 'other', 60_000);
    expect(await sweepDigests(w.instance('me', lease), MONDAY_0900)).toMatchObject({
      ran: false,
      posted: 0,
    });
    expect(w.poster.posts).toHaveLength(0);
  });

  it('@mentions overdue owners who have a Teams id', async () => {
    const w = await world();
    await sweepDigests(w.instance('a'), MONDAY_0900);
    const card = w.poster.posts[0]!.message.card as { msteams?: { entities?: unknown[] } };
    const entities = card.msteams?.entities ?? [];
    const json = JSON.stringify(card);
    // Alex owns overdue actions in the MoJ world on 19 June 2017 (1.5, due End Mar 2017).
    expect(entities).toEqual([
      {
        type: 'mention',
        text: '<at>Alex Owner</at>',
        mentioned: { id: '29:alex', name: 'Alex Owner' },
      },
    ]);
    expect(json).toContain('<at>Alex Owner</at>');
    expect(json).not.toContain('@@mention');
  });

  it('cannot be made to @mention someone by typing a mention placeholder into a note or an action', async () => {
    const w = await world();
    // Alex's overdue 1.5 gets a note and text written to look like the digest's placeholders.
    const forged = '@@mention0@@ @@mention1@@ @@mention-0-0@@';
    const found = (await w.base.plans.getAction(MOJ_PLAN_ID, '1.5'))!;
    await w.base.plans.save(MOJ_PLAN_ID, {
      actions: [
        {
          value: { ...found.value, text: `${found.value.text} ${forged}`, note: forged },
          expectedVersion: found.version,
        },
      ],
      history: [
        {
          planId: MOJ_PLAN_ID,
          ref: '1.5',
          at: '2017-06-16T10:00:00.000Z',
          by: OWNER,
          kind: 'changed',
          field: 'note',
          from: '',
          to: forged,
        },
      ],
    });
    await sweepDigests(w.instance('a'), MONDAY_0900);
    const card = w.poster.posts[0]!.message.card as { msteams?: { entities?: unknown[] } };
    const json = JSON.stringify(card);
    // Only Alex, once, where the digest itself names an overdue owner.
    expect(card.msteams?.entities).toHaveLength(1);
    expect(json.split('<at>').length - 1).toBe(json.split('<at>Alex Owner</at>').length - 1);
    // The typed text is shown as typed.
    expect(json).toContain('@@mention0@@');
  });
});
