import { importPlan } from '../../src/app/import-plan.js';
import { runReminders } from '../../src/app/reminders/run.js';
import { ADD_NOTE } from '../../src/cards/verbs.js';
import { parsePlanDocument } from '../../src/documents/plan-file.js';
import { CHAMPION, OWNER, UNREACHED } from '../helpers/bot-world.js';
import {
  aConversationUpdate,
  anInvoke,
  BOT,
  SAM,
  startBotDriver,
  type BotDriver,
  type LogRecord,
} from '../helpers/bot-driver.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { reminderWorld } from '../helpers/reminder-world.js';

/**
 * Logs go to standard error and Application Insights, kept and read more widely than the plan:
 * at `info` and above they name people by their ids, never by email, and never carry what
 * someone wrote in a note. The logger's own output is read after a card press, a reminder round
 * (sent, refused by Teams, failed) and an import.
 */

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const NOTE = 'Note-text-6d1e: spoke to the SIRO';

/** Every line at info or above, each with its fields and any error's message, as text. */
function written(logs: readonly LogRecord[]): string[] {
  return logs
    .filter((l) => l.level !== 'debug')
    .map((l) =>
      JSON.stringify({ ...l, fields: l.fields }, (_key, value: unknown) =>
        value instanceof Error ? { message: value.message, name: value.name } : value,
      ),
    );
}

function expectNoPersonalData(logs: readonly LogRecord[]) {
  const lines = written(logs);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.filter((line) => EMAIL.test(line))).toEqual([]);
  expect(lines.filter((line) => line.includes('Note-text-6d1e'))).toEqual([]);
}

describe('what is logged at info and above', () => {
  let bot: BotDriver;
  beforeAll(async () => {
    bot = await startBotDriver({ members: [SAM] });
  });
  afterAll(async () => {
    await bot.close();
  });

  it('names nobody by email, and holds no note, after an import and a card press', async () => {
    const csv = [
      'Ref,Action,Priority,Target date,Status,Owner,Area,Note',
      `1.1,Sign off the strategy,H,End Mar 2017,In progress,${SAM.email},HMPPS,${NOTE}`,
      `1.2,Train the champions,M,Ongoing,,kim.champion@justice.gov.uk,HMPPS,`,
    ].join('\r\n');
    const parsed = await parsePlanDocument(Buffer.from(csv, 'utf8'), 'plan.csv');
    const { planId } = await importPlan(bot.container.deps, {
      parsed: parsed.plan,
      errors: parsed.errors,
      source: 'plan.csv',
    });

    await bot.send(aConversationUpdate({ from: SAM, membersAdded: [{ id: BOT.id }] }));
    const version = (await bot.container.deps.plans.getAction(planId, '1.1'))!.version;
    const answer = await bot.send(
      anInvoke({
        from: SAM,
        verb: ADD_NOTE,
        data: { ref: '1.1', planId, version, note: NOTE },
        replyToId: 'card-1',
      }),
    );
    expect(answer.body).toMatchObject({ type: 'application/vnd.microsoft.card.adaptive' });
    // Let what follows the answer (copies, its logging) finish.
    await new Promise((r) => setTimeout(r, 300));
    expect((await bot.container.deps.plans.getAction(planId, '1.1'))?.value.note).toBe(NOTE);
    expectNoPersonalData(bot.logs);
  });
});

describe('what a reminder round logs at info and above', () => {
  it('names nobody by email: sent, refused by Teams and failed sends alike', async () => {
    const w = await reminderWorld('2017-03-22T09:00:00.000Z');
    const logs: LogRecord[] = [];
    const deps = { ...w.deps, logger: recordingLogger(logs) };
    w.notifier.script = (to, n) =>
      to.email === OWNER && n === 1
        ? {
            outcome: 'unreachable',
            code: 'ConversationBlockedByUser',
            status: 403,
            attempts: 1,
            throttled: 0,
          }
        : to.email === CHAMPION
          ? {
              outcome: 'failed',
              code: 'BadRequest',
              status: 400,
              message: `no ${CHAMPION}`,
              attempts: 1,
              throttled: 0,
            }
          : undefined;
    const report = await runReminders(deps, {
      holder: 'test',
      asOf: new Date('2017-03-22T09:00:00.000Z'),
      deadline: 0,
      pollMs: 1,
    });
    expect(report).toMatchObject({ ran: true });
    expect(w.notifier.sends.length).toBeGreaterThan(0);
    expect(UNREACHED).toMatch(EMAIL);
    expectNoPersonalData(logs);
  });
});
