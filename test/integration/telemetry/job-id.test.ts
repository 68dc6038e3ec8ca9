import type { RunReport } from '../../../src/app/reminders/run.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { Logger } from '../../../src/ports/logger.js';
import { startReminderScheduler } from '../../../src/scheduler.js';
import type { EmbeddedAzurite } from '../../../src/storage/embedded-azurite.js';
import { startTestAzurite } from '../../helpers/azurite.js';
import { azureReminderWorld } from '../../helpers/reminder-azure-world.js';
import {
  startRateLimitingConnector,
  type RateLimitingConnector,
} from '../../helpers/rate-limiting-connector.js';

/**
 * One logger everywhere, and the job id on every line a scheduled round writes: two rounds of
 * the reminder scheduler, each line of each round carrying its own round's id.
 */

interface Line {
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

function recordingLogger(lines: Line[], bound: Record<string, unknown> = {}): Logger {
  const at = (fields: object, message: string) =>
    lines.push({ message, fields: { ...bound, ...fields } });
  return {
    debug: at,
    info: at,
    warn: at,
    error: at,
    child: (fields) => recordingLogger(lines, { ...bound, ...fields }),
  };
}

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
  const lines: Line[] = [];
  const deps = {
    ...world.instance(),
    clock: fixedClock('2017-03-22T09:00:00Z'),
    logger: recordingLogger(lines),
  };
  const reports: RunReport[] = [];
  await new Promise<void>((done) => {
    const scheduler = startReminderScheduler(deps, {
      intervalMs: 200,
      firstRunAfterMs: 0,
      holder: 'instance-1',
      onRun: (r) => {
        reports.push(r);
        if (reports.length === 2) void scheduler.stop().then(done);
      },
    });
  });
  const roundLines = lines.filter((l) => l.message !== 'reminder scheduler started');
  expect(roundLines.map((l) => l.message)).toEqual(
    expect.arrayContaining(['reminder sweep', 'reminders delivered']),
  );
  expect(roundLines.filter((l) => typeof l.fields.jobId !== 'string')).toEqual([]);
  const jobIds = new Set(roundLines.map((l) => l.fields.jobId));
  expect(jobIds.size).toBe(2);
  for (const id of jobIds) expect(id).toMatch(/^reminders instance-1 \d{4}-\d\d-\d\dT/);
}, 30_000);
