import { DateTime } from 'luxon';
import { runReminders } from '../../../src/app/reminders/run.js';
import { workingDaysFor } from '../../../src/calendar/bank-holidays.js';
import { dueReminders } from '../../../src/domain/reminder-policy.js';
import type { DeliveryRecord } from '../../../src/ports/delivery-records.js';
import {
  ADMIN,
  AREAS,
  PLAN_ID,
  refOfCard,
  useAzureReminderWorld,
} from '../../helpers/reminder-azure-world.js';

/**
 * Every day of March and April 2017 for the MoJ plan, every action owned: the scheduler run at
 * 09:00 London time each day (what `actionplan reminders run --as-of <day>` does), against
 * Azurite and the rate-limiting fake connector, through the real Teams notifier.
 */
const { connector, newWorld } = useAzureReminderWorld();

const ew = workingDaysFor('GB-ENG');
const days = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from); d <= DateTime.fromISO(to); d = d.plus({ days: 1 })) {
    out.push(d.toISODate()!);
  }
  return out;
};
const nineAm = (day: string) =>
  DateTime.fromISO(`${day}T09:00`, { zone: 'Europe/London' }).toJSDate();

it('March–April 2017: every reminder the policy names is delivered exactly once, none on weekends, bank holidays or for done actions', async () => {
  const world = await newWorld();
  const deps = world.instance();
  const sentOn = new Map<string, number>();
  for (const day of days('2017-03-01', '2017-04-30')) {
    const before = connector.delivered.length;
    const run = await runReminders(deps, {
      holder: 'simulation',
      asOf: nineAm(day),
      pollMs: 20,
      retryBaseMs: 200,
    });
    expect(run).toMatchObject({ ran: true, delivery: { failed: 0 } });
    sentOn.set(day, connector.delivered.length - before);
  }

  // Nothing on weekends, Good Friday (14 April) or Easter Monday (17 April); something most days.
  for (const [day, n] of sentOn) if (!ew.isWorkingDay(day)) expect([day, n]).toEqual([day, 0]);
  expect(sentOn.get('2017-04-14')).toBe(0);
  expect(sentOn.get('2017-04-17')).toBe(0);

  const records = (await world.stores.deliveries.listSince(PLAN_ID, '2017-01-01')).map(
    (r) => r.value,
  );
  const sent = records.filter((r) => r.state === 'sent');
  expect(records.filter((r) => r.state !== 'sent')).toEqual([]);
  // One message per record, one record per message: nothing twice, nothing lost.
  expect(connector.delivered).toHaveLength(sent.length);
  expect(new Set(connector.delivered.map((d) => d.activityId))).toEqual(
    new Set(sent.map((r) => r.activityId)),
  );
  for (const d of connector.delivered) {
    const record = sent.find((r) => r.activityId === d.activityId)!;
    expect(d.conversationId).toBe(`a:${record.recipient}`);
    expect(refOfCard(d.body)).toBe(record.ref);
  }
  // A 429 (the fake connector shares this busy process, so one can slip through) is waited out
  // and changes none of the above: each reminder still arrived once.
  // Done actions (2.6 complete, 3.5 closed) get nothing.
  expect(sent.filter((r) => ['2.6', '3.5'].includes(r.ref))).toEqual([]);
  for (const r of sent) expect(ew.isWorkingDay(r.scheduledFor)).toBe(true);

  // Exactly what the policy says, day by day (each reminder once).
  const plan = (await world.storage.plans.getPlan(PLAN_ID))!.value;
  const actions = (await world.storage.plans.listActions(PLAN_ID)).map((a) => a.value);
  const areas = (await world.storage.plans.listAreas(PLAN_ID)).map((a) => a.value);
  const expected = new Set<string>();
  for (const day of days('2017-03-01', '2017-04-30')) {
    for (const r of dueReminders({
      plan,
      actions,
      areas,
      adminEmails: [ADMIN],
      workingDays: ew,
      now: nineAm(day),
    })) {
      expected.add(r.id);
    }
  }
  expect(new Set(sent.map((r) => r.id))).toEqual(expected);

  // One action by hand: 4.9a, End Mar 2017 (Friday 31 March).
  const of49a = (r: DeliveryRecord) =>
    `${r.scheduledFor} ${r.kind}${r.workingDaysBefore ? `-${r.workingDaysBefore}` : ''} ${r.role}`;
  expect(
    sent
      .filter((r) => r.ref === '4.9a')
      .map(of49a)
      .sort(),
  ).toEqual([
    '2017-03-13 before-14 owner',
    '2017-03-22 before-7 owner',
    '2017-03-30 before-1 owner',
    '2017-03-31 due_today owner',
    '2017-04-07 overdue owner',
    '2017-04-18 escalation champion',
    '2017-04-18 overdue owner',
    '2017-04-21 overdue owner',
    '2017-04-28 overdue owner',
  ]);
  const escalation = sent.find((r) => r.ref === '4.9a' && r.kind === 'escalation')!;
  const area = actions.find((a) => a.ref === '4.9a')!.area!;
  expect(escalation.recipient).toBe(AREAS[area]);
  // Every card sent is kept with its activity id, so it can be updated later.
  expect(await world.stores.sentCards.listForAction(PLAN_ID, '4.9a')).toHaveLength(9);
}, 120_000);
