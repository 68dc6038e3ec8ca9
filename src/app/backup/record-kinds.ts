import { areaKey } from '../../domain/area-name.js';
import { actionRecord, areaRecord, historyRecord, planRecord } from '../../domain/plan.js';
import { deliveryRecord } from '../../ports/delivery-records.js';
import { digestSubscriptionRecord } from '../../ports/digest-subscriptions.js';
import type { PlanChanges, PlanRepository, Put } from '../../ports/plan-repository.js';
import {
  identityOf,
  installedConversationRecord,
  personRecord,
  type Person,
} from '../../ports/people-repository.js';
import { sentCardRecord } from '../../ports/sent-card-repository.js';
import type { RecordKind } from './record-kind.js';

/**
 * Every kind of record the bot stores, in the order a backup lists them and a restore writes
 * them: one entry each. A new kind of record is a new entry (its name in the file, its schema,
 * how to list and write it); a new field of a record is a line in its schema, and nothing here.
 *
 * People's address and object id index rows are not a kind: they are derived from the people,
 * and `savePerson` writes them again. Leases, queued reminder messages and files waiting for their
 * import preview's answer are not kept: they only matter while the bot runs (a preview expires in
 * half an hour).
 */
export const RECORD_KINDS = [
  kind({
    name: 'plans',
    nouns: ['plan', 'plans'],
    schema: planRecord,
    describe: (p) => `plan ${quote(p['id'])}`,
    key: (p) => p.id,
    store: (s) => s.plans,
    list: async (_plans, reading) => (await reading.plans()).map((c) => c.plan),
    write: (plans, records, written) =>
      savePerPlan(
        plans,
        records,
        (p) => p.id,
        (put) => ({ plan: put[0]! }),
        written,
      ),
    clear: {
      stored: (plans) => plans.listPlans(),
      // Everything of the plan goes with it: its actions, areas and history.
      remove: (plans, p) => plans.deletePlan(p.value.id),
    },
  }),
  kind({
    name: 'actions',
    nouns: ['action', 'actions'],
    schema: actionRecord,
    describe: (a) => `action ${text(a['ref'])} of plan ${quote(a['planId'])}`,
    key: (a) => `${a.planId}|${a.ref}`,
    planOf: (a) => a.planId,
    store: (s) => s.plans,
    list: async (_plans, reading) => (await reading.plans()).flatMap((c) => c.actions),
    write: (plans, records, written) =>
      savePerPlan(
        plans,
        records,
        (a) => a.planId,
        (actions) => ({ actions }),
        written,
      ),
  }),
  kind({
    name: 'areas',
    nouns: ['area', 'areas'],
    schema: areaRecord,
    describe: (a) => `area ${quote(a['name'])} of plan ${quote(a['planId'])}`,
    // "MoJ-HQ" beside "MoJ HQ" is the one area twice (domain/area-name.ts).
    key: (a) => `${a.planId}|${areaKey(a.name)}`,
    planOf: (a) => a.planId,
    store: (s) => s.plans,
    list: async (_plans, reading) => (await reading.plans()).flatMap((c) => c.areas),
    write: (plans, records, written) =>
      savePerPlan(
        plans,
        records,
        (a) => a.planId,
        (areas) => ({ areas }),
        written,
      ),
  }),
  kind({
    name: 'history',
    nouns: ['history entry', 'history entries'],
    schema: historyRecord,
    describe: (h) => `history of action ${text(h['ref'])} at ${text(h['at'])}`,
    // No key: two entries alike are two events at one instant, never one record twice.
    planOf: (h) => h.planId,
    store: (s) => s.plans,
    list: async (_plans, reading) => (await reading.plans()).flatMap((c) => c.history),
    // In the order it happened: one save per plan keeps it.
    write: (plans, records, written) =>
      savePerPlan(
        plans,
        records,
        (h) => h.planId,
        (history) => ({ history: history.map((h) => h.value) }),
        written,
      ),
  }),
  kind({
    name: 'people',
    nouns: ['person', 'people'],
    schema: personRecord,
    describe: (p) => `person ${text(p['email'])}`,
    // Who someone is: two accounts with one email (one kept apart) are two people.
    key: (p) => identityOf(p),
    store: (s) => s.people,
    // The teams a person is reachable through are Teams' to say, read again by the roster sync:
    // a backup leaves them out, and a restore (of a hand-made file too) never claims paths this
    // deployment's bot was never given.
    list: async (people) => (await people.listPeople()).map((p) => withoutTeams(p.value)),
    write: (people, records, written) =>
      eachOne(records, written, (p) => people.savePerson(withoutTeams(p)).then(() => true)),
    clear: {
      stored: (people) => people.listPeople(),
      remove: (people, p) => people.removePerson(p.value).then(one),
    },
  }),
  kind({
    name: 'conversations',
    nouns: ['conversation', 'conversations'],
    schema: installedConversationRecord,
    describe: (c) => `conversation ${text(c['conversationId'])}`,
    key: (c) => c.conversationId,
    store: (s) => s.people,
    list: (people) => people.listConversations(),
    write: (people, records, written) =>
      eachOne(records, written, (c) => people.saveConversation(c).then(() => true)),
    clear: {
      stored: (people) => people.listConversations(),
      remove: (people, c) => people.removeConversation(c.conversationId).then(one),
    },
  }),
  kind({
    name: 'sentCards',
    nouns: ['sent card', 'sent cards'],
    schema: sentCardRecord,
    describe: (c) => `card about action ${text(c['ref'])} (${text(c['activityId'])})`,
    key: (c) => `${c.planId}|${c.ref}|${c.activityId}`,
    store: (s) => s.sentCards,
    list: (cards) => cards.listAll(),
    write: (cards, records, written) =>
      eachOne(records, written, (c) => cards.record(c).then(() => true)),
    clear: {
      stored: (cards) => cards.listAll(),
      remove: (cards, c) => cards.remove(c).then(one),
    },
    whenNotStored:
      'The cards in Teams stay as they are; they are just not updated in place when their action changes.',
  }),
  kind({
    name: 'deliveries',
    nouns: ['reminder delivery record', 'reminder delivery records'],
    schema: deliveryRecord,
    describe: (d) => `reminder ${text(d['id'])} of plan ${quote(d['planId'])}`,
    key: (d) => `${d.planId}|${d.id}`,
    store: (s) => s.deliveries,
    list: async (deliveries, reading) => {
      const plans = await reading.plans();
      const lists = await Promise.all(plans.map((c) => deliveries.listSince(c.plan.id, EVERY_DAY)));
      return lists.flat().map((d) => d.value);
    },
    // A record already stored is what stops its reminder going twice: it wins, and is kept.
    write: (deliveries, records, written) => eachOne(records, written, (d) => deliveries.create(d)),
    // No `clear`: a forced restore keeps them, or a reminder sent since the backup would go again.
  }),
  kind({
    name: 'digestSubscriptions',
    nouns: ['digest subscription', 'digest subscriptions'],
    schema: digestSubscriptionRecord,
    describe: (s) => `subscription of ${text(s['conversationId'])} to plan ${quote(s['planId'])}`,
    key: (s) => `${s.planId}|${s.conversationId}`,
    store: (s) => s.digestSubscriptions,
    list: (subscriptions) => subscriptions.list(),
    write: (subscriptions, records, written) =>
      eachOne(records, written, (s) => subscriptions.save(s).then(() => true)),
    clear: {
      stored: (subscriptions) => subscriptions.list(),
      remove: (subscriptions, s) => subscriptions.remove(s.planId, s.conversationId).then(one),
    },
  }),
] as const;

/** Each kind's records of a backup, by the kind's name; a kind absent where none were kept. */
export type BackupRecords = {
  readonly [K in (typeof RECORD_KINDS)[number] as K['name']]?: readonly RecordOf<K>[];
};

/** How many records of each kind, by the kind's name. */
export type BackupCounts = { readonly [K in keyof BackupRecords]?: number };

type RecordOf<K> = K extends RecordKind<infer T, unknown, string> ? T : never;

/**
 * Keeps each entry's own types while the table is written (the name as a literal, the items its
 * `clear` lists); the table then holds it without the latter, which only the entry uses.
 */
function kind<T, S, N extends string, I>(k: RecordKind<T, S, N, I>): RecordKind<T, S, N> {
  return k;
}

/** Before any day a record can be scheduled for: "every delivery record of the plan". */
const EVERY_DAY = '0000-01-01';

const one = (): number => 1;
const text = (v: unknown): string => (typeof v === 'string' ? v : '?');
const quote = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : '?');

/** Writes records one at a time; answers how many were kept as stored (`put` said false). */
async function eachOne<T>(
  records: readonly T[],
  written: (more: number) => void,
  put: (record: T) => Promise<boolean>,
): Promise<number> {
  let kept = 0;
  for (const record of records) {
    if (!(await put(record))) kept++;
    written(1);
  }
  return kept;
}

/** Writes a plan kind's records with one save per plan, as new records. */
async function savePerPlan<T>(
  plans: PlanRepository,
  records: readonly T[],
  planOf: (record: T) => string,
  changes: (puts: readonly Put<T>[]) => PlanChanges,
  written: (more: number) => void,
): Promise<number> {
  const byPlan = new Map<string, Put<T>[]>();
  for (const value of records) {
    const puts = byPlan.get(planOf(value));
    if (puts) puts.push({ value, expectedVersion: null });
    else byPlan.set(planOf(value), [{ value, expectedVersion: null }]);
  }
  for (const [planId, puts] of byPlan) {
    let done = 0;
    await plans.save(planId, changes(puts), {
      onProgress: (n) => {
        written(n - done);
        done = n;
      },
    });
    written(puts.length - done);
  }
  return 0;
}

/** A person without the teams their roster rows list (see the people kind). */
function withoutTeams(p: Person): Person {
  const { teams: _teams, ...rest } = p;
  return rest;
}
