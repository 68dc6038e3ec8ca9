import { InMemoryPlanRepository } from '../../../src/storage/in-memory-plan-repository.js';
import {
  anAction,
  aPlan,
  PLAN_ID,
  planRepositoryContract,
} from '../../helpers/plan-repository-contract.js';

describe('InMemoryPlanRepository', () => {
  planRepositoryContract(() => Promise.resolve(new InMemoryPlanRepository()));

  it('hands out copies, so changing what was read or saved changes nothing stored', async () => {
    const repo = new InMemoryPlanRepository();
    const owners = ['a@example.org'];
    await repo.save(PLAN_ID, {
      plan: { value: aPlan(), expectedVersion: null },
      actions: [{ value: anAction('1.1', { owners }), expectedVersion: null }],
    });
    owners.push('b@example.org');
    const read = await repo.getAction(PLAN_ID, '1.1');
    (read!.value.owners as string[]).push('c@example.org');
    expect((await repo.getAction(PLAN_ID, '1.1'))?.value.owners).toEqual(['a@example.org']);
  });
});
