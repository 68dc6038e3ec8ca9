import { createBackup, type BackupStores } from '../../../src/app/backup.js';
import { changeAction } from '../../../src/app/change-action.js';
import { readBackup, restoreBackup } from '../../../src/app/restore.js';
import { isActionPlanError } from '../../../src/domain/errors.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { Progress } from '../../../src/ports/progress.js';
import { InMemoryPeopleRepository } from '../../../src/storage/in-memory-people-repository.js';
import { InMemoryPlanRepository } from '../../../src/storage/in-memory-plan-repository.js';
import { aHistoryEntry, aPlan, anAction, PLAN_ID } from '../../helpers/builders.js';
import { aConversation, aPerson } from '../../helpers/people-repository-contract.js';

const clock = fixedClock('2026-11-24T10:00:00Z');

async function stores(): Promise<BackupStores & { plans: InMemoryPlanRepository }> {
  const plans = new InMemoryPlanRepository();
  const actions = [anAction({ ref: '1.1' }), anAction({ ref: '1.2', area: 'HMPPS' })];
  await plans.save(PLAN_ID, {
    plan: { value: aPlan(), expectedVersion: null },
    actions: actions.map((value) => ({ value, expectedVersion: null })),
    areas: [
      {
        value: { planId: PLAN_ID, name: 'HMPPS', champions: ['c@x.gov.uk'] },
        expectedVersion: null,
      },
    ],
    history: actions.map((a) =>
      aHistoryEntry({ ref: a.ref, kind: 'created', at: '2017-05-01T09:00:00.000Z' }),
    ),
  });
  const people = new InMemoryPeopleRepository();
  await people.savePerson(aPerson());
  await people.saveConversation(aConversation());
  return { plans, people, clock };
}

function recording(): Progress & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    stage: (label, total) => events.push(`${label}/${total}`),
    update: (done) => events.push(String(done)),
    stop: () => events.push('stop'),
  };
}

describe('createBackup', () => {
  it('reads a plan again when it changes while being read, so no change is without its history', async () => {
    const s = await stores();
    const listHistory = s.plans.listHistory.bind(s.plans);
    let reads = 0;
    // Someone answers a card just as the backup reads the history, the first time only.
    s.plans.listHistory = async (planId, ref) => {
      const history = await listHistory(planId, ref);
      if (reads++ === 0) {
        await changeAction(
          { plans: s.plans, clock },
          {
            planId: PLAN_ID,
            ref: '1.1',
            by: 'o@x.gov.uk',
            apply: (a) => ({ ...a, status: 'complete' }),
          },
        );
      }
      return history;
    };
    const backup = await createBackup(s);
    expect(reads).toBe(2);
    const plan = backup.plans[0]!;
    expect(plan.actions.find((a) => a.ref === '1.1')?.status).toBe('complete');
    expect(plan.history.filter((h) => h.ref === '1.1').map((h) => h.kind)).toEqual([
      'created',
      'changed',
    ]);
  });

  it('gives up, saying why, on a plan that never stops changing', async () => {
    const s = await stores();
    let n = 0;
    const listHistory = s.plans.listHistory.bind(s.plans);
    s.plans.listHistory = async (planId, ref) => {
      await changeAction(
        { plans: s.plans, clock },
        {
          planId: PLAN_ID,
          ref: '1.1',
          by: 'o@x.gov.uk',
          apply: (a) => ({ ...a, note: `note ${n++}` }),
        },
      );
      return listHistory(planId, ref);
    };
    const e = await createBackup(s).catch((x: unknown) => x);
    expect(isActionPlanError(e, 'conflict')).toBe(true);
    expect((e as Error).message).toMatch(/kept changing .* 5 times/);
  });

  it('leaves sent cards out, and says so in the counts, where the deployment keeps none', async () => {
    const backup = await createBackup(await stores());
    expect(backup.counts).toEqual({
      plans: 1,
      actions: 2,
      areas: 1,
      history: 2,
      people: 1,
      conversations: 1,
    });
    expect('sentCards' in backup).toBe(false);
  });
});

describe('restoreBackup', () => {
  it('reads back its own JSON and restores it, showing progress over every record', async () => {
    const backup = readBackup(JSON.stringify(await createBackup(await stores())));
    const empty: BackupStores = {
      plans: new InMemoryPlanRepository(),
      people: new InMemoryPeopleRepository(),
      clock,
    };
    const progress = recording();
    const report = await restoreBackup(empty, backup, { progress });
    expect(report.restored).toEqual(backup.counts);
    // 1 plan record + 2 actions + 1 area + 2 history entries, then a person and a conversation.
    expect(progress.events).toEqual(['Restoring records/8', '6', '6', '7', '8', 'stop']);
    expect((await empty.plans.listActions(PLAN_ID)).map((a) => a.value)).toEqual(
      backup.plans[0]?.actions,
    );
  });

  it('keeps only the fields the bot knows from a hand-edited file', () => {
    const json = {
      format: 'actionplan-backup',
      formatVersion: 1,
      createdAt: '2026-11-24T10:00:00.000Z',
      plans: [],
      people: [{ ...aPerson(), isRoot: true }],
      conversations: [],
    };
    const backup = readBackup(JSON.stringify(json));
    expect(backup.people).toEqual([aPerson()]);
  });

  it('lists at most twenty problems', () => {
    const json = {
      format: 'actionplan-backup',
      formatVersion: 1,
      plans: [],
      people: Array.from({ length: 30 }, (_x, i) => ({
        ...aPerson({ email: `p${i}@x.gov.uk` }),
        reachable: 'no',
      })),
      conversations: [],
    };
    const e = (() => {
      try {
        readBackup(JSON.stringify(json));
      } catch (x) {
        return x;
      }
    })();
    expect(isActionPlanError(e, 'invalid_input')).toBe(true);
    expect((e as Error).message).toMatch(/30 problems/);
    expect((e as { details: string[] }).details).toHaveLength(21);
    expect((e as { details: string[] }).details[20]).toBe('… and 10 more.');
  });
});
