/**
 * Restoring a backup file: every record of it read and checked before anything is written.
 * Longer than the 400 lines a file here should keep to, because it restates every record kind
 * field by field; the stored records are to be defined once, with their checks, and this file
 * then becomes a table of record kinds.
 */
import { normaliseRef } from '../domain/action-ref.js';
import { areaKey } from '../domain/area-name.js';
import { ActionPlanError } from '../domain/errors.js';
import { isPlanId } from '../domain/plan-import.js';
import type { Action, Area, HistoryEntry, Plan } from '../domain/plan.js';
import { PRIORITIES } from '../domain/priority.js';
import { isStatus } from '../domain/status.js';
import type { DeliveryRecord } from '../ports/delivery-records.js';
import type { DigestSubscription } from '../ports/digest-subscriptions.js';
import {
  PERSON_OPTIONAL_TEXTS,
  type InstalledConversation,
  type Person,
} from '../ports/people-repository.js';
import { noProgress, type Progress } from '../ports/progress.js';
import type { SentCard } from '../ports/sent-card-repository.js';
import {
  BACKUP_FORMAT,
  BACKUP_FORMAT_VERSION,
  type Backup,
  type BackupCounts,
  type BackupPlan,
  type BackupStores,
} from './backup.js';

export interface RestoreOptions {
  /** Replace whatever is stored: everything in storage is removed before the backup is written. */
  readonly force?: boolean;
  readonly progress?: Progress;
}

export interface RestoreReport {
  readonly restored: BackupCounts;
  /** What a forced restore removed first (all zero when storage was empty). */
  readonly removed: StoredCounts;
  /** Things the backup has that this deployment cannot keep (sent cards with nowhere to go). */
  readonly warnings: readonly string[];
}

export interface StoredCounts {
  readonly plans: number;
  /** Every record of those plans: the plan, actions, areas and history. */
  readonly planRecords: number;
  readonly people: number;
  readonly conversations: number;
  readonly sentCards: number;
  readonly digestSubscriptions: number;
}

/**
 * Puts a backup back. Into empty storage only, unless `force`: then everything stored is removed
 * first (every plan with its records, every person, conversation, sent card and digest
 * subscription), so
 * that what is stored afterwards is exactly the backup, nothing more. The one exception is the
 * reminder delivery records: those already stored are kept, and win over the backup's, because
 * they are what stops a reminder going out twice; forgetting one sent since the backup was taken
 * would send it again. The backup is checked whole before storage is touched; a backup that does
 * not read leaves storage as it was.
 *
 * Each plan is written in one save (plan record last, as an import is), people and conversations
 * one by one. An interrupted restore can be run again with `force`.
 */
export async function restoreBackup(
  stores: BackupStores,
  backup: Backup,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const progress = options.progress ?? noProgress;
  const stored = await storedCounts(stores);
  if (!options.force && isNotEmpty(stored)) {
    throw new ActionPlanError(
      'already_exists',
      `Storage is not empty (${describeStored(stored)}), so the backup was not restored. Restore into empty storage, or use --force to replace everything stored with the backup.`,
    );
  }
  const removed = isNotEmpty(stored) ? await removeEverything(stores, progress) : stored;

  const warnings: string[] = [];
  const sentCards = backup.sentCards ?? [];
  const subscriptions = backup.digestSubscriptions ?? [];
  if (subscriptions.length > 0 && !stores.digestSubscriptions) {
    warnings.push(
      `${subscriptions.length} digest subscription${subscriptions.length === 1 ? ' was' : 's were'} not restored: this deployment does not store them.`,
    );
  }
  if (sentCards.length > 0 && !stores.sentCards) {
    warnings.push(
      `${sentCards.length} sent card${sentCards.length === 1 ? ' was' : 's were'} not restored: this deployment does not store sent cards. The cards in Teams stay as they are; they are just not updated in place when their action changes.`,
    );
  }
  const deliveries = sum(backup.plans.map((p) => p.deliveries?.length ?? 0));
  if (deliveries > 0 && !stores.deliveries) {
    warnings.push(
      `${deliveries} reminder delivery record${deliveries === 1 ? ' was' : 's were'} not restored: this deployment does not store them.`,
    );
  }

  const total =
    sum(backup.plans.map(planRecordCount)) +
    backup.people.length +
    backup.conversations.length +
    (stores.sentCards ? sentCards.length : 0) +
    (stores.digestSubscriptions ? subscriptions.length : 0) +
    (stores.deliveries ? deliveries : 0);
  progress.stage('Restoring records', total);
  let done = 0;
  let deliveriesKept = 0;
  for (const p of backup.plans) {
    const before = done;
    await stores.plans.save(
      p.plan.id,
      {
        plan: { value: p.plan, expectedVersion: null },
        actions: p.actions.map((value) => ({ value, expectedVersion: null })),
        areas: p.areas.map((value) => ({ value, expectedVersion: null })),
        history: p.history,
      },
      { onProgress: (written) => progress.update(before + written) },
    );
    done = before + planRecordCount(p);
    progress.update(done);
    if (stores.deliveries) {
      for (const record of p.deliveries ?? []) {
        // False: a record of this reminder is stored already (kept by a forced restore): it wins.
        if (!(await stores.deliveries.create(record))) deliveriesKept++;
        progress.update(++done);
      }
    }
  }
  for (const person of backup.people) {
    await stores.people.savePerson(person);
    progress.update(++done);
  }
  for (const conversation of backup.conversations) {
    await stores.people.saveConversation(conversation);
    progress.update(++done);
  }
  if (stores.sentCards) {
    for (const card of sentCards) {
      await stores.sentCards.record(card);
      progress.update(++done);
    }
  }
  if (stores.digestSubscriptions) {
    for (const subscription of subscriptions) {
      await stores.digestSubscriptions.save(subscription);
      progress.update(++done);
    }
  }
  progress.stop();

  if (deliveriesKept > 0) {
    warnings.push(
      `${deliveriesKept} reminder delivery record${deliveriesKept === 1 ? ' was' : 's were'} already stored and kept as ${deliveriesKept === 1 ? 'it was' : 'they were'}.`,
    );
  }
  const { sentCards: _s, deliveries: _d, digestSubscriptions: _g, ...restored } = backup.counts;
  return {
    restored: {
      ...restored,
      ...(stores.sentCards && backup.sentCards ? { sentCards: sentCards.length } : {}),
      ...(stores.digestSubscriptions && backup.digestSubscriptions
        ? { digestSubscriptions: subscriptions.length }
        : {}),
      ...(stores.deliveries ? { deliveries: deliveries - deliveriesKept } : {}),
    },
    removed,
    warnings,
  };
}

const planRecordCount = (p: BackupPlan): number =>
  1 + p.actions.length + p.areas.length + p.history.length;

async function storedCounts(stores: BackupStores): Promise<StoredCounts> {
  const [plans, people, conversations, sentCards, subscriptions] = await Promise.all([
    stores.plans.listPlans(),
    stores.people.listPeople(),
    stores.people.listConversations(),
    stores.sentCards?.listAll() ?? Promise.resolve([]),
    stores.digestSubscriptions?.list() ?? Promise.resolve([]),
  ]);
  return {
    plans: plans.length,
    planRecords: 0,
    people: people.length,
    conversations: conversations.length,
    sentCards: sentCards.length,
    digestSubscriptions: subscriptions.length,
  };
}

const isNotEmpty = (c: StoredCounts): boolean =>
  c.plans + c.people + c.conversations + c.sentCards + c.digestSubscriptions > 0;

function describeStored(c: StoredCounts): string {
  const parts = [
    [c.plans, 'plan'],
    [c.people, 'person', 'people'],
    [c.conversations, 'conversation'],
    [c.sentCards, 'sent card'],
    [c.digestSubscriptions, 'digest subscription'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, one, many]) => `${n} ${n === 1 ? one : (many ?? `${one}s`)}`)
    .join(', ');
}

/**
 * Removes every plan, person, conversation, sent card and digest subscription: the first half of
 * a forced restore. Delivery records stay (see restoreBackup).
 */
async function removeEverything(stores: BackupStores, progress: Progress): Promise<StoredCounts> {
  const [plans, people, conversations, sentCards, subscriptions] = await Promise.all([
    stores.plans.listPlans(),
    stores.people.listPeople(),
    stores.people.listConversations(),
    stores.sentCards?.listAll() ?? Promise.resolve([]),
    stores.digestSubscriptions?.list() ?? Promise.resolve([]),
  ]);
  progress.stage(
    'Removing what is stored',
    plans.length + people.length + conversations.length + sentCards.length + subscriptions.length,
  );
  let done = 0;
  let planRecords = 0;
  for (const p of plans) {
    planRecords += await stores.plans.deletePlan(p.value.id);
    progress.update(++done);
  }
  for (const p of people) {
    await stores.people.removePerson(p.value);
    progress.update(++done);
  }
  for (const c of conversations) {
    await stores.people.removeConversation(c.conversationId);
    progress.update(++done);
  }
  for (const card of sentCards) {
    await stores.sentCards?.remove(card);
    progress.update(++done);
  }
  for (const subscription of subscriptions) {
    await stores.digestSubscriptions?.remove(subscription.planId, subscription.conversationId);
    progress.update(++done);
  }
  return {
    plans: plans.length,
    planRecords,
    people: people.length,
    conversations: conversations.length,
    sentCards: sentCards.length,
    digestSubscriptions: subscriptions.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Reading a backup file

/** At most this many problems are listed when a backup does not read. */
const MAX_PROBLEMS = 20;

/**
 * Reads and checks a backup file's text. Every record is checked for the fields the bot relies
 * on (kinds, statuses, dates, a plan's records all of that plan) and then kept whole: fields this
 * version does not check (a plan's settings, an action's snooze…) come back as they went out,
 * because a restore that quietly dropped a field would lose data. Problems are reported together,
 * by where they are ("plans[0].actions[3].status"), and nothing is restored from a file that has
 * any.
 */
export function readBackup(text: string): Backup {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ActionPlanError(
      'invalid_input',
      `This is not a backup: it is not JSON (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
  if (!isObject(json) || json['format'] !== BACKUP_FORMAT) {
    throw new ActionPlanError(
      'invalid_input',
      `This is not a backup made by "actionplan backup" (it has no "format": "${BACKUP_FORMAT}").`,
    );
  }
  const version = json['formatVersion'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ActionPlanError(
      'invalid_input',
      'The backup has no formatVersion (a whole number), so it cannot be read safely.',
    );
  }
  if (version > BACKUP_FORMAT_VERSION) {
    throw new ActionPlanError(
      'invalid_input',
      `The backup is format version ${version}, made by a newer version of the bot; this one reads up to version ${BACKUP_FORMAT_VERSION}. Restore it with the version that made it, or a later one.`,
    );
  }
  const c = new Checker();
  const plans = c.list(json, 'plans', (p, at) => c.plan(p, at));
  const people = c.list(json, 'people', (p, at) => c.person(p, at));
  const conversations = c.list(json, 'conversations', (x, at) => c.conversation(x, at));
  const sentCards =
    json['sentCards'] === undefined
      ? undefined
      : c.list(json, 'sentCards', (x, at) => c.sentCard(x, at));
  const digestSubscriptions =
    json['digestSubscriptions'] === undefined
      ? undefined
      : c.list(json, 'digestSubscriptions', (x, at) => c.digestSubscription(x, at));
  c.unique(
    plans.map((p) => p.plan.id),
    'plans',
    'plan id',
  );
  c.unique(
    people.map((p) => p.email),
    'people',
    'email',
  );
  c.unique(
    conversations.map((x) => x.conversationId),
    'conversations',
    'conversation id',
  );
  if (c.problems.length > 0) {
    const shown = c.problems.slice(0, MAX_PROBLEMS);
    const more = c.problems.length - shown.length;
    throw new ActionPlanError(
      'invalid_input',
      `The backup cannot be restored: ${c.problems.length === 1 ? 'one problem' : `${c.problems.length} problems`}. Nothing was changed.`,
      more > 0 ? [...shown, `… and ${more} more.`] : shown,
    );
  }
  const counts: BackupCounts = {
    plans: plans.length,
    actions: sum(plans.map((p) => p.actions.length)),
    areas: sum(plans.map((p) => p.areas.length)),
    history: sum(plans.map((p) => p.history.length)),
    people: people.length,
    conversations: conversations.length,
    ...(sentCards ? { sentCards: sentCards.length } : {}),
    ...(digestSubscriptions ? { digestSubscriptions: digestSubscriptions.length } : {}),
    ...(plans.some((p) => p.deliveries)
      ? { deliveries: sum(plans.map((p) => p.deliveries?.length ?? 0)) }
      : {}),
  };
  return {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    createdAt: typeof json['createdAt'] === 'string' ? json['createdAt'] : '',
    counts,
    plans,
    people,
    conversations,
    ...(sentCards ? { sentCards } : {}),
    ...(digestSubscriptions ? { digestSubscriptions } : {}),
  };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const TARGET_KINDS = ['date', 'ongoing', 'unresolved'];
const HISTORY_KINDS = ['created', 'changed', 'refused'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Collects problems while rebuilding records field by field. */
class Checker {
  readonly problems: string[] = [];

  list<T>(parent: Json, key: string, read: (v: Json, at: string) => T | undefined, at = ''): T[] {
    const where = at ? `${at}.${key}` : key;
    const value = parent[key];
    if (!Array.isArray(value)) {
      this.problems.push(`${where} is missing or is not a list.`);
      return [];
    }
    return value.flatMap((item: unknown, i) => {
      const here = `${where}[${i}]`;
      if (!isObject(item)) {
        this.problems.push(`${here} is not a record.`);
        return [];
      }
      const read1 = read(item, here);
      return read1 === undefined ? [] : [read1];
    });
  }

  /** Values that are the same by `keyOf` appear once: "MoJ-HQ" after "MoJ HQ" is the area twice. */
  unique(
    values: readonly string[],
    at: string,
    what: string,
    keyOf: (v: string) => string = (v) => v,
  ): void {
    const seen = new Map<string, string>();
    for (const v of values) {
      const first = seen.get(keyOf(v));
      if (first !== undefined) {
        this.problems.push(
          `${at}: the ${what} "${v}" appears twice${first === v ? '' : ` (also as "${first}")`}.`,
        );
      } else seen.set(keyOf(v), v);
    }
  }

  plan(v: Json, at: string): BackupPlan | undefined {
    const p = this.object(v, 'plan', at);
    if (!p) return undefined;
    const where = `${at}.plan`;
    const id = this.text(p, 'id', where);
    if (id && !isPlanId(id)) this.problems.push(`${where}.id "${id}" is not a plan id.`);
    this.text(p, 'title', where, true);
    this.text(p, 'progressUpdate', where, true);
    this.text(p, 'timeZone', where);
    this.list(
      p,
      'recommendations',
      (r, a) => {
        this.text(r, 'number', a);
        this.text(r, 'text', a, true);
        return r;
      },
      where,
    );
    this.instant(p, 'createdAt', where);
    this.instant(p, 'updatedAt', where);
    this.optionalObject(p, 'settings', where);
    const actions = this.list(v, 'actions', (a, w) => this.action(a, w, id), at);
    const areas = this.list(v, 'areas', (a, w) => this.area(a, w, id), at);
    const history = this.list(v, 'history', (h, w) => this.historyEntry(h, w, id), at);
    const deliveries =
      v['deliveries'] === undefined
        ? undefined
        : this.list(v, 'deliveries', (d, w) => this.delivery(d, w, id), at);
    this.unique(
      actions.map((a) => a.ref),
      `${at}.actions`,
      'ref',
    );
    this.unique(
      areas.map((a) => a.name),
      `${at}.areas`,
      'area',
      areaKey,
    );
    return {
      plan: p as unknown as Plan,
      actions,
      areas,
      history,
      ...(deliveries ? { deliveries } : {}),
    };
  }

  action(v: Json, at: string, planId: string): Action {
    this.samePlan(v, at, planId);
    const ref = this.text(v, 'ref', at);
    if (ref && normaliseRef(ref) !== ref) {
      this.problems.push(`${at}.ref "${ref}" is not an action ref.`);
    }
    const priority = this.text(v, 'priority', at);
    if (priority && !(PRIORITIES as readonly string[]).includes(priority)) {
      this.problems.push(`${at}.priority "${priority}" is not one of ${PRIORITIES.join(', ')}.`);
    }
    const status = this.text(v, 'status', at);
    if (status && !isStatus(status))
      this.problems.push(`${at}.status "${status}" is not a status.`);
    this.text(v, 'recommendation', at);
    this.text(v, 'text', at);
    this.target(v, at);
    this.texts(v, 'owners', at);
    this.optionalText(v, 'area', at);
    this.optionalText(v, 'note', at);
    this.optionalObject(v, 'snooze', at);
    this.optionalObject(v, 'proposedTarget', at);
    this.instant(v, 'updatedAt', at);
    this.text(v, 'updatedBy', at, true);
    return v as unknown as Action;
  }

  target(v: Json, at: string): void {
    const t = this.object(v, 'target', at);
    const where = `${at}.target`;
    if (!t) return;
    const kind = this.text(t, 'kind', where);
    this.text(t, 'text', where, true);
    if (!TARGET_KINDS.includes(kind)) {
      this.problems.push(`${where}.kind "${kind}" is not one of ${TARGET_KINDS.join(', ')}.`);
    }
    if (kind === 'date') {
      const date = this.text(t, 'date', where);
      if (date && !ISO_DATE.test(date)) {
        this.problems.push(`${where}.date "${date}" is not YYYY-MM-DD.`);
      }
    }
  }

  area(v: Json, at: string, planId: string): Area {
    this.samePlan(v, at, planId);
    this.text(v, 'name', at);
    this.texts(v, 'champions', at);
    return v as unknown as Area;
  }

  historyEntry(v: Json, at: string, planId: string): HistoryEntry {
    this.samePlan(v, at, planId);
    const kind = this.text(v, 'kind', at);
    if (!HISTORY_KINDS.includes(kind)) {
      this.problems.push(`${at}.kind "${kind}" is not one of ${HISTORY_KINDS.join(', ')}.`);
    }
    for (const name of ['field', 'from', 'to', 'note'] as const) this.optionalText(v, name, at);
    this.text(v, 'ref', at);
    this.instant(v, 'at', at);
    this.text(v, 'by', at, true);
    return v as unknown as HistoryEntry;
  }

  delivery(v: Json, at: string, planId: string): DeliveryRecord {
    this.samePlan(v, at, planId);
    for (const name of ['id', 'ref', 'kind', 'recipient', 'role', 'state'] as const) {
      this.text(v, name, at);
    }
    const day = this.text(v, 'scheduledFor', at);
    if (day && !ISO_DATE.test(day)) {
      this.problems.push(`${at}.scheduledFor "${day}" is not YYYY-MM-DD.`);
    }
    this.instant(v, 'queuedAt', at);
    this.instant(v, 'updatedAt', at);
    return v as unknown as DeliveryRecord;
  }

  person(v: Json, at: string): Person {
    if (typeof v['reachable'] !== 'boolean') {
      this.problems.push(`${at}.reachable is not true or false.`);
    }
    if (v['admin'] !== undefined && typeof v['admin'] !== 'boolean') {
      this.problems.push(`${at}.admin is not true or false.`);
    }
    for (const name of PERSON_OPTIONAL_TEXTS) this.optionalText(v, name, at);
    this.text(v, 'email', at);
    this.text(v, 'name', at, true);
    this.instant(v, 'updatedAt', at);
    return v as unknown as Person;
  }

  conversation(v: Json, at: string): InstalledConversation {
    const kind = this.text(v, 'kind', at);
    if (kind !== 'groupChat' && kind !== 'channel') {
      this.problems.push(`${at}.kind "${kind}" is not groupChat or channel.`);
    }
    for (const name of ['name', 'teamId', 'tenantId'] as const) this.optionalText(v, name, at);
    this.text(v, 'conversationId', at);
    this.text(v, 'reference', at);
    this.instant(v, 'installedAt', at);
    return v as unknown as InstalledConversation;
  }

  sentCard(v: Json, at: string): SentCard {
    for (const name of ['planId', 'ref', 'activityId', 'conversation', 'kind'] as const) {
      this.text(v, name, at);
    }
    this.text(v, 'recipient', at, true);
    this.instant(v, 'sentAt', at);
    return v as unknown as SentCard;
  }

  digestSubscription(v: Json, at: string): DigestSubscription {
    for (const name of ['planId', 'conversationId', 'reference', 'subscribedBy'] as const) {
      this.text(v, name, at);
    }
    const kind = this.text(v, 'kind', at);
    if (kind !== 'groupChat' && kind !== 'channel') {
      this.problems.push(`${at}.kind "${kind}" is not groupChat or channel.`);
    }
    this.optionalText(v, 'name', at);
    this.instant(v, 'subscribedAt', at);
    return v as unknown as DigestSubscription;
  }

  private samePlan(v: Json, at: string, planId: string): void {
    const own = v['planId'];
    if (own !== planId) {
      this.problems.push(`${at}.planId is ${JSON.stringify(own)}, not the plan's id "${planId}".`);
    }
  }

  private optionalObject(v: Json, key: string, at: string): void {
    const value = v[key];
    if (value !== undefined && value !== null && !isObject(value)) {
      this.problems.push(`${at}.${key} is not a record.`);
    }
  }

  private object(v: Json, key: string, at: string): Json | undefined {
    const value = v[key];
    if (isObject(value)) return value;
    this.problems.push(`${at}.${key} is missing or is not a record.`);
    return undefined;
  }

  /** A text field; an empty text is a problem unless `mayBeEmpty`. */
  private text(v: Json, key: string, at: string, mayBeEmpty = false): string {
    const value = v[key];
    if (typeof value !== 'string') {
      this.problems.push(`${at}.${key} is missing or is not text.`);
      return '';
    }
    if (!mayBeEmpty && value === '') this.problems.push(`${at}.${key} is empty.`);
    return value;
  }

  private optionalText(v: Json, key: string, at: string): string | undefined {
    const value = v[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.problems.push(`${at}.${key} is not text.`);
      return undefined;
    }
    return value;
  }

  private texts(v: Json, key: string, at: string): string[] {
    const value = v[key];
    if (!Array.isArray(value) || value.some((x) => typeof x !== 'string')) {
      this.problems.push(`${at}.${key} is missing or is not a list of text.`);
      return [];
    }
    return value as string[];
  }

  private instant(v: Json, key: string, at: string): string {
    const value = this.text(v, key, at);
    if (value && Number.isNaN(Date.parse(value))) {
      this.problems.push(`${at}.${key} "${value}" is not a date and time.`);
    }
    return value;
  }
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
