import type { Plan, Action, Area, HistoryEntry } from '../../domain/plan.js';
import type { RecordSchema } from '../../domain/record-fields.js';
import type { Clock } from '../../ports/clock.js';
import type { DeliveryRecordRepository } from '../../ports/delivery-records.js';
import type { DigestSubscriptionRepository } from '../../ports/digest-subscriptions.js';
import type { PeopleRepository } from '../../ports/people-repository.js';
import type { PlanRepository } from '../../ports/plan-repository.js';
import type { SentCardRepository } from '../../ports/sent-card-repository.js';

/**
 * One kind of stored record, as backups and restores see it: its name in the backup file, its
 * one definition (the schema storage maps it by), and how to list and write it. Backup, restore
 * and the backup file's check are loops over `RECORD_KINDS` (record-kinds.ts), so a new kind of
 * record is one entry there.
 *
 * `S` is the store it lives in; `I`, what its `clear` lists. Methods (not function properties)
 * so that a table of kinds of different records can be walked as one list.
 */
export interface RecordKind<T, S, N extends string = string, I = unknown> {
  /** Its list's name in the backup file and in the counts: `actions`, `sentCards`. */
  readonly name: N;
  /** How a number of them is said: `['sent card', 'sent cards']`. */
  readonly nouns: readonly [one: string, many: string];
  readonly schema: RecordSchema<T>;
  /**
   * What one of them is called in a message, from the record as found in the file (which may
   * not read): `action 4.9a of plan "moj-ima-2017"`. Undefined when its naming fields are unreadable.
   */
  describe(raw: Readonly<Record<string, unknown>>): string | undefined;
  /** Its identity: two records of the kind with one key are the same record twice. */
  key?(record: T): string;
  /** For records that live in a plan: the plan, which must be a plan of the same backup. */
  planOf?(record: T): string;
  /** Its store; undefined where a deployment keeps none (then the kind is left out). */
  store(stores: BackupStores): S | undefined;
  /** Every stored record of the kind; plan records through `reading`, a consistent copy. */
  list(store: S, reading: BackupReading): Promise<readonly T[]>;
  /**
   * Writes the backup's records into storage emptied of the kind, telling `written` how many more
   * are done as it goes; answers how many it left as they were (already stored, and kept).
   */
  write(store: S, records: readonly T[], written: (more: number) => void): Promise<number>;
  /**
   * What a forced restore removes first, one by one; each removal answers how many stored
   * records went with it. Absent for a kind removed with another (an action goes with its plan)
   * or kept on purpose (delivery records).
   */
  readonly clear?: Clearing<S, I>;
  /** A further sentence for when a restore cannot keep the kind (its store is missing). */
  readonly whenNotStored?: string;
}

/**
 * How a forced restore empties a kind: what is stored, then each of it removed. `I` is what the
 * store lists (a versioned plan, a person…); methods, so a kind's own `I` fits the table's.
 */
export interface Clearing<S, I> {
  stored(store: S): Promise<readonly I[]>;
  remove(store: S, item: I): Promise<number>;
}

/** A kind with its types forgotten, for the loops over every kind. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the loops never look inside
export type AnyRecordKind = RecordKind<any, any>;

/** A consistent copy of one plan: its record, actions, areas and history as of one moment. */
export interface PlanCopy {
  readonly plan: Plan;
  readonly actions: readonly Action[];
  readonly areas: readonly Area[];
  readonly history: readonly HistoryEntry[];
}

/** What a backup reads once and every plan kind lists from. */
export interface BackupReading {
  /** Every plan, each copied consistently (read once, whichever kind asks first). */
  plans(): Promise<readonly PlanCopy[]>;
}

/**
 * Where everything is stored. The reminder stores are optional: a deployment without the
 * scheduler keeps none. Leases and queued reminder messages are never backed up: they only
 * matter while the bot runs (a restored lease would hold the scheduler back; the next sweep
 * queues again whatever is due, and the delivery records stop anything going twice).
 */
export interface BackupStores {
  readonly plans: PlanRepository;
  readonly people: PeopleRepository;
  readonly sentCards?: SentCardRepository;
  readonly deliveries?: DeliveryRecordRepository;
  readonly digestSubscriptions?: DigestSubscriptionRepository;
  readonly clock: Clock;
}
