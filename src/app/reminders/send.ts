import { todayIn } from '../../domain/calendar.js';
import { isActionPlanError } from '../../domain/errors.js';
import { normaliseEmail, type Action, type Plan, type Versioned } from '../../domain/plan.js';
import { describeDueness, dueness } from '../../domain/progress.js';
import { isDone } from '../../domain/status.js';
import type { PersonView } from '../../ports/card-renderer.js';
import { FINAL_STATES, type DeliveryRecord } from '../../ports/delivery-records.js';
import {
  ambiguousReason,
  onePerson,
  reachOf,
  reachOfMatch,
  unreachableWhy,
  type InstalledConversation,
  type Person,
} from '../../ports/people-repository.js';
import type { ReceivedReminder } from '../../ports/reminder-queue.js';
import { sleep } from './concurrency.js';
import { canReach } from './due-now.js';
import {
  DELIVERY_DEFAULTS,
  type DeliverOptions,
  type DeliverySettings,
} from './delivery-options.js';
import { recordOutcome, settle, tellChampions, type DeliverReport } from './record-outcome.js';
import type { ReminderDeps } from './reminder-deps.js';
import { loggedReminderId } from './records.js';
import { teamRouteOf } from './team-route.js';

export type { DeliverReport } from './record-outcome.js';
export { DELIVERY_DEFAULTS, type DeliverOptions } from './delivery-options.js';

/**
 * Takes reminders off the queue and sends them, until the queue is empty (messages waiting to be
 * retried included), the deadline passes, or the signal says stop. Each message is handled once
 * whatever happens around it:
 *
 * 1. its delivery record is read: a finished one (sent, refused, skipped, failed) only has its
 *    message deleted — a message can come back after a sender died, and must not send again;
 * 2. the record is claimed (`sending`, conditional on its version): two senders holding copies of
 *    one message cannot both send it;
 * 3. it is checked again — is the action still open, the person still its owner, the target
 *    unchanged, no "remind me later" since? — then rendered and sent to Teams;
 * 4. the outcome is recorded (record-outcome.ts) and the message deleted, retried later, or moved
 *    to the dead-letter queue.
 *
 * A claim found older than `claimTimeoutMs` means a sender stopped between sending and recording:
 * Teams may have the message or not, and nobody can ask it. Such a reminder is not sent again
 * ("never twice" wins over "at least once") but goes to the dead-letter queue as `Uncertain`, so
 * an operator sees it in `actionplan reminders failed`.
 */
export async function deliverQueued(
  deps: ReminderDeps,
  options: DeliverOptions,
): Promise<DeliverReport> {
  const o: DeliverySettings = {
    ...DELIVERY_DEFAULTS,
    now: () => deps.clock.now(),
    ...definedOnly(options),
    holder: options.holder,
  };
  const report: DeliverReport = {
    sent: 0,
    retried: 0,
    unreachable: 0,
    skipped: 0,
    failed: 0,
    alreadyDone: 0,
    throttled: 0,
  };
  // A pool of `concurrency` workers over one buffer of taken messages, refilled (and the lease
  // renewed) whenever it runs dry: no worker waits for a slow message of someone else's batch.
  let finished = false;
  let inFlight = 0;
  const buffer: { received: ReceivedReminder; cache: BatchCache }[] = [];
  let refilling: Promise<void> | undefined;
  const refill = async (): Promise<void> => {
    if (options.beforeBatch && !(await options.beforeBatch())) {
      finished = true;
      return;
    }
    const batch = await deps.queue.receive(o.batchSize, o.visibilitySeconds);
    if (batch.length > 0) {
      const cache = newCache();
      for (const received of batch) buffer.push({ received, cache });
      return;
    }
    // Nothing visible. While messages are being handled, more may come (a champion to tell);
    // after that, done when nothing is left at all (messages waiting for a retry still count),
    // or when the deadline has passed; otherwise look again shortly.
    if (inFlight > 0) await sleep(o.pollMs);
    else if ((await deps.queue.approximateCount()) === 0) finished = true;
    else if (options.deadline !== undefined && Date.now() >= options.deadline) finished = true;
    else await sleep(o.pollMs);
  };
  const next = async () => {
    for (;;) {
      if (finished || options.signal?.aborted) return undefined;
      const item = buffer.shift();
      if (item) return item;
      refilling ??= refill().finally(() => {
        refilling = undefined;
      });
      await refilling;
    }
  };
  const worker = async () => {
    for (let item = await next(); item; item = await next()) {
      inFlight++;
      try {
        await handle(deps, o, item.received, report, item.cache);
      } catch (error) {
        // Storage trouble mid-way: the message comes back when its visibility runs out.
        deps.logger.warn(
          {
            err: error,
            reminder: loggedReminderId(item.received.message.id),
            planId: item.received.message.planId,
          },
          'a reminder could not be handled; it will be tried again',
        );
      } finally {
        inFlight--;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  return report;
}

async function handle(
  deps: ReminderDeps,
  o: DeliverySettings,
  received: ReceivedReminder,
  report: DeliverReport,
  cache: BatchCache,
): Promise<void> {
  const { message } = received;
  const stored = await deps.deliveries.get(message.planId, message.id, message.scheduledFor);
  if (!stored) {
    deps.logger.warn(
      { reminder: loggedReminderId(message.id) },
      'a queued reminder has no delivery record: dropped',
    );
    await deps.queue.delete(received);
    return;
  }
  let record = stored.value;
  let version = stored.version;
  if (FINAL_STATES.includes(record.state)) {
    report.alreadyDone++;
    await deps.queue.delete(received);
    return;
  }
  const at = deps.clock.now();
  if (record.state === 'sending') {
    const since = at.getTime() - Date.parse(record.claimedAt ?? record.updatedAt);
    if (since < o.claimTimeoutMs) {
      // Someone else is sending it right now; look again once their claim could have lapsed.
      await deps.queue.retryLater(received, Math.ceil((o.claimTimeoutMs - since) / 1000));
      return;
    }
    await recordOutcome(deps, o, received, { record, version }, report, {
      outcome: 'failed',
      code: 'Uncertain',
      message:
        'A sender stopped while sending this reminder, so it may or may not have reached Teams. It is not sent again, so that nobody gets it twice.',
      attempts: 0,
      throttled: 0,
    });
    return;
  }

  try {
    record = {
      ...record,
      state: 'sending',
      claimedBy: o.holder,
      claimedAt: at.toISOString(),
      updatedAt: at.toISOString(),
      attempts: record.attempts + 1,
    };
    version = await deps.deliveries.update(record, version);
  } catch (error) {
    if (!isActionPlanError(error, 'conflict')) throw error;
    // Another sender claimed it between our read and our claim: theirs now.
    await deps.queue.retryLater(received, Math.ceil(o.claimTimeoutMs / 1000));
    return;
  }

  const now = o.now();
  const check = await stillWanted(deps, record, now, cache);
  if (check.verdict !== 'send') {
    const state = check.verdict === 'unreachable' ? 'unreachable' : 'skipped';
    if (state === 'skipped') report.skipped++;
    else report.unreachable++;
    await settle(deps, { record, version }, (r) => ({
      ...r,
      state,
      code: check.code,
      reason: check.reason,
      updatedAt: deps.clock.now().toISOString(),
    }));
    // Refused by Teams a moment ago (another of their reminders): their champion hears of this
    // action too. People who never installed the bot are not queued at all.
    if (state === 'unreachable' && record.role === 'owner') await tellChampions(deps, record);
    await deps.queue.delete(received);
    return;
  }

  const { plan, action, person } = check;
  const today = todayIn(plan.timeZone, now);
  const owners = await Promise.all(
    action.owners.map((email) => personView(deps, normaliseEmail(email), cache, person)),
  );
  // Who the bot cannot reach, with why as it stands now (a refusal, two accounts, no way in).
  const about = record.about ? await unreachableView(deps, record.about) : undefined;
  const summary = summaryOf(record, action, today);
  const card = deps.renderCard(
    {
      kind: 'reminder',
      plan,
      action,
      version: check.version,
      reason: {
        kind: record.kind,
        role: record.role,
        ...(record.workingDaysBefore === undefined
          ? {}
          : { workingDaysBefore: record.workingDaysBefore }),
        ...(record.caughtUp ? { caughtUp: true } : {}),
        ...(about ? { about } : {}),
      },
      owners,
      today,
    },
    // A card too big for Teams (hundreds of owners) still reminds, in words.
    {
      text: `${summary}. Its card is too long for one Teams message; the export lists it in full.`,
      tone: 'warning',
    },
  );
  const via = await teamRouteOf(deps, person, cache);
  const result = await deps.notifier.send(
    {
      email: person.email,
      ...(person.conversation ? { conversation: person.conversation } : {}),
      ...(via ? { via } : {}),
      ...(person.teamsUserId ? { teamsUserId: person.teamsUserId } : {}),
      ...(person.tenantId ? { tenantId: person.tenantId } : {}),
    },
    { card, summary },
  );
  await recordOutcome(deps, o, received, { record, version }, report, result, { plan, person });
}

/**
 * Reads shared by the messages of one batch: the plan (its title and time zone) and the names of
 * owners shown on the cards. The action and the recipient are always read fresh.
 */
interface BatchCache {
  readonly plans: Map<string, Promise<Versioned<Plan> | undefined>>;
  readonly people: Map<string, Promise<Person | undefined>>;
  /** The teams and group chats the bot is in (team-route.ts), read once when first needed. */
  conversations?: Promise<InstalledConversation[]>;
}

const newCache = (): BatchCache => ({ plans: new Map(), people: new Map() });

type Check =
  | {
      readonly verdict: 'send';
      readonly plan: Plan;
      readonly action: Action;
      readonly version: string;
      readonly person: Person;
    }
  | { readonly verdict: 'skip' | 'unreachable'; readonly code: string; readonly reason: string };

/** Whether the reminder still makes sense now, and the plan, action and person if it does. */
async function stillWanted(
  deps: ReminderDeps,
  record: DeliveryRecord,
  now: Date,
  cache: BatchCache,
): Promise<Check> {
  const skip = (code: string, reason: string): Check => ({ verdict: 'skip', code, reason });
  let planRead = cache.plans.get(record.planId);
  if (!planRead) {
    planRead = deps.plans.getPlan(record.planId);
    cache.plans.set(record.planId, planRead);
  }
  const [plan, found, match] = await Promise.all([
    planRead,
    deps.plans.getAction(record.planId, record.ref),
    deps.people.findByEmail(record.recipient),
  ]);
  if (!plan || !found) return skip('Gone', 'The action is no longer in the plan.');
  const action = found.value;
  if (isDone(action.status)) return skip('Done', 'The action was done before its reminder went.');
  const today = todayIn(plan.value.timeZone, now);
  const owners = action.owners.map(normaliseEmail);
  if (record.role === 'owner' && !owners.includes(record.recipient)) {
    return skip('NotOwner', 'The person no longer owns the action.');
  }
  if (record.targetDate) {
    const target = action.target.kind === 'date' ? action.target.date : undefined;
    if (target !== record.targetDate) {
      return skip('TargetChanged', 'The target date changed; the new one has its own reminders.');
    }
  }
  if (record.role === 'owner' && record.kind !== 'snoozed') {
    const snooze = action.snooze;
    if (snooze && today < snooze.until && snooze.at > record.queuedAt) {
      return skip('Snoozed', `Put off until ${snooze.until} by ${snooze.by}.`);
    }
  }
  if (match.kind === 'ambiguous') {
    // Two accounts claim the address: sending to either would be a guess.
    return {
      verdict: 'unreachable',
      code: 'AmbiguousAddress',
      reason: ambiguousReason(record.recipient, match.people.length),
    };
  }
  const person = onePerson(match);
  const reach = reachOf(person?.value);
  if (!person || reach.kind === 'none') {
    return {
      verdict: 'unreachable',
      code: 'NotReachable',
      reason: unreachableWhy(reach) ?? 'The bot has no way to message this person.',
    };
  }
  return {
    verdict: 'send',
    plan: plan.value,
    action,
    version: found.version,
    person: person.value,
  };
}

async function personView(
  deps: ReminderDeps,
  email: string,
  cache: BatchCache,
  known?: Person,
): Promise<PersonView> {
  let read = known && known.email === email ? Promise.resolve(known) : cache.people.get(email);
  if (!read) {
    read = deps.people.getByEmail(email).then((p) => p?.value);
    cache.people.set(email, read);
  }
  const p = await read;
  return { email, ...(p?.name ? { name: p.name } : {}), reachable: canReach(p) };
}

async function unreachableView(deps: ReminderDeps, email: string): Promise<PersonView> {
  const match = await deps.people.findByEmail(email);
  const person = onePerson(match)?.value;
  const why = unreachableWhy(reachOfMatch(match, email));
  return {
    email,
    ...(person?.name ? { name: person.name } : {}),
    reachable: why === undefined,
    ...(why ? { why } : {}),
  };
}

/** The notification's text: what a lock screen or a client without cards shows. */
function summaryOf(record: DeliveryRecord, action: Action, today: string): string {
  const due = describeDueness(dueness(action, today));
  const lead =
    record.kind === 'check_in'
      ? `Monthly check-in on action ${action.ref}`
      : record.kind === 'unreachable_owner'
        ? `I can't reach the owner of action ${action.ref}`
        : `Action ${action.ref} is ${due}`;
  const text = action.text.replace(/\s+/g, ' ').trim();
  return `${lead}: ${text.length > 120 ? `${text.slice(0, 119)}…` : text}`;
}

const definedOnly = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
