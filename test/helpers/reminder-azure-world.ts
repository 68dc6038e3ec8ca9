/**
 * The reminder scheduler as it runs in production, for integration tests: the MoJ plan (May 2017)
 * imported into Azurite with areas, champions and every action owned, the owners installed (their
 * personal chats stored, pointing at a rate-limiting fake connector), the Azure reminder stores,
 * and the real Teams notifier. `useAzureReminderWorld()` gives a test file the whole set.
 */
import { randomBytes } from 'node:crypto';
import { addArea } from '../../src/app/add-area.js';
import { assignAction } from '../../src/app/assign-action.js';
import type { ReminderDeps } from '../../src/app/reminders/reminder-deps.js';
import type { RunReport } from '../../src/app/reminders/run.js';
import { renderCard } from '../../src/cards/render-card.js';
import { workingDaysFor } from '../../src/calendar/bank-holidays.js';
import { isDone } from '../../src/domain/status.js';
import { fixedClock, systemClock } from '../../src/ports/clock.js';
import { silentLogger } from '../../src/ports/logger.js';
import type { Person } from '../../src/ports/people-repository.js';
import type { ProactiveNotifier } from '../../src/ports/proactive-notifier.js';
import type { Stores } from '../../src/ports/stores.js';
import { reminderJob, startScheduler } from '../../src/scheduler.js';
import { openStorage, storesOn, type OpenedStorage } from '../../src/storage/open-storage.js';
import { createProactiveNotifier } from '../../src/teams/proactive-notifier.js';
import { RateLimiter } from '../../src/teams/rate-limiter.js';
import type { EmbeddedAzurite } from '../../src/storage/embedded-azurite.js';
import { freshTableName, useTestAzurite } from './azurite.js';
import { importMojPlan } from './fixtures.js';
import { forAllTests } from './for-all-tests.js';
import {
  startRateLimitingConnector,
  type RateLimitingConnector,
  type RateLimitingConnectorOptions,
} from './rate-limiting-connector.js';

export const PLAN_ID = 'moj-ima-2017';
export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const ADMIN = 'kim.admin@justice.gov.uk';

/** Areas with their champions; owners take the open actions in turn. */
export const AREAS: Record<string, string> = {
  HMCTS: 'hana.champion@justice.gov.uk',
  HMPPS: 'priya.champion@justice.gov.uk',
  LAA: 'lee.champion@justice.gov.uk',
  OPG: 'omar.champion@justice.gov.uk',
};
export const OWNERS = [
  'alex.owner@justice.gov.uk',
  'bea.owner@justice.gov.uk',
  'cal.owner@justice.gov.uk',
  'dee.owner@justice.gov.uk',
  'eli.owner@justice.gov.uk',
];

/** The stored personal chat of `email`, on the fake connector. */
export const conversationOf = (email: string): string => `a:${email}`;

export function referenceFor(email: string, serviceUrl: string): string {
  return JSON.stringify({
    channelId: 'msteams',
    serviceUrl,
    conversation: { id: conversationOf(email), conversationType: 'personal', tenantId: TENANT },
    bot: { id: '28:action-plan-bot', name: 'Action Plan' },
    user: { id: `29:${email}`, name: email },
  });
}

export function installed(email: string, serviceUrl: string): Person {
  return {
    email,
    name: email.split('@')[0]!,
    tenantId: TENANT,
    teamsUserId: `29:${email}`,
    conversation: referenceFor(email, serviceUrl),
    reachable: true,
    updatedAt: '2017-02-01T09:00:00.000Z',
  };
}

export interface AzureReminderWorld {
  readonly storage: OpenedStorage;
  readonly stores: Stores;
  /** A fresh set of dependencies on the same storage: one per scheduler instance. */
  instance(options?: { notifier?: ProactiveNotifier; requestTimeoutMs?: number }): ReminderDeps;
  readonly names: {
    tableName: string;
    peopleTableName: string;
    queueName: string;
    reminderTable: string;
    sentCardsTable: string;
  };
}

/**
 * Imports the MoJ plan into fresh tables of `connectionString` (or the tables `names` gives: the
 * defaults, for a test of the app's own wiring), gives every open action an owner and an area
 * (in turn), installs every owner and champion on `connector`.
 */
export async function azureReminderWorld(
  connectionString: string,
  connector: RateLimitingConnector,
  given: Partial<AzureReminderWorld['names']> = {},
): Promise<AzureReminderWorld> {
  const names = {
    tableName: freshTableName('plans'),
    peopleTableName: freshTableName('people'),
    reminderTable: freshTableName('reminders'),
    sentCardsTable: freshTableName('sent'),
    queueName: `reminders-${randomBytes(6).toString('hex')}`,
    ...given,
  };
  const storeNames = {
    tableName: names.tableName,
    peopleTableName: names.peopleTableName,
    reminderTableName: names.reminderTable,
    sentCardsTableName: names.sentCardsTable,
    queueName: names.queueName,
  };
  const storage = await openStorage({ connectionString, ...storeNames, clock: systemClock });
  // Each instance its own stores on the same tables, as each process of the bot has.
  const storesOfAnInstance = () =>
    storesOn(
      { kind: 'connection-string', connectionString },
      { ...storeNames, clock: systemClock },
    );
  const setup = { plans: storage.plans, clock: fixedClock('2017-02-01T09:00:00Z') };
  await importMojPlan(setup, { planId: PLAN_ID });
  const areaNames = Object.keys(AREAS);
  for (const [area, champion] of Object.entries(AREAS)) {
    await addArea(setup, { planId: PLAN_ID, name: area, champions: [champion] });
  }
  const actions = (await storage.plans.listActions(PLAN_ID)).map((a) => a.value);
  let i = 0;
  for (const a of actions) {
    if (isDone(a.status)) continue;
    await assignAction(setup, {
      planId: PLAN_ID,
      ref: a.ref,
      owners: [OWNERS[i % OWNERS.length]!],
      area: areaNames[i % areaNames.length]!,
      by: ADMIN,
    });
    i++;
  }
  for (const email of [...OWNERS, ...Object.values(AREAS), ADMIN]) {
    await storage.people.savePerson(installed(email, connector.url));
  }
  const stores = storesOfAnInstance();

  return {
    storage,
    stores,
    names,
    instance: (o = {}) => ({
      ...storesOfAnInstance(),
      plans: storage.plans,
      people: storage.people,
      clock: systemClock,
      adminEmails: [ADMIN],
      renderCard,
      notifier:
        o.notifier ??
        createProactiveNotifier({
          settings: { appType: 'MultiTenant', allowedTenantIds: [], anyTenant: true },
          logger: silentLogger,
          serviceUrl: connector.url,
          limiter: new RateLimiter(),
          requestTimeoutMs: o.requestTimeoutMs ?? 5_000,
        }),
      workingDaysFor,
      logger: silentLogger,
    }),
  };
}

/**
 * The rate-limiting connector for the tests of the file (or describe block) that calls this, its
 * record cleared before each test. (Here, not beside the connector: the benchmark builds that
 * file without jest.)
 */
export function useRateLimitingConnector(
  options: RateLimitingConnectorOptions = {},
): RateLimitingConnector {
  const connector = forAllTests(
    () => startRateLimitingConnector(options),
    (c) => c.close(),
  );
  beforeEach(() => connector.clear());
  return connector;
}

export interface AzureReminderFixture {
  readonly azurite: EmbeddedAzurite;
  readonly connector: RateLimitingConnector;
  /** The MoJ world in fresh tables of this Azurite (or the tables `names` gives), on this connector. */
  newWorld(names?: Partial<AzureReminderWorld['names']>): Promise<AzureReminderWorld>;
}

/**
 * Azurite and the rate-limiting fake connector for the tests of the file (or describe block) that
 * calls this, the connector's record cleared before each test; each test takes a `newWorld()` of its
 * own, so none sees another's reminders.
 */
export function useAzureReminderWorld(
  connectorOptions: RateLimitingConnectorOptions = {},
): AzureReminderFixture {
  const azurite = useTestAzurite();
  const connector = useRateLimitingConnector(connectorOptions);
  return {
    azurite,
    connector,
    newWorld: (names) => azureReminderWorld(azurite.connectionString, connector, names),
  };
}

/**
 * The reminders on the in-process scheduler (a 200 ms timer, the first round at once) until
 * `rounds` rounds have reported, then stopped. The reports array is the job's own: a round after
 * the stop would still land in it.
 */
export async function reminderRounds(
  deps: ReminderDeps,
  holder: string,
  rounds = 2,
): Promise<RunReport[]> {
  const reports: RunReport[] = [];
  await new Promise<void>((done) => {
    const job = reminderJob(deps, holder, (r) => {
      reports.push(r);
      if (reports.length === rounds) void scheduler.stop().then(done);
    });
    const scheduler = startScheduler([job], {
      intervalMs: 200,
      firstRunAfterMs: 0,
      holder,
      logger: deps.logger,
    });
  });
  return reports;
}

/** The ref a delivered reminder card is about (from its buttons' data). */
export function refOfCard(body: { attachments?: { content?: unknown }[] }): string | undefined {
  const text = JSON.stringify(body.attachments?.[0]?.content ?? {});
  return /"ref":"([^"]+)"/.exec(text)?.[1];
}
