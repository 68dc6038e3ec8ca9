import { previewReminders } from '../../../src/app/reminders/preview.js';
import { readConfig } from '../../../src/config.js';
import { openContainer } from '../../../src/container.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { reminderDepsOf, startConfiguredScheduler } from '../../../src/scheduler.js';
import { startServer } from '../../../src/server.js';
import { DEFAULT_PEOPLE_TABLE_NAME } from '../../../src/storage/azure-people-repository.js';
import { DEFAULT_REMINDER_TABLE_NAME } from '../../../src/storage/azure-reminder-table.js';
import { DEFAULT_SENT_CARDS_TABLE_NAME } from '../../../src/storage/azure-sent-card-repository.js';
import { DEFAULT_TABLE_NAME } from '../../../src/storage/table-keys.js';
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
  const open = async (logs: LogRecord[]) => {
    const config = configWith();
    const container = await openContainer(config, {
      clock: fixedClock(MONDAY),
      logger: recordingLogger(logs),
    });
    return { config, container };
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
    const { config, container } = await open(logs);
    const server = await startServer({ config, container, port: 0, host: '127.0.0.1' });
    try {
      await container.scheduler.subscriptions.save({
        planId: PLAN_ID,
        conversationId: CHANNEL,
        reference: channelReference(connector.url),
        kind: 'channel',
        name: 'KIM team',
        subscribedBy: 'kim.admin@justice.gov.uk',
        subscribedAt: '2017-03-21T10:00:00.000Z',
      });
      const due = (
        await previewReminders(
          reminderDepsOf(container, config, { send: () => Promise.reject(new Error('preview')) }),
          {
            asOf: new Date(MONDAY),
          },
        )
      ).filter((p) => p.status === 'would_send');
      expect(due.length).toBeGreaterThan(0);

      const scheduler = startConfiguredScheduler(config, container, server.poster)!;
      // The tick is over when the reminders job has delivered (or failed: then the test fails).
      const ended = () =>
        logs.some(
          (l) =>
            l.message === 'reminders delivered' ||
            (l.level === 'warn' && String(l.fields.jobId).startsWith('reminders')),
        );
      while (!ended()) await new Promise((r) => setTimeout(r, 100));
      await scheduler.stop();

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
    const { container } = await open(logs);
    const poster = { post: () => Promise.reject(new Error('not in this test')) };
    try {
      const off = startConfiguredScheduler(
        configWith({ REMINDERS_ENABLED: 'false' }),
        container,
        poster,
      );
      expect(off).toBeUndefined();
      expect(logs.filter((l) => l.message === 'scheduler started')).toEqual([]);
      const on = startConfiguredScheduler(configWith(), container, poster);
      expect(on).toBeDefined();
      await on!.stop();
      expect(logs.find((l) => l.message === 'scheduler started')?.fields.jobs).toEqual([
        'digest',
        'reminders',
      ]);
    } finally {
      await container.close();
    }
  }, 30_000);
});
