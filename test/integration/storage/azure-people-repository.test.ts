import { createServer, type Server } from 'node:net';
import { TableClient } from '@azure/data-tables';
import { isActionPlanError } from '../../../src/domain/errors.js';
import {
  AzurePeopleRepository,
  CONVERSATION_PARTITION,
  PERSON_PARTITION,
} from '../../../src/storage/azure-people-repository.js';
import { DEVELOPMENT_ACCOUNT } from '../../../src/storage/embedded-azurite.js';
import { freshTableName, useTestAzurite } from '../../helpers/azurite.js';
import {
  aConversation,
  aPerson,
  EMAIL,
  peopleRepositoryContract,
} from '../../helpers/people-repository-contract.js';

const azurite = useTestAzurite();

const repositoryOn = (tableName: string): AzurePeopleRepository =>
  AzurePeopleRepository.fromConnectionString(azurite.connectionString, { tableName });

describe('AzurePeopleRepository on Azurite', () => {
  peopleRepositoryContract(() => Promise.resolve(repositoryOn(freshTableName('people'))));

  it('stores people and conversations under the documented keys', async () => {
    const tableName = freshTableName('people');
    const repo = repositoryOn(tableName);
    await repo.savePerson(aPerson({ email: 'Sam.Owner@Justice.gov.uk', admin: true }));
    await repo.saveConversation(aConversation({ conversationId: '19:a/b@thread.v2' }));

    const client = TableClient.fromConnectionString(azurite.connectionString, tableName, {
      allowInsecureConnection: true,
    });
    const person = await client.getEntity<Record<string, unknown>>(PERSON_PARTITION, EMAIL);
    expect(person.reachable).toBe(true);
    expect(person.admin).toBe(true);
    expect(person.name).toBe('Sam Owner');
    expect(JSON.parse(person.conversation as string)).toEqual(JSON.parse(aPerson().conversation!));
    expect((await repo.getByEmail(EMAIL))?.version).toBe(person.etag);

    const conversation = await client.getEntity<Record<string, unknown>>(
      CONVERSATION_PARTITION,
      '19:a%2Fb@thread.v2',
    );
    expect(conversation.kind).toBe('groupChat');
  });

  it('finds the newest record of someone whose email changed', async () => {
    const repo = repositoryOn(freshTableName('people'));
    await repo.savePerson(
      aPerson({ email: 'old.name@example.org', updatedAt: '2024-01-01T00:00:00Z' }),
    );
    await repo.savePerson(
      aPerson({ email: 'new.name@example.org', updatedAt: '2025-01-01T00:00:00Z' }),
    );
    await repo.savePerson(
      aPerson({ email: 'older@example.org', updatedAt: '2023-01-01T00:00:00Z' }),
    );
    expect((await repo.getByAadObjectId('aad-sam-0001'))?.value.email).toBe('new.name@example.org');
  });

  it('answers a probe when storage answers', async () => {
    await expect(repositoryOn(freshTableName('people')).probe()).resolves.toBeUndefined();
  });

  it('reports storage that does not answer as storage_unavailable, in plain words', async () => {
    const repo = AzurePeopleRepository.fromConnectionString(
      connectionStringFor(await closedPort()),
    );
    for (const attempt of [
      () => repo.probe(),
      () => repo.getByEmail(EMAIL),
      () => repo.getByAadObjectId('aad-sam-0001'),
      () => repo.savePerson(aPerson()),
      () => repo.saveConversation(aConversation()),
      () => repo.listConversations(),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(isActionPlanError(error, 'storage_unavailable')).toBe(true);
      expect((error as Error).message).toMatch(
        /^Storage is not answering, so the bot could not .+\. Try again/,
      );
      expect((error as Error).message).not.toMatch(/ECONNREFUSED|RestError/);
    }
  });

  it('refuses a record too large for a table property before writing anything', async () => {
    const repo = repositoryOn(freshTableName('people'));
    const error = await repo
      .savePerson(aPerson({ conversation: 'x'.repeat(40_000) }))
      .catch((e: unknown) => e);
    expect(isActionPlanError(error, 'invalid_input')).toBe(true);
    expect((error as Error).message).toBe(
      `The record of ${EMAIL} is too large to store: its conversation is 40,000 characters long, and the limit is 32,768.`,
    );
    expect(await repo.listPeople()).toEqual([]);
  });
});

function connectionStringFor(port: number): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${DEVELOPMENT_ACCOUNT.name}`,
    `AccountKey=${DEVELOPMENT_ACCOUNT.key}`,
    `TableEndpoint=http://127.0.0.1:${port}/${DEVELOPMENT_ACCOUNT.name}`,
  ].join(';');
}

/** A port nothing listens on: bound by the system, then released. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('No port was given.');
  return address.port;
}
