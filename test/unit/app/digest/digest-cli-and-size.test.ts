import { InMemoryPendingImports } from '../../../../src/storage/in-memory-pending-imports.js';
import { buildDigest } from '../../../../src/app/digest/build-digest.js';
import { workingDaysFor } from '../../../../src/calendar/bank-holidays.js';
import { runCli, type CliEnvironment } from '../../../../src/cli/program.js';
import { readConfig } from '../../../../src/config.js';
import { writeProgressUpdate } from '../../../../src/documents/export/write-progress-update.js';
import { parseCommand } from '../../../../src/domain/command.js';
import { fixedClock } from '../../../../src/ports/clock.js';
import { silentLogger } from '../../../../src/ports/logger.js';
import { InMemoryDigestSubscriptions } from '../../../../src/storage/in-memory-scheduler-stores.js';
import {
  InMemoryDeliveryRecords,
  InMemoryLeaseStore,
  InMemoryReminderQueue,
} from '../../../../src/storage/in-memory-reminder-stores.js';
import { InMemorySentCardRepository } from '../../../../src/storage/in-memory-sent-card-repository.js';
import { InMemoryPeopleRepository } from '../../../../src/storage/in-memory-people-repository.js';
import { InMemoryPlanRepository } from '../../../../src/storage/in-memory-plan-repository.js';
import { renderCard } from '../../../../src/cards/render-card.js';
import type { Action, HistoryEntry } from '../../../../src/domain/plan.js';
import { aHistoryEntry, anAction, aPlan, PLAN_ID } from '../../../helpers/builders.js';
import { mojWorld, MOJ_PLAN_ID } from '../../../helpers/bot-world.js';

/** The CLI on the MoJ world in memory, with the stores the world leaves out empty. */
function cli(world: Awaited<ReturnType<typeof mojWorld>>) {
  const out: string[] = [];
  const err: string[] = [];
  const now = () => world.clock.now().getTime();
  const deps = {
    sentCards: new InMemorySentCardRepository(),
    deliveries: new InMemoryDeliveryRecords(),
    leases: new InMemoryLeaseStore(now),
    digestSubscriptions: new InMemoryDigestSubscriptions(),
    queue: new InMemoryReminderQueue(now),
    pendingImports: new InMemoryPendingImports(),
    readPlanDocument: () => Promise.reject(new Error('not used')),
    planTimeZone: 'Europe/London',
    downloadFile: () => Promise.reject(new Error('not used')),
    writeProgressUpdate,
    workingDaysFor,
    logger: silentLogger,
    ...world,
  };
  const env: CliEnvironment = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    config: readConfig({}),
    open: async () => ({
      deps,
      reminderDeps: () => {
        throw new Error('the digest commands send no reminders');
      },
      close: async () => {},
    }),
    readPlanFile: () => Promise.reject(new Error('not used')),
  };
  return { out, err, run: (...args: string[]) => runCli(args, env) };
}

describe('digest commands', () => {
  it('reads subscribe, unsubscribe and preview however they are put', () => {
    expect(parseCommand('<at>Action Plan</at> subscribe digest').kind).toBe('subscribeDigest');
    expect(parseCommand('please start the weekly digest here').kind).toBe('subscribeDigest');
    expect(parseCommand('unsubscribe digest').kind).toBe('unsubscribeDigest');
    expect(parseCommand('stop the digest').kind).toBe('unsubscribeDigest');
    expect(parseCommand('digest preview').kind).toBe('digestPreview');
    expect(parseCommand('show me the digest').kind).toBe('digestPreview');
  });

  it('actionplan digest preview --as-of prints the digest of that moment, charts as text', async () => {
    const deps = await mojWorld();
    const c = cli(deps);
    expect(await c.run('digest', 'preview', '--as-of', '2017-06-19T08:00:00Z')).toBe(0);
    const text = c.out.join('\n');
    expect(text).toContain('Weekly digest (preview)');
    expect(text).toContain('The week 12 June 2017 to 19 June 2017');
    expect(text).toContain('A preview: this digest has not been posted anywhere.');
    expect(text).toMatch(/^Red: /m);
    expect(text).toContain('2 of 42 actions done (5%)');
    expect(text).toContain('█');
    expect(text).toContain('Recommendation 4: 0 of 13 done (0%)');
    expect(text).toContain('Due in the next 14 days');
  });

  it('actionplan digest preview --as-of <date> is that day at the digest’s time, in the plan’s zone', async () => {
    const deps = await mojWorld();
    const byDate = cli(deps);
    expect(await byDate.run('digest', 'preview', '--as-of', '2017-06-19')).toBe(0);
    const byInstant = cli(deps);
    // Monday 19 June 2017, 09:00 in London (BST): the digest's slot.
    expect(await byInstant.run('digest', 'preview', '--as-of', '2017-06-19T08:00:00Z')).toBe(0);
    expect(byDate.out).toEqual(byInstant.out);
    const bad = cli(deps);
    expect(await bad.run('digest', 'preview', '--as-of', 'last monday')).toBe(2);
    expect(bad.err.join('\n')).toContain('YYYY-MM-DD');
  });

  it('actionplan digest preview --card prints the Adaptive Card; schedule moves the day and time', async () => {
    const deps = await mojWorld();
    const c = cli(deps);
    expect(await c.run('digest', 'preview', '--card')).toBe(0);
    expect(JSON.parse(c.out.join('\n'))).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(await c.run('digest', 'schedule', '--day', 'friday', '--at', '16:30')).toBe(0);
    expect(c.out.at(-1)).toContain('every Friday at 16:30 (Europe/London time)');
    expect((await deps.plans.getPlan(MOJ_PLAN_ID))?.value.settings?.digest).toEqual({
      weekday: 5,
      sendAt: '16:30',
    });
    expect(await c.run('digest', 'schedule', '--at', '25:00')).toBe(1);
    expect(c.err.join('\n')).toContain('HH:MM');
  });
});

describe('a big plan’s digest', () => {
  /** `n` actions over 6 recommendations, a third overdue, some unowned, a week of changes. */
  async function bigPlan(n: number) {
    const plans = new InMemoryPlanRepository();
    const actions: Action[] = Array.from({ length: n }, (_, i) => {
      const ref = `${(i % 6) + 1}.${Math.floor(i / 6) + 1}`;
      return anAction({
        ref,
        text: `A long action text for ${ref}: `.padEnd(240, 'words about records management '),
        targetText: i % 3 === 0 ? 'End Mar 2017' : i % 3 === 1 ? '30/06/2017' : 'Ongoing',
        status: i % 7 === 0 ? 'complete' : 'in_progress',
        owners: i % 5 === 0 ? [] : [`owner${i % 50}@justice.gov.uk`],
      });
    });
    const history: HistoryEntry[] = actions.slice(0, 300).map((a, i) =>
      aHistoryEntry({
        ref: a.ref,
        at: `2017-06-1${5 + (i % 3)}T10:00:00.000Z`,
        by: `owner${i % 50}@justice.gov.uk`,
      }),
    );
    await plans.save(PLAN_ID, {
      plan: {
        value: aPlan({
          recommendations: [1, 2, 3, 4, 5, 6].map((r) => ({ number: String(r), text: `Rec ${r}` })),
        }),
        expectedVersion: null,
      },
      actions: actions.map((a) => ({ value: a, expectedVersion: null })),
      history,
    });
    const deps = {
      plans,
      clock: fixedClock('2017-06-19T08:00:00Z'),
      people: new InMemoryPeopleRepository(),
      renderCard,
    };
    return buildDigest(
      deps,
      (await plans.getPlan(PLAN_ID))!.value,
      new Date('2017-06-19T08:00:00Z'),
    );
  }

  it('with 1,000 actions summarises, fits a Teams message, and points to status and the export', async () => {
    const built = await bigPlan(1000);
    const json = JSON.stringify(built.card);
    expect(Buffer.byteLength(json)).toBeLessThan(40 * 1024);
    expect(json).toContain('Overdue (286)');
    expect(json).toContain('…and 276 more');
    expect(json).toContain('Long lists are cut short here.');
    expect(json).toContain('status');
    expect(json).toContain('export');
    expect(built.digest.summary.counts.total).toBe(1000);
  });
});
