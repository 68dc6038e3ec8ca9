import type { RunReport } from '../../../src/app/reminders/run.js';
import { readConfig } from '../../../src/config.js';
import { openContainer } from '../../../src/container.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { silentLogger } from '../../../src/ports/logger.js';
import { startConfiguredReminders, startReminderScheduler } from '../../../src/scheduler.js';
import type { EmbeddedAzurite } from '../../../src/storage/embedded-azurite.js';
import { startTestAzurite } from '../../helpers/azurite.js';
import { azureReminderWorld } from '../../helpers/reminder-azure-world.js';
import {
  startRateLimitingConnector,
  type RateLimitingConnector,
} from '../../helpers/rate-limiting-connector.js';

/** The in-process scheduler `serve` runs: rounds on a timer, stopped cleanly. */
let azurite: EmbeddedAzurite;
let connector: RateLimitingConnector;
beforeAll(async () => {
  azurite = await startTestAzurite();
  connector = await startRateLimitingConnector();
});
afterAll(async () => {
  await connector.close();
  await azurite.stop();
});

it('runs a round on each tick, sends each reminder once, and stops when told', async () => {
  const world = await azureReminderWorld(azurite.connectionString, connector);
  const deps = { ...world.instance(), clock: fixedClock('2017-03-22T09:00:00Z') };
  const reports: RunReport[] = [];
  const twoRounds = new Promise<void>((done) => {
    const scheduler = startReminderScheduler(deps, {
      intervalMs: 200,
      firstRunAfterMs: 0,
      holder: 'tick',
      onRun: (r) => {
        reports.push(r);
        if (reports.length === 2) void scheduler.stop().then(done);
      },
    });
  });
  await twoRounds;
  expect(reports[0]).toMatchObject({ ran: true, delivery: { failed: 0 } });
  const sent = connector.delivered.length;
  expect(sent).toBeGreaterThan(5);
  expect(reports[1]).toMatchObject({ ran: true, sweep: { queued: 0 }, delivery: { sent: 0 } });
  // Stopped: no further rounds.
  await new Promise((r) => setTimeout(r, 500));
  expect(reports).toHaveLength(2);
  expect(connector.delivered).toHaveLength(sent);
}, 30_000);

it('REMINDERS_ENABLED=false starts nothing', async () => {
  const config = readConfig({ REMINDERS_ENABLED: 'false', LOG_LEVEL: 'silent' });
  const container = await openContainer(config, { inMemory: true, logger: silentLogger });
  try {
    expect(startConfiguredReminders(config, container)).toBeUndefined();
    const on = startConfiguredReminders(readConfig({ LOG_LEVEL: 'silent' }), container);
    expect(on).toBeDefined();
    await on!.stop();
  } finally {
    await container.close();
  }
}, 30_000);
