import { runCli, type CliEnvironment } from '../../../src/cli/program.js';
import { readConfig } from '../../../src/config.js';
import { openContainer } from '../../../src/container.js';
import { readPlanFile } from '../../../src/documents/plan-file.js';
import { silentLogger } from '../../../src/ports/logger.js';
import {
  type AzureReminderWorld,
  OWNERS,
  useAzureReminderWorld,
} from '../../helpers/reminder-azure-world.js';

/**
 * `actionplan reminders …` against Azurite and the fake connector, wired as main.ts wires it (the
 * container, on the world's tables and queue).
 */
const { azurite, connector, newWorld } = useAzureReminderWorld();
let world: AzureReminderWorld;
beforeAll(async () => {
  world = await newWorld();
});

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const config = readConfig({
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    LOG_LEVEL: 'silent',
  });
  const { names } = world;
  const env: CliEnvironment = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    config,
    open: () =>
      openContainer(config, {
        logger: silentLogger,
        names: {
          tableName: names.tableName,
          peopleTableName: names.peopleTableName,
          reminderTableName: names.reminderTable,
          sentCardsTableName: names.sentCardsTable,
          queueName: names.queueName,
        },
      }),
    readPlanFile,
  };
  const code = await runCli(args, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

it('preview lists what would go out at 09:00 on a day, in the plan’s time zone, and sends nothing', async () => {
  const preview = await cli('reminders', 'preview', '--as-of', '2017-03-22', '--json');
  expect(preview).toMatchObject({ code: 0, err: '' });
  const parsed = JSON.parse(preview.out) as {
    asOf: string;
    reminders: { ref: string; kind: string; status: string }[];
  };
  expect(parsed.asOf).toBe('2017-03-22T09:00:00.000Z'); // GMT until 26 March
  expect(
    parsed.reminders
      .filter((r) => r.kind === 'before')
      .map((r) => r.ref)
      .sort(),
  ).toEqual(['1.1', '1.2', '1.4', '2.4', '4.3', '4.7', '4.8', '4.9a', '4.9b', '4.9c'].sort());
  expect(parsed.reminders.every((r) => r.status === 'would_send')).toBe(true);
  expect(connector.delivered).toEqual([]);

  const text = await cli('reminders', 'preview', '--as-of', '2017-03-30T10:30');
  expect(text.out).toContain('Reminders due at 2017-03-30T09:30:00.000Z'); // BST
  expect(text.out).toMatch(/4\.9a +1 working day before +\S+ +would send/);
});

it('run sends that day’s reminders and exits; a second run sends nothing; preview then says sent', async () => {
  const run = await cli('reminders', 'run', '--as-of', '2017-03-22');
  expect(run).toMatchObject({ code: 0, err: '' });
  expect(run.out).toMatch(/Swept: \d+ due, \d+ queued/);
  expect(run.out).toContain('0 failed');
  const sent = connector.delivered.length;
  expect(sent).toBeGreaterThan(8);
  const again = await cli('reminders', 'run', '--as-of', '2017-03-22', '--json');
  expect(JSON.parse(again.out)).toMatchObject({
    ran: true,
    sweep: { queued: 0 },
    delivery: { sent: 0 },
  });
  expect(connector.delivered).toHaveLength(sent);
  const preview = await cli('reminders', 'preview', '--as-of', '2017-03-22');
  expect(preview.out).toMatch(/4\.9a +7 working days before +\S+ +already sent/);
});

it('run refuses politely while another instance holds the lease', async () => {
  await world.stores.leases.acquire('reminders', 'the-server', 60_000);
  try {
    const run = await cli('reminders', 'run');
    expect(run.code).toBe(1);
    expect(run.err).toContain('Another instance of the bot is sending reminders');
  } finally {
    await world.stores.leases.release('reminders', 'the-server');
  }
});

it('failed lists the dead-letter queue', async () => {
  expect((await cli('reminders', 'failed')).out).toBe('No failed reminders.');
  const queue = world.stores.queue;
  await queue.send({ planId: 'moj-ima-2017', id: 'x', scheduledFor: '2017-03-22' });
  const [m] = await queue.receive(1, 30);
  await queue.deadLetter(m!, {
    planId: 'moj-ima-2017',
    id: 'x',
    ref: '4.9a',
    kind: 'before',
    recipient: OWNERS[0]!,
    code: 'PreconditionFailed',
    reason: 'Teams kept answering 412 PreconditionFailed; gave up after 5 tries.',
    attempts: 5,
    failedAt: '2017-03-22T09:05:00.000Z',
  });
  const failed = await cli('reminders', 'failed');
  expect(failed.out).toContain('2017-03-22 09:05');
  expect(failed.out).toContain('PreconditionFailed');
  expect(failed.out).toContain('1 failed reminder.');
  expect(JSON.parse((await cli('reminders', 'failed', '--json')).out)).toMatchObject({ total: 1 });
});

it('settings shows the defaults and changes what it is told, refusing bad values', async () => {
  const shown = await cli('reminders', 'settings');
  expect(shown.out).toContain('14, 7, 1, 0 working days');
  expect(shown.out).toContain('09:00, working days only');
  const changed = await cli(
    'reminders',
    'settings',
    '--before',
    '10,3,0',
    '--send-at',
    '08:30',
    '--check-in',
    'off',
    '--json',
  );
  expect(JSON.parse(changed.out)).toMatchObject({
    workingDaysBefore: [10, 3, 0],
    sendAt: '08:30',
    monthlyCheckIn: false,
    overdueEveryDays: 7,
  });
  const bad = await cli('reminders', 'settings', '--holidays', 'Narnia', '--send-at', '8am');
  expect(bad.code).toBe(1);
  expect(bad.err).toContain('Narnia');
  expect(bad.err).toContain('8am');
  expect((await cli('reminders', 'preview', '--as-of', 'yesterday')).code).toBe(2);
  // The day's preview now starts at 08:30.
  expect((await cli('reminders', 'preview', '--as-of', '2017-04-03')).out).toContain(
    '2017-04-03T07:30:00.000Z',
  );
});
