import { z } from 'zod';
import type { Versioned } from '../domain/plan.js';
import { anyText, count, instant, record, someText } from '../domain/record-fields.js';

/**
 * Where a file sent to the bot waits between its preview card and the admin's press:
 * - `pending`: previewed, waiting for Import or Cancel (until `expiresAt`);
 * - `importing`: Import was pressed and claimed (one press wins: the claim is an update at the
 *   record's version); the import is running, or its instance died while it ran;
 * - `imported`, `cancelled`, `failed`: settled; the file itself is gone, the record stays so that
 *   a later press is told what happened rather than "I don't know that file".
 */
export const PENDING_IMPORT_STATES = [
  'pending',
  'importing',
  'imported',
  'cancelled',
  'failed',
] as const;
export type PendingImportState = (typeof PENDING_IMPORT_STATES)[number];

/** One previewed file, as stored for its Import and Cancel buttons. */
export const pendingImportRecord = record({
  /** Random and unguessable: it is in the card's button data. */
  id: someText,
  /** As Teams named the file: shown, and recorded in the plan's history source. */
  fileName: anyText,
  /** The plan the preview went to (made from the document's title). */
  planId: anyText,
  /** The admin who sent the file: only they may press its buttons. */
  admin: record({
    email: someText,
    aadObjectId: anyText.optional(),
    name: anyText.optional(),
  }),
  /** ISO instants. */
  createdAt: instant,
  expiresAt: instant,
  state: z.enum(PENDING_IMPORT_STATES, {
    error: `is not one of ${PENDING_IMPORT_STATES.join(', ')}`,
  }),
  /** When it left `pending`, and one plain line saying how it ended. */
  settledAt: instant.optional(),
  outcome: anyText.optional(),
  /** The file's size in bytes. */
  size: count,
});
export type PendingImport = z.infer<typeof pendingImportRecord>;

/**
 * Previewed files and their records, shared by every instance of the bot, so that Import works on
 * another instance and after a restart. Conditional writes like PlanRepository: a stale version is
 * ActionPlanError('conflict').
 */
export interface PendingImportRepository {
  /**
   * Stores the file and then its record (create-only): a record is only ever there with the whole
   * file behind it. ActionPlanError('already_exists') when the id is taken.
   */
  create(record: PendingImport, file: Uint8Array): Promise<void>;
  get(id: string): Promise<Versioned<PendingImport> | undefined>;
  /** The file as sent; undefined once it has been dropped. */
  readFile(id: string): Promise<Uint8Array | undefined>;
  /**
   * Replaces the record if it is still at `version` (the one press that wins); the new version.
   * ActionPlanError('conflict') when someone else changed it first.
   */
  update(record: PendingImport, version: string): Promise<string>;
  /** Forgets the file (the record stays). Dropping a file that is gone is no error. */
  dropFile(id: string): Promise<void>;
  /**
   * Housekeeping: drops the file of every preview that expired before `now`, whatever became of
   * it (one left waiting, or one whose import never finished because its instance stopped), and
   * forgets the records of previews that expired more than RECORD_DAYS ago. Until then a late
   * press is told how its preview ended; after, that the bot does not have it. How many files
   * were dropped.
   */
  forgetExpired(now: Date): Promise<number>;
}

/** Days a preview's record is kept after it expired, to answer a late press. */
export const PENDING_IMPORT_RECORD_DAYS = 7;

/** The instance before which an expired preview's record is forgotten. */
export const recordsExpiredBefore = (now: Date): Date =>
  new Date(now.getTime() - PENDING_IMPORT_RECORD_DAYS * 24 * 60 * 60 * 1000);
