import { useTestAzurite } from '../../helpers/azurite.js';
import { cliAgainst } from '../../helpers/cli-driver.js';
import { MOJ_PLAN_PATH } from '../../helpers/fixtures.js';

describe('actionplan date-approval', () => {
  const azurite = useTestAzurite();

  it("says, sets and clears whether owners' new dates need approval, keeping other settings", async () => {
    const cli = cliAgainst(azurite.connectionString);
    expect((await cli.run('import', MOJ_PLAN_PATH)).code).toBe(0);
    const deps = await cli.deps();
    const stored = async () => (await deps.plans.listPlans())[0]!;
    const plan = await stored();
    await deps.plans.save(plan.value.id, {
      plan: {
        value: { ...plan.value, settings: { reminders: { sendAt: '10:00' } } },
        expectedVersion: plan.version,
      },
    });

    const asked = await cli.run('date-approval');
    expect(asked).toMatchObject({ code: 0 });
    expect(asked.out).toContain('owners move their own target dates');

    const on = await cli.run('date-approval', 'on');
    expect(on.out).toContain("wait for their KIM Champion's approval.");
    expect((await stored()).value.settings).toEqual({
      reminders: { sendAt: '10:00' },
      newDatesNeedApproval: true,
    });
    expect((await cli.run('date-approval', 'on')).out).toContain('(no change)');

    await cli.run('date-approval', 'off');
    expect((await stored()).value.settings?.newDatesNeedApproval).toBe(false);

    const wrong = await cli.run('date-approval', 'maybe');
    expect(wrong).toMatchObject({ code: 1, err: 'Say on or off, not "maybe".' });
  });
});
