import { checkRecords } from '../app/backup/check-records.js';
import { countsOf, type Backup } from '../app/backup/create-backup.js';
import { ActionPlanError } from '../domain/errors.js';
import { BACKUP_UPGRADES } from './backup-upgrades.js';

/**
 * The backup file: one JSON document, everything the bot stores.
 *
 * ```json
 * {
 *   "format": "actionplan-backup",
 *   "formatVersion": 2,
 *   "createdAt": "2026-11-24T10:00:00.000Z",
 *   "counts": { "plans": 1, "actions": 42, "areas": 5, "history": 61, "people": 9, … },
 *   "records": { "plans": […], "actions": […], "areas": […], "history": […], "people": […], … }
 * }
 * ```
 *
 * `records` holds one list per kind of record (app/backup/record-kinds.ts), in the records' own
 * shapes; a kind is absent when the deployment that made the file keeps none. `counts` is for
 * people reading the file; a restore counts for itself.
 *
 * `formatVersion` goes up when a record kind changes shape in a way an older file cannot simply
 * be read as (a field renamed, moved or made required): the step that brings a file of the
 * version before up to it goes in backup-upgrades.ts, so every older file still restores. A new
 * optional field, or a new kind, needs no new version: an older file just has none. A file of a
 * version newer than this bot knows is refused, as is a record with a field or a kind it does not
 * know: restoring it would drop data.
 */
export const BACKUP_FORMAT = 'actionplan-backup';
export const BACKUP_FORMAT_VERSION = 2;

/** At most this many problems are listed when a backup does not read. */
const MAX_PROBLEMS = 20;

/** The backup as the file's text. */
export function writeBackupDocument(backup: Backup): string {
  const document = {
    format: BACKUP_FORMAT,
    formatVersion: BACKUP_FORMAT_VERSION,
    createdAt: backup.createdAt,
    counts: countsOf(backup.records),
    records: backup.records,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * Reads a backup file's text: the document, brought up to this version from an older one, then
 * every record checked (app/backup/check-records.ts). Problems are reported together, each naming
 * the record and the field, and nothing is restored from a file that has any.
 */
export function readBackupDocument(text: string): Backup {
  const document = upgraded(parsed(text));
  const records = document['records'];
  if (!isObject(records)) {
    throw new ActionPlanError('invalid_input', 'The backup has no records (a JSON object).');
  }
  const { records: read, problems } = checkRecords(records);
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    const more = problems.length - shown.length;
    throw new ActionPlanError(
      'invalid_input',
      `The backup cannot be restored: ${problems.length === 1 ? 'one problem' : `${problems.length} problems`}. Nothing was changed.`,
      more > 0 ? [...shown, `… and ${more} more.`] : shown,
    );
  }
  const createdAt = document['createdAt'];
  return { createdAt: typeof createdAt === 'string' ? createdAt : '', records: read };
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parsed(text: string): Json {
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
  return json;
}

/** The document at this version: each upgrade step from its own version on, in turn. */
function upgraded(document: Json): Json {
  const version = document['formatVersion'];
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
  let current = document;
  for (let v = version; v < BACKUP_FORMAT_VERSION; v++) {
    const step = BACKUP_UPGRADES[v];
    if (!step) throw new Error(`No upgrade of backup format version ${v} is written.`);
    current = { ...step(current), formatVersion: v + 1 };
  }
  return current;
}
