import { fixedClock } from '../../../src/ports/clock.js';
import { reminderRounds, useAzureReminderWorld } from '../../helpers/reminder-azure-world.js';
import { recordingLogger, type LogRecord } from '../../helpers/recording-logger.js';

/**
 * One logger everywhere, and the job id on every line a scheduled job writes: two ticks of the
 * scheduler running the reminders, each line of each round carrying its own round's id.
 */

const { newWorld } = useAzureReminderWorld();

it('puts the round’s job id on every line of a reminder round', async () => {
  const world = await newWorld();
  const lines: LogRecord[] = [];
  const deps = {
    ...world.instance(),
    clock: fixedClock('2017-03-22T09:00:00Z'),
    logger: recordingLogger(lines),
  };
  await reminderRounds(deps, 'instance-1');
  const roundLines = lines.filter((l) => l.message !== 'scheduler started');
  expect(roundLines.map((l) => l.message)).toEqual(
    expect.arrayContaining(['reminder sweep', 'reminders delivered']),
  );
  expect(roundLines.filter((l) => typeof l.fields.jobId !== 'string')).toEqual([]);
  const jobIds = new Set(roundLines.map((l) => l.fields.jobId));
  expect(jobIds.size).toBe(2);
  for (const id of jobIds) expect(id).toMatch(/^reminders instance-1 \d{4}-\d\d-\d\dT/);
}, 30_000);
