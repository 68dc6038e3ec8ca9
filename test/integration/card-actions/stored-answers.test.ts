import { AzurePlanRepository } from '../../../src/storage/azure-plan-repository.js';
import { freshTableName, useTestAzurite } from '../../helpers/azurite.js';
import { anAction, aPlan, PLAN_ID } from '../../helpers/builders.js';

/** What the card answers add to an action and a plan survives Table Storage as it went in. */
describe('card answers in Table Storage', () => {
  const azurite = useTestAzurite();

  it('keeps a snooze and a proposed target on the action, and the approval setting on the plan', async () => {
    const plans = AzurePlanRepository.fromConnectionString(azurite.connectionString, {
      tableName: freshTableName(),
    });
    const snooze = { until: '2017-06-27', at: '2017-06-20T09:00:00.000Z', by: 'a@x.gov.uk' };
    const proposedTarget = {
      date: '2017-09-30',
      reason: 'Waiting on the supplier — “quotes” & <tags> ${x}',
      by: 'a@x.gov.uk',
      at: '2017-06-20T09:01:00.000Z',
    };
    await plans.save(PLAN_ID, {
      plan: { value: aPlan({ settings: { newDatesNeedApproval: true } }) },
      actions: [
        { value: anAction({ ref: '1.1', snooze, proposedTarget }) },
        { value: anAction({ ref: '1.2' }) },
      ],
    });

    expect((await plans.getPlan(PLAN_ID))?.value.settings).toEqual({ newDatesNeedApproval: true });
    expect((await plans.getAction(PLAN_ID, '1.1'))?.value).toMatchObject({
      snooze,
      proposedTarget,
    });
    const plain = (await plans.getAction(PLAN_ID, '1.2'))?.value;
    expect(plain).not.toHaveProperty('snooze');
    expect(plain).not.toHaveProperty('proposedTarget');
  });

  it('drops a cleared proposal instead of keeping the old one', async () => {
    const plans = AzurePlanRepository.fromConnectionString(azurite.connectionString, {
      tableName: freshTableName(),
    });
    const proposedTarget = {
      date: '2017-09-30',
      reason: 'r',
      by: 'a@x.gov.uk',
      at: '2017-06-20T09:00:00.000Z',
    };
    await plans.save(PLAN_ID, {
      plan: { value: aPlan() },
      actions: [{ value: anAction({ ref: '1.1', proposedTarget }) }],
    });
    const stored = (await plans.getAction(PLAN_ID, '1.1'))!;
    const { proposedTarget: _cleared, ...rest } = stored.value;
    await plans.save(PLAN_ID, { actions: [{ value: rest, expectedVersion: stored.version }] });
    expect((await plans.getAction(PLAN_ID, '1.1'))?.value).not.toHaveProperty('proposedTarget');
  });
});
