import { addArea } from '../../../src/app/add-area.js';
import { assignAction } from '../../../src/app/assign-action.js';
import { listActions } from '../../../src/app/list-actions.js';
import { ActionPlanError } from '../../../src/domain/errors.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { InMemoryPlanRepository } from '../../../src/storage/in-memory-plan-repository.js';
import { anAction, aPlan, PLAN_ID } from '../../helpers/builders.js';

async function world() {
  const plans = new InMemoryPlanRepository();
  await plans.save(PLAN_ID, {
    plan: { value: aPlan(), expectedVersion: null },
    actions: [{ value: anAction({ ref: '1.1' }), expectedVersion: null }],
  });
  return { plans, clock: fixedClock('2017-05-01T09:00:00Z') };
}

describe('areas, however their names are written', () => {
  it('a champion of "MoJ-HQ" joins the area stored as "MoJ HQ", which keeps its name', async () => {
    const deps = await world();
    await addArea(deps, { planId: PLAN_ID, name: 'MoJ HQ', champions: ['ann@x.gov.uk'] });
    const area = await addArea(deps, {
      planId: PLAN_ID,
      name: 'MoJ-HQ',
      champions: ['Bob@x.gov.uk'],
    });
    expect(area).toEqual({
      planId: PLAN_ID,
      name: 'MoJ HQ',
      champions: ['ann@x.gov.uk', 'bob@x.gov.uk'],
    });
    expect((await deps.plans.listAreas(PLAN_ID)).map((a) => a.value)).toEqual([area]);
  });

  it('an action assigned to "moj hq." is in "MoJ HQ", and listed by any spelling', async () => {
    const deps = await world();
    await addArea(deps, { planId: PLAN_ID, name: 'MoJ HQ', champions: [] });
    const { action } = await assignAction(deps, {
      planId: PLAN_ID,
      ref: '1.1',
      owners: ['o@x.gov.uk'],
      area: 'moj hq.',
      by: 'cli',
    });
    expect(action.value.area).toBe('MoJ HQ');
    const plan = (await deps.plans.getPlan(PLAN_ID))!.value;
    expect((await listActions(deps, plan, { area: 'MOJ-HQ' })).map((a) => a.ref)).toEqual(['1.1']);
  });

  it('a name with no letter or digit is refused: it would be the same as every such name', async () => {
    const deps = await world();
    const error = await addArea(deps, { planId: PLAN_ID, name: '- -', champions: [] }).catch(
      (e: unknown) => e,
    );
    expect(error).toEqual(
      new ActionPlanError(
        'invalid_input',
        'An area name needs a letter or a digit; "- -" has none.',
      ),
    );
    expect(await deps.plans.listAreas(PLAN_ID)).toEqual([]);
  });
});
