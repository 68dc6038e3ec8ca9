import { changeAction } from '../../../src/app/change-action';
import { useTestAzurite } from '../../helpers/azurite';
import { cliAgainst } from '../../helpers/cli-driver';
import { MOJ_PLAN_PATH } from '../../helpers/fixtures';

const azurite = useTestAzurite();

const PLAN = 'ministry-of-justice-ima-action-plan';

describe('concurrent changes to one action, on Azurite', () => {
  it('loses no update: two writers who read the same version both end up in the action and its history', async () => {
    const cli = cliAgainst(azurite.connectionString);
    await cli.run('import', MOJ_PLAN_PATH);
    const [a, b] = [await cli.deps(), await cli.deps()];
    // Both writers start from the same version; storage refuses the second write (412) and the
    // use case re-reads and re-applies it on top of the first.
    const results = await Promise.all([
      changeAction(a, {
        planId: PLAN,
        ref: '4.9a',
        by: 'ann@justice.gov.uk',
        apply: (x) => ({ ...x, status: 'in_progress' }),
      }),
      changeAction(b, {
        planId: PLAN,
        ref: '4.9a',
        by: 'bob@justice.gov.uk',
        apply: (x) => ({ ...x, owners: [...x.owners, 'bob@justice.gov.uk'] }),
      }),
    ]);
    expect(results.map((r) => r.retries).sort()).toEqual([0, 1]);
    const shown = JSON.parse((await cli.run('show', '4.9a', '--json')).out);
    expect(shown.action).toMatchObject({ status: 'in_progress', owners: ['bob@justice.gov.uk'] });
    expect(
      shown.history
        .filter((h: { kind: string }) => h.kind === 'changed')
        .map((h: { by: string; field: string }) => `${h.by} ${h.field}`)
        .sort(),
    ).toEqual(['ann@justice.gov.uk status', 'bob@justice.gov.uk owners']);
  });

  it('twenty notes at once: twenty history entries, and the final note is the last one written', async () => {
    const cli = cliAgainst(azurite.connectionString);
    await cli.run('import', MOJ_PLAN_PATH);
    const deps = await cli.deps();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        changeAction(deps, {
          planId: PLAN,
          ref: '1.1',
          by: `writer${i}@justice.gov.uk`,
          apply: (x) => ({ ...x, note: `Note ${i}` }),
        }),
      ),
    );
    const history = await deps.plans.listHistory(PLAN, '1.1');
    const notes = history.filter((h) => h.field === 'note');
    expect(notes).toHaveLength(20);
    expect(new Set(notes.map((h) => h.to))).toEqual(
      new Set(Array.from({ length: 20 }, (_, i) => `Note ${i}`)),
    );
    // Each entry's "from" is the previous entry's "to": a chain with no gaps, so nothing was overwritten unseen.
    for (let i = 1; i < notes.length; i++) expect(notes[i]!.from).toBe(notes[i - 1]!.to);
    const action = await deps.plans.getAction(PLAN, '1.1');
    expect(action?.value.note).toBe(notes[notes.length - 1]!.to);
  });
});
