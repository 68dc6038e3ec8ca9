import { performance } from 'node:perf_hooks';
import { runReminders } from '../src/app/reminders/run.js';
import type { ReminderDeps } from '../src/app/reminders/reminder-deps.js';
import { sweepReminders } from '../src/app/reminders/sweep.js';
import type { Action, Plan } from '../src/domain/plan.js';
import type { OpenedStorage } from '../src/storage/open-storage.js';
import type { ConnectorProcess } from './connector-process.js';

/**
 * The open-chat variant of the sending benchmark: every owner is known only through a team's
 * roster (a Teams id and the team; no chat), so each reminder first opens a 1:1 chat
 * (`POST /v3/conversations`, on the team's service) and then sends into it. Both requests count
 * against the tenant's 50 a second.
 */
export interface OpenChatsResult {
  readonly owners: number;
  readonly sent: number;
  readonly created: number;
  /** Reminders arriving per second, first to last. */
  readonly sendsPerSecond: number;
  /** Chats opened and reminders sent, per second, over the same span. */
  readonly requestsPerSecond: number;
  readonly sweepMs: number;
  readonly deliverMs: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly throttled: number;
}

export interface OpenChatsSetup {
  readonly owners: readonly string[];
  readonly plan: Plan;
  readonly actions: readonly Action[];
  readonly tenant: string;
  readonly morning: Date;
  readonly concurrency: number;
}

const TEAM_ID = '19:bench-everyone@thread.tacv2';

export async function openChatsRun(
  label: string,
  storage: Pick<OpenedStorage, 'plans' | 'people'>,
  deps: ReminderDeps,
  connector: ConnectorProcess,
  setup: OpenChatsSetup,
): Promise<OpenChatsResult> {
  await connector.clear();
  const { owners, tenant } = setup;
  await storage.plans.save(setup.plan.id, {
    plan: { value: setup.plan, expectedVersion: null },
    actions: setup.actions.map((value) => ({ value, expectedVersion: null })),
  });
  await storage.people.saveConversation({
    conversationId: TEAM_ID,
    kind: 'channel',
    teamId: TEAM_ID,
    teamName: 'Everyone',
    tenantId: tenant,
    reference: JSON.stringify({
      channelId: 'msteams',
      serviceUrl: connector.url,
      conversation: { id: TEAM_ID, conversationType: 'channel', tenantId: tenant, isGroup: true },
      bot: { id: '28:bench-bot', name: 'Bench' },
    }),
    installedAt: '2017-01-01T00:00:00.000Z',
  });
  // As a roster sync stores them: new people many to a transaction.
  await storage.people.addNewPeople(
    owners.map((email, i) => ({
      email,
      name: email.split('@')[0]!,
      aadObjectId: `7b2c6a1f-0000-4000-8000-${String(i).padStart(12, '0')}`,
      tenantId: tenant,
      teamsUserId: `29:${email}`,
      teams: [TEAM_ID],
      reachable: true,
      updatedAt: '2017-01-01T00:00:00.000Z',
    })),
  );
  const t0 = performance.now();
  const sweep = await sweepReminders(deps, setup.morning);
  const t1 = performance.now();
  const run = await runReminders(deps, {
    holder: 'bench',
    asOf: setup.morning,
    concurrency: setup.concurrency,
  });
  const t2 = performance.now();
  if (!run.ran) throw new Error('the lease was not taken');
  const { delivered, attempts } = await connector.state();
  const creates = attempts.filter(
    (a) => a.method === 'POST' && a.path.replace(/\/+$/, '') === '/v3/conversations',
  );
  const created = creates.filter((a) => a.status === 200).length;
  // Each owner's kept chat must have had their reminder, and nothing else may have arrived.
  const arrived = new Map<string, number>();
  for (const d of delivered)
    arrived.set(d.conversationId, (arrived.get(d.conversationId) ?? 0) + 1);
  let lost = 0;
  for (const email of owners) {
    const person = (await storage.people.getByEmail(email))?.value;
    const id = person?.conversation
      ? (JSON.parse(person.conversation) as { conversation?: { id?: string } }).conversation?.id
      : undefined;
    if (!id || !arrived.has(id)) lost++;
  }
  const duplicates = delivered.length - (owners.length - lost);
  const first = Math.min(...delivered.map((d) => d.at), ...creates.map((c) => c.at));
  const last = Math.max(...delivered.map((d) => d.at));
  const span = (last - first) / 1000;
  const sendsPerSecond = delivered.length / span;
  const requestsPerSecond = (delivered.length + created) / span;
  const throttled = attempts.filter((a) => a.status === 429).length;
  console.log(
    `${label}: sweep ${(t1 - t0).toFixed(0)} ms (${sweep.queued} queued); ${created} chats opened, ${delivered.length} delivered in ${((t2 - t1) / 1000).toFixed(1)} s, ${sendsPerSecond.toFixed(1)} sends/s, ${requestsPerSecond.toFixed(1)} requests/s, ${throttled} 429s, ${duplicates} duplicates, ${lost} lost`,
  );
  return {
    owners: owners.length,
    sent: delivered.length,
    created,
    sendsPerSecond,
    requestsPerSecond,
    sweepMs: t1 - t0,
    deliverMs: t2 - t1,
    duplicates,
    lost,
    throttled,
  };
}
