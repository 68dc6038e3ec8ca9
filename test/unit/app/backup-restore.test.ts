import { countsOf, createBackup, type Backup } from '../../../src/app/backup/create-backup.js';
import type { BackupStores } from '../../../src/app/backup/record-kind.js';
import { restoreBackup } from '../../../src/app/backup/restore-backup.js';
import { changeAction } from '../../../src/app/change-action.js';
import { readBackupDocument, writeBackupDocument } from '../../../src/documents/backup-document.js';
import { isActionPlanError } from '../../../src/domain/errors.js';
import type { Versioned } from '../../../src/domain/plan.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type {
  DeliveryRecord,
  DeliveryRecordRepository,
} from '../../../src/ports/delivery-records.js';
import type { Progress } from '../../../src/ports/progress.js';
import { InMemoryPeopleRepository } from '../../../src/storage/in-memory-people-repository.js';
import { InMemoryPlanRepository } from '../../../src/storage/in-memory-plan-repository.js';
import { aHistoryEntry, aPlan, anAction, PLAN_ID } from '../../helpers/builders.js';
import { aConversation, aPerson } from '../../helpers/people-repository-contract.js';

const clock = fixedClock('2026-11-24T10:00:00Z');

/** The backup as a restore gets it: written to its file and read back. */
const throughFile = (backup: Backup): Backup => readBackupDocument(writeBackupDocument(backup));

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
    const { records } = await createBackup(s);
    expect(reads).toBe(2);
    expect(records.actions?.find((a) => a.ref === '1.1')?.status).toBe('complete');
    expect(records.history?.filter((h) => h.ref === '1.1').map((h) => h.kind)).toEqual([
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
    expect(countsOf(backup.records)).toEqual({
      plans: 1,
      actions: 2,
      areas: 1,
      history: 2,
      people: 1,
      conversations: 1,
    });
    expect('sentCards' in backup.records).toBe(false);
  });
});

describe('restoreBackup', () => {
  it('reads back its own JSON and restores it, showing progress over every record', async () => {
    const backup = throughFile(await createBackup(await stores()));
    const empty: BackupStores = {
      plans: new InMemoryPlanRepository(),
      people: new InMemoryPeopleRepository(),
      clock,
    };
    const progress = recording();
    const report = await restoreBackup(empty, backup, { progress });
    expect(report.restored).toEqual(countsOf(backup.records));
    // The plan record, 2 actions, 1 area, 2 history entries, a person and a conversation.
    expect(progress.events).toEqual(['Restoring records/8', '1', '3', '4', '6', '7', '8', 'stop']);
    expect((await empty.plans.listActions(PLAN_ID)).map((a) => a.value)).toEqual(
      backup.records.actions,
    );
  });

  it('keeps every field of a record, those it does not check too: nothing is lost on the way', async () => {
    const s = await stores();
    const plan = (await s.plans.getPlan(PLAN_ID))!;
    const action = (await s.plans.getAction(PLAN_ID, '1.1'))!;
    await s.plans.save(PLAN_ID, {
      plan: {
        value: {
          ...plan.value,
          settings: { newDatesNeedApproval: true, reminders: { sendAt: '10:00' } },
        },
        expectedVersion: plan.version,
      },
      actions: [
        {
          value: {
            ...action.value,
            snooze: { until: '2017-06-30', at: '2017-06-20T09:00:00.000Z', by: 'o@x.gov.uk' },
            proposedTarget: {
              date: '2017-09-30',
              reason: 'Board moved',
              by: 'o@x.gov.uk',
              at: '2017-06-20T09:00:00.000Z',
            },
          },
          expectedVersion: action.version,
        },
      ],
    });
    const backup = throughFile(await createBackup(s));
    const empty = {
      plans: new InMemoryPlanRepository(),
      people: new InMemoryPeopleRepository(),
      clock,
    };
    await restoreBackup(empty, backup);
    expect((await empty.plans.getPlan(PLAN_ID))?.value).toEqual(
      (await s.plans.getPlan(PLAN_ID))?.value,
    );
    expect((await empty.plans.listActions(PLAN_ID)).map((a) => a.value)).toEqual(
      (await s.plans.listActions(PLAN_ID)).map((a) => a.value),
    );
    expect((await empty.plans.getAction(PLAN_ID, '1.1'))?.value.proposedTarget?.reason).toBe(
      'Board moved',
    );
  });

  it('backs up reminder delivery records, and a forced restore keeps the records already stored', async () => {
    const s = { ...(await stores()), deliveries: new MemoryDeliveries() };
    await s.deliveries.create(delivery('r1', 'sent'));
    const backup = throughFile(await createBackup(s));
    expect(countsOf(backup.records)).toMatchObject({ deliveries: 1 });
    expect(backup.records.deliveries).toEqual([delivery('r1', 'sent')]);

    // Meanwhile the reminder r2 went out. Into empty storage r1 comes back as it was.
    await s.deliveries.create(delivery('r2', 'sent'));
    const fresh = {
      plans: new InMemoryPlanRepository(),
      people: new InMemoryPeopleRepository(),
      deliveries: new MemoryDeliveries(),
      clock,
    };
    expect((await restoreBackup(fresh, backup)).restored).toMatchObject({ deliveries: 1 });
    expect((await fresh.deliveries.listSince(PLAN_ID, '0000-01-01')).map((d) => d.value)).toEqual([
      delivery('r1', 'sent'),
    ]);

    // Forced over the store that went on: r2 is kept, or it would go out again; r1 was never gone.
    const report = await restoreBackup(s, backup, { force: true });
    expect(report.restored).toMatchObject({ deliveries: 0 });
    expect(report.warnings).toEqual([
      '1 reminder delivery record was already stored and kept as it was.',
    ]);
    expect(
      (await s.deliveries.listSince(PLAN_ID, '0000-01-01')).map((d) => d.value.id).sort(),
    ).toEqual(['r1', 'r2']);
  });

  it('warns about reminder records a deployment without the scheduler cannot keep', async () => {
    const s = { ...(await stores()), deliveries: new MemoryDeliveries() };
    await s.deliveries.create(delivery('r1', 'sent'));
    const backup = await createBackup(s);
    const plain = {
      plans: new InMemoryPlanRepository(),
      people: new InMemoryPeopleRepository(),
      clock,
    };
    const report = await restoreBackup(plain, backup);
    expect(report.warnings).toEqual([
      '1 reminder delivery record was not restored: this deployment does not store reminder delivery records.',
    ]);
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
    const e = refusalOf(json);
    expect(isActionPlanError(e, 'invalid_input')).toBe(true);
    expect((e as Error).message).toMatch(/30 problems/);
    expect((e as { details: string[] }).details).toHaveLength(21);
    expect((e as { details: string[] }).details[20]).toBe('… and 10 more.');
  });

  it('refuses a plan with one area twice, however it is written, naming both spellings', async () => {
    const json = JSON.parse(writeBackupDocument(await createBackup(await stores())));
    const areas = json.records.areas;
    areas.push({ ...areas[0], name: 'hm-pps', champions: ['d@x.gov.uk'] });
    const e = refusalOf(json);
    expect(isActionPlanError(e, 'invalid_input')).toBe(true);
    expect((e as { details: string[] }).details).toEqual([
      `areas[1] (area "hm-pps" of plan "${PLAN_ID}"): the same record as areas[0] (area "HMPPS" of plan "${PLAN_ID}").`,
    ]);
  });
});

/** What readBackupDocument throws for this file (undefined: it read it). */
function refusalOf(json: unknown): unknown {
  try {
    readBackupDocument(JSON.stringify(json));
    return undefined;
  } catch (e) {
    return e;
  }
}

const delivery = (id: string, state: DeliveryRecord['state']): DeliveryRecord => ({
  planId: PLAN_ID,
  id,
  ref: '1.1',
  kind: 'before',
  recipient: 'o@x.gov.uk',
  role: 'owner',
  scheduledFor: '2017-06-16',
  state,
  queuedAt: '2017-06-16T08:00:00.000Z',
  updatedAt: '2017-06-16T08:00:01.000Z',
  attempts: 1,
  throttled: 0,
});

/** The delivery-record port in memory, for these tests (the reminders' own adapters are elsewhere). */
class MemoryDeliveries implements DeliveryRecordRepository {
  private readonly records = new Map<string, Versioned<DeliveryRecord>>();
  async create(record: DeliveryRecord): Promise<boolean> {
    const key = `${record.planId}|${record.id}`;
    if (this.records.has(key)) return false;
    this.records.set(key, { value: structuredClone(record), version: '1' });
    return true;
  }
  async get(planId: string, id: string): Promise<Versioned<DeliveryRecord> | undefined> {
    return this.records.get(`${planId}|${id}`);
  }
  async update(record: DeliveryRecord): Promise<string> {
    this.records.set(`${record.planId}|${record.id}`, { value: record, version: '2' });
    return '2';
  }
  async listSince(planId: string, since: string): Promise<Versioned<DeliveryRecord>[]> {
    return [...this.records.values()].filter(
      (r) => r.value.planId === planId && r.value.scheduledFor >= since,
    );
  }
}
