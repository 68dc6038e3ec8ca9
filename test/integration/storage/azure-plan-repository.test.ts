import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { addArea } from '../../../src/app/add-area.js';
import { isActionPlanError } from '../../../src/domain/errors.js';
import {
  AzurePlanRepository,
  STORAGE_RETRY_OPTIONS,
} from '../../../src/storage/azure-plan-repository.js';
import {
  MAX_TRANSACTION_OPERATIONS,
  transactions,
} from '../../../src/storage/plan-transactions.js';
import { DEVELOPMENT_ACCOUNT } from '../../../src/storage/embedded-azurite.js';
import { systemClock } from '../../../src/ports/clock.js';
import { openStorage } from '../../../src/storage/open-storage.js';
import {
  actionRowKey,
  keyedWrites,
  PLAN_ROW_KEY,
  STATUS_CHANGES_ROW_KEY,
} from '../../../src/storage/table-keys.js';
import { freshTableName, useTestAzurite } from '../../helpers/azurite.js';
import {
  anAction,
  anArea,
  aPlan,
  PLAN_ID,
  planRepositoryContract,
} from '../../helpers/plan-repository-contract.js';

const azurite = useTestAzurite();

const repositoryOn = (tableName: string): AzurePlanRepository =>
  AzurePlanRepository.fromConnectionString(azurite.connectionString, { tableName });

describe('AzurePlanRepository on Azurite', () => {
  planRepositoryContract(() => Promise.resolve(repositoryOn(freshTableName())));

  it('stores one entity per record under the documented keys, lists as JSON text', async () => {
    const tableName = freshTableName();
    const repo = repositoryOn(tableName);
    await repo.save(PLAN_ID, {
      plan: { value: aPlan(), expectedVersion: null },
      actions: [{ value: anAction('4.9a', { owners: ['a@example.org'] }), expectedVersion: null }],
    });
    const client = TableClient.fromConnectionString(azurite.connectionString, tableName, {
      allowInsecureConnection: true,
    });
    const action = await client.getEntity<Record<string, unknown>>(PLAN_ID, 'action|4.9a');
    expect(action.owners).toBe('["a@example.org"]');
    expect(action.status).toBe('not_started');
    const plan = await client.getEntity<Record<string, unknown>>(PLAN_ID, 'plan');
    expect(typeof plan.recommendations).toBe('string');
    expect((await repo.getAction(PLAN_ID, '4.9a'))?.version).toBe(action.etag);
  });

  it('writes a large save in batches with the plan record last, so a refused batch leaves the plan as it was', async () => {
    const repo = repositoryOn(freshTableName());
    const refs = Array.from({ length: 150 }, (_, i) => `${Math.floor(i / 50) + 1}.${(i % 50) + 1}`);
    await repo.save(PLAN_ID, { plan: { value: aPlan(), expectedVersion: null } });
    // Someone else already created the last action: the second batch is refused.
    await repo.save(PLAN_ID, { actions: [{ value: anAction('3.50'), expectedVersion: null }] });
    const plan = await repo.getPlan(PLAN_ID);

    const error = await repo
      .save(PLAN_ID, {
        plan: { value: aPlan({ title: 'Renamed' }), expectedVersion: plan!.version },
        actions: refs.map((ref) => ({ value: anAction(ref), expectedVersion: null })),
      })
      .catch((e: unknown) => e);

    expect(isActionPlanError(error, 'conflict')).toBe(true);
    expect((error as Error).message).toBe('Action 3.50 already exists; read it again and retry.');
    expect((error as { details: string[] }).details).toEqual([
      'The first 1 of 2 batches were saved; the rest were not.',
    ]);
    expect(await repo.getPlan(PLAN_ID)).toEqual(plan);
    expect(await repo.listActions(PLAN_ID)).toHaveLength(1 + MAX_TRANSACTION_OPERATIONS);
  });

  it('refuses a record too large for a table property before writing anything', async () => {
    const repo = repositoryOn(freshTableName());
    const error = await repo
      .save(PLAN_ID, {
        plan: { value: aPlan(), expectedVersion: null },
        actions: [
          { value: anAction('1.1'), expectedVersion: null },
          { value: anAction('1.2', { text: 'x'.repeat(40_000) }), expectedVersion: null },
        ],
      })
      .catch((e: unknown) => e);
    expect(isActionPlanError(error, 'invalid_input')).toBe(true);
    expect((error as Error).message).toBe(
      'Action 1.2 is too large to store: its text is 40,000 characters long, and the limit is 32,768.',
    );
    expect(await repo.getPlan(PLAN_ID)).toBeUndefined();
    expect(await repo.listActions(PLAN_ID)).toEqual([]);
  });

  it('reports storage that does not answer as storage_unavailable, in plain words', async () => {
    const repo = AzurePlanRepository.fromConnectionString(connectionStringFor(await closedPort()));

    for (const attempt of [
      () => repo.getPlan(PLAN_ID),
      () => repo.listPlans(),
      () => repo.save(PLAN_ID, { plan: { value: aPlan(), expectedVersion: null } }),
    ]) {
      const error = await attempt().catch((e: unknown) => e);
      expect(isActionPlanError(error, 'storage_unavailable')).toBe(true);
      const message = (error as Error).message;
      expect(message).toMatch(/^Storage is not answering, so the bot could not .+\. Try again/);
      expect(message).not.toMatch(/ECONNREFUSED|at .+\.js|RestError/);
      expect((error as { details: string[] }).details.join(' ')).toContain('ECONNREFUSED');
      expect((error as Error).cause).toBeInstanceOf(Error);
    }
  });

  it('gives up on storage that accepts connections but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    const port = await listen(silent);
    try {
      const repo = AzurePlanRepository.fromConnectionString(connectionStringFor(port), {
        requestTimeoutMs: 300,
      });
      const error = await repo.listActions(PLAN_ID).catch((e: unknown) => e);
      expect(isActionPlanError(error, 'storage_unavailable')).toBe(true);
      expect((error as Error).message).toMatch(/^Storage is not answering/);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((done) => silent.close(() => done()));
    }
  });

  it('reports a storage that keeps failing with 503 as storage_unavailable, after retrying', async () => {
    let requests = 0;
    const failing = createHttpServer((_req, res) => {
      requests += 1;
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end('{"odata.error":{"code":"ServerBusy","message":{"value":"Busy."}}}');
    });
    const port = await listen(failing);
    try {
      const repo = AzurePlanRepository.fromConnectionString(connectionStringFor(port));
      const error = await repo.getPlan(PLAN_ID).catch((e: unknown) => e);
      expect(isActionPlanError(error, 'storage_unavailable')).toBe(true);
      expect(requests).toBe(1 + STORAGE_RETRY_OPTIONS.maxRetries);
    } finally {
      failing.closeAllConnections();
      await new Promise<void>((done) => failing.close(() => done()));
    }
  });

  it('groups each action with its history, fills transactions up to 100, and puts the plan last', () => {
    const refs = Array.from({ length: 70 }, (_, i) => `1.${i + 1}`);
    const writes = keyedWrites(PLAN_ID, {
      plan: { value: aPlan() },
      actions: refs.map((ref) => ({ value: anAction(ref) })),
      history: refs.map((ref) => ({
        planId: PLAN_ID,
        ref,
        at: '2025-01-01T00:00:00Z',
        by: 'cli',
        kind: 'created' as const,
      })),
    });
    const batches = transactions(writes);
    expect(batches.map((b) => b.length)).toEqual([100, 41]);
    expect(batches.at(-1)?.at(-1)?.rowKey).toBe(PLAN_ROW_KEY);
    for (const batch of batches) {
      const actionRefs = new Set(
        batch.flatMap((w) => (w.record.kind === 'action' ? [w.record.value.ref] : [])),
      );
      for (const w of batch) {
        if (w.record.kind === 'history') expect(actionRefs.has(w.record.value.ref)).toBe(true);
      }
    }
    expect(transactions(writes.slice(0, 100)).map((b) => b.length)).toEqual([100]);
    expect(batches[0]?.[0]?.rowKey).toBe(actionRowKey('1.1'));
  });
});

describe('areas stored before the one "same area" rule (RowKey: the lower-cased name)', () => {
  const ANN = 'ann@x.gov.uk';
  const BOB = 'bob@x.gov.uk';

  /** A table as an older version left it: areas under their lower-cased names. */
  async function olderTable(
    areas: readonly { rowKey: string; name: string; champions: string[] }[],
  ): Promise<{ repo: AzurePlanRepository; client: TableClient; rowKeys: () => Promise<string[]> }> {
    const tableName = freshTableName();
    const repo = repositoryOn(tableName);
    await repo.save(PLAN_ID, { plan: { value: aPlan(), expectedVersion: null } });
    const client = TableClient.fromConnectionString(azurite.connectionString, tableName, {
      allowInsecureConnection: true,
    });
    for (const a of areas) {
      await client.createEntity({
        partitionKey: PLAN_ID,
        rowKey: a.rowKey,
        name: a.name,
        champions: JSON.stringify(a.champions),
      });
    }
    const rowKeys = async () => {
      const keys: string[] = [];
      for await (const e of client.listEntities()) {
        if (e.rowKey?.startsWith('area|')) keys.push(e.rowKey);
      }
      return keys.sort();
    };
    return { repo, client, rowKeys };
  }

  it('reads each area once, with the champions of every row it has', async () => {
    const { repo } = await olderTable([
      { rowKey: 'area|hmpps', name: 'HMPPS', champions: [] },
      { rowKey: 'area|moj hq', name: 'MoJ HQ', champions: [ANN] },
      { rowKey: 'area|moj-hq', name: 'MoJ-HQ', champions: [BOB, ANN] },
    ]);
    expect((await repo.listAreas(PLAN_ID)).map((a) => a.value)).toEqual([
      { planId: PLAN_ID, name: 'HMPPS', champions: [] },
      { planId: PLAN_ID, name: 'MoJ HQ', champions: [ANN, BOB] },
    ]);
  });

  it('finds the area under its old key and moves it when it is next written, never duplicating it', async () => {
    const { repo, rowKeys } = await olderTable([
      { rowKey: 'area|hmpps', name: 'HMPPS', champions: [] },
      { rowKey: 'area|moj hq', name: 'MoJ HQ', champions: [ANN] },
      { rowKey: 'area|moj-hq', name: 'MoJ-HQ', champions: [BOB] },
    ]);
    const area = await addArea(
      { plans: repo },
      {
        planId: PLAN_ID,
        name: 'moj-hq',
        champions: ['cat@x.gov.uk'],
      },
    );
    expect(area).toEqual({
      planId: PLAN_ID,
      name: 'MoJ HQ',
      champions: [ANN, BOB, 'cat@x.gov.uk'],
    });
    expect(await rowKeys()).toEqual(['area|hmpps', 'area|mojhq']);
    expect((await repo.listAreas(PLAN_ID)).map((a) => a.value)).toEqual([
      { planId: PLAN_ID, name: 'HMPPS', champions: [] },
      area,
    ]);

    // Written again from its new key: an ordinary update.
    const [, moved] = await repo.listAreas(PLAN_ID);
    await repo.save(PLAN_ID, {
      areas: [{ value: { ...moved!.value, champions: [ANN] }, expectedVersion: moved!.version }],
    });
    expect(await rowKeys()).toEqual(['area|hmpps', 'area|mojhq']);
  });

  it('refuses to create an area stored under its old key', async () => {
    const { repo, rowKeys } = await olderTable([
      { rowKey: 'area|moj hq', name: 'MoJ HQ', champions: [ANN] },
    ]);
    const error = await repo
      .save(PLAN_ID, { areas: [{ value: anArea('MoJ-HQ'), expectedVersion: null }] })
      .catch((e: unknown) => e);
    expect(isActionPlanError(error, 'conflict')).toBe(true);
    expect((error as Error).message).toBe(
      'The area "MoJ-HQ" already exists; read it again and retry.',
    );
    expect(await rowKeys()).toEqual(['area|moj hq']);
  });

  it('a stale version of an area under its old key is a conflict, and nothing moves', async () => {
    const { repo, client, rowKeys } = await olderTable([
      { rowKey: 'area|moj hq', name: 'MoJ HQ', champions: [ANN] },
    ]);
    const [read] = await repo.listAreas(PLAN_ID);
    await client.updateEntity(
      { partitionKey: PLAN_ID, rowKey: 'area|moj hq', champions: JSON.stringify([ANN, BOB]) },
      'Merge',
    );
    const error = await repo
      .save(PLAN_ID, {
        areas: [{ value: { ...read!.value, champions: [] }, expectedVersion: read!.version }],
      })
      .catch((e: unknown) => e);
    expect(isActionPlanError(error, 'conflict')).toBe(true);
    expect((error as Error).message).toBe(
      'The area "MoJ HQ" was changed by someone else; read it again and retry.',
    );
    expect(await rowKeys()).toEqual(['area|moj hq']);
    expect((await repo.listAreas(PLAN_ID))[0]?.value.champions).toEqual([ANN, BOB]);
  });
});

describe('history stored before the newest-first keys (RowKey: history|<ref>|<ISO instant>|<suffix>)', () => {
  let tableName: string;
  let client: TableClient;
  let repo: AzurePlanRepository;

  beforeEach(async () => {
    tableName = freshTableName();
    repo = repositoryOn(tableName);
    client = TableClient.fromConnectionString(azurite.connectionString, tableName, {
      allowInsecureConnection: true,
    });
  });

  /** A plan with action 1.1, as an earlier version left it: history under the old keys. */
  async function storedByAnEarlierVersion(entries: number): Promise<string[]> {
    await repo.save(PLAN_ID, {
      plan: { value: aPlan(), expectedVersion: null },
      actions: [{ value: anAction('1.1'), expectedVersion: null }],
    });
    const notes: string[] = [];
    for (let i = 0; i < entries; i++) {
      const at = new Date(Date.UTC(2025, 2, 1, 9, i)).toISOString();
      const status = i % 2 === 0 ? 'blocked' : 'in_progress';
      notes.push(`old ${i}`);
      await client.createEntity({
        partitionKey: PLAN_ID,
        rowKey: `history|1.1|${at}|0000-${String(i).padStart(8, '0')}`,
        at,
        by: 'owner@example.org',
        kind: 'changed',
        field: 'status',
        to: status,
        note: `old ${i}`,
      });
    }
    return notes;
  }

  it('reads them with the entries written since, in the order things happened', async () => {
    const old = await storedByAnEarlierVersion(3);
    await repo.save(PLAN_ID, {
      history: [1, 2].map((i) => ({
        planId: PLAN_ID,
        ref: '1.1',
        at: new Date(Date.UTC(2025, 3, 1, 9, i)).toISOString(),
        by: 'owner@example.org',
        kind: 'changed' as const,
        field: 'note',
        note: `new ${i}`,
      })),
    });
    expect((await repo.listHistory(PLAN_ID, '1.1')).map((h) => h.note)).toEqual([
      ...old,
      'new 1',
      'new 2',
    ]);
    expect((await repo.listHistory(PLAN_ID)).map((h) => h.note)).toEqual([
      ...old,
      'new 1',
      'new 2',
    ]);
    // The latest few: the new entries first, then the newest of the old ones.
    expect((await repo.latestHistory(PLAN_ID, '1.1', 4)).map((h) => h.note)).toEqual([
      'new 2',
      'new 1',
      'old 2',
      'old 1',
    ]);
    expect((await repo.latestHistory(PLAN_ID, '1.1', 2)).map((h) => h.note)).toEqual([
      'new 2',
      'new 1',
    ]);
  });

  it('gives actions stored before it their last status change from that history, once', async () => {
    await storedByAnEarlierVersion(3);
    const before = await client.getEntity<Record<string, unknown>>(PLAN_ID, 'action|1.1');
    expect(before['statusChangedAt']).toBeUndefined();

    const [action] = await repo.listActions(PLAN_ID);
    expect(action?.value.statusChangedAt).toBe('2025-03-01T09:02:00.000Z');
    expect((await repo.getAction(PLAN_ID, '1.1'))?.value).toEqual(action?.value);
    // The marker says the plan is done: a new process reads one row, not the history again.
    await client.getEntity(PLAN_ID, STATUS_CHANGES_ROW_KEY);
    await client.createEntity({
      partitionKey: PLAN_ID,
      rowKey: `history|1.1|2025-03-09T09:00:00.000Z|0000-00000009`,
      at: '2025-03-09T09:00:00.000Z',
      by: 'owner@example.org',
      kind: 'changed',
      field: 'status',
      to: 'complete',
    });
    const again = repositoryOn(tableName);
    expect((await again.listActions(PLAN_ID))[0]?.value.statusChangedAt).toBe(
      '2025-03-01T09:02:00.000Z',
    );
  });

  it('leaves a later status change written meanwhile as it is', async () => {
    await storedByAnEarlierVersion(2);
    const read = await repo.getAction(PLAN_ID, '1.1');
    await repo.save(PLAN_ID, {
      actions: [{ value: { ...read!.value, status: 'complete' }, expectedVersion: read!.version }],
      history: [
        {
          planId: PLAN_ID,
          ref: '1.1',
          at: '2025-05-01T09:00:00.000Z',
          by: 'owner@example.org',
          kind: 'changed',
          field: 'status',
          to: 'Complete',
        },
      ],
    });
    const [action] = await repo.listActions(PLAN_ID);
    expect(action?.value.statusChangedAt).toBe('2025-05-01T09:00:00.000Z');
    expect(action?.value.status).toBe('complete');
  });
});

describe('embedded Azurite', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'action-plan-azurite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the data in its directory across a stop and a start', async () => {
    const first = await openStorage({
      dataDir: dir,
      tableName: 'PersistedPlans',
      clock: systemClock,
    });
    await first.plans.save(PLAN_ID, {
      plan: { value: aPlan(), expectedVersion: null },
      actions: [{ value: anAction('4.9a'), expectedVersion: null }],
    });
    const stored = await first.plans.getAction(PLAN_ID, '4.9a');
    await first.close();
    expect(await readdir(dir)).toContain('__azurite_db_table__.json');

    const second = await openStorage({
      dataDir: dir,
      tableName: 'PersistedPlans',
      clock: systemClock,
    });
    try {
      expect(second.connectionString).not.toBe(first.connectionString);
      expect(await second.plans.getAction(PLAN_ID, '4.9a')).toEqual(stored);
      expect((await second.plans.listPlans()).map((p) => p.value)).toEqual([aPlan()]);
    } finally {
      await second.close();
    }
  });

  it('keeps nothing when in memory', async () => {
    const first = await openStorage({ inMemory: true, clock: systemClock });
    await first.plans.save(PLAN_ID, { plan: { value: aPlan(), expectedVersion: null } });
    expect(await first.plans.getPlan(PLAN_ID)).toBeDefined();
    await first.close();
    await first.close(); // stopping twice is harmless

    const second = await openStorage({ inMemory: true, clock: systemClock });
    try {
      expect(await second.plans.listPlans()).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('uses the connection string it is given instead of starting an emulator', async () => {
    const opened = await openStorage({
      connectionString: azurite.connectionString,
      tableName: freshTableName(),
      clock: systemClock,
    });
    await opened.plans.save(PLAN_ID, { plan: { value: aPlan(), expectedVersion: null } });
    expect(opened.connectionString).toBe(azurite.connectionString);
    expect((await opened.plans.getPlan(PLAN_ID))?.value).toEqual(aPlan());
    await opened.close();
    expect((await opened.plans.getPlan(PLAN_ID))?.value).toEqual(aPlan());
  });

  it('offers a queue endpoint for the development account', async () => {
    const response = await fetch(`${azurite.queueEndpoint}?comp=list`);
    // Unsigned, so refused, but by Azurite's queue service rather than by a closed port.
    expect(response.status).toBe(403);
    expect(azurite.connectionString).toContain(`QueueEndpoint=${azurite.queueEndpoint}`);
  });
});

/** The development account's connection string for a table endpoint on this port. */
function connectionStringFor(port: number): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${DEVELOPMENT_ACCOUNT.name}`,
    `AccountKey=${DEVELOPMENT_ACCOUNT.key}`,
    `TableEndpoint=http://127.0.0.1:${port}/${DEVELOPMENT_ACCOUNT.name}`,
  ].join(';');
}

async function listen(server: NetServer): Promise<number> {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('No port was given.');
  return address.port;
}

/** A port nothing listens on: bound by the system, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
