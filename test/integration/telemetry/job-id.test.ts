import type { RunReport } from '../../../src/app/reminders/run.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { reminderJob, startScheduler } from '../../../src/scheduler.js';
import type { EmbeddedAzurite } from '../../../src/storage/embedded-azurite.js';
import { startTestAzurite } from '../../helpers/azurite.js';
import { azureReminderWorld } from '../../helpers/reminder-azure-world.js';
import { recordingLogger, type LogRecord } from '../../helpers/recording-logger.js';
import {
  startRateLimitingConnector,
  type RateLimitingConnector,
} from '../../helpers/rate-limiting-connector.js';

/**
 * One logger everywhere, and the job id on every line a scheduled job writes: two ticks of the
 * scheduler running the reminders, each line of each round carrying its own round's id.
 */

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

it('puts the round’s job id on every line of a reminder round', async () => {
  const world = await azureReminderWorld(azurite.connectionString, connector);
  const lines: LogRecord[] = [];
  const deps = {
    ...world.instance(),
    clock: fixedClock('2017-03-22T09:00:00Z'),
    logger: recordingLogger(lines),
  };
  const reports: RunReport[] = [];
  await new Promise<void>((done) => {
    const job = reminderJob(deps, 'instance-1', (r) => {
      reports.push(r);
      if (reports.length === 2) void scheduler.stop().then(done);
    });
    const scheduler = startScheduler([job], {
      intervalMs: 200,
      firstRunAfterMs: 0,
      holder: 'instance-1',
      logger: deps.logger,
    });
  });
  const roundLines = lines.filter((l) => l.message !== 'scheduler started');
  expect(roundLines.map((l) => l.message)).toEqual(
    expect.arrayContaining(['reminder sweep', 'reminders delivered']),
  );
  expect(roundLines.filter((l) => typeof l.fields.jobId !== 'string')).toEqual([]);
  const jobIds = new Set(roundLines.map((l) => l.fields.jobId));
  expect(jobIds.size).toBe(2);
  for (const id of jobIds) expect(id).toMatch(/^reminders instance-1 \d{4}-\d\d-\d\dT/);
}, 30_000);
