import { DateTime } from 'luxon';
import type { ReminderDeps } from '../../../src/app/reminders/reminder-deps.js';
import { runReminders } from '../../../src/app/reminders/run.js';
import { deliverQueued } from '../../../src/app/reminders/send.js';
import { sweepReminders } from '../../../src/app/reminders/sweep.js';
import {
  type AzureReminderWorld,
  PLAN_ID,
  useAzureReminderWorld,
} from '../../helpers/reminder-azure-world.js';

/** Several scheduler instances on one storage account, and a sender that dies mid-batch. */
const { connector, newWorld } = useAzureReminderWorld({ latencyMs: 20 });

/** Wednesday 1 March 2017, 09:00: a busy morning (monthly check-ins, overdue catch-ups). */
const MORNING = DateTime.fromISO('2017-03-01T09:00', { zone: 'Europe/London' }).toJSDate();
const FAST = { pollMs: 20, retryBaseMs: 200, visibilitySeconds: 2, claimTimeoutMs: 3_000 };

async function sentRecords(world: AzureReminderWorld) {
  return (await world.stores.deliveries.listSince(PLAN_ID, '2017-01-01')).map((r) => r.value);
}

/** Every message the connector accepted belongs to exactly one sent record, and the reverse. */
async function expectExactlyOnce(world: AzureReminderWorld): Promise<number> {
  const records = await sentRecords(world);
  const sent = records.filter((r) => r.state === 'sent');
  const ids = connector.delivered.map((d) => d.activityId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.sort()).toEqual(sent.map((r) => r.activityId!).sort());
  return sent.length;
}

it('two schedulers at once: one takes the lease and sends; each reminder goes once', async () => {
  const world = await newWorld();
  const [a, b] = await Promise.all([
    runReminders(world.instance(), { holder: 'instance-a', asOf: MORNING, ...FAST }),
    runReminders(world.instance(), { holder: 'instance-b', asOf: MORNING, ...FAST }),
  ]);
  expect([a.ran, b.ran].sort()).toEqual([false, true]);
  const n = await expectExactlyOnce(world);
  expect(n).toBeGreaterThan(10);
  // A later round on either instance finds everything handled.
  const again = await runReminders(world.instance(), {
    holder: 'instance-b',
    asOf: MORNING,
    ...FAST,
  });
  expect(again).toMatchObject({ ran: true, sweep: { queued: 0 }, delivery: { sent: 0 } });
  expect(connector.delivered).toHaveLength(n);
}, 60_000);

it('without the lease (two instances sweeping and sending together) each reminder still goes once', async () => {
  const world = await newWorld();
  const a = world.instance();
  const b = world.instance();
  const sweeps = await Promise.all([sweepReminders(a, MORNING), sweepReminders(b, MORNING)]);
  expect(sweeps[0].queued + sweeps[1].queued).toBe(sweeps[0].due);
  await Promise.all([
    deliverQueued(a, { holder: 'a', now: () => MORNING, ...FAST }),
    deliverQueued(b, { holder: 'b', now: () => MORNING, ...FAST }),
  ]);
  expect(await expectExactlyOnce(world)).toBe(sweeps[0].due);
}, 60_000);

/**
 * A sender's dependencies that stop answering for good once `kill()` is called: every call after
 * that hangs, as if the process had died (its queue messages come back when their visibility
 * runs out; its claims stay on the records).
 */
function killable(deps: ReminderDeps): { deps: ReminderDeps; kill: () => void } {
  let dead = false;
  const never = new Promise<never>(() => undefined);
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, key, receiver) {
        const value = Reflect.get(obj, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) =>
          dead ? never : (value as (...a: unknown[]) => unknown).apply(obj, args);
      },
    });
  return {
    deps: {
      ...deps,
      plans: wrap(deps.plans),
      people: wrap(deps.people),
      deliveries: wrap(deps.deliveries),
      queue: wrap(deps.queue),
      sentCards: wrap(deps.sentCards),
      notifier: wrap(deps.notifier),
    },
    kill: () => {
      dead = true;
    },
  };
}

it('a sender killed mid-batch: another finishes the batch, nothing twice, nothing lost', async () => {
  const world = await newWorld();
  const first = killable(world.instance());
  const sweep = await sweepReminders(first.deps, MORNING);
  expect(sweep.queued).toBeGreaterThan(10);

  // The first sender dies right after its fifth reminder is recorded as sent, before it deletes
  // that message, with the rest of its batch of 32 taken but not sent.
  const deliveries = first.deps.deliveries;
  let recordedSent = 0;
  const dying = {
    ...first.deps,
    deliveries: {
      ...deliveries,
      get: deliveries.get.bind(deliveries),
      create: deliveries.create.bind(deliveries),
      listSince: deliveries.listSince.bind(deliveries),
      update: async (record: Parameters<typeof deliveries.update>[0], version: string) => {
        const etag = await deliveries.update(record, version);
        if (record.state === 'sent' && ++recordedSent === 5) first.kill();
        return etag;
      },
    },
  };
  void deliverQueued(dying, { holder: 'dying', now: () => MORNING, ...FAST, concurrency: 1 });
  while (!connector.delivered.length || recordedSent < 5)
    await new Promise((r) => setTimeout(r, 20));
  expect(connector.delivered).toHaveLength(5);

  // A second sender takes over once the messages are visible again.
  const second = world.instance();
  const report = await deliverQueued(second, { holder: 'second', now: () => MORNING, ...FAST });
  expect(report.sent).toBe(sweep.queued - 5);
  expect(report.alreadyDone).toBeGreaterThanOrEqual(1); // the fifth's message came back: not resent
  expect(await expectExactlyOnce(world)).toBe(sweep.queued);
}, 60_000);

it('a sender killed while Teams has not answered: that reminder is not sent again, but listed as failed', async () => {
  const world = await newWorld();
  const first = killable(world.instance());
  const sweep = await sweepReminders(first.deps, MORNING);
  connector.inject('*', { status: 'hang' }, 1);
  void deliverQueued(first.deps, { holder: 'dying', now: () => MORNING, ...FAST, concurrency: 1 });
  while (!connector.attempts.some((a) => a.status === 0))
    await new Promise((r) => setTimeout(r, 20));
  first.kill();

  const second = world.instance();
  const report = await deliverQueued(second, { holder: 'second', now: () => MORNING, ...FAST });
  expect(report).toMatchObject({ sent: sweep.queued - 1, failed: 1 });
  expect(await expectExactlyOnce(world)).toBe(sweep.queued - 1);
  const failed = await second.queue.listDeadLetters();
  expect(failed.total).toBe(1);
  expect(failed.letters[0]).toMatchObject({ code: 'Uncertain' });
}, 60_000);
