/**
 * npm run bench:roster — a team of 10,000 members (BENCH_MEMBERS) served by the fake Bot Connector,
 * 500 a page with 50 ms a page, synced into the People table on Azurite by the daily re-sync's
 * path (createRosterSyncer: continue the team's stored conversation, read the pages, store them).
 * Timed against the bare paged read of the same roster through the same SDK calls, storing
 * nothing, in the same run; and the sync again with nothing changed. Peak memory: the largest
 * heap and resident set sampled every 10 ms while each ran, above what the process held before.
 * Results in docs/BENCHMARKS.md.
 */
import { TableClient } from '@azure/data-tables';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { ConversationReference } from 'botbuilder';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../src/ports/clock.js';
import { silentLogger, type Logger } from '../src/ports/logger.js';
import { openStorage } from '../src/storage/open-storage.js';
import { createRosterSyncer } from '../src/teams/roster-reader.js';
import { rosterPages } from '../src/teams/team-members.js';
import { startFakeConnector, type FakeMember } from '../test/helpers/fake-connector.js';
import { startAzuriteProcess } from '../test/helpers/azurite-process.js';
import { machine, median, writeSection } from './report.js';

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PAGE_LATENCY_MS = 50;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const TEAM_ID = '19:bench-org-wide@thread.tacv2';

const members: FakeMember[] = Array.from({ length: MEMBERS }, (_, i) => {
  const n = String(i).padStart(6, '0');
  return {
    id: `29:1bench-member-${n}`,
    name: `Colleague ${n}`,
    aadObjectId: `7b2c6a1f-0000-4000-8000-${n.padStart(12, '0')}`,
    email: `colleague${n}@justice.gov.uk`,
    userPrincipalName: `colleague${n}@justice.gov.uk`,
    tenantId: TENANT,
  };
});

/** BENCH_LOG=1: the sync's log lines (what it stored, what it gave back) on standard error. */
const BENCH_LOG = process.env.BENCH_LOG === '1';
const printingLogger: Logger = {
  debug: () => undefined,
  info: (fields, message) => console.error(message, JSON.stringify(fields)),
  warn: (fields, message) => console.error(message, JSON.stringify(fields)),
  error: (fields, message) => console.error(message, JSON.stringify(fields)),
  child: () => printingLogger,
};

const settings = { appType: 'MultiTenant', allowedTenantIds: [], anyTenant: true } as const;

/** The largest heap and resident set seen while `fn` ran, above what was held before it. */
async function measured<T>(fn: () => Promise<T>) {
  (globalThis as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  let heap = before.heapUsed;
  let rss = before.rss;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    rss = Math.max(rss, m.rss);
  }, 10);
  const t0 = performance.now();
  try {
    const value = await fn();
    const ms = performance.now() - t0;
    const m = process.memoryUsage();
    heap = Math.max(heap, m.heapUsed);
    rss = Math.max(rss, m.rss);
    return {
      value,
      ms,
      heapMiB: (heap - before.heapUsed) / 2 ** 20,
      rssMiB: (rss - before.rss) / 2 ** 20,
    };
  } finally {
    clearInterval(timer);
  }
}

interface RunResult {
  readonly readMs: number;
  readonly syncMs: number;
  readonly resyncMs: number;
  readonly bareWritesMs: number;
  readonly readHeapMiB: number;
  readonly syncHeapMiB: number;
  readonly syncRssMiB: number;
  readonly stored: number;
  readonly pages: number;
}

/**
 * What storage alone costs: the rows a sync writes for the roster (a person, an address index, an
 * object-id index and a roster row each), created in one partition as the People table keeps
 * them, 100 to a transaction and 4 transactions at once as addNewPeople sends them, with no reads
 * and no identity rules. Resolves to the milliseconds it took.
 */
async function bareWrites(connectionString: string, tableName: string): Promise<number> {
  const client = TableClient.fromConnectionString(connectionString, tableName, {
    allowInsecureConnection: true,
  });
  await client.createTable();
  const rows = members.flatMap((m) => {
    const key = `person|${m.aadObjectId}`;
    const row = (rowKey: string, props: Record<string, string>) => ({
      partitionKey: 'people',
      rowKey,
      ...props,
    });
    return [
      row(key, {
        email: m.email!,
        name: m.name,
        aadObjectId: m.aadObjectId!,
        teamsUserId: m.id,
        tenantId: TENANT,
        teams: JSON.stringify([TEAM_ID]),
      }),
      row(`email|${m.email}`, { keys: JSON.stringify([key]) }),
      row(`aad|${m.aadObjectId}`, { key }),
      row(`team|${TEAM_ID}|${key}`, { email: m.email!, name: m.name, teamsUserId: m.id }),
    ];
  });
  const batches: (typeof rows)[] = [];
  for (let i = 0; i < rows.length; i += 100) batches.push(rows.slice(i, i + 100));
  const t0 = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < batches.length; i = next++) {
      await client.submitTransaction(batches[i]!.map((e) => ['create', e] as ['create', typeof e]));
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return performance.now() - t0;
}

async function run(n: number): Promise<RunResult> {
  const azurite = await startAzuriteProcess();
  const connector = await startFakeConnector({ rosterPageLatencyMs: PAGE_LATENCY_MS });
  try {
    connector.setRoster(TEAM_ID, members);
    const storage = await openStorage({
      connectionString: azurite.connectionString,
      tableName: `benchrosterplans${n}`,
      peopleTableName: `benchrosterpeople${n}`,
      reminderTableName: `benchrosterreminders${n}`,
      sentCardsTableName: `benchrostersent${n}`,
      queueName: `bench-roster-${n}`,
      clock: systemClock,
    });
    const reference: Partial<ConversationReference> = {
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: {
        id: TEAM_ID,
        conversationType: 'channel',
        tenantId: TENANT,
        isGroup: true,
        name: '',
      },
      bot: { id: '28:bench-bot', name: 'Bench' },
    };
    await storage.people.saveConversation({
      conversationId: TEAM_ID,
      kind: 'channel',
      teamId: TEAM_ID,
      teamName: 'Everyone',
      tenantId: TENANT,
      reference: JSON.stringify(reference),
      installedAt: new Date().toISOString(),
    });

    // Baseline: the same pages through the same SDK calls, counted and dropped.
    const adapter = new TeamsAdapter({});
    const read = await measured(async () => {
      let count = 0;
      await adapter.continueConversationAsync('', reference, async (context) => {
        for await (const page of rosterPages(context, TEAM_ID)) count += page.members.length;
      });
      return count;
    });
    if (read.value !== MEMBERS) throw new Error(`the bare read saw ${read.value} members`);

    const syncer = createRosterSyncer({
      settings,
      deps: { people: storage.people, clock: systemClock },
      logger: BENCH_LOG ? printingLogger : silentLogger,
    });
    connector.clear();
    const sync = await measured(() => syncer.syncAll());
    const pages = connector.rosterReads.length;
    const [outcome] = sync.value;
    if (outcome?.outcome !== 'synced')
      throw new Error(`the sync failed: ${JSON.stringify(outcome)}`);
    const stored = (await storage.people.listRoster(TEAM_ID)).length;
    if (stored !== MEMBERS) throw new Error(`${stored} of ${MEMBERS} stored`);
    const resync = await measured(() => syncer.syncAll());
    const bare = await bareWrites(azurite.connectionString, `benchrosterbare${n}`);
    console.log(
      `run ${n}: bare read ${read.ms.toFixed(0)} ms; sync ${sync.ms.toFixed(0)} ms (${pages} pages, ${stored} stored, heap +${sync.heapMiB.toFixed(1)} MiB); again ${resync.ms.toFixed(0)} ms; bare writes ${bare.toFixed(0)} ms`,
    );
    return {
      readMs: read.ms,
      syncMs: sync.ms,
      resyncMs: resync.ms,
      bareWritesMs: bare,
      readHeapMiB: read.heapMiB,
      syncHeapMiB: sync.heapMiB,
      syncRssMiB: sync.rssMiB,
      stored,
      pages,
    };
  } finally {
    await connector.close();
    await azurite.stop();
  }
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  const runs: RunResult[] = [];
  for (let n = 1; n <= RUNS; n++) runs.push(await run(n));
  const read = median(runs.map((r) => r.readMs));
  const sync = median(runs.map((r) => r.syncMs));
  const resync = median(runs.map((r) => r.resyncMs));
  const f = (x: number, d = 0) => x.toFixed(d);
  const md = `## Team rosters (\`npm run bench:roster\`)

${new Date().toISOString().slice(0, 10)} · ${machine()} · \`npm run bench:roster\` (${RUNS} runs; medians) · storage: Azurite 3.35 in memory, its Table service in a process of its own; Teams: the fake Bot Connector (test/helpers/fake-connector.ts) on loopback in the benchmark's process, serving \`GET /v3/conversations/{team}/pagedmembers\` ${PAGE_LATENCY_MS} ms a page.

A team of ${MEMBERS.toLocaleString('en-GB')} members, read ${runs[0]?.pages ?? '?'} pages of 500 following the continuation token, synced into an empty People table by the daily re-sync's path (\`createRosterSyncer\`: continue the team's stored conversation, read each page while the one before is stored, new people many to a transaction). The baseline is the bare paged read of the same roster through the same SDK calls, storing nothing, in the same run.

| path | time | ratio to baseline (aim ≤ 1.5) | peak heap above start |
| --- | ---: | ---: | ---: |
| bare paged read, ${runs[0]?.pages ?? '?'} pages (baseline) | ${f(read)} ms | 1.00 | ${f(median(runs.map((r) => r.readHeapMiB)), 1)} MiB |
| sync into an empty People table (${runs[0]?.stored.toLocaleString('en-GB') ?? '?'} people and roster rows stored) | ${f(sync)} ms | ${f(sync / read, 2)} | ${f(median(runs.map((r) => r.syncHeapMiB)), 1)} MiB (resident set +${f(median(runs.map((r) => r.syncRssMiB)), 1)} MiB) |
| the same sync again, nobody changed (the daily re-sync) | ${f(resync)} ms | ${f(resync / read, 2)} | – |
| storage alone: the same ${(MEMBERS * 4).toLocaleString('en-GB')} rows created in the one \`people\` partition, 100 a transaction, 4 at once, nothing read (what bounds the sync) | ${f(median(runs.map((r) => r.bareWritesMs)))} ms | ${f(median(runs.map((r) => r.bareWritesMs)) / read, 2)} | – |

Runs (ms): read ${runs.map((r) => f(r.readMs)).join(', ')}; sync ${runs.map((r) => f(r.syncMs)).join(', ')}; again ${runs.map((r) => f(r.resyncMs)).join(', ')}; storage alone ${runs.map((r) => f(r.bareWritesMs)).join(', ')}.

Load average (1 min) when the run started: ${loadAtStart.toFixed(1)}, when it ended: ${loadavg()[0]!.toFixed(1)}, on ${cpus().length} cores. Other jobs sharing the machine slow every path; the ratios are the figures to compare.`;
  const path = writeSection('roster', md);
  console.log(md);
  console.log(`\nWritten to ${path}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
