/**
 * npm run bench:reminders — two measurements, results in docs/BENCHMARKS.md:
 *
 * 1. Sending: 2,000 owners (BENCH_OWNERS) each with a reminder due the same morning, sent by the
 *    real scheduler (sweep → queue → senders → Teams notifier with its rate limiter) to the
 *    rate-limiting fake Bot Connector (Teams' limits, 50 ms latency). Sends per second as a
 *    ratio of the 50/s ceiling, against a plain sequential `continueConversationAsync` loop over
 *    the same conversations measured in the same run; duplicates and lost reminders counted.
 * 2. Sweeping: a plan of 10,000 open actions (BENCH_ACTIONS) in Azurite, one sweep (read the plan,
 *    its open actions and areas, the people due a reminder and recent delivery records; run the
 *    policy; create and queue what is due) against one bare full read of the plan table.
 */
import { TableClient } from '@azure/data-tables';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { performance } from 'node:perf_hooks';
import { CardFactory } from 'botbuilder';
import { DateTime } from 'luxon';
import { runReminders } from '../src/app/reminders/run.js';
import { DELIVERY_DEFAULTS } from '../src/app/reminders/send.js';
import type { ReminderDeps } from '../src/app/reminders/reminder-deps.js';
import { sweepReminders } from '../src/app/reminders/sweep.js';
import { renderCard } from '../src/cards/render-card.js';
import { workingDaysFor } from '../src/calendar/bank-holidays.js';
import type { Action, Plan } from '../src/domain/plan.js';
import { parseTarget } from '../src/domain/target.js';
import { systemClock } from '../src/ports/clock.js';
import { silentLogger } from '../src/ports/logger.js';
import { cpus, loadavg } from 'node:os';
import type { ConversationReference } from 'botbuilder';
import { openStorage, type OpenedStorage } from '../src/storage/open-storage.js';
import { createProactiveNotifier } from '../src/teams/proactive-notifier.js';
import { InMemoryPeopleRepository } from '../src/storage/in-memory-people-repository.js';
import { InMemoryPlanRepository } from '../src/storage/in-memory-plan-repository.js';
import {
  InMemoryDeliveryRecords,
  InMemoryLeaseStore,
  InMemoryReminderQueue,
} from '../src/storage/in-memory-reminder-stores.js';
import { InMemorySentCardRepository } from '../src/storage/in-memory-sent-card-repository.js';
import { startRateLimitingConnector } from '../test/helpers/rate-limiting-connector.js';
import { startConnectorProcess, type ConnectorProcess } from './connector-process.js';
import { openChatsRun, type OpenChatsResult } from './open-chats.js';
import { machine, median, writeSection } from './report.js';
import { startAzuriteProcess, type AzuriteProcess } from '../test/helpers/azurite-process.js';

const OWNERS = Number(process.env.BENCH_OWNERS ?? 2000);
const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 10_000);
const SEND_RUNS = Number(process.env.BENCH_SEND_RUNS ?? 1);
const SWEEP_RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** Senders working through the queue at once: the scheduler's own default unless given. */
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? DELIVERY_DEFAULTS.concurrency);
const LATENCY_MS = 50;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const PLAN_ID = 'bench';
/** Friday 31 March 2017, 09:00 BST: the target day of every action in the sending benchmark. */
const MORNING = DateTime.fromISO('2017-03-31T09:00', { zone: 'Europe/London' }).toJSDate();

const ownerOf = (i: number) => `owner${String(i).padStart(5, '0')}@justice.gov.uk`;
const plan = (): Plan => ({
  id: PLAN_ID,
  title: 'Benchmark plan',
  progressUpdate: 'May 2017',
  timeZone: 'Europe/London',
  recommendations: [{ number: '1', text: 'Recommendation one.' }],
  createdAt: '2017-01-01T00:00:00.000Z',
  updatedAt: '2017-01-01T00:00:00.000Z',
});
const action = (i: number, owner: string, targetText: string): Action => ({
  planId: PLAN_ID,
  ref: `${1 + Math.floor(i / 999)}.${(i % 999) + 1}`,
  recommendation: String(1 + Math.floor(i / 999)),
  text: `Completing piece of work number ${i}, signed off at a senior level and reported to the board.`,
  priority: 'M',
  target: parseTarget(targetText),
  status: 'in_progress',
  owners: [owner],
  updatedAt: '2017-01-01T00:00:00.000Z',
  updatedBy: 'bench',
});

async function seed(
  storage: Pick<OpenedStorage, 'plans' | 'people'>,
  actions: Action[],
  owners: string[],
  serviceUrl: string,
) {
  await storage.plans.save(PLAN_ID, {
    plan: { value: plan(), expectedVersion: null },
    actions: actions.map((value) => ({ value, expectedVersion: null })),
  });
  for (let i = 0; i < owners.length; i += 50) {
    await Promise.all(
      owners.slice(i, i + 50).map((email) =>
        storage.people.savePerson({
          email,
          name: email.split('@')[0]!,
          tenantId: TENANT,
          conversation: JSON.stringify(reference(email, serviceUrl)),
          reachable: true,
          updatedAt: '2017-01-01T00:00:00.000Z',
        }),
      ),
    );
  }
}

const reference = (email: string, serviceUrl: string): Partial<ConversationReference> => ({
  channelId: 'msteams',
  serviceUrl,
  conversation: {
    id: `a:${email}`,
    conversationType: 'personal',
    tenantId: TENANT,
    isGroup: false,
    name: '',
  },
  bot: { id: '28:bench-bot', name: 'Bench' },
  user: { id: `29:${email}`, name: email },
});

/** Run `n`'s stores on `azurite`, each table and the queue its own. */
const openBenchStorage = (azurite: AzuriteProcess, n: number, tableName = `benchplans${n}`) =>
  openStorage({
    connectionString: azurite.connectionString,
    tableName,
    peopleTableName: `benchpeople${n}`,
    reminderTableName: `benchreminders${n}`,
    sentCardsTableName: `benchsent${n}`,
    queueName: `bench-${n}`,
    clock: systemClock,
  });

function depsOn(storage: OpenedStorage, serviceUrl: string): ReminderDeps {
  const { plans, people, deliveries, queue, leases, sentCards } = storage;
  return {
    plans,
    people,
    deliveries,
    queue,
    leases,
    sentCards,
    clock: systemClock,
    adminEmails: [],
    renderCard,
    notifier: notifierFor(serviceUrl),
    workingDaysFor,
    logger: silentLogger,
  };
}

interface SchedulerResult {
  readonly sent: number;
  readonly perSecond: number;
  readonly sweepMs: number;
  readonly deliverMs: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly throttled: number;
}

interface SendResult {
  readonly azurite: SchedulerResult;
  readonly memory: SchedulerResult;
  readonly baselinePerSecond: number;
  readonly baselineThrottled: number;
}

type Stores = Pick<OpenedStorage, 'plans' | 'people'>;

/** The scheduler's round for OWNERS owners due the same morning, counted at the connector. */
async function schedulerRun(
  label: string,
  storage: Stores,
  deps: ReminderDeps,
  connector: ConnectorProcess,
): Promise<SchedulerResult> {
  await connector.clear();
  const owners = Array.from({ length: OWNERS }, (_, i) => ownerOf(i));
  await seed(
    storage,
    owners.map((o, i) => action(i, o, 'End Mar 2017')),
    owners,
    connector.url,
  );
  const t0 = performance.now();
  const sweep = await sweepReminders(deps, MORNING);
  const t1 = performance.now();
  const run = await runReminders(deps, {
    holder: 'bench',
    asOf: MORNING,
    concurrency: CONCURRENCY,
  });
  const t2 = performance.now();
  if (!run.ran) throw new Error('the lease was not taken');
  const { delivered, attempts } = await connector.state();
  const perConversation = new Map<string, number>();
  for (const d of delivered)
    perConversation.set(d.conversationId, (perConversation.get(d.conversationId) ?? 0) + 1);
  const duplicates = [...perConversation.values()].reduce((sum, c) => sum + c - 1, 0);
  const lost = owners.filter((o) => !perConversation.has(`a:${o}`)).length;
  const first = Math.min(...delivered.map((d) => d.at));
  const last = Math.max(...delivered.map((d) => d.at));
  const perSecond = ((delivered.length - 1) / (last - first)) * 1000;
  const throttled = attempts.filter((a) => a.status === 429).length;
  console.log(
    `${label}: sweep ${(t1 - t0).toFixed(0)} ms (${sweep.queued} queued); delivered ${delivered.length} in ${((t2 - t1) / 1000).toFixed(1)} s, ${perSecond.toFixed(1)}/s, ${throttled} 429s, ${duplicates} duplicates, ${lost} lost`,
  );
  return {
    sent: delivered.length,
    perSecond,
    sweepMs: t1 - t0,
    deliverMs: t2 - t1,
    duplicates,
    lost,
    throttled,
  };
}

async function sendingRun(n: number): Promise<SendResult> {
  const connector = await startConnectorProcess(LATENCY_MS);
  try {
    // On Azurite: every step of the real path, storage included.
    const azurite = await startAzuriteProcess();
    let onAzurite: SchedulerResult;
    try {
      const storage = await openBenchStorage(azurite, n);
      onAzurite = await schedulerRun(
        `run ${n}, Azurite`,
        storage,
        depsOn(storage, connector.url),
        connector,
      );
    } finally {
      await azurite.stop();
    }

    // In memory: the same scheduler and notifier with storage out of the way.
    const memory = { plans: new InMemoryPlanRepository(), people: new InMemoryPeopleRepository() };
    const onMemory = await schedulerRun(
      `run ${n}, in memory`,
      memory,
      {
        ...memory,
        clock: systemClock,
        adminEmails: [],
        renderCard,
        deliveries: new InMemoryDeliveryRecords(),
        queue: new InMemoryReminderQueue(),
        leases: new InMemoryLeaseStore(),
        sentCards: new InMemorySentCardRepository(),
        notifier: notifierFor(connector.url),
        workingDaysFor,
        logger: silentLogger,
      },
      connector,
    );

    // Baseline: the same conversations, a plain sequential continueConversationAsync loop.
    await connector.clear();
    const owners = Array.from({ length: OWNERS }, (_, i) => ownerOf(i));
    const adapter = new TeamsAdapter({});
    const card = CardFactory.adaptiveCard({ type: 'AdaptiveCard', version: '1.5', body: [] });
    const b0 = performance.now();
    for (const o of owners) {
      await adapter.continueConversationAsync('', reference(o, connector.url), async (context) => {
        await context.sendActivity({ type: 'message', attachments: [card] });
      });
    }
    const b1 = performance.now();
    const baselinePerSecond = (owners.length / (b1 - b0)) * 1000;
    const baselineThrottled = (await connector.state()).attempts.filter(
      (a) => a.status === 429,
    ).length;
    console.log(
      `run ${n}: sequential loop ${baselinePerSecond.toFixed(1)}/s, ${baselineThrottled} 429s`,
    );
    return { azurite: onAzurite, memory: onMemory, baselinePerSecond, baselineThrottled };
  } finally {
    await connector.close();
  }
}

const notifierFor = (serviceUrl: string) =>
  createProactiveNotifier({
    settings: { appType: 'MultiTenant', allowedTenantIds: [], anyTenant: true },
    logger: silentLogger,
    serviceUrl,
  });

interface SweepResult {
  readonly sweepMs: number;
  /** The same sweep again: everything due already recorded, nothing to create or queue. */
  readonly againMs: number;
  readonly fullReadMs: number;
  readonly due: number;
  readonly entities: number;
}

const TARGETS = [
  'End Mar 2017',
  'Apr 2017',
  '30 Sept 2017',
  'Ongoing',
  '31/12/2017',
  'End 2018',
  'Jun 2017',
];

async function sweepRun(n: number): Promise<SweepResult> {
  const azurite = await startAzuriteProcess();
  const connector = await startRateLimitingConnector();
  try {
    const tableName = `benchsweep${n}`;
    const storage = await openBenchStorage(azurite, 100 + n, tableName);
    const owners = Array.from({ length: 200 }, (_, i) => ownerOf(i));
    await seed(
      storage,
      Array.from({ length: ACTIONS }, (_, i) =>
        action(i, owners[i % owners.length]!, TARGETS[i % TARGETS.length]!),
      ),
      owners,
      connector.url,
    );
    const deps = depsOn(storage, connector.url);
    // Wednesday 22 March 2017: "7 working days before" for the End Mar 2017 actions.
    const morning = DateTime.fromISO('2017-03-22T09:00', { zone: 'Europe/London' }).toJSDate();
    const t0 = performance.now();
    const sweep = await sweepReminders(deps, morning);
    const t1 = performance.now();
    const again = await sweepReminders(deps, morning);
    const t2 = performance.now();
    if (again.queued !== 0) throw new Error('the second sweep queued something');
    const client = TableClient.fromConnectionString(azurite.connectionString, tableName, {
      allowInsecureConnection: true,
    });
    let entities = 0;
    const r0 = performance.now();
    for await (const _ of client.listEntities()) entities++;
    const r1 = performance.now();
    console.log(
      `run ${n}: sweep ${(t1 - t0).toFixed(0)} ms (${sweep.due} due, ${sweep.queued} queued); full read ${(r1 - r0).toFixed(0)} ms (${entities} entities)`,
    );
    return { sweepMs: t1 - t0, againMs: t2 - t1, fullReadMs: r1 - r0, due: sweep.due, entities };
  } finally {
    await connector.close();
    await azurite.stop();
  }
}

/**
 * `npm run bench:reminders -- --open-chats`: OWNERS owners known only through a team (no chat),
 * each reminder opening its chat first; on Azurite, BENCH_SEND_RUNS runs.
 */
async function openChatsMain(): Promise<void> {
  const loadAtStart = loadavg()[0]!;
  const results: OpenChatsResult[] = [];
  for (let n = 1; n <= SEND_RUNS; n++) {
    const connector = await startConnectorProcess(LATENCY_MS);
    const azurite = await startAzuriteProcess();
    try {
      const storage = await openBenchStorage(azurite, 200 + n);
      const owners = Array.from({ length: OWNERS }, (_, i) => ownerOf(i));
      results.push(
        await openChatsRun(
          `run ${n}, open chats`,
          storage,
          depsOn(storage, connector.url),
          connector,
          {
            owners,
            plan: plan(),
            actions: owners.map((o, i) => action(i, o, 'End Mar 2017')),
            tenant: TENANT,
            morning: MORNING,
            concurrency: CONCURRENCY,
          },
        ),
      );
    } finally {
      await azurite.stop();
      await connector.close();
    }
  }
  const f = (x: number, d = 0) => x.toFixed(d);
  const list = (xs: number[]) => xs.join(', ');
  const sends = median(results.map((r) => r.sendsPerSecond));
  const requests = median(results.map((r) => r.requestsPerSecond));
  const md = `## Reminders that open their chat first (\`npm run bench:reminders -- --open-chats\`)

${new Date().toISOString().slice(0, 10)} · ${machine()} · storage: Azurite 3.35 in memory, Table and Queue services each in a process of their own; Teams: the rate-limiting fake Bot Connector in a process of its own, Teams' limits (50 requests a second per tenant, opening a chat included), ${LATENCY_MS} ms a request.

${OWNERS.toLocaleString('en-GB')} owners in one tenant, each known only through a team's roster (a Teams id and the team, no chat), each with a reminder due the same morning: the scheduler (one sweep, then ${CONCURRENCY} senders) opens each owner's 1:1 chat on the team's service (\`POST /v3/conversations\`), keeps it, and sends the reminder into it. ${SEND_RUNS} run(s); medians.

| measure | figure | against the 50/s ceiling |
| --- | ---: | ---: |
| reminders arriving per second | ${f(sends, 1)} | ${f(sends / 50, 2)} |
| requests per second (chats opened + reminders sent) | ${f(requests, 1)} | ${f(requests / 50, 2)} (aim ≥ 0.9) |
| chats opened | ${list(results.map((r) => r.created))} | – |
| 429s met (waited out) | ${list(results.map((r) => r.throttled))} | – |
| duplicates | ${list(results.map((r) => r.duplicates))} | – |
| lost | ${list(results.map((r) => r.lost))} | – |

Every reminder costs two requests against the tenant's 50 a second, so reminders can arrive at most 25 a second when every chat must be opened first (half the rate of the owners who already have one, \`npm run bench:reminders\`); from the second reminder on, the kept chat is used and the cost is one request. Duplicates and lost are counted per owner against the chat stored for them: each owner's reminder arrived once in the chat that was kept. The sweep took ${f(median(results.map((r) => r.sweepMs)))} ms and delivering ${f(median(results.map((r) => r.deliverMs)) / 1000, 1)} s.

Load average (1 min) when the run started: ${loadAtStart.toFixed(1)}, when it ended: ${loadavg()[0]!.toFixed(1)}, on ${cpus().length} cores.`;
  const path = writeSection('reminders-open-chats', md);
  console.log(md);
  console.log(`\nWritten to ${path}`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--open-chats')) return openChatsMain();
  const loadAtStart = loadavg()[0]!;
  const sends: SendResult[] = [];
  for (let n = 1; n <= SEND_RUNS; n++) sends.push(await sendingRun(n));
  const sweeps: SweepResult[] = [];
  for (let n = 1; n <= SWEEP_RUNS; n++) sweeps.push(await sweepRun(n));

  const rate = median(sends.map((s) => s.azurite.perSecond));
  const memRate = median(sends.map((s) => s.memory.perSecond));
  const base = median(sends.map((s) => s.baselinePerSecond));
  const sweepMs = median(sweeps.map((s) => s.sweepMs));
  const readMs = median(sweeps.map((s) => s.fullReadMs));
  const againMs = median(sweeps.map((s) => s.againMs));
  const f = (x: number, d = 0) => x.toFixed(d);
  const list = (xs: number[]) => xs.join(', ');
  const md = `## Reminders (\`npm run bench:reminders\`)

${new Date().toISOString().slice(0, 10)} · ${machine()} · storage: Azurite 3.35 in memory, its Table and Queue services each in a process of their own (as storage is remote in production, each service on its own); Teams: the rate-limiting fake Bot Connector (test/helpers/rate-limiting-connector.ts) on loopback, in a process of its own (bench/connector-process.ts), enforcing Teams' limits (50 requests a second per tenant; 7 a second, 8 in 2 s, 60 in 30 s, 1,800 an hour per conversation) with ${LATENCY_MS} ms latency per request.

**Sending.** ${OWNERS.toLocaleString('en-GB')} owners in one tenant, each with a reminder due the same morning (due today), sent by the scheduler: one sweep, then ${CONCURRENCY} senders through the Teams notifier and its rate limiter — once with the reminder stores on Azurite (the whole production path), once with them in memory (the same scheduler, notifier and limiter with storage out of the way). The baseline is a plain sequential loop of \`continueConversationAsync\` + \`sendActivity\` over the same ${OWNERS.toLocaleString('en-GB')} conversations, measured in the same run. ${SEND_RUNS} run(s); medians.

| path | sends per second | ratio to the 50/s ceiling | ratio to baseline | 429s | duplicates | lost |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
| sequential \`continueConversationAsync\` loop (baseline) | ${f(base, 1)} | ${f(base / 50, 2)} | 1.00 | ${list(sends.map((s) => s.baselineThrottled))} | – | – |
| scheduler, reminder stores on Azurite | ${f(rate, 1)} | ${f(rate / 50, 2)} | ${f(rate / base, 2)} | ${list(sends.map((s) => s.azurite.throttled))} | ${list(sends.map((s) => s.azurite.duplicates))} | ${list(sends.map((s) => s.azurite.lost))} |
| scheduler, reminder stores in memory | ${f(memRate, 1)} | ${f(memRate / 50, 2)} | ${f(memRate / base, 2)} | ${list(sends.map((s) => s.memory.throttled))} | ${list(sends.map((s) => s.memory.duplicates))} | ${list(sends.map((s) => s.memory.lost))} |

Sends per second are counted at the connector, from the first message to arrive to the last. On Azurite the sweep that queued them took ${f(median(sends.map((s) => s.azurite.sweepMs)))} ms and delivering them ${f(median(sends.map((s) => s.azurite.deliverMs)) / 1000, 1)} s. The baseline is latency-bound (one request at a time). The scheduler is bound by the ceiling it keeps — at most 47.6 a second, since each window carries a 50 ms margin so that the moments between leaving the bot and arriving at Teams never tip a second over 50 — or, on a busy machine, by the emulator: each send is six or seven storage calls (read and claim the record, read the action and the person, record the sent card and the outcome, delete the message), and each Azurite service is one JavaScript process (on this machine the Table service's was near a full core); Azure Table and Queue storage serve thousands of such calls a second. Any 429s were waited out (Retry-After, one second here, during which nothing goes to the tenant) and the reminder then sent once; they come from the moments between the limiter letting a send go and its bytes leaving a busy process (a garbage collection, 31 other senders' work), which now and then exceed the 50 ms margin.

**Sweeping.** A plan of ${ACTIONS.toLocaleString('en-GB')} open actions (200 owners, targets from March 2017 to 2018 and ongoing), on the morning that ${sweeps[0]?.due.toLocaleString('en-GB') ?? '?'} of them are due a reminder. ${SWEEP_RUNS} runs; medians.

| path | time | ratio to baseline |
| --- | ---: | ---: |
| one full read of the plan table (${sweeps[0]?.entities.toLocaleString('en-GB') ?? '?'} entities) (baseline) | ${f(readMs)} ms | 1.00 |
| one sweep: read the plan, its open actions (a status filter), areas, the people due one (point reads) and recent delivery records; the policy; create and queue the ${sweeps[0]?.due.toLocaleString('en-GB') ?? '?'} due | ${f(sweepMs)} ms | ${f(sweepMs / readMs, 2)} |
| the same sweep again a few minutes later, as most are: the reads and the policy, all ${sweeps[0]?.due.toLocaleString('en-GB') ?? '?'} found recorded | ${f(againMs)} ms | ${f(againMs / readMs, 2)} |

The sweep reads no history: each action records when its status last changed (the weekly overdue count restarts from it), so the plan is read once, its done actions left out by storage; creating the records takes a transaction per hundred, and queuing is a request per reminder. Aim for the first sweep: at most 2 × the full read.

Runs (ms): sweep ${sweeps.map((s) => f(s.sweepMs)).join(', ')}; again ${sweeps.map((s) => f(s.againMs)).join(', ')}; full read ${sweeps.map((s) => f(s.fullReadMs)).join(', ')}.

Load average (1 min) when the run started: ${loadAtStart.toFixed(1)}, when it ended: ${loadavg()[0]!.toFixed(1)}, on ${cpus().length} cores. Other jobs sharing the machine slow every path; the ratios are the figures to compare.`;
  const path = writeSection('reminders', md);
  console.log(md);
  console.log(`\nWritten to ${path}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
