import { InMemoryPeopleRepository } from '../../../src/storage/in-memory-people-repository.js';
import {
  aPerson,
  EMAIL,
  peopleRepositoryContract,
} from '../../helpers/people-repository-contract.js';

describe('InMemoryPeopleRepository', () => {
  peopleRepositoryContract(() => Promise.resolve(new InMemoryPeopleRepository()));

  it('hands out copies, so changing what was read or saved changes nothing stored', async () => {
    const repo = new InMemoryPeopleRepository();
    const person = { ...aPerson() };
    await repo.savePerson(person);
    (person as { name: string }).name = 'Changed after saving';
    const read = await repo.getByEmail(EMAIL);
    (read!.value as { name: string }).name = 'Changed after reading';
    expect((await repo.getByEmail(EMAIL))?.value.name).toBe('Sam Owner');
  });
});
