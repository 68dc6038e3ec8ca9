import { previewReminders } from '../../../src/app/reminders/preview.js';
import { readConfig } from '../../../src/config.js';
import { openContainer, type Container } from '../../../src/container.js';
import type { ChannelPoster } from '../../../src/ports/channel-poster.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { startServer } from '../../../src/server.js';
import { DEFAULT_PEOPLE_TABLE_NAME } from '../../../src/storage/azure-people-repository.js';
import { DEFAULT_REMINDER_TABLE_NAME } from '../../../src/storage/azure-reminder-table.js';
import { DEFAULT_SENT_CARDS_TABLE_NAME } from '../../../src/storage/azure-sent-card-repository.js';
import type { StoreNames } from '../../../src/storage/open-storage.js';
import { DEFAULT_TABLE_NAME } from '../../../src/storage/table-keys.js';
import { freshTableName } from '../../helpers/azurite.js';
import {
  conversationOf,
  PLAN_ID,
  reminderRounds,
  TENANT,
  useAzureReminderWorld,
} from '../../helpers/reminder-azure-world.js';
import { recordingLogger, type LogRecord } from '../../helpers/recording-logger.js';

/** The in-process scheduler `serve` runs: the digest and the reminders on one timer, stopped cleanly. */
const { azurite, connector, newWorld } = useAzureReminderWorld();

it('runs the reminders on each tick, sends each reminder once, and stops when told', async () => {
  const world = await newWorld();
  const deps = { ...world.instance(), clock: fixedClock('2017-03-22T09:00:00Z') };
  const reports = await reminderRounds(deps, 'tick');
  expect(reports[0]).toMatchObject({ ran: true, delivery: { failed: 0 } });
  const sent = connector.delivered.length;
  expect(sent).toBeGreaterThan(5);
  expect(reports[1]).toMatchObject({ ran: true, sweep: { queued: 0 }, delivery: { sent: 0 } });
  // Stopped: no further rounds.
  await new Promise((r) => setTimeout(r, 500));
  expect(reports).toHaveLength(2);
  expect(connector.delivered).toHaveLength(sent);
}, 30_000);

/** A channel subscribed to the MoJ plan's digest, on the fake connector. */
const CHANNEL = '19:kim-team@thread.tacv2';
const channelReference = (serviceUrl: string): string =>
  JSON.stringify({
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: CHANNEL, conversationType: 'channel', tenantId: TENANT, isGroup: true },
    bot: { id: '28:action-plan-bot', name: 'Action Plan' },
  });

describe('the scheduler serve starts', () => {
  // Monday 27 March 2017, 09:00 in London (BST since the day before): the digest's slot, and a
  // morning with reminders due.
  const MONDAY = '2017-03-27T08:00:00Z';
  const configWith = (env: Record<string, string> = {}) =>
    readConfig({
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      LOG_LEVEL: 'silent',
      ...env,
    });
  const open = (logs: LogRecord[], env: Record<string, string> = {}, names?: StoreNames) =>
    openContainer(configWith(env), {
      clock: fixedClock(MONDAY),
      logger: recordingLogger(logs),
      ...(names ? { names } : {}),
    });
  const subscribe = (container: Container) =>
    container.deps.digestSubscriptions.save({
      planId: PLAN_ID,
      conversationId: CHANNEL,
      reference: channelReference(connector.url),
      kind: 'channel',
      name: 'KIM team',
      subscribedBy: 'kim.admin@justice.gov.uk',
      subscribedAt: '2017-03-21T10:00:00.000Z',
    });
  /**
   * Subscribes the channel, checks that reminders are due on Monday morning, and runs the
   * scheduler serve starts for one tick: over once the reminders job has delivered or stood aside
   * (or failed, which the tests then see in the logs). Resolves to the reminders that were due.
   */
  const firstTick = async (container: Container, poster: ChannelPoster, logs: LogRecord[]) => {
    await subscribe(container);
    const due = (await previewReminders(container.deps, { asOf: new Date(MONDAY) })).filter(
      (p) => p.status === 'would_send',
    );
    expect(due.length).toBeGreaterThan(0);
    const scheduler = container.startScheduler(poster)!;
    const ended = () =>
      logs.some(
        (l) =>
          String(l.fields.jobId).startsWith('reminders') &&
          (l.level === 'warn' ||
            ['reminders delivered', 'reminders: not this instance'].includes(l.message)),
      );
    while (!ended()) await new Promise((r) => setTimeout(r, 100));
    await scheduler.stop();
    return due;
  };

  it('posts the digest and sends the reminders from one tick', async () => {
    await newWorld({
      tableName: DEFAULT_TABLE_NAME,
      peopleTableName: DEFAULT_PEOPLE_TABLE_NAME,
      reminderTable: DEFAULT_REMINDER_TABLE_NAME,
      sentCardsTable: DEFAULT_SENT_CARDS_TABLE_NAME,
      queueName: 'actionplan-reminders',
    });
    const logs: LogRecord[] = [];
    const container = await open(logs);
    const server = await startServer({ container, port: 0, host: '127.0.0.1' });
    try {
      const due = await firstTick(container, server.poster, logs);

      const posts = connector.delivered.filter((d) => d.conversationId === CHANNEL);
      expect(posts).toHaveLength(1);
      expect(JSON.stringify(posts[0]!.body)).toContain('Weekly digest');
      const reminders = connector.delivered.filter((d) => d.conversationId !== CHANNEL);
      expect(reminders.map((d) => d.conversationId).sort()).toEqual(
        due.map((p) => conversationOf(p.recipient)).sort(),
      );
      // The digest ran first, then the reminders, each with its own job id.
      const jobs = logs
        .filter((l) => l.message === 'digest sweep' || l.message === 'reminders delivered')
        .map((l) => String(l.fields.jobId).split(' ')[0]);
      expect(jobs).toEqual(['digest', 'reminders']);
    } finally {
      await server.close();
      await container.close();
    }
  }, 60_000);

  it('with REMINDERS_ENABLED=false sends nothing on its own: no reminders, no digest', async () => {
    const logs: LogRecord[] = [];
    const staging = await open(logs, { REMINDERS_ENABLED: 'false' });
    const live = await open(logs);
    const poster = { post: () => Promise.reject(new Error('not in this test')) };
    try {
      const off = staging.startScheduler(poster);
      expect(off).toBeUndefined();
      expect(logs.filter((l) => l.message === 'scheduler started')).toEqual([]);
      const on = live.startScheduler(poster);
      expect(on).toBeDefined();
      await on!.stop();
      // The daily roster job (re-reading rosters, Graph installations) runs only where the rest does.
      expect(logs.find((l) => l.message === 'scheduler started')?.fields.jobs).toEqual([
        'digest',
        'reminders',
        'rosters',
      ]);
    } finally {
      await staging.close();
      await live.close();
    }
  }, 30_000);

  it('keeps to the leases the bot’s stores hold, timed by the bot’s clock', async () => {
    // A plan of its own, so that its reminders are due whatever the tests above sent.
    const world = await newWorld();
    const { names } = world;
    const logs: LogRecord[] = [];
    const container = await open(
      logs,
      {},
      {
        tableName: names.tableName,
        peopleTableName: names.peopleTableName,
        reminderTableName: names.reminderTable,
        sentCardsTableName: names.sentCardsTable,
        digestSubscriptionsTableName: freshTableName('digests'),
        queueName: names.queueName,
      },
    );
    // Another instance is at work: both jobs' leases taken on the container's stores until ten
    // minutes past Monday 09:00 by its clock (long past by the machine's).
    for (const lease of ['reminders', 'digest-sweep']) {
      expect(await container.deps.leases.acquire(lease, 'another-instance', 600_000)).toBe(true);
    }
    const server = await startServer({ container, port: 0, host: '127.0.0.1' });
    try {
      await firstTick(container, server.poster, logs);

      expect(logs.filter((l) => l.level === 'warn' && l.fields.jobId)).toEqual([]);
      expect(connector.delivered).toEqual([]);
      expect(logs.map((l) => l.message)).toEqual(
        expect.arrayContaining([
          'digest sweep: another instance has it',
          'reminders: not this instance',
        ]),
      );
    } finally {
      await server.close();
      await container.close();
    }
  }, 60_000);
});
