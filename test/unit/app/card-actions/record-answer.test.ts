import { answerActionPress, setStatus } from '../../../../src/app/card-actions/index.js';
import { MAX_GROUP, recordAnswer } from '../../../../src/app/card-actions/record-answer.js';
import { ActionPlanError } from '../../../../src/domain/errors.js';
import type { Action } from '../../../../src/domain/plan.js';
import type { PlanChanges, PlanRepository } from '../../../../src/ports/plan-repository.js';
import { newTurn, runInTurn } from '../../../../src/ports/turn-deadline.js';
import { cardText, cardWorld, MOJ_PLAN_ID, OWNER, READER, type CardWorld } from './card-world.js';

/**
 * Plans whose next action write is beaten by another instance's: just before it lands, `rival`
 * is written (as a second server would), so the write's version is out of date.
 */
function beatenOnce(plans: PlanRepository, rival: () => Promise<void>): PlanRepository {
  let armed = true;
  return new Proxy(plans, {
    get(target, name, receiver) {
      if (name !== 'save') return Reflect.get(target, name, receiver) as unknown;
      return async (planId: string, changes: PlanChanges) => {
        if (armed && changes.actions?.length) {
          armed = false;
          await rival();
        }
        return target.save(planId, changes);
      };
    },
  });
}

describe('recordAnswer when another instance wins the race', () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
  });

  const rivalWrite = (status: 'complete' | 'blocked', owners?: string[]) => async () => {
    const current = (await world.deps.plans.getAction(MOJ_PLAN_ID, '4.9a'))!;
    await world.deps.plans.save(MOJ_PLAN_ID, {
      actions: [
        {
          value: {
            ...current.value,
            status,
            ...(owners ? { owners } : {}),
            updatedAt: '2017-06-20T10:00:00.000Z',
          },
          expectedVersion: current.version,
        },
      ],
      history: [
        {
          planId: MOJ_PLAN_ID,
          ref: '4.9a',
          at: '2017-06-20T10:00:00.000Z',
          by: 'rival',
          kind: 'changed',
          field: 'status',
          from: 'Not started',
          to: status,
        },
      ],
    });
  };

  it('re-reads and re-applies on top, so both writes are kept in order', async () => {
    const plans = beatenOnce(world.deps.plans, rivalWrite('complete'));
    let applied = 0;
    const result = await recordAnswer(
      { ...world.deps, plans },
      {
        planId: MOJ_PLAN_ID,
        ref: '4.9a',
        by: OWNER,
        apply: (current) => {
          applied++;
          return {
            action: { ...current, status: 'blocked' },
            entry: { field: 'status', from: current.status, to: 'blocked' },
          };
        },
      },
    );
    expect(applied).toBe(2);
    expect(result.retries).toBe(1);
    expect(result.before.status).toBe('complete');
    expect((await world.action('4.9a')).value.status).toBe('blocked');
    expect((await world.history('4.9a')).slice(-2).map((h) => [h.by, h.from, h.to])).toEqual([
      ['rival', 'Not started', 'complete'],
      [OWNER, 'complete', 'blocked'],
    ]);
  });

  it('refuses, and notes it, when the race made the presser no longer an owner', async () => {
    const plans = beatenOnce(world.deps.plans, rivalWrite('complete', [READER]));
    const version = (await world.action('4.9a')).version;
    const answer = await answerActionPress({ ...world.deps, plans }, setStatus, {
      verb: 'setStatus',
      data: { ref: '4.9a', planId: MOJ_PLAN_ID, version, status: 'blocked' },
      actor: { email: OWNER },
      scope: 'personal',
      via: 'execute',
    });
    expect(cardText(answer)).toContain("You can't change action 4.9a");
    expect((await world.action('4.9a')).value).toMatchObject({
      status: 'complete',
      owners: [READER],
    });
    expect((await world.history('4.9a')).at(-1)).toMatchObject({
      kind: 'refused',
      by: OWNER,
      to: 'Blocked',
    });
  });
});

/** Plans that count the saves writing `ref`, with how many records each wrote. */
function counting(plans: PlanRepository): { plans: PlanRepository; saves: number[] } {
  const saves: number[] = [];
  return {
    saves,
    plans: new Proxy(plans, {
      get(target, name, receiver) {
        if (name !== 'save') return Reflect.get(target, name, receiver) as unknown;
        return (planId: string, changes: PlanChanges) => {
          saves.push((changes.actions?.length ?? 0) + (changes.history?.length ?? 0));
          return target.save(planId, changes);
        };
      },
    }),
  };
}

describe('recordAnswer: answers waiting for a write are written together', () => {
  let world: CardWorld;
  beforeEach(async () => {
    world = await cardWorld();
  });

  const statusAnswer = (status: 'in_progress' | 'blocked' | 'complete', i: number) => ({
    planId: MOJ_PLAN_ID,
    ref: '4.9a',
    by: `presser${i}@justice.gov.uk`,
    apply: (current: Action) => ({
      action: { ...current, status },
      entry: { field: 'status', from: current.status, to: status, note: `press ${i}` },
    }),
  });
  const STATUSES = ['in_progress', 'blocked', 'complete'] as const;

  it('writes the answers that came while one was written in one save, in arrival order', async () => {
    const { plans, saves } = counting(world.deps.plans);
    const before = (await world.history('4.9a')).length;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordAnswer({ ...world.deps, plans }, statusAnswer(STATUSES[i % 3]!, i)),
      ),
    );
    // The first alone, then the nineteen that waited for it together: action + 19 entries.
    expect(saves).toEqual([2, 20]);
    const history = (await world.history('4.9a')).slice(before);
    expect(history.map((h) => h.note)).toEqual(Array.from({ length: 20 }, (_, i) => `press ${i}`));
    // Each applied to the action as the one before left it; the last press decides.
    expect(history.slice(1).map((h) => h.from)).toEqual(history.slice(0, -1).map((h) => h.to));
    const stored = await world.action('4.9a');
    expect(stored.value.status).toBe(STATUSES[19 % 3]);
    // Everyone is told the version written, and what the action was just before their answer.
    expect(new Set(results.slice(1).map((r) => r.action.version))).toEqual(
      new Set([stored.version]),
    );
    expect(results[5]!.before.status).toBe(STATUSES[4 % 3]);
    expect(results[5]!.entries).toHaveLength(19);
  });

  it('never writes an answer whose turn ran out while it waited, and marks those it sent', async () => {
    // The first answer's write is held until the second's turn has run out.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const plans = new Proxy(world.deps.plans, {
      get(target, name, receiver) {
        if (name !== 'save') return Reflect.get(target, name, receiver) as unknown;
        return async (planId: string, changes: PlanChanges) => {
          await held;
          return target.save(planId, changes);
        };
      },
    });
    const deps = { ...world.deps, plans };
    const firstTurn = newTurn(60_000);
    const lateTurn = newTurn(50);
    const first = runInTurn(firstTurn, () => recordAnswer(deps, statusAnswer('blocked', 0)));
    await new Promise((r) => setImmediate(r));
    const late = runInTurn(lateTurn, () => recordAnswer(deps, statusAnswer('complete', 1)));
    await new Promise((r) => setTimeout(r, 100));
    release();
    await first;
    await expect(late).rejects.toMatchObject({ reason: 'storage_unavailable' });
    expect(firstTurn.writing).toBe(true);
    expect(lateTurn.writing).toBe(false);
    expect((await world.history('4.9a')).map((h) => h.note)).not.toContain('press 1');
    expect((await world.action('4.9a')).value.status).toBe('blocked');
  });

  it('puts at most 99 answers in one write (the action makes 100 operations)', async () => {
    const { plans, saves } = counting(world.deps.plans);
    await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        recordAnswer({ ...world.deps, plans }, statusAnswer(STATUSES[i % 3]!, i)),
      ),
    );
    expect(MAX_GROUP).toBe(99);
    expect(saves).toEqual([2, 100, 51]);
  });

  it('refuses an answer that no longer makes sense alone, and writes the rest of its group', async () => {
    const first = recordAnswer(world.deps, statusAnswer('blocked', 0));
    const refused = recordAnswer(world.deps, {
      ...statusAnswer('complete', 1),
      apply: () => {
        throw new ActionPlanError('invalid_input', 'No longer makes sense.');
      },
    });
    const third = recordAnswer(world.deps, statusAnswer('complete', 2));
    await first;
    await expect(refused).rejects.toThrow('No longer makes sense.');
    expect((await third).before.status).toBe('blocked');
    expect((await world.history('4.9a')).slice(-2).map((h) => h.note)).toEqual([
      'press 0',
      'press 2',
    ]);
  });

  it('re-applies the whole group on top of another instance’s write', async () => {
    const rival = async () => {
      const current = (await world.deps.plans.getAction(MOJ_PLAN_ID, '4.9a'))!;
      await world.deps.plans.save(MOJ_PLAN_ID, {
        actions: [{ value: { ...current.value, note: 'rival' }, expectedVersion: current.version }],
        history: [
          {
            planId: MOJ_PLAN_ID,
            ref: '4.9a',
            at: current.value.updatedAt,
            by: 'rival',
            kind: 'changed',
            field: 'note',
            note: 'rival',
          },
        ],
      });
    };
    // The second write (the group of two) is beaten once.
    let saves = 0;
    const plans = new Proxy(world.deps.plans, {
      get(target, name, receiver) {
        if (name !== 'save') return Reflect.get(target, name, receiver) as unknown;
        return async (planId: string, changes: PlanChanges) => {
          if (changes.actions?.length && ++saves === 2) await rival();
          return target.save(planId, changes);
        };
      },
    });
    const results = await Promise.all(
      [0, 1, 2].map((i) => recordAnswer({ ...world.deps, plans }, statusAnswer(STATUSES[i]!, i))),
    );
    expect(results.map((r) => r.retries)).toEqual([0, 1, 1]);
    expect((await world.history('4.9a')).slice(-4).map((h) => h.note)).toEqual([
      'press 0',
      'rival',
      'press 1',
      'press 2',
    ]);
    expect((await world.action('4.9a')).value).toMatchObject({ status: 'complete', note: 'rival' });
  });
});
