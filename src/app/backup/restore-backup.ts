import { ActionPlanError } from '../../domain/errors.js';
import { noProgress, type Progress } from '../../ports/progress.js';
import type { Backup } from './create-backup.js';
import type { AnyRecordKind, BackupStores } from './record-kind.js';
import { RECORD_KINDS, type BackupCounts } from './record-kinds.js';

export interface RestoreOptions {
  /** Replace whatever is stored: everything in storage is removed before the backup is written. */
  readonly force?: boolean;
  readonly progress?: Progress;
}

export interface RestoreReport {
  /** What was written, by kind: kinds this deployment keeps none of are absent. */
  readonly restored: BackupCounts;
  /** What a forced restore removed first (empty when storage was empty). */
  readonly removed: readonly Removed[];
  /** Things the backup has that this deployment cannot keep, or kept as stored. */
  readonly warnings: readonly string[];
}

/** What a forced restore removed of one kind. */
export interface Removed {
  readonly kind: string;
  /** How many of the kind (plans, people…). */
  readonly count: number;
  /** How many stored records went with them (a plan's actions, areas and history too). */
  readonly records: number;
}

const kinds = RECORD_KINDS as readonly AnyRecordKind[];

/**
 * Puts a backup back, kind by kind in the order of RECORD_KINDS. Into empty storage only, unless
 * `force`: then everything stored is removed first (every kind that has a `clear`), so that what
 * is stored afterwards is exactly the backup, nothing more. The one exception is the reminder
 * delivery records: those already stored are kept, and win over the backup's, because they are
 * what stops a reminder going out twice; forgetting one sent since the backup was taken would
 * send it again. The backup was checked whole when it was read (documents/backup-document.ts), so
 * a backup that does not read never reaches storage.
 *
 * Each kind of a plan is written with one save per plan, other kinds one by one. An interrupted
 * restore can be run again with `force`.
 */
export async function restoreBackup(
  stores: BackupStores,
  backup: Backup,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const progress = options.progress ?? noProgress;
  const stored = await storedNow(stores);
  const notEmpty = stored.filter((s) => s.items.length > 0);
  if (!options.force && notEmpty.length > 0) {
    throw new ActionPlanError(
      'already_exists',
      `Storage is not empty (${notEmpty.map((s) => said(s.items.length, s.kind)).join(', ')}), so the backup was not restored. Restore into empty storage, or use --force to replace everything stored with the backup.`,
    );
  }
  const removed = notEmpty.length > 0 ? await removeAll(stores, stored, progress) : [];

  const warnings: string[] = [];
  const writable = kinds.flatMap((kind) => {
    const records = backup.records[kind.name as keyof Backup['records']];
    if (!records) return [];
    const store: unknown = kind.store(stores);
    if (store === undefined) {
      if (records.length > 0) warnings.push(notStored(kind, records.length));
      return [];
    }
    return [{ kind, store, records }];
  });

  const total = writable.reduce((n, w) => n + w.records.length, 0);
  progress.stage('Restoring records', total);
  let done = 0;
  const restored: Record<string, number> = {};
  for (const { kind, store, records } of writable) {
    const kept = await kind.write(store, records, (more) => {
      done += more;
      if (more > 0) progress.update(done);
    });
    restored[kind.name] = records.length - kept;
    if (kept > 0) warnings.push(keptAsStored(kind, kept));
  }
  progress.stop();
  return { restored, removed, warnings };
}

interface Stored {
  readonly kind: AnyRecordKind;
  readonly store: unknown;
  readonly items: readonly unknown[];
}

/** What is stored of every kind a forced restore would remove. */
async function storedNow(stores: BackupStores): Promise<Stored[]> {
  const found = await Promise.all(
    kinds.map(async (kind) => {
      const store: unknown = kind.store(stores);
      if (!kind.clear || store === undefined) return [];
      return [{ kind, store, items: await kind.clear.stored(store) }];
    }),
  );
  return found.flat();
}

/** The first half of a forced restore: every kind with a `clear`, emptied. */
async function removeAll(
  stores: BackupStores,
  stored: readonly Stored[],
  progress: Progress,
): Promise<Removed[]> {
  progress.stage(
    'Removing what is stored',
    stored.reduce((n, s) => n + s.items.length, 0),
  );
  let done = 0;
  const removed: Removed[] = [];
  for (const { kind, store, items } of stored) {
    let records = 0;
    for (const item of items) {
      records += await kind.clear!.remove(store, item);
      progress.update(++done);
    }
    removed.push({ kind: kind.name, count: items.length, records });
  }
  return removed;
}

/** "2 sent cards": a number of a kind, as a person says it. */
export function said(n: number, kind: Pick<AnyRecordKind, 'nouns'>): string {
  return `${n} ${n === 1 ? kind.nouns[0] : kind.nouns[1]}`;
}

const notStored = (kind: AnyRecordKind, n: number): string =>
  [
    `${said(n, kind)} ${n === 1 ? 'was' : 'were'} not restored: this deployment does not store ${kind.nouns[1]}.`,
    ...(kind.whenNotStored ? [kind.whenNotStored] : []),
  ].join(' ');

const keptAsStored = (kind: AnyRecordKind, n: number): string =>
  `${said(n, kind)} ${n === 1 ? 'was' : 'were'} already stored and kept as ${n === 1 ? 'it was' : 'they were'}.`;
