import { createServer, type Server } from 'node:net';
import { TableClient } from '@azure/data-tables';
import { isActionPlanError } from '../../../src/domain/errors.js';
import {
  AzurePeopleRepository,
  CONVERSATION_PARTITION,
  LEGACY_PERSON_PARTITION,
  PEOPLE_PARTITION,
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

  it('looks thousands of addresses up a few dozen at a time, never all at once', async () => {
    const client = tableClient(freshTableName('people'));
    let inFlight = 0;
    let most = 0;
    const counting = new Proxy(client, {
      get(target, name, receiver) {
        if (name !== 'getEntity') return Reflect.get(target, name, receiver) as unknown;
        return async (...args: Parameters<TableClient['getEntity']>) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          try {
            return await target.getEntity(...args);
          } finally {
            inFlight -= 1;
          }
        };
      },
    });
    const repo = new AzurePeopleRepository(counting);
    await repo.savePerson(aPerson(), null);
    const addresses = [EMAIL, ...Array.from({ length: 500 }, (_, i) => `p${i}@justice.gov.uk`)];
    const found = await repo.findManyByEmail(addresses);
    expect(found.size).toBe(501);
    expect(found.get(EMAIL)).toMatchObject({ kind: 'one' });
    expect(found.get('p499@justice.gov.uk')).toEqual({ kind: 'none' });
    // Each address is an index read, then its person's: at most two reads for each of 50.
    expect(most).toBeLessThanOrEqual(100);
  });

  it('stores people, their index rows and conversations under the documented keys', async () => {
    const tableName = freshTableName('people');
    const repo = repositoryOn(tableName);
    await repo.savePerson(
      aPerson({ email: 'Sam.Owner@Justice.gov.uk', upn: 'S.O@justice.gov.uk', admin: true }),
    );
    await repo.savePerson(aPerson({ email: 'named/only@example.org', aadObjectId: undefined }));
    await repo.saveConversation(aConversation({ conversationId: '19:a/b@thread.v2' }));

    const client = tableClient(tableName);
    const person = await client.getEntity<Record<string, unknown>>(
      PEOPLE_PARTITION,
      'person|id|tenant-1|aad-sam-0001',
    );
    expect(person).toMatchObject({
      email: EMAIL,
      upn: 's.o@justice.gov.uk',
      reachable: true,
      admin: true,
      name: 'Sam Owner',
    });
    expect(JSON.parse(person.conversation as string)).toEqual(JSON.parse(aPerson().conversation!));
    expect((await repo.getByEmail(EMAIL))?.version).toBe(person.etag);
    for (const address of [EMAIL, 's.o@justice.gov.uk']) {
      const index = await client.getEntity<Record<string, unknown>>(
        PEOPLE_PARTITION,
        `address|${address}`,
      );
      expect(JSON.parse(index.keys as string)).toEqual(['person|id|tenant-1|aad-sam-0001']);
    }
    const oid = await client.getEntity<Record<string, unknown>>(
      PEOPLE_PARTITION,
      'oid|aad-sam-0001',
    );
    expect(oid.key).toBe('person|id|tenant-1|aad-sam-0001');
    const named = await client.getEntity<Record<string, unknown>>(
      PEOPLE_PARTITION,
      'person|mail|named%2Fonly@example.org',
    );
    expect(named.email).toBe('named/only@example.org');

    const conversation = await client.getEntity<Record<string, unknown>>(
      CONVERSATION_PARTITION,
      '19:a%2Fb@thread.v2',
    );
    expect(conversation.kind).toBe('groupChat');
  });

  it('leaves no row behind when a person moves or goes: index rows emptied are deleted', async () => {
    const tableName = freshTableName('people');
    const repo = repositoryOn(tableName);
    await repo.savePerson(
      aPerson({ aadObjectId: undefined, tenantId: undefined, admin: true }),
      null,
    );
    const placeholder = await repo.getByEmail(EMAIL);
    expect(await rowKeysIn(tableName)).toContain(`admin|person|mail|${EMAIL}`);
    await repo.savePerson(aPerson({ email: 'sam.new@justice.gov.uk', admin: true }), null, {
      replaces: [placeholder!],
    });
    // The marker that admins stored before the admin index have their rows stays.
    expect(await rowKeysIn(tableName)).toEqual([
      'address|sam.new@justice.gov.uk',
      'admin|person|id|tenant-1|aad-sam-0001',
      'meta|admins-indexed',
      'oid|aad-sam-0001',
      'person|id|tenant-1|aad-sam-0001',
    ]);
    await repo.removePerson(aPerson());
    expect(await rowKeysIn(tableName)).toEqual(['meta|admins-indexed']);
  });

  it('gives admins stored before the admin index their rows once, at first use', async () => {
    const tableName = freshTableName('people');
    const client = tableClient(tableName);
    await repositoryOn(tableName).savePerson(aPerson({ admin: true }), null);
    // As an earlier version left it: the admin, and neither the admin row nor the marker.
    await client.deleteEntity(PEOPLE_PARTITION, 'admin|person|id|tenant-1|aad-sam-0001');
    await client.deleteEntity(PEOPLE_PARTITION, 'meta|admins-indexed');
    expect((await repositoryOn(tableName).listAdmins()).map((p) => p.value.email)).toEqual([EMAIL]);
    expect(await rowKeysIn(tableName)).toContain('admin|person|id|tenant-1|aad-sam-0001');
  });

  it('reads a tombstone an interrupted clean-up left as nothing, and writes over it', async () => {
    const tableName = freshTableName('people');
    const client = tableClient(tableName);
    const repo = repositoryOn(tableName);
    await repo.listPeople(); // creates the table
    for (const rowKey of [
      `address|${EMAIL}`,
      'oid|aad-sam-0001',
      'person|id|tenant-1|aad-sam-0001',
    ]) {
      await client.createEntity({ partitionKey: PEOPLE_PARTITION, rowKey, gone: true });
    }
    expect(await repo.findByEmail(EMAIL)).toEqual({ kind: 'none' });
    expect(await repo.getByAadObjectId('aad-sam-0001')).toBeUndefined();
    expect(await repo.listPeople()).toEqual([]);
    await repo.savePerson(aPerson(), null);
    expect((await repo.getByEmail(EMAIL))?.value).toEqual(aPerson());
  });

  it('keeps every write of two people sharing an address, written at once', async () => {
    const repo = repositoryOn(freshTableName('people'));
    const people = Array.from({ length: 6 }, (_, i) =>
      aPerson({ aadObjectId: `aad-${i}`, tenantId: `tenant-${i}` }),
    );
    await Promise.all(people.map((p) => repo.savePerson(p, null)));
    const found = await repo.findByEmail(EMAIL);
    expect(found.kind === 'ambiguous' ? found.people.length : 0).toBe(6);
  });

  describe('people stored by the scheme before identities (partition "person", keyed by email)', () => {
    /** Writes records as the earlier version did. */
    async function legacyTable(records: Record<string, unknown>[]): Promise<string> {
      const tableName = freshTableName('people');
      const client = tableClient(tableName);
      await client.createTable();
      for (const r of records) {
        await client.createEntity({ partitionKey: LEGACY_PERSON_PARTITION, ...r } as never);
      }
      return tableName;
    }
    const legacy = (email: string, more: Record<string, unknown> = {}) => ({
      rowKey: email,
      name: email.split('@')[0],
      reachable: true,
      conversation: '{"conversation":{"id":"a:1"}}',
      updatedAt: '2025-01-01T00:00:00.000Z',
      ...more,
    });

    it('moves them once, at first use: found by email and object id, the old rows gone', async () => {
      const tableName = await legacyTable([
        legacy(EMAIL, { aadObjectId: 'aad-sam-0001', tenantId: 'tenant-1', admin: true }),
        legacy('named%2Fonly@example.org'),
      ]);
      const repo = repositoryOn(tableName);

      expect((await repo.getByEmail(EMAIL))?.value).toMatchObject({
        aadObjectId: 'aad-sam-0001',
        tenantId: 'tenant-1',
        admin: true,
        reachable: true,
      });
      expect((await repo.getByAadObjectId('aad-sam-0001', 'tenant-1'))?.value.email).toBe(EMAIL);
      expect((await repo.getByEmail('named/only@example.org'))?.value.name).toBe('named%2Fonly');
      expect(await legacyRows(tableName)).toEqual([]);
      // Another process starting later finds nothing to move.
      expect(await repositoryOn(tableName).migrateLegacyPeople()).toEqual({ moved: 0, merged: 0 });
    });

    it('keeps the newest record of an account whose email changed, and is safe to run twice at once', async () => {
      const tableName = await legacyTable([
        legacy('old.name@example.org', {
          aadObjectId: 'aad-sam-0001',
          tenantId: 'tenant-1',
          updatedAt: '2024-01-01T00:00:00Z',
        }),
        legacy('new.name@example.org', {
          aadObjectId: 'aad-sam-0001',
          tenantId: 'tenant-1',
          updatedAt: '2025-01-01T00:00:00Z',
        }),
      ]);
      const results = await Promise.all([
        repositoryOn(tableName).migrateLegacyPeople(),
        repositoryOn(tableName).migrateLegacyPeople(),
      ]);
      expect(results.reduce((n, r) => n + r.moved, 0)).toBe(1);
      const repo = repositoryOn(tableName);
      expect((await repo.getByAadObjectId('aad-sam-0001'))?.value.email).toBe(
        'new.name@example.org',
      );
      expect(await repo.findByEmail('old.name@example.org')).toEqual({ kind: 'none' });
      expect(await repo.listPeople()).toHaveLength(1);
      expect(await legacyRows(tableName)).toEqual([]);
    });

    it('finishes a move that stopped half way, and leaves an address already claimed to its holder', async () => {
      const tableName = await legacyTable([
        legacy(EMAIL, { aadObjectId: 'aad-sam-0001', tenantId: 'tenant-1' }),
        legacy('kim@example.org', { aadObjectId: 'aad-old-kim', tenantId: 'tenant-1' }),
      ]);
      // A process of this version moved Sam, and Kim installed again under a new account,
      // before the old rows were removed.
      const first = repositoryOn(tableName);
      const client = tableClient(tableName);
      await client.deleteEntity(LEGACY_PERSON_PARTITION, 'kim@example.org');
      await first.migrateLegacyPeople();
      await first.savePerson(
        aPerson({ email: 'kim@example.org', aadObjectId: 'aad-new-kim' }),
        null,
      );
      await client.createEntity({
        partitionKey: LEGACY_PERSON_PARTITION,
        ...legacy(EMAIL, { aadObjectId: 'aad-sam-0001', tenantId: 'tenant-1' }),
      } as never);
      await client.createEntity({
        partitionKey: LEGACY_PERSON_PARTITION,
        ...legacy('kim@example.org', { aadObjectId: 'aad-old-kim', tenantId: 'tenant-1' }),
      } as never);

      expect(await repositoryOn(tableName).migrateLegacyPeople()).toEqual({ moved: 0, merged: 2 });
      const repo = repositoryOn(tableName);
      expect((await repo.getByEmail('kim@example.org'))?.value.aadObjectId).toBe('aad-new-kim');
      expect((await repo.getByEmail(EMAIL))?.value.aadObjectId).toBe('aad-sam-0001');
      expect(await repo.listPeople()).toHaveLength(2);
      expect(await legacyRows(tableName)).toEqual([]);
    });
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

const tableClient = (tableName: string): TableClient =>
  TableClient.fromConnectionString(azurite.connectionString, tableName, {
    allowInsecureConnection: true,
  });

/** Every row of the people partition, tombstones included, by RowKey. */
async function rowKeysIn(tableName: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of tableClient(tableName).listEntities({
    queryOptions: { filter: `PartitionKey eq '${PEOPLE_PARTITION}'` },
  })) {
    keys.push(e.rowKey!);
  }
  return keys.sort();
}

async function legacyRows(tableName: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const e of tableClient(tableName).listEntities({
    queryOptions: { filter: `PartitionKey eq '${LEGACY_PERSON_PARTITION}'` },
  })) {
    keys.push(e.rowKey!);
  }
  return keys;
}

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
