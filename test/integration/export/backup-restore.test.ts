import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assignAction } from '../../../src/app/assign-action';
import { changeAction } from '../../../src/app/change-action';
import { restoreBackup } from '../../../src/app/backup/restore-backup';
import { readBackupDocument } from '../../../src/documents/backup-document';
import { parseTarget } from '../../../src/domain/target';
import { fixedClock } from '../../../src/ports/clock';
import type { DeliveryRecord } from '../../../src/ports/delivery-records';
import type { SentCard } from '../../../src/ports/sent-card-repository';
import { useTestAzurite } from '../../helpers/azurite';
import { cliAgainst } from '../../helpers/cli-driver';
import { MOJ_PLAN_PATH } from '../../helpers/fixtures';
import { aConversation, aPerson } from '../../helpers/people-repository-contract';

/**
 * `actionplan backup` and `actionplan restore` on real storage: a store with two plans (one
 * updated the way the bot updates it), areas, people, conversations and sent cards is backed up,
 * restored into empty tables and compared record by record; a restore into a store that is not
 * empty is refused unless --force, which replaces everything.
 */

const PLAN = 'ministry-of-justice-ima-action-plan';
const dir = mkdtempSync(join(tmpdir(), 'actionplan-backup-'));
const path = (name: string): string => join(dir, name);
const clock = fixedClock('2026-11-24T10:00:00Z');

const azurite = useTestAzurite();

type Cli = ReturnType<typeof cliAgainst>;

const card = (ref: string, activityId: string, sentAt: string): SentCard => ({
  planId: PLAN,
  ref,
  activityId,
  conversation: JSON.stringify({ conversation: { id: `a:${activityId}` } }),
  kind: 'reminder',
  recipient: 'kim.lead@justice.gov.uk',
  sentAt,
});

/** Everything stored, every record's value, in a stable order: two equal snapshots are one state. */
async function snapshot(cli: Cli) {
  const deps = await cli.deps();
  const plans = await deps.plans.listPlans();
  return {
    plans: await Promise.all(
      plans.map(async (p) => ({
        plan: p.value,
        actions: (await deps.plans.listActions(p.value.id)).map((a) => a.value),
        areas: (await deps.plans.listAreas(p.value.id)).map((a) => a.value),
        history: await deps.plans.listHistory(p.value.id),
      })),
    ),
    people: (await deps.people.listPeople()).map((p) => p.value),
    conversations: (await deps.people.listConversations()).sort((a, b) =>
      a.conversationId.localeCompare(b.conversationId),
    ),
    sentCards: await deps.sentCards.listAll(),
    digestSubscriptions: (await deps.digestSubscriptions.list()).sort((a, b) =>
      `${a.planId}|${a.conversationId}`.localeCompare(`${b.planId}|${b.conversationId}`),
    ),
    deliveries: await Promise.all(
      plans.map(async (p) =>
        (await deps.deliveries.listSince(p.value.id, '0000-01-01')).map((d) => d.value),
      ),
    ),
  };
}

const delivery = (planId: string, id: string, scheduledFor: string): DeliveryRecord => ({
  planId,
  id,
  ref: '1.1',
  kind: 'before',
  workingDaysBefore: 7,
  recipient: 'kim.lead@justice.gov.uk',
  role: 'owner',
  scheduledFor,
  state: 'sent',
  queuedAt: `${scheduledFor}T09:00:00.000Z`,
  updatedAt: `${scheduledFor}T09:00:02.000Z`,
  attempts: 1,
  throttled: 0,
  activityId: `act-${id}`,
  sentAt: `${scheduledFor}T09:00:02.000Z`,
});

/** Two plans, with everything the bot stores about them. */
async function seed(cli: Cli): Promise<void> {
  expect((await cli.run('import', MOJ_PLAN_PATH)).code).toBe(0);
  expect((await cli.run('area', 'add', 'HMPPS', '--champion', 'champ@justice.gov.uk')).code).toBe(
    0,
  );
  expect((await cli.run('area', 'add', 'MoJ HQ', '--champion', 'hq@justice.gov.uk')).code).toBe(0);
  const deps = await cli.deps();
  await assignAction(deps, {
    planId: PLAN,
    ref: '4.9a',
    owners: ['kim.lead@justice.gov.uk', 'jo.bloggs@justice.gov.uk'],
    area: 'HMPPS',
    by: 'admin@justice.gov.uk',
  });
  await changeAction(deps, {
    planId: PLAN,
    ref: '4.9a',
    by: 'kim.lead@justice.gov.uk',
    note: 'Champions briefed.\nNext: the HMPPS board.',
    apply: (a) => ({
      ...a,
      status: 'in_progress',
      note: 'Champions briefed.\nNext: the HMPPS board.',
    }),
  });
  await changeAction(deps, {
    planId: PLAN,
    ref: '1.1',
    by: 'kim.lead@justice.gov.uk',
    note: 'Waiting for the Board.',
    apply: (a) => ({ ...a, target: parseTarget('2017-06-30') }),
  });
  // What the card answers keep on an action: a snooze, and a new date waiting for approval.
  const a12 = (await deps.plans.getAction(PLAN, '1.2'))!;
  await deps.plans.save(PLAN, {
    actions: [
      {
        value: {
          ...a12.value,
          snooze: {
            until: '2026-12-01',
            at: '2026-11-20T09:00:00.000Z',
            by: 'kim.lead@justice.gov.uk',
          },
          proposedTarget: {
            date: '2027-03-31',
            reason: 'Waiting for the new Permanent Secretary.',
            by: 'kim.lead@justice.gov.uk',
            at: '2026-11-20T09:00:00.000Z',
          },
        },
        expectedVersion: a12.version,
      },
    ],
  });
  const csv = path('second.csv');
  writeFileSync(
    csv,
    'Ref,Action,Priority,Target date,Status,Owner\n1.1,Review the retention schedule,H,31/03/2027,,ann@archives.gov.uk\n1.2,"Train staff, all of them",M,Ongoing,In progress,\n',
  );
  expect((await cli.run('import', csv, '--plan', 'records-review')).code).toBe(0);

  await deps.people.savePerson(aPerson({ admin: true }));
  await deps.people.savePerson(
    aPerson({
      email: 'jo.bloggs@justice.gov.uk',
      aadObjectId: 'aad-jo',
      name: 'Jo Bloggs',
      reachable: false,
      unreachableReason: 'They have not installed the bot yet.',
      conversation: undefined,
    }),
  );
  // An account of another tenant with Sam's address, kept apart: two people, one email.
  await deps.people.savePerson(
    aPerson({
      aadObjectId: 'aad-sam-elsewhere',
      tenantId: 'tenant-2',
      teamsUserId: '29:sam-elsewhere',
      name: 'Sam Elsewhere',
      keptApart: '2026-11-05T09:00:00.000Z',
    }),
  );
  await deps.people.saveConversation(aConversation());
  await deps.people.saveConversation(
    aConversation({
      conversationId: '19:general@thread.tacv2',
      kind: 'channel',
      name: 'General',
      teamId: 'team-1',
    }),
  );
  await deps.digestSubscriptions.save({
    planId: PLAN,
    conversationId: '19:general@thread.tacv2',
    reference: JSON.stringify({ conversation: { id: '19:general@thread.tacv2' } }),
    kind: 'channel',
    name: 'General',
    subscribedBy: 'admin@justice.gov.uk',
    subscribedAt: '2026-11-02T10:00:00.000Z',
  });
  await deps.digestSubscriptions.save({
    planId: 'records-review',
    conversationId: '19:kim-team-chat@thread.v2',
    reference: JSON.stringify({ conversation: { id: '19:kim-team-chat@thread.v2' } }),
    kind: 'groupChat',
    subscribedBy: 'ann@archives.gov.uk',
    subscribedAt: '2026-11-03T10:00:00.000Z',
  });
  // A digest's record, which is about no action (its ref is empty).
  await deps.deliveries.create({
    ...delivery(PLAN, 'digest:19:general@thread.tacv2:2026-11-02', '2026-11-02'),
    ref: '',
    kind: 'digest',
    recipient: '19:general@thread.tacv2',
    role: 'admin',
  });
  await deps.deliveries.create(delivery(PLAN, 'before|1.1|7|kim', '2026-11-10'));
  await deps.deliveries.create(delivery(PLAN, 'before|1.1|1|kim', '2026-11-18'));
  await deps.sentCards.record(card('4.9a', 'act-1', '2026-11-02T09:00:00.000Z'));
  await deps.sentCards.record(card('1.1', 'act-2', '2026-11-09T09:00:00.000Z'));
}

let source: Cli;
let before: Awaited<ReturnType<typeof snapshot>>;
const backupFile = path('backup.json');
beforeAll(async () => {
  source = cliAgainst(azurite.connectionString, clock);
  await seed(source);
  before = await snapshot(source);
});

describe('actionplan backup', () => {
  it('writes every record with a format version, and says how many of each', async () => {
    const r = await source.run('backup', '--out', backupFile);
    expect(r).toMatchObject({ code: 0, err: '' });
    const historyCount = before.plans.reduce((n, p) => n + p.history.length, 0);
    expect(r.out).toBe(
      `Backed up to ${backupFile}: 2 plans, 44 actions, 2 areas, ${historyCount} history entries, 3 people, 2 conversations, 2 sent cards, 3 reminder delivery records, 2 digest subscriptions.`,
    );
    const json = JSON.parse(readFileSync(backupFile, 'utf8'));
    expect(json).toMatchObject({
      format: 'actionplan-backup',
      formatVersion: 2,
      createdAt: '2026-11-24T10:00:00.000Z',
      counts: {
        plans: 2,
        actions: 44,
        areas: 2,
        history: historyCount,
        people: 3,
        conversations: 2,
        sentCards: 2,
        deliveries: 3,
        digestSubscriptions: 2,
      },
    });
    expect(json.records.plans.map((p: { id: string }) => p.id)).toEqual([PLAN, 'records-review']);
  });
});

describe('actionplan restore', () => {
  let target: Cli;
  beforeAll(() => {
    target = cliAgainst(azurite.connectionString, clock);
  });

  it('brings back the same state into empty storage: every plan, action, area, history entry, person, conversation and sent card', async () => {
    const r = await target.run('restore', backupFile);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(
      /^Restored .*backup\.json: 2 plans, 44 actions, 2 areas, \d+ history entries, 3 people, 2 conversations, 2 sent cards, 3 reminder delivery records, 2 digest subscriptions\.$/,
    );
    const after = await snapshot(target);
    expect(after).toEqual(before);
    // The moved target and the multi-line note came through as they were.
    const moj = after.plans.find((p) => p.plan.id === PLAN);
    expect(moj?.actions.find((a) => a.ref === '1.1')?.target).toEqual(parseTarget('2017-06-30'));
    expect(moj?.actions.find((a) => a.ref === '1.2')?.proposedTarget?.date).toBe('2027-03-31');
    expect(moj?.actions.find((a) => a.ref === '1.2')?.snooze?.until).toBe('2026-12-01');
    expect(moj?.actions.find((a) => a.ref === '4.9a')?.note).toBe(
      'Champions briefed.\nNext: the HMPPS board.',
    );
    // The CLI still works on what was restored.
    expect((await target.run('show', '4.9a', '--plan', PLAN)).out).toContain('Champions briefed.');
    // Backed up again, it is the same file to the byte: nothing stored was lost or changed.
    const again = path('again.json');
    expect((await target.run('backup', '--out', again)).code).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(backupFile, 'utf8'));
  });

  it('refuses to restore into storage that is not empty, and changes nothing', async () => {
    const r = await target.run('restore', backupFile);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'Storage is not empty (2 plans, 3 people, 2 conversations, 2 sent cards, 2 digest subscriptions), so the backup was not restored. Restore into empty storage, or use --force to replace everything stored with the backup.',
    );
    expect(await snapshot(target)).toEqual(before);
  });

  it('with --force replaces everything stored: changes since are undone, records not in the backup go', async () => {
    const deps = await target.deps();
    await changeAction(deps, {
      planId: PLAN,
      ref: '2.1',
      by: 'someone@justice.gov.uk',
      apply: (a) => ({ ...a, status: 'complete' }),
    });
    await deps.people.savePerson(
      aPerson({ email: 'newcomer@justice.gov.uk', aadObjectId: 'aad-new' }),
    );
    expect((await target.run('import', MOJ_PLAN_PATH, '--plan', 'a-third-plan')).code).toBe(0);
    await deps.digestSubscriptions.remove(PLAN, '19:general@thread.tacv2');
    expect(await snapshot(target)).not.toEqual(before);

    const r = await target.run('restore', backupFile, '--force');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^Removed what was stored: 3 plans \(\d+ records\), 4 people, 2 conversations, 2 sent cards, 1 digest subscription\.$/m,
    );
    // Delivery records are never removed: they are what stops a reminder going out twice.
    expect(r.out).toContain(
      'warning: 3 reminder delivery records were already stored and kept as they were.',
    );
    expect(await snapshot(target)).toEqual(before);

    // A reminder sent after the backup was taken stays recorded through a forced restore.
    await deps.deliveries.create(delivery(PLAN, 'before|1.1|0|kim', '2026-11-19'));
    expect((await target.run('restore', backupFile, '--force')).code).toBe(0);
    const after = await snapshot(target);
    expect(after.deliveries[0]?.map((d) => d.id)).toEqual([
      'digest:19:general@thread.tacv2:2026-11-02',
      'before|1.1|7|kim',
      'before|1.1|1|kim',
      'before|1.1|0|kim',
    ]);
    expect({ ...after, deliveries: before.deliveries }).toEqual(before);
  });

  describe('refuses a file that is not a good backup, leaving storage untouched', () => {
    const good = () => JSON.parse(readFileSync(backupFile, 'utf8'));
    const cases: [string, () => string, RegExp][] = [
      ['not JSON', () => '{"format": "actionplan-backup",', /not JSON/],
      [
        'some other JSON',
        () => JSON.stringify({ plans: [] }),
        /not a backup made by "actionplan backup"/,
      ],
      [
        'a newer format',
        () => JSON.stringify({ ...good(), formatVersion: 3 }),
        /format version 3.*reads up to version 2/,
      ],
      [
        'a record spoiled by hand',
        () => {
          const b = good();
          b.records.actions[3].status = 'nearly done';
          b.records.people[0].reachable = 'yes';
          return JSON.stringify(b);
        },
        /2 problems/,
      ],
    ];
    it.each(cases)('%s', async (_name, content, message) => {
      const empty = cliAgainst(azurite.connectionString, clock);
      const file = path(`bad-${Math.random().toString(16).slice(2)}.json`);
      writeFileSync(file, content());
      const r = await empty.run('restore', file);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(message);
      expect(empty.state.opened).toBe(0);
      const s = await snapshot(empty);
      expect([s.plans, s.people, s.conversations]).toEqual([[], [], []]);
    });

    it('names each problem by its record and field, and restores nothing', async () => {
      const b = good();
      b.records.actions[3].status = 'nearly done';
      b.records.actions[3].target.date = '31/03/2017';
      const other = b.records.history.findIndex(
        (h: { planId: string }) => h.planId === 'records-review',
      );
      b.records.history[other].planId = 'elsewhere';
      b.records.people[0].reachable = 'yes';
      b.records.people[0].shoeSize = 9;
      const { ref } = b.records.actions[3];
      const { ref: otherRef, at } = b.records.history[other];
      const file = path('spoiled.json');
      writeFileSync(file, JSON.stringify(b));
      const empty = cliAgainst(azurite.connectionString, clock);
      const r = await empty.run('restore', file);
      expect(r.code).toBe(1);
      expect(r.err.split('\n')).toEqual([
        'The backup cannot be restored: 5 problems. Nothing was changed.',
        `  - actions[3] (action ${ref} of plan "${PLAN}"): target.date "31/03/2017" is not YYYY-MM-DD.`,
        `  - actions[3] (action ${ref} of plan "${PLAN}"): status "nearly done" is not a status.`,
        `  - people[0] (person jo.bloggs@justice.gov.uk): reachable is "yes", not true or false.`,
        `  - people[0] (person jo.bloggs@justice.gov.uk): shoeSize is a field this version of the bot does not know.`,
        `  - history[${other}] (history of action ${otherRef} at ${at}): planId "elsewhere" is not a plan of this backup.`,
      ]);
      const s = await snapshot(empty);
      expect([s.plans, s.people, s.conversations]).toEqual([[], [], []]);
    });
  });

  it('says what it did not restore when the backup has sent cards and the stores given keep none', async () => {
    // Every door wires the sent cards (container.ts); the use case still says what it left out.
    const without = cliAgainst(azurite.connectionString, clock);
    const { sentCards: _none, ...stores } = await without.deps();
    const report = await restoreBackup(
      stores,
      readBackupDocument(readFileSync(backupFile, 'utf8')),
    );
    expect(report.warnings).toContainEqual(
      expect.stringContaining(
        '2 sent cards were not restored: this deployment does not store sent cards.',
      ),
    );
    const { sentCards: _s, ...rest } = before;
    const { sentCards: _t, ...restored } = await snapshot(without);
    expect(restored).toEqual(rest);
  });
});
