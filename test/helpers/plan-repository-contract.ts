import { isActionPlanError } from '../../src/domain/errors.js';
import type { Action, Area, HistoryEntry, Plan } from '../../src/domain/plan.js';
import type { PlanChanges, PlanRepository } from '../../src/ports/plan-repository.js';

/**
 * The behaviour every PlanRepository must have, run against each adapter (in memory and Azurite)
 * so that unit tests on the in-memory one prove something about production. `makeRepository`
 * must return a repository with no data in it each time it is called.
 */
export function planRepositoryContract(makeRepository: () => Promise<PlanRepository>): void {
  let repo: PlanRepository;
  beforeEach(async () => {
    repo = await makeRepository();
  });

  describe('creating and reading', () => {
    it('stores a plan, its actions and their history in one save and reads them back equal', async () => {
      const plan = aPlan();
      const actions = [anAction('1.1'), anAction('4.9a', { area: 'HMPPS', note: 'Started' })];
      const history = actions.map((a) => created(a.ref));
      await repo.save(PLAN_ID, {
        plan: { value: plan, expectedVersion: null },
        actions: actions.map((value) => ({ value, expectedVersion: null })),
        history,
      });

      expect((await repo.getPlan(PLAN_ID))?.value).toEqual(plan);
      expect((await repo.listActions(PLAN_ID)).map((a) => a.value)).toEqual(actions);
      expect((await repo.getAction(PLAN_ID, '4.9a'))?.value).toEqual(actions[1]);
      expect(await repo.listHistory(PLAN_ID)).toEqual(history);
    });

    it('gives every record a version', async () => {
      await createPlan(repo, ['1.1']);
      const plan = await repo.getPlan(PLAN_ID);
      const action = await repo.getAction(PLAN_ID, '1.1');
      expect(plan?.version).toEqual(expect.any(String));
      expect(plan?.version).not.toBe('');
      expect(action?.version).toEqual(expect.any(String));
    });

    it('answers undefined or an empty list for what is not there', async () => {
      await createPlan(repo, ['1.1']);
      expect(await repo.getPlan('no-such-plan')).toBeUndefined();
      expect(await repo.getAction(PLAN_ID, '9.9')).toBeUndefined();
      expect(await repo.getAction('no-such-plan', '1.1')).toBeUndefined();
      expect(await repo.listActions('no-such-plan')).toEqual([]);
      expect(await repo.listAreas(PLAN_ID)).toEqual([]);
      expect(await repo.listHistory('no-such-plan')).toEqual([]);
    });

    it('lists every plan with its version, and keeps each plan’s records to itself', async () => {
      await createPlan(repo, ['1.1', '1.2']);
      const other = aPlan({ id: 'other-plan', title: 'Another plan' });
      await repo.save(other.id, {
        plan: { value: other, expectedVersion: null },
        actions: [{ value: anAction('7.1', { planId: other.id }), expectedVersion: null }],
      });

      const plans = await repo.listPlans();
      expect(plans.map((p) => p.value.id).sort()).toEqual([PLAN_ID, 'other-plan'].sort());
      expect(plans.find((p) => p.value.id === 'other-plan')?.value).toEqual(other);
      for (const p of plans) expect(p.version).toEqual((await repo.getPlan(p.value.id))?.version);
      expect((await repo.listActions(PLAN_ID)).map((a) => a.value.ref)).toEqual(['1.1', '1.2']);
      expect((await repo.listActions('other-plan')).map((a) => a.value.ref)).toEqual(['7.1']);
    });

    it('lists actions in ref order: 1.2 before 1.10, 4.9 before 4.9a', async () => {
      await createPlan(repo, ['1.10', '4.9a', '1.2', '4.9']);
      expect((await repo.listActions(PLAN_ID)).map((a) => a.value.ref)).toEqual([
        '1.2',
        '1.10',
        '4.9',
        '4.9a',
      ]);
    });

    it('refuses records that belong to another plan, writing nothing', async () => {
      const error = await repo
        .save(PLAN_ID, {
          plan: { value: aPlan(), expectedVersion: null },
          actions: [{ value: anAction('1.1', { planId: 'other-plan' }), expectedVersion: null }],
        })
        .catch((e: unknown) => e);
      expect(isActionPlanError(error, 'invalid_input')).toBe(true);
      expect(await repo.getPlan(PLAN_ID)).toBeUndefined();
    });

    it('round-trips plan ids, refs and area names with characters keys cannot hold', async () => {
      const planId = 'odd/plan#1?\\|%41';
      const refs = ['4.9|a', 'x/y', 'a#b?c', 'back\\slash', 'per%cent', 'tab\there', 'bell\u0007'];
      const areaName = 'Legal / Finance #2? 100% \\ HQ|\u0001';
      const plan = aPlan({ id: planId });
      const actions = refs.map((ref) => anAction(ref, { planId }));
      await repo.save(planId, {
        plan: { value: plan, expectedVersion: null },
        actions: actions.map((value) => ({ value, expectedVersion: null })),
        areas: [{ value: anArea(areaName, { planId }), expectedVersion: null }],
        history: refs.map((ref) => created(ref, { planId })),
      });

      expect((await repo.getPlan(planId))?.value).toEqual(plan);
      expect((await repo.listPlans()).map((p) => p.value.id)).toContain(planId);
      expect((await repo.listActions(planId)).map((a) => a.value.ref).sort()).toEqual(
        [...refs].sort(),
      );
      for (const ref of refs) {
        expect((await repo.getAction(planId, ref))?.value.ref).toBe(ref);
        expect((await repo.listHistory(planId, ref)).map((h) => h.ref)).toEqual([ref]);
      }
      expect((await repo.listAreas(planId)).map((a) => a.value.name)).toEqual([areaName]);
    });
  });

  describe('versions and conflicts', () => {
    it('changes the version on every write', async () => {
      await createPlan(repo, ['1.1']);
      const first = await repo.getAction(PLAN_ID, '1.1');
      await repo.save(PLAN_ID, {
        actions: [
          { value: { ...first!.value, status: 'in_progress' }, expectedVersion: first!.version },
        ],
      });
      const second = await repo.getAction(PLAN_ID, '1.1');
      expect(second?.value.status).toBe('in_progress');
      expect(second?.version).not.toBe(first?.version);
    });

    it('refuses a stale version with a conflict naming the record, and writes nothing of that save', async () => {
      await createPlan(repo, ['1.1', '4.9a']);
      const stale = await repo.getAction(PLAN_ID, '4.9a');
      await repo.save(PLAN_ID, {
        actions: [
          { value: { ...stale!.value, status: 'blocked' }, expectedVersion: stale!.version },
        ],
        history: [changed('4.9a', 'status', 'not_started', 'blocked', AT_2)],
      });
      const current = await repo.getAction(PLAN_ID, '4.9a');
      const historyBefore = await repo.listHistory(PLAN_ID);
      const plainBefore = await repo.getAction(PLAN_ID, '1.1');

      const error = await repo
        .save(PLAN_ID, {
          actions: [
            { value: { ...stale!.value, status: 'complete' }, expectedVersion: stale!.version },
            {
              value: { ...plainBefore!.value, note: 'Should not be kept' },
              expectedVersion: undefined,
            },
            { value: anAction('5.1'), expectedVersion: null },
          ],
          history: [changed('4.9a', 'status', 'not_started', 'complete', AT_3), created('5.1')],
        })
        .catch((e: unknown) => e);

      expect(isActionPlanError(error, 'conflict')).toBe(true);
      expect((error as Error).message).toBe(
        'Action 4.9a was changed by someone else; read it again and retry.',
      );
      expect(await repo.getAction(PLAN_ID, '4.9a')).toEqual(current);
      expect(await repo.getAction(PLAN_ID, '1.1')).toEqual(plainBefore);
      expect(await repo.getAction(PLAN_ID, '5.1')).toBeUndefined();
      expect(await repo.listHistory(PLAN_ID)).toEqual(historyBefore);
      expect(await repo.listHistory(PLAN_ID, '4.9a')).toHaveLength(2);
    });

    it('refuses to create a record that already exists', async () => {
      await createPlan(repo, ['1.1']);
      const before = await repo.getAction(PLAN_ID, '1.1');
      const error = await repo
        .save(PLAN_ID, {
          actions: [{ value: anAction('1.1', { text: 'Twice' }), expectedVersion: null }],
        })
        .catch((e: unknown) => e);
      expect(isActionPlanError(error, 'conflict')).toBe(true);
      expect((error as Error).message).toBe('Action 1.1 already exists; read it again and retry.');
      expect(await repo.getAction(PLAN_ID, '1.1')).toEqual(before);

      const planError = await repo
        .save(PLAN_ID, { plan: { value: aPlan(), expectedVersion: null } })
        .catch((e: unknown) => e);
      expect(isActionPlanError(planError, 'conflict')).toBe(true);
      expect((planError as Error).message).toContain(`The plan "${PLAN_ID}"`);
    });

    it('refuses a conditional update of a record that is not stored', async () => {
      await createPlan(repo, ['1.1']);
      const version = (await repo.getAction(PLAN_ID, '1.1'))!.version;
      const error = await repo
        .save(PLAN_ID, { actions: [{ value: anAction('2.1'), expectedVersion: version }] })
        .catch((e: unknown) => e);
      expect(isActionPlanError(error, 'conflict')).toBe(true);
      expect(await repo.getAction(PLAN_ID, '2.1')).toBeUndefined();
    });

    it('upserts whatever is stored when no version is expected', async () => {
      await createPlan(repo, ['1.1']);
      const before = await repo.getAction(PLAN_ID, '1.1');
      await repo.save(PLAN_ID, {
        actions: [
          { value: anAction('1.1', { text: 'Replaced' }) },
          { value: anAction('1.2', { text: 'New' }), expectedVersion: undefined },
        ],
      });
      const after = await repo.getAction(PLAN_ID, '1.1');
      expect(after?.value.text).toBe('Replaced');
      expect(after?.version).not.toBe(before?.version);
      expect((await repo.getAction(PLAN_ID, '1.2'))?.value.text).toBe('New');
    });

    it('replaces the whole record, so a cleared field is gone', async () => {
      await repo.save(PLAN_ID, {
        plan: { value: aPlan(), expectedVersion: null },
        actions: [
          { value: anAction('1.1', { note: 'Draft', area: 'HMPPS' }), expectedVersion: null },
        ],
      });
      const read = await repo.getAction(PLAN_ID, '1.1');
      const { note: _note, area: _area, ...withoutNoteOrArea } = read!.value;
      await repo.save(PLAN_ID, {
        actions: [{ value: withoutNoteOrArea, expectedVersion: read!.version }],
      });
      expect((await repo.getAction(PLAN_ID, '1.1'))?.value).toEqual(withoutNoteOrArea);

      // The same for an upsert (no expected version).
      await repo.save(PLAN_ID, { actions: [{ value: { ...withoutNoteOrArea, note: 'Again' } }] });
      await repo.save(PLAN_ID, { actions: [{ value: withoutNoteOrArea }] });
      expect((await repo.getAction(PLAN_ID, '1.1'))?.value).toEqual(withoutNoteOrArea);
    });

    it('lets exactly one of two writers with the same version win, and a retry loses nothing', async () => {
      await createPlan(repo, ['4.9a']);
      const [seenByA, seenByB] = await Promise.all([
        repo.getAction(PLAN_ID, '4.9a'),
        repo.getAction(PLAN_ID, '4.9a'),
      ]);
      const setStatus = (a: Action): Action => ({ ...a, status: 'in_progress' });
      const setNote = (a: Action): Action => ({ ...a, note: 'Draft sent to the board' });
      const statusEntry = changed('4.9a', 'status', 'not_started', 'in_progress', AT_2);
      const noteEntry = changed('4.9a', 'note', '', 'Draft sent to the board', AT_3);

      const results = await Promise.allSettled([
        repo.save(PLAN_ID, {
          actions: [{ value: setStatus(seenByA!.value), expectedVersion: seenByA!.version }],
          history: [statusEntry],
        }),
        repo.save(PLAN_ID, {
          actions: [{ value: setNote(seenByB!.value), expectedVersion: seenByB!.version }],
          history: [noteEntry],
        }),
      ]);
      const refused = results.flatMap((r, i) => (r.status === 'rejected' ? [{ i, r }] : []));
      expect(refused).toHaveLength(1);
      expect(isActionPlanError(refused[0]!.r.reason, 'conflict')).toBe(true);

      // The loser does what a use case does: read again, apply its change again, save again.
      const [change, entry] = refused[0]!.i === 0 ? [setStatus, statusEntry] : [setNote, noteEntry];
      let attempts = 0;
      for (;;) {
        attempts += 1;
        const fresh = await repo.getAction(PLAN_ID, '4.9a');
        try {
          await repo.save(PLAN_ID, {
            actions: [{ value: change(fresh!.value), expectedVersion: fresh!.version }],
            history: [entry],
          });
          break;
        } catch (e) {
          if (!isActionPlanError(e, 'conflict') || attempts >= 5) throw e;
        }
      }

      const final = await repo.getAction(PLAN_ID, '4.9a');
      expect(final?.value.status).toBe('in_progress');
      expect(final?.value.note).toBe('Draft sent to the board');
      expect(await repo.listHistory(PLAN_ID, '4.9a')).toEqual([
        created('4.9a'),
        statusEntry,
        noteEntry,
      ]);
    });
  });

  describe('history', () => {
    it('lists history in the order it happened, for the plan or for one ref only', async () => {
      await createPlan(repo, ['4.9', '4.9a', '4.10']);
      // Saved out of time order, and 4.9 / 4.9a / 4.10 interleaved.
      await repo.save(PLAN_ID, {
        history: [changed('4.9a', 'status', 'not_started', 'in_progress', AT_3)],
      });
      await repo.save(PLAN_ID, {
        history: [
          changed('4.9', 'status', 'not_started', 'blocked', AT_2),
          changed('4.10', 'owners', '', 'a@example.org', AT_4),
        ],
      });
      await repo.save(PLAN_ID, {
        history: [
          // Several fields changed at once: same instant, kept in the order given.
          changed('4.9', 'status', 'blocked', 'in_progress', AT_5),
          changed('4.9', 'target', 'Mar 2017', 'Jun 2017', AT_5),
          changed('4.9', 'owners', '', 'b@example.org', AT_5),
        ],
      });

      const of49 = await repo.listHistory(PLAN_ID, '4.9');
      expect(of49.map((h) => h.ref)).toEqual(['4.9', '4.9', '4.9', '4.9', '4.9']);
      expect(of49.map((h) => `${h.at} ${h.field ?? h.kind}`)).toEqual([
        `${AT_1} created`,
        `${AT_2} status`,
        `${AT_5} status`,
        `${AT_5} target`,
        `${AT_5} owners`,
      ]);
      expect((await repo.listHistory(PLAN_ID, '4.9a')).map((h) => h.at)).toEqual([AT_1, AT_3]);
      expect((await repo.listHistory(PLAN_ID, '4.10')).map((h) => h.at)).toEqual([AT_1, AT_4]);
      expect(await repo.listHistory(PLAN_ID, '4')).toEqual([]);

      const all = await repo.listHistory(PLAN_ID);
      expect(all).toHaveLength(9);
      const times = all.map((h) => Date.parse(h.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(all.slice(-3).map((h) => h.field)).toEqual(['status', 'target', 'owners']);
    });

    it('orders instants written with and without milliseconds by time', async () => {
      await createPlan(repo, ['1.1']);
      await repo.save(PLAN_ID, {
        history: [
          changed('1.1', 'status', 'a', 'b', '2025-01-01T10:00:00Z'),
          changed('1.1', 'status', 'b', 'c', '2025-01-01T09:59:59.500Z'),
          changed('1.1', 'status', 'c', 'd', '2025-01-01T10:00:00.250+00:00'),
        ],
      });
      const history = await repo.listHistory(PLAN_ID, '1.1');
      expect(history.map((h) => h.to)).toEqual(['c', 'b', 'd', undefined]);
      expect(history[0]?.at).toBe('2025-01-01T09:59:59.500Z');
    });

    it('keeps every entry, even two identical ones', async () => {
      await createPlan(repo, ['1.1']);
      const entry = changed('1.1', 'status', 'not_started', 'blocked', AT_2);
      await repo.save(PLAN_ID, { history: [entry, entry] });
      await repo.save(PLAN_ID, { history: [entry] });
      expect(await repo.listHistory(PLAN_ID, '1.1')).toEqual([created('1.1'), entry, entry, entry]);
    });

    it('keeps the arrival order of entries written at the same instant, save after save', async () => {
      await createPlan(repo, ['1.1']);
      const entries = Array.from({ length: 25 }, (_, i) =>
        changed('1.1', 'note', '', `press ${i + 1}`, AT_2),
      );
      for (const entry of entries) await repo.save(PLAN_ID, { history: [entry] });
      expect((await repo.listHistory(PLAN_ID, '1.1')).slice(1)).toEqual(entries);
    });

    it('reads the latest entries of an action newest first, as many as asked', async () => {
      await createPlan(repo, ['1.1', '1.10']);
      const older = changed('1.1', 'status', 'not_started', 'blocked', AT_2);
      const same = [1, 2, 3].map((i) => changed('1.1', 'note', '', `note ${i}`, AT_4));
      await repo.save(PLAN_ID, { history: [older] });
      await repo.save(PLAN_ID, { history: same.slice(0, 2) });
      await repo.save(PLAN_ID, { history: [same[2]!, changed('1.10', 'note', '', 'x', AT_5)] });

      expect(await repo.latestHistory(PLAN_ID, '1.1', 3)).toEqual([same[2], same[1], same[0]]);
      expect(await repo.latestHistory(PLAN_ID, '1.1', 10)).toEqual([
        same[2],
        same[1],
        same[0],
        older,
        created('1.1'),
      ]);
      expect(await repo.latestHistory(PLAN_ID, '1.1', 0)).toEqual([]);
      expect(await repo.latestHistory(PLAN_ID, '1.2', 5)).toEqual([]);
    });

    it('refuses an entry whose time is not an instant', async () => {
      await createPlan(repo, ['1.1']);
      const error = await repo
        .save(PLAN_ID, { history: [changed('1.1', 'status', 'a', 'b', 'last Tuesday')] })
        .catch((e: unknown) => e);
      expect(isActionPlanError(error, 'invalid_input')).toBe(true);
      expect(await repo.listHistory(PLAN_ID, '1.1')).toHaveLength(1);
    });
  });

  describe('open actions', () => {
    it('lists only the actions neither complete nor closed when asked for the open ones', async () => {
      const statuses = ['not_started', 'in_progress', 'blocked', 'complete', 'closed'] as const;
      const actions = statuses.map((status, i) => anAction(`1.${i + 1}`, { status }));
      await repo.save(PLAN_ID, {
        plan: { value: aPlan(), expectedVersion: null },
        actions: actions.map((value) => ({ value, expectedVersion: null })),
        history: actions.map((a) => created(a.ref)),
      });
      const open = await repo.listActions(PLAN_ID, { open: true });
      expect(open.map((a) => a.value)).toEqual(actions.slice(0, 3));
      expect(open.map((a) => a.version)).toEqual(
        (await repo.listActions(PLAN_ID)).slice(0, 3).map((a) => a.version),
      );
      expect(await repo.listActions('no-such-plan', { open: true })).toEqual([]);
    });
  });

  describe('the last status change', () => {
    it('is recorded on the action by the save that changes its status, and kept by later saves', async () => {
      await createPlan(repo, ['1.1', '1.2']);
      expect((await repo.getAction(PLAN_ID, '1.1'))?.value.statusChangedAt).toBeUndefined();

      const read = await repo.getAction(PLAN_ID, '1.1');
      const saved = await repo.save(PLAN_ID, {
        actions: [{ value: { ...read!.value, status: 'blocked' }, expectedVersion: read!.version }],
        history: [
          changed('1.1', 'note', '', 'Waiting for the board', AT_3),
          changed('1.1', 'status', 'not_started', 'blocked', AT_3),
          changed('1.2', 'status', 'not_started', 'blocked', AT_4),
        ],
      });
      const after = await repo.getAction(PLAN_ID, '1.1');
      expect(after?.value.statusChangedAt).toBe(AT_3);
      // The new version comes back from the save itself: no read needed.
      expect(saved.actionVersions.get('1.1')).toBe(after?.version);
      // Another action's entry in the same save is not this action's change.
      expect((await repo.getAction(PLAN_ID, '1.2'))?.value.statusChangedAt).toBeUndefined();

      // A later change of another field keeps it.
      await repo.save(PLAN_ID, {
        actions: [{ value: { ...after!.value, note: 'Sent' }, expectedVersion: after!.version }],
        history: [changed('1.1', 'note', '', 'Sent', AT_5)],
      });
      expect((await repo.getAction(PLAN_ID, '1.1'))?.value.statusChangedAt).toBe(AT_3);
      expect((await repo.listActions(PLAN_ID))[0]?.value.statusChangedAt).toBe(AT_3);
    });
  });

  describe('areas', () => {
    it('stores areas with their champions, one per area however its name is written', async () => {
      await createPlan(repo, []);
      const hmpps = anArea('HMPPS', { champions: ['kim@example.org', 'lee@example.org'] });
      const legal = anArea('Legal Aid Agency');
      await repo.save(PLAN_ID, {
        areas: [
          { value: legal, expectedVersion: null },
          { value: hmpps, expectedVersion: null },
        ],
      });
      const areas = await repo.listAreas(PLAN_ID);
      expect(areas.map((a) => a.value)).toEqual([hmpps, legal]);

      for (const name of ['hmpps', 'H.M.P.P.S.']) {
        const error = await repo
          .save(PLAN_ID, { areas: [{ value: anArea(name), expectedVersion: null }] })
          .catch((e: unknown) => e);
        expect(isActionPlanError(error, 'conflict')).toBe(true);
        expect((error as Error).message).toBe(
          `The area "${name}" already exists; read it again and retry.`,
        );
      }

      const stored = areas[0]!;
      await repo.save(PLAN_ID, {
        areas: [{ value: { ...stored.value, champions: [] }, expectedVersion: stored.version }],
      });
      expect((await repo.listAreas(PLAN_ID))[0]?.value.champions).toEqual([]);
    });
  });

  describe('large saves', () => {
    it('saves 250 actions with their history across several transactions, plan record included', async () => {
      const refs = Array.from(
        { length: 250 },
        (_, i) => `${Math.floor(i / 50) + 1}.${(i % 50) + 1}`,
      );
      const plan = aPlan({ title: 'A large plan' });
      const changes: PlanChanges = {
        plan: { value: plan, expectedVersion: null },
        actions: refs.map((ref) => ({ value: anAction(ref), expectedVersion: null })),
        history: refs.flatMap((ref) => [
          created(ref),
          changed(ref, 'owners', '', 'a@example.org', AT_2),
        ]),
      };
      await repo.save(PLAN_ID, changes);

      expect((await repo.getPlan(PLAN_ID))?.value).toEqual(plan);
      const actions = await repo.listActions(PLAN_ID);
      expect(actions).toHaveLength(250);
      expect(actions.map((a) => a.value.ref)).toEqual(refs);
      expect(await repo.listHistory(PLAN_ID)).toHaveLength(500);
      expect(await repo.listHistory(PLAN_ID, '5.50')).toEqual([
        created('5.50'),
        changed('5.50', 'owners', '', 'a@example.org', AT_2),
      ]);
    });

    it('says how far a save has got, ending with every record written', async () => {
      const refs = Array.from(
        { length: 150 },
        (_, i) => `${Math.floor(i / 50) + 1}.${(i % 50) + 1}`,
      );
      const seen: [number, number][] = [];
      await repo.save(
        PLAN_ID,
        {
          plan: { value: aPlan(), expectedVersion: null },
          actions: refs.map((ref) => ({ value: anAction(ref), expectedVersion: null })),
          history: refs.map((ref) => created(ref)),
        },
        { onProgress: (written, total) => seen.push([written, total]) },
      );
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.at(-1)).toEqual([301, 301]);
      for (const [i, [written, total]] of seen.entries()) {
        expect(total).toBe(301);
        expect(written).toBeGreaterThan(i === 0 ? 0 : seen[i - 1]![0]);
      }
    });
  });

  describe('removing a plan', () => {
    it('removes the plan with its actions, areas and history, and nothing of another plan', async () => {
      const refs = Array.from(
        { length: 120 },
        (_, i) => `${Math.floor(i / 40) + 1}.${(i % 40) + 1}`,
      );
      await repo.save(PLAN_ID, {
        plan: { value: aPlan(), expectedVersion: null },
        actions: refs.map((ref) => ({ value: anAction(ref), expectedVersion: null })),
        areas: [{ value: anArea('HMPPS'), expectedVersion: null }],
        history: refs.map((ref) => created(ref)),
      });
      const other = aPlan({ id: 'other-plan' });
      await repo.save(other.id, {
        plan: { value: other, expectedVersion: null },
        actions: [{ value: anAction('1.1', { planId: other.id }), expectedVersion: null }],
      });

      expect(await repo.deletePlan(PLAN_ID)).toBe(1 + 120 + 1 + 120);
      expect(await repo.getPlan(PLAN_ID)).toBeUndefined();
      expect(await repo.listActions(PLAN_ID)).toEqual([]);
      expect(await repo.listAreas(PLAN_ID)).toEqual([]);
      expect(await repo.listHistory(PLAN_ID)).toEqual([]);
      expect((await repo.listPlans()).map((p) => p.value.id)).toEqual([other.id]);
      expect(await repo.listActions(other.id)).toHaveLength(1);

      expect(await repo.deletePlan(PLAN_ID)).toBe(0);
      expect(await repo.deletePlan('never-there')).toBe(0);
      // The id can be used again, as if it had never been.
      await createPlan(repo, ['1.1']);
      expect(await repo.listActions(PLAN_ID)).toHaveLength(1);
    });
  });
}

// ---- Builders ----

export const PLAN_ID = 'moj-ima-2017';
const AT_1 = '2025-03-01T09:00:00.000Z';
const AT_2 = '2025-03-02T09:00:00.000Z';
const AT_3 = '2025-03-03T09:00:00.000Z';
const AT_4 = '2025-03-04T09:00:00.000Z';
const AT_5 = '2025-03-05T09:00:00.000Z';

export function aPlan(overrides: Partial<Plan> = {}): Plan {
  return {
    id: PLAN_ID,
    title: 'Information Management Assessment: action plan',
    progressUpdate: 'May 2017',
    timeZone: 'Europe/London',
    recommendations: [
      { number: '1', text: 'Make information management a priority.' },
      { number: '4', text: 'Know what information is held, and where.' },
    ],
    createdAt: AT_1,
    updatedAt: AT_1,
    ...overrides,
  };
}

export function anAction(ref: string, overrides: Partial<Action> = {}): Action {
  return {
    planId: PLAN_ID,
    ref,
    recommendation: ref.split('.')[0] ?? ref,
    text: `Do what recommendation ${ref} asks.`,
    priority: 'H',
    target: { kind: 'date', text: 'End Mar 2017', date: '2017-03-31' },
    status: 'not_started',
    owners: ['owner@example.org'],
    updatedAt: AT_1,
    updatedBy: 'import:plan.txt',
    ...overrides,
  };
}

export function anArea(name: string, overrides: Partial<Area> = {}): Area {
  return { planId: PLAN_ID, name, champions: ['champion@example.org'], ...overrides };
}

function created(ref: string, overrides: Partial<HistoryEntry> = {}): HistoryEntry {
  return { planId: PLAN_ID, ref, at: AT_1, by: 'import:plan.txt', kind: 'created', ...overrides };
}

function changed(ref: string, field: string, from: string, to: string, at: string): HistoryEntry {
  return { planId: PLAN_ID, ref, at, by: 'kim@example.org', kind: 'changed', field, from, to };
}

async function createPlan(repo: PlanRepository, refs: string[]): Promise<void> {
  await repo.save(PLAN_ID, {
    plan: { value: aPlan(), expectedVersion: null },
    actions: refs.map((ref) => ({ value: anAction(ref), expectedVersion: null })),
    history: refs.map((ref) => created(ref)),
  });
}
