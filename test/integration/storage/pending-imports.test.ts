import { randomBytes } from 'node:crypto';
import { TableClient } from '@azure/data-tables';
import { isActionPlanError } from '../../../src/domain/errors.js';
import type { PendingImport, PendingImportRepository } from '../../../src/ports/pending-imports.js';
import {
  AzurePendingImports,
  PENDING_IMPORT_SLICE_BYTES,
} from '../../../src/storage/azure-pending-imports.js';
import { ReminderTable } from '../../../src/storage/azure-reminder-table.js';
import { InMemoryPendingImports } from '../../../src/storage/in-memory-pending-imports.js';
import { tableClientFor } from '../../../src/storage/open-storage.js';
import { freshTableName, useTestAzurite } from '../../helpers/azurite.js';

/**
 * The files waiting for their preview's Import, against Azurite and in memory: one contract, so
 * the in-memory store used by unit tests behaves as the one production uses.
 */

const azurite = useTestAzurite();

const aRecord = (o: Partial<PendingImport> = {}): PendingImport => ({
  id: randomBytes(16).toString('hex'),
  fileName: 'moj-plan.docx',
  planId: 'ministry-of-justice-ima-action-plan',
  admin: { email: 'priya.shah@justice.gov.uk', aadObjectId: 'aad-priya', name: 'Priya Shah' },
  createdAt: '2017-03-22T09:00:00.000Z',
  expiresAt: '2017-03-22T09:30:00.000Z',
  state: 'pending',
  size: 0,
  ...o,
});

const withFile = (size: number): { record: PendingImport; file: Uint8Array } => {
  const file = new Uint8Array(randomBytes(size));
  return { record: aRecord({ size }), file };
};

const stores: [string, () => PendingImportRepository][] = [
  ['in memory', () => new InMemoryPendingImports()],
  [
    'on Azurite',
    () =>
      new AzurePendingImports(
        new ReminderTable(
          tableClientFor(
            { kind: 'connection-string', connectionString: azurite.connectionString },
            freshTableName('imports'),
          ),
        ),
      ),
  ],
];

describe.each(stores)('pending imports %s', (_name, make) => {
  it('keeps the file byte for byte, across the edge of a table entity, and reads the record', async () => {
    const store = make();
    // Over one entity's slice, so the file is cut in two and put together again.
    const { record, file } = withFile(PENDING_IMPORT_SLICE_BYTES + 70_000);
    await store.create(record, file);
    expect(Buffer.from((await store.readFile(record.id))!).equals(Buffer.from(file))).toBe(true);
    expect((await store.get(record.id))?.value).toEqual(record);
  });

  it('keeps a 10 MB file, the largest the bot takes', async () => {
    const store = make();
    const { record, file } = withFile(10 * 1024 * 1024);
    await store.create(record, file);
    expect(Buffer.from((await store.readFile(record.id))!).equals(Buffer.from(file))).toBe(true);
  });

  it('lets one of two updates at the same version win; the other is a conflict', async () => {
    const store = make();
    const { record, file } = withFile(10);
    await store.create(record, file);
    const read = (await store.get(record.id))!;
    const results = await Promise.allSettled([
      store.update({ ...record, state: 'importing' }, read.version),
      store.update({ ...record, state: 'cancelled' }, read.version),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(isActionPlanError(lost.reason, 'conflict')).toBe(true);
    const after = (await store.get(record.id))!;
    expect(['importing', 'cancelled']).toContain(after.value.state);
    expect(after.version).not.toBe(read.version);
  });

  it('refuses a second record with the same id', async () => {
    const store = make();
    const { record, file } = withFile(10);
    await store.create(record, file);
    await expect(store.create(record, file)).rejects.toMatchObject({ reason: 'already_exists' });
  });

  it('forgets a file but keeps its record; a file never stored reads as nothing', async () => {
    const store = make();
    const { record, file } = withFile(PENDING_IMPORT_SLICE_BYTES * 2 + 1);
    await store.create(record, file);
    await store.dropFile(record.id);
    await store.dropFile(record.id);
    expect(await store.readFile(record.id)).toBeUndefined();
    expect((await store.get(record.id))?.value.state).toBe('pending');
    expect(await store.readFile('no-such-preview')).toBeUndefined();
    expect(await store.get('no-such-preview')).toBeUndefined();
  });

  it('drops the files of expired previews, whatever became of them, and later their records', async () => {
    const store = make();
    const expired = withFile(5);
    const live = withFile(5);
    const stuck = withFile(5);
    const old = withFile(5);
    await store.create({ ...expired.record, expiresAt: '2017-03-22T09:30:00.000Z' }, expired.file);
    await store.create({ ...live.record, expiresAt: '2017-03-22T10:30:00.000Z' }, live.file);
    // Claimed for importing by an instance that stopped before it finished.
    await store.create({ ...stuck.record, state: 'importing' }, stuck.file);
    await store.create({ ...old.record, expiresAt: '2017-03-14T09:30:00.000Z' }, old.file);

    expect(await store.forgetExpired(new Date('2017-03-22T10:00:00.000Z'))).toBe(3);
    expect(await store.readFile(expired.record.id)).toBeUndefined();
    expect(await store.readFile(stuck.record.id)).toBeUndefined();
    expect(await store.readFile(live.record.id)).toBeDefined();
    // A late press is still told how its preview ended, for a week.
    expect((await store.get(expired.record.id))?.value.state).toBe('pending');
    expect((await store.get(stuck.record.id))?.value.state).toBe('importing');
    expect(await store.get(old.record.id)).toBeUndefined();
    expect(await store.forgetExpired(new Date('2017-03-22T10:00:00.000Z'))).toBe(0);
  });
});

it('writes the record last, under the documented keys', async () => {
  const tableName = freshTableName('imports');
  const access = { kind: 'connection-string', connectionString: azurite.connectionString } as const;
  const store = new AzurePendingImports(new ReminderTable(tableClientFor(access, tableName)));
  const { record, file } = withFile(PENDING_IMPORT_SLICE_BYTES + 1);
  await store.create(record, file);
  const client = TableClient.fromConnectionString(azurite.connectionString, tableName, {
    allowInsecureConnection: true,
  });
  const rows: { rowKey?: string; timestamp?: string }[] = [];
  for await (const e of client.listEntities({
    queryOptions: { filter: `PartitionKey eq '${record.id}'` },
  })) {
    rows.push(e);
  }
  expect(rows.map((r) => r.rowKey)).toEqual(['file|0000', 'file|0001', 'record']);
});
