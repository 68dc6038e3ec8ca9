import { changeAction } from '../../../src/app/change-action.js';
import { previewReminders } from '../../../src/app/reminders/preview.js';
import { retryDelayMs } from '../../../src/app/reminders/record-outcome.js';
import { REMINDER_LEASE, runReminders } from '../../../src/app/reminders/run.js';
import { deliverQueued, type DeliverOptions } from '../../../src/app/reminders/send.js';
import { changeReminderSettings } from '../../../src/app/reminders/settings.js';
import { sweepReminders } from '../../../src/app/reminders/sweep.js';
import { workingDaysFor } from '../../../src/calendar/bank-holidays.js';
import { MAX_CARD_BYTES } from '../../../src/ports/card-renderer.js';
import { CHAMPION, crowd, MOJ_PLAN_ID, OWNER, UNREACHED } from '../../helpers/bot-world.js';
import { reminderWorld, type ReminderWorld } from '../../helpers/reminder-world.js';

/** Wednesday 22 March 2017, 09:00 in London (GMT). */
const MORNING = '2017-03-22T09:00:00.000Z';

/** Deliver what is visible now and stop (no waiting for retries: the test moves time itself). */
const deliver = (w: ReminderWorld, o: Partial<DeliverOptions> = {}) =>
  deliverQueued(w.deps, { holder: 'test', deadline: 0, pollMs: 1, ...o });

const states = (w: ReminderWorld) =>
  w.deliveries
    .all()
    .map((r) => `${r.ref} ${r.kind} ${r.recipient} ${r.state}${r.code ? ` ${r.code}` : ''}`)
    .sort();

describe('a sweep', () => {
  it('queues each reminder due now for people the bot can reach, once', async () => {
    const w = await reminderWorld(MORNING);
    const first = await sweepReminders(w.deps, new Date(MORNING));
    // Alex: 4.9a is 7 working days from End Mar 2017; 4.1 (End Feb) had its weekly overdue
    // reminder yesterday, caught up. Sam owns 4.9b and 6.7 but never installed the bot.
    expect(first).toEqual({ due: 4, queued: 2, alreadyHandled: 0, unreachable: 2, requeued: 0 });
    expect(states(w)).toEqual([`4.1 overdue ${OWNER} queued`, `4.9a before ${OWNER} queued`]);
    expect(await w.queue.approximateCount()).toBe(2);

    const again = await sweepReminders(w.deps, new Date(MORNING));
    expect(again).toMatchObject({ queued: 0, alreadyHandled: 2 });
    expect(await w.queue.approximateCount()).toBe(2);
  });

  it('restarts the weekly overdue count from a status change the action records, reading no history', async () => {
    // Monday 20 March: Alex marks 4.1 (target End Feb 2017, overdue) blocked.
    const w = await reminderWorld('2017-03-20T10:00:00.000Z');
    await changeAction(w.deps, {
      planId: MOJ_PLAN_ID,
      ref: '4.1',
      by: OWNER,
      apply: (a) => ({ ...a, status: 'blocked' }),
    });
    w.time.ms = Date.parse(MORNING);
    const plans = w.deps.plans;
    const noHistory = Object.assign(Object.create(plans) as typeof plans, {
      listHistory: () => Promise.reject(new Error('the sweep read the history')),
      latestHistory: () => Promise.reject(new Error('the sweep read the history')),
    });
    await sweepReminders({ ...w.deps, plans: noHistory }, new Date(MORNING));
    // Without the change, 4.1's weekly reminder of Tuesday 21 March would be caught up today; with
    // it, the next is a week after the answer (27 March).
    expect(states(w)).toEqual([`4.9a before ${OWNER} queued`]);
  });

  it('sends nothing to an address two accounts claim, and says why', async () => {
    const w = await reminderWorld(MORNING);
    await sweepReminders(w.deps, new Date(MORNING));
    // A second account with Alex's address, written by a path that claims without checking.
    const alex = (await w.deps.people.getByEmail(OWNER))!.value;
    await w.deps.people.savePerson({ ...alex, aadObjectId: 'aad-alex-2', name: 'Another Alex' });
    await deliver(w);

    // Nothing to either Alex; their champion hears the owner cannot be reached, as for a refusal.
    expect(w.notifier.sends.map((s) => s.to.email)).not.toContain(OWNER);
    expect(w.notifier.sends.map((s) => s.to.email)).toContain(CHAMPION);
    const refused = w.deliveries.all().filter((r) => r.recipient === OWNER);
    expect(refused.map((r) => [r.state, r.code])).toEqual([
      ['unreachable', 'AmbiguousAddress'],
      ['unreachable', 'AmbiguousAddress'],
    ]);
    expect(refused[0]!.reason).toBe(
      `2 Teams accounts have the address ${OWNER}, so the bot does not guess which one is meant. A plan admin can name the owner by another address.`,
    );
    // The next sweep does not queue them either: the owner counts as not reachable.
    w.time.advance(7 * 24 * 3600_000);
    const later = await sweepReminders(w.deps, new Date(w.time.ms));
    expect(w.deliveries.all().filter((r) => r.recipient === OWNER && r.state === 'queued')).toEqual(
      [],
    );
    expect(later.unreachable).toBeGreaterThan(0);
  });

  it('two sweeps at once still queue each reminder once', async () => {
    const w = await reminderWorld(MORNING);
    const [a, b] = await Promise.all([
      sweepReminders(w.deps, new Date(MORNING)),
      sweepReminders(w.deps, new Date(MORNING)),
    ]);
    expect(a.queued + b.queued).toBe(2);
    expect(await w.queue.approximateCount()).toBe(2);
  });

  it('queues a record again when its message was lost (a sweep that died in between)', async () => {
    const w = await reminderWorld(MORNING);
    await sweepReminders(w.deps, new Date(MORNING));
    for (const m of await w.queue.receive(32, 1)) await w.queue.delete(m);
    w.time.advance(11 * 60_000);
    const later = new Date(w.time.ms);
    expect(await sweepReminders(w.deps, later)).toMatchObject({ requeued: 2, queued: 0 });
    expect(await sweepReminders(w.deps, later)).toMatchObject({ requeued: 0 });
    await deliver(w);
    expect(w.notifier.sends).toHaveLength(2);
  });
});

describe('delivering', () => {
  it('sends the reminder card, records the activity id and the sent card, and empties the queue', async () => {
    const w = await reminderWorld(MORNING);
    await sweepReminders(w.deps, new Date(MORNING));
    const report = await deliver(w);
    expect(report).toMatchObject({ sent: 2, retried: 0, failed: 0 });
    expect(w.notifier.headings().sort()).toEqual([
      `${OWNER}: Action 4.1 is 22 days overdue`,
      `${OWNER}: Action 4.9a is due in 9 days`,
    ]);
    const card = w.notifier.sends.find((s) => s.message.summary.includes('4.9a'))!.message.card;
    expect(JSON.stringify(card)).toContain('7 working days away');
    expect(states(w)).toEqual([`4.1 overdue ${OWNER} sent`, `4.9a before ${OWNER} sent`]);
    const record = w.deliveries.all().find((r) => r.ref === '4.9a')!;
    expect(record).toMatchObject({ activityId: expect.stringMatching(/^activity-/), attempts: 1 });
    expect(await w.sentCards.listForAction(MOJ_PLAN_ID, '4.9a')).toEqual([
      expect.objectContaining({
        activityId: record.activityId,
        kind: 'reminder',
        recipient: OWNER,
      }),
    ]);
    expect(await w.queue.approximateCount()).toBe(0);
  });

  it('reminds in words when the card would be too big for Teams (an action with 1,500 owners)', async () => {
    const w = await reminderWorld(MORNING);
    await crowd(w.deps, '4.9a');
    await sweepReminders(w.deps, new Date(MORNING));
    await deliver(w);
    const sent = w.notifier.sends.find((s) => s.message.summary.includes('4.9a'))!.message;
    expect(Buffer.byteLength(JSON.stringify(sent.card))).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const text = JSON.stringify(sent.card);
    expect(text).toContain('Action 4.9a is due in 9 days');
    expect(text).toContain('too long for one Teams message');
  });

  it('a copy of a message whose reminder was sent is dropped without sending', async () => {
    const w = await reminderWorld(MORNING);
    await sweepReminders(w.deps, new Date(MORNING));
    const [m] = await w.queue.receive(1, 0);
    await w.queue.send(m!.message); // the same reminder, queued twice
    await deliver(w);
    expect(w.notifier.sends).toHaveLength(2);
    // A copy taken while the first was being sent waits out the claim, then is dropped.
    w.time.advance(6 * 60_000);
    expect(await deliver(w)).toMatchObject({ sent: 0 });
    expect(w.notifier.sends).toHaveLength(2);
    expect(await w.queue.approximateCount()).toBe(0);
  });

  it('skips a reminder whose action was done, or moved, after it was queued', async () => {
    const w = await reminderWorld(MORNING);
    await sweepReminders(w.deps, new Date(MORNING));
    await changeAction(w.deps, {
      planId: MOJ_PLAN_ID,
      ref: '4.9a',
      by: OWNER,
      apply: (a) => ({ ...a, status: 'complete' }),
    });
    await changeAction(w.deps, {
      planId: MOJ_PLAN_ID,
      ref: '4.1',
      by: OWNER,
      apply: (a) => ({ ...a, target: { kind: 'date', text: 'End Apr 2017', date: '2017-04-30' } }),
    });
    expect(await deliver(w)).toMatchObject({ sent: 0, skipped: 2 });
    expect(states(w)).toEqual([
      `4.1 overdue ${OWNER} skipped TargetChanged`,
      `4.9a before ${OWNER} skipped Done`,
    ]);
    expect(w.notifier.sends).toEqual([]);
  });

  it('Teams refusing the owner (403) marks them unreachable and tells the area’s champion', async () => {
    const w = await reminderWorld(MORNING);
    w.notifier.script = (to) =>
      to.email === OWNER
        ? {
            outcome: 'unreachable',
            code: 'ConversationBlockedByUser',
            status: 403,
            attempts: 1,
            throttled: 0,
          }
        : undefined;
    await sweepReminders(w.deps, new Date(MORNING));
    const report = await deliver(w);
    expect(report).toMatchObject({ unreachable: 2, sent: 2 });
    const alex = (await w.deps.people.getByEmail(OWNER))!.value;
    expect(alex).toMatchObject({ reachable: false });
    expect(alex.unreachableReason).toContain('403 ConversationBlockedByUser');
    // Both actions are HMPPS's: Priya hears about each, once.
    expect(
      w.notifier
        .headings()
        .filter((h) => h.startsWith(CHAMPION))
        .sort(),
    ).toEqual([
      `${CHAMPION}: I can't reach the owner of action 4.1`,
      `${CHAMPION}: I can't reach the owner of action 4.9a`,
    ]);
    // No more reminders for Alex until they can be reached again.
    w.time.advance(24 * 3600_000);
    expect(await sweepReminders(w.deps, new Date('2017-03-23T09:00:00Z'))).toMatchObject({
      queued: 0,
    });
  });

  it('waits out a 429 (Retry-After), then sends; gives up after the last attempt, to the dead-letter queue', async () => {
    const w = await reminderWorld(MORNING);
    let throttle = true;
    w.notifier.script = () =>
      throttle
        ? {
            outcome: 'retry',
            code: 'Throttled',
            status: 429,
            retryAfterMs: 2000,
            attempts: 4,
            throttled: 4,
          }
        : undefined;
    await sweepReminders(w.deps, new Date(MORNING));
    expect(await deliver(w)).toMatchObject({ retried: 2, throttled: 8 });
    expect(states(w)).toEqual([
      `4.1 overdue ${OWNER} retrying Throttled`,
      `4.9a before ${OWNER} retrying Throttled`,
    ]);
    // Not before Retry-After…
    w.time.advance(1000);
    expect(await deliver(w)).toMatchObject({ sent: 0, retried: 0 });
    // …but after it.
    throttle = false;
    w.time.advance(2000);
    expect(await deliver(w)).toMatchObject({ sent: 2 });
    expect(w.deliveries.all().map((r) => [r.attempts, r.throttled])).toEqual([
      [2, 4],
      [2, 4],
    ]);

    const w2 = await reminderWorld(MORNING);
    w2.notifier.script = () => ({
      outcome: 'retry',
      code: 'ServiceUnavailable',
      status: 503,
      attempts: 4,
      throttled: 0,
    });
    await sweepReminders(w2.deps, new Date(MORNING));
    for (let i = 0; i < 6; i++) {
      await deliver(w2, { maxAttempts: 3, retryBaseMs: 1000, retryMaxMs: 4000 });
      w2.time.advance(5000);
    }
    expect(w2.notifier.sends).toHaveLength(6);
    expect(states(w2)).toEqual([
      `4.1 overdue ${OWNER} failed ServiceUnavailable`,
      `4.9a before ${OWNER} failed ServiceUnavailable`,
    ]);
    const dead = await w2.queue.listDeadLetters();
    expect(dead.total).toBe(2);
    expect(dead.letters[0]).toMatchObject({
      code: 'ServiceUnavailable',
      attempts: 3,
      recipient: OWNER,
    });
    expect(await w2.queue.approximateCount()).toBe(0);
  });

  it('a permanent failure (413) goes straight to the dead-letter queue', async () => {
    const w = await reminderWorld(MORNING);
    w.notifier.script = () => ({
      outcome: 'failed',
      code: 'MessageSizeTooBig',
      status: 413,
      message: 'too big',
      attempts: 1,
      throttled: 0,
    });
    await sweepReminders(w.deps, new Date(MORNING));
    expect(await deliver(w)).toMatchObject({ failed: 2 });
    expect((await w.queue.listDeadLetters()).total).toBe(2);
  });

  it('a reminder a dead sender claimed is not sent again: it is dead-lettered as Uncertain', async () => {
    const w = await reminderWorld(MORNING);
    await sweepReminders(w.deps, new Date(MORNING));
    // A sender claims one record and dies before Teams answers.
    const [m] = await w.queue.receive(1, 2);
    const stored = (await w.deps.deliveries.get(
      m!.message.planId,
      m!.message.id,
      m!.message.scheduledFor,
    ))!;
    await w.deps.deliveries.update(
      {
        ...stored.value,
        state: 'sending',
        claimedBy: 'dead',
        claimedAt: new Date(w.time.ms).toISOString(),
        attempts: 1,
      },
      stored.version,
    );
    // Its claim is fresh: another sender leaves it alone.
    w.time.advance(3000);
    await deliver(w, { claimTimeoutMs: 60_000 });
    expect(w.notifier.sends).toHaveLength(1);
    // Once the claim is stale, it is reported rather than sent again.
    w.time.advance(120_000);
    await deliver(w, { claimTimeoutMs: 60_000 });
    expect(w.notifier.sends).toHaveLength(1);
    expect(states(w).filter((s) => s.includes('Uncertain'))).toHaveLength(1);
    expect((await w.queue.listDeadLetters()).letters[0]).toMatchObject({ code: 'Uncertain' });
  });

  it('keeps a 1:1 chat it had to create on the person (reached through a team)', async () => {
    const w = await reminderWorld(MORNING);
    const alex = (await w.deps.people.getByEmail(OWNER))!;
    const { conversation: _c, ...noChat } = alex.value;
    // Their tenant is part of who they are: the record moves to the key with it.
    await w.deps.people.savePerson(
      { ...noChat, teamsUserId: '29:alex', tenantId: 't1', teams: ['19:kim@thread.tacv2'] },
      null,
      { replaces: [alex] },
    );
    await sweepReminders(w.deps, new Date(MORNING));
    await deliver(w, { concurrency: 1 });
    expect(w.notifier.sends[0]!.to).toMatchObject({ teamsUserId: '29:alex', tenantId: 't1' });
    expect(w.notifier.sends[0]!.to.conversation).toBeUndefined();
    expect((await w.deps.people.getByEmail(OWNER))!.value.conversation).toContain(`new:${OWNER}`);
    expect(w.notifier.sends[1]!.to.conversation).toContain(`new:${OWNER}`);
  });

  it('does not try a Teams id alone: with no chat and no team listing them, the owner is not reachable, and says why', async () => {
    const w = await reminderWorld(MORNING);
    const alex = (await w.deps.people.getByEmail(OWNER))!;
    const { conversation: _c, ...noChat } = alex.value;
    await w.deps.people.savePerson({ ...noChat, teamsUserId: '29:alex' }, alex.version);
    const swept = await sweepReminders(w.deps, new Date(MORNING));
    expect(swept.unreachable).toBeGreaterThan(0);
    await deliver(w, { concurrency: 1 });
    expect(w.notifier.sends.filter((s) => s.to.email === OWNER)).toEqual([]);
  });
});

describe('runs, the lease and the preview', () => {
  it('one run at a time: another holder waits for the lease', async () => {
    const w = await reminderWorld(MORNING);
    expect(await w.deps.leases.acquire(REMINDER_LEASE, 'other-instance', 60_000)).toBe(true);
    expect(await runReminders(w.deps, { holder: 'me', deadline: 0 })).toEqual({
      ran: false,
      reason: 'another instance holds the reminder lease',
    });
    w.time.advance(61_000);
    const run = await runReminders(w.deps, { holder: 'me', deadline: 0 });
    expect(run).toMatchObject({ ran: true, sweep: { queued: 2 }, delivery: { sent: 2 } });
    // Released at the end: the other instance may run next time.
    expect(await w.deps.leases.acquire(REMINDER_LEASE, 'other-instance', 60_000)).toBe(true);
  });

  it('the preview lists what would go out, sends nothing, then shows what was sent', async () => {
    const w = await reminderWorld(MORNING);
    const before = await previewReminders(w.deps, { asOf: new Date(MORNING) });
    expect(before.map((p) => `${p.ref} ${p.kind} ${p.recipient} ${p.status}`).sort()).toEqual([
      `4.1 overdue ${OWNER} would_send`,
      `4.9a before ${OWNER} would_send`,
      `4.9b before ${UNREACHED} unreachable`,
      `6.7 overdue ${UNREACHED} unreachable`,
    ]);
    expect(w.notifier.sends).toEqual([]);
    expect(w.deliveries.all()).toEqual([]);
    await runReminders(w.deps, { holder: 'me', deadline: 0 });
    const after = await previewReminders(w.deps, { asOf: new Date(MORNING) });
    expect(
      after
        .filter((p) => p.status === 'sent')
        .map((p) => p.ref)
        .sort(),
    ).toEqual(['4.1', '4.9a']);
  });

  it('--as-of: a run judged on another day sends that day’s reminders', async () => {
    const w = await reminderWorld(MORNING);
    // Friday 31 March 2017, 09:00 BST: 4.9a is due today; 4.1's weekly overdue reminder.
    const run = await runReminders(w.deps, {
      holder: 'me',
      deadline: 0,
      asOf: new Date('2017-03-31T08:00:00Z'),
    });
    expect(run).toMatchObject({ ran: true });
    expect(w.notifier.headings().sort()).toEqual([
      `${OWNER}: Action 4.1 is 31 days overdue`,
      `${OWNER}: Action 4.9a is due today`,
    ]);
  });
});

describe('settings and delays', () => {
  it('changes a plan’s reminder settings after checking them', async () => {
    const w = await reminderWorld(MORNING);
    const deps = { ...w.deps, workingDaysFor };
    expect(
      await changeReminderSettings(deps, MOJ_PLAN_ID, {
        workingDaysBefore: [5, 0],
        sendAt: '10:00',
      }),
    ).toMatchObject({
      workingDaysBefore: [5, 0],
      sendAt: '10:00',
      overdueEveryDays: 7,
    });
    expect((await w.deps.plans.getPlan(MOJ_PLAN_ID))!.value.settings?.reminders).toEqual({
      workingDaysBefore: [5, 0],
      sendAt: '10:00',
    });
    await expect(
      changeReminderSettings(deps, MOJ_PLAN_ID, { holidays: 'Narnia', sendAt: '25:00' }),
    ).rejects.toMatchObject({
      reason: 'invalid_input',
      details: [expect.stringContaining('25:00'), expect.stringContaining('Narnia')],
    });
    // Off: nothing is due.
    await changeReminderSettings(deps, MOJ_PLAN_ID, { enabled: false });
    expect(await sweepReminders(w.deps, new Date(MORNING))).toMatchObject({ due: 0 });
  });

  it('retry delays: Retry-After when given (plus up to 10%), else doubling with jitter, capped', () => {
    const o = { retryBaseMs: 1000, retryMaxMs: 10_000 };
    expect(retryDelayMs(o, 1, 3000, () => 0)).toBe(3000);
    expect(retryDelayMs(o, 1, 3000, () => 1)).toBeCloseTo(3300);
    expect(retryDelayMs(o, 1, undefined, () => 1)).toBe(1000);
    expect(retryDelayMs(o, 3, undefined, () => 1)).toBe(4000);
    expect(retryDelayMs(o, 3, undefined, () => 0)).toBe(2000);
    expect(retryDelayMs(o, 10, undefined, () => 1)).toBe(10_000);
  });
});
