import { DateTime } from 'luxon';
import { runReminders } from '../../../src/app/reminders/run.js';
import { summariseProgress } from '../../../src/domain/progress.js';
import {
  AREAS,
  conversationOf,
  OWNERS,
  PLAN_ID,
  useAzureReminderWorld,
  type AzureReminderWorld,
} from '../../helpers/reminder-azure-world.js';

/** What Teams' errors do to reminders: the real notifier against the rate-limiting connector. */
const { connector, newWorld } = useAzureReminderWorld();

/** Wednesday 22 March 2017, 09:00: a handful of reminders (7 working days before End Mar 2017). */
const MORNING = DateTime.fromISO('2017-03-22T09:00', { zone: 'Europe/London' }).toJSDate();
const FAST = { pollMs: 20, retryBaseMs: 200, visibilitySeconds: 2, claimTimeoutMs: 5_000 };

const recordsOf = async (world: AzureReminderWorld) =>
  (await world.stores.deliveries.listSince(PLAN_ID, '2017-01-01')).map((r) => r.value);

it('an owner Teams refuses (403) is marked unreachable; their champion is told, and status shows it', async () => {
  const world = await newWorld();
  const blocked = OWNERS[0]!;
  connector.inject(
    conversationOf(blocked),
    { status: 403, code: 'ConversationBlockedByUser' },
    100,
  );
  const run = await runReminders(world.instance(), { holder: 'test', asOf: MORNING, ...FAST });
  expect(run).toMatchObject({ ran: true });

  const person = (await world.storage.people.getByEmail(blocked))!.value;
  expect(person.reachable).toBe(false);
  expect(person.unreachableReason).toContain('403 ConversationBlockedByUser');
  const records = await recordsOf(world);
  const refused = records.filter((r) => r.recipient === blocked);
  expect(refused.length).toBeGreaterThan(0);
  // The first refusal marks them; their other reminders then stop without asking Teams again.
  for (const r of refused) expect(r.state).toBe('unreachable');
  const byTeams = refused.filter((r) => r.code === 'ConversationBlockedByUser');
  expect(byTeams.length).toBeGreaterThan(0);
  expect(refused.filter((r) => r.code !== 'ConversationBlockedByUser').map((r) => r.code)).toEqual(
    refused.filter((r) => r.code !== 'ConversationBlockedByUser').map(() => 'NotReachable'),
  );
  // Each refused action's champion got a card saying so, delivered once.
  const actions = (await world.storage.plans.listActions(PLAN_ID)).map((a) => a.value);
  const notices = records.filter((r) => r.kind === 'unreachable_owner');
  expect(notices.map((n) => n.ref).sort()).toEqual(refused.map((r) => r.ref).sort());
  for (const n of notices) {
    const area = actions.find((a) => a.ref === n.ref)!.area!;
    expect(n).toMatchObject({ state: 'sent', recipient: AREAS[area], about: blocked });
    expect(connector.delivered.filter((d) => d.activityId === n.activityId)).toHaveLength(1);
  }
  // The status cards and the digest list them among the owners the bot cannot reach.
  const reachable = new Set(
    (await world.storage.people.listPeople())
      .filter((p) => p.value.reachable)
      .map((p) => p.value.email),
  );
  const summary = summariseProgress({ timeZone: 'Europe/London' }, actions, MORNING, reachable);
  expect(summary.unreachable.map((u) => u.email)).toContain(blocked);
  // And no more reminders are queued for them.
  const next = await runReminders(world.instance(), {
    holder: 'test',
    asOf: DateTime.fromISO('2017-03-30T09:00', { zone: 'Europe/London' }).toJSDate(),
    ...FAST,
  });
  expect(next).toMatchObject({ ran: true });
  expect(
    connector.attempts.filter((a) => a.conversationId === conversationOf(blocked)),
  ).toHaveLength(byTeams.length);
}, 60_000);

it('a 429 is retried after its Retry-After, and counted on the record', async () => {
  const world = await newWorld();
  connector.inject('*', { status: 429, retryAfterSeconds: 1 }, 1);
  const run = await runReminders(world.instance(), { holder: 'test', asOf: MORNING, ...FAST });
  expect(run).toMatchObject({ ran: true, delivery: { failed: 0 } });
  expect(run.ran && run.delivery.throttled).toBeGreaterThanOrEqual(1);
  const throttled = connector.attempts.find((a) => a.status === 429)!;
  const retry = connector.attempts.find(
    (a) =>
      a.conversationId === throttled.conversationId &&
      a.summary === throttled.summary &&
      a.at > throttled.at,
  )!;
  expect(retry.status).toBe(200);
  // Retry-After: 1 second (the clock may round a millisecond or two either way).
  expect(retry.at - throttled.at).toBeGreaterThanOrEqual(990);
  const record = (await recordsOf(world)).find((r) => r.throttled > 0)!;
  expect(record.state).toBe('sent');
  expect(record.throttled).toBeGreaterThanOrEqual(1);
  expect(connector.delivered.filter((d) => d.activityId === record.activityId)).toHaveLength(1);
}, 60_000);

it('a timeout and a 503 are retried and delivered once; 412s that never stop end in the dead-letter queue', async () => {
  const world = await newWorld();
  const [hangs, flaky, stubborn] = OWNERS;
  connector.inject(conversationOf(hangs!), { status: 'hang' }, 1);
  connector.inject(conversationOf(flaky!), { status: 503 }, 1);
  connector.inject(conversationOf(stubborn!), { status: 412 }, 1000);
  const deps = world.instance({ requestTimeoutMs: 500 });
  const run = await runReminders(deps, { holder: 'test', asOf: MORNING, ...FAST, maxAttempts: 3 });
  expect(run).toMatchObject({ ran: true });

  const records = await recordsOf(world);
  for (const email of [hangs!, flaky!]) {
    const mine = records.filter((r) => r.recipient === email);
    expect(mine.length).toBeGreaterThan(0);
    for (const r of mine) {
      expect(r.state).toBe('sent');
      expect(connector.delivered.filter((d) => d.activityId === r.activityId)).toHaveLength(1);
    }
  }
  const failed = records.filter((r) => r.recipient === stubborn);
  expect(failed.length).toBeGreaterThan(0);
  for (const r of failed)
    expect(r).toMatchObject({ state: 'failed', code: 'PreconditionFailed', attempts: 3 });
  const dead = await deps.queue.listDeadLetters();
  expect(dead.total).toBe(failed.length);
  expect(dead.letters.map((l) => l.recipient)).toEqual(failed.map(() => stubborn));
  expect(connector.delivered.filter((d) => d.conversationId === conversationOf(stubborn!))).toEqual(
    [],
  );
}, 60_000);
