import { answerActionPress, setStatus } from '../../../../src/app/card-actions/index.js';
import { OneAtATime } from '../../../../src/app/card-actions/one-at-a-time.js';
import { recordAnswer } from '../../../../src/app/card-actions/record-answer.js';
import type { PlanChanges, PlanRepository } from '../../../../src/ports/plan-repository.js';
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

describe('OneAtATime', () => {
  it('runs tasks with one key in arrival order, one at a time, and others alongside', async () => {
    const queue = new OneAtATime();
    const log: string[] = [];
    const task = (name: string) => async (waited: boolean) => {
      log.push(`start ${name}${waited ? ' (waited)' : ''}`);
      await new Promise((r) => setImmediate(r));
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([
      queue.run('a', task('a1')),
      queue.run('a', task('a2')),
      queue.run('b', task('b1')),
    ]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('start a2 (waited)')).toBeGreaterThan(log.indexOf('end a1'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('carries on after a task that fails', async () => {
    const queue = new OneAtATime();
    const failing = queue.run('a', async () => {
      throw new Error('boom');
    });
    const next = queue.run('a', async (waited) => waited);
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe(true);
  });
});
