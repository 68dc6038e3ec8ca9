import { formatTimeIn } from '../../domain/calendar.js';
import { DEFAULT_TIME_ZONE, normaliseEmail, type Versioned } from '../../domain/plan.js';
import type { PendingImport, PendingImportRepository } from '../../ports/pending-imports.js';
import { notice } from '../commands/replies.js';
import { readSituation } from '../commands/situation.js';
import type { CardActionDeps, CardAnswer, CardPress } from './card-press.js';

/**
 * What the Import and Cancel buttons of an import preview share: which preview was pressed, and
 * whether this press may do anything to it. A press does something only when it is the admin who
 * sent the file (still an admin), the preview is still waiting, and it has not expired; any
 * other press is told why, and nothing changes.
 */

/** A press that may go on: the preview as read (its version is what the one winning press claims). */
export interface ImportPress {
  readonly deps: CardActionDeps & { readonly pendingImports: PendingImportRepository };
  readonly preview: Versioned<PendingImport>;
  /** The presser's email: the admin who sent the file. */
  readonly email: string;
  /** The plan's time zone (Europe/London for a plan not stored yet), for the times shown. */
  readonly timeZone: string;
}

export const NO_PREVIEW =
  "I don't have that import preview, so nothing has changed. Send me the file again for a fresh one.";

/** The press, checked; or the answer saying why it changes nothing. */
export async function checkImportPress(
  deps: CardActionDeps,
  press: CardPress,
): Promise<ImportPress | { readonly answer: CardAnswer }> {
  const id = previewIdOf(press.data);
  const pendingImports = deps.pendingImports;
  const found = id && pendingImports ? await pendingImports.get(id) : undefined;
  if (!found || !pendingImports) return { answer: { text: NO_PREVIEW } };
  const record = found.value;
  const timeZone =
    (await deps.plans.getPlan(record.planId))?.value.timeZone ??
    deps.planTimeZone ??
    DEFAULT_TIME_ZONE;
  // Roles by the one rule every answer uses (an account kept apart, or of a tenant the bot does
  // not answer, is no admin whatever its address).
  const { situation } = await readSituation(deps, press.actor, undefined);
  const email = situation.roles.email;
  const sameAad =
    record.admin.aadObjectId !== undefined && press.actor.aadObjectId !== undefined
      ? record.admin.aadObjectId === press.actor.aadObjectId
      : true;
  const sender = email !== undefined && normaliseEmail(email) === record.admin.email && sameAad;
  if (!email || !sender || !situation.roles.admin) {
    const who = record.admin.name
      ? `${record.admin.name} (${record.admin.email})`
      : record.admin.email;
    return {
      answer: notice(deps, {
        title: 'Only the admin who sent the file can do that',
        text: `Only ${who}, the plan admin who sent ${record.fileName}, can import it or cancel it, so nothing has changed.`,
        tone: 'warning',
      }),
    };
  }
  const now = deps.clock.now();
  if (record.state !== 'pending') {
    return { answer: alreadySettled(deps, record, timeZone) };
  }
  if (Date.parse(record.expiresAt) <= now.getTime()) {
    return {
      answer: notice(deps, {
        title: 'This preview has expired',
        text: `This preview of ${record.fileName} expired at ${formatTimeIn(record.expiresAt, timeZone, now)}, so nothing has been imported. Send me the file again for a fresh preview of the plan as it is now.`,
        tone: 'warning',
      }),
    };
  }
  return { deps: { ...deps, pendingImports }, preview: found, email, timeZone };
}

/** The preview a button is about (`{ previewId }`: untrusted, a press can be made up). */
function previewIdOf(data: unknown): string | undefined {
  const id = (data as { previewId?: unknown } | null)?.previewId;
  return typeof id === 'string' && /^[0-9a-f-]{8,64}$/.test(id) ? id : undefined;
}

/** What a press on a preview that was already answered is told: how it ended, and when. */
export function alreadySettled(
  deps: CardActionDeps,
  record: PendingImport,
  timeZone: string,
): CardAnswer {
  const at = formatTimeIn(record.settledAt ?? record.createdAt, timeZone, deps.clock.now());
  const outcome = record.outcome ? ` ${record.outcome}` : '';
  switch (record.state) {
    case 'imported':
      return notice(deps, {
        title: 'Already imported',
        text: `${record.fileName} was imported at ${at}, so there is nothing more to do.${outcome}`,
        tone: 'good',
      });
    case 'cancelled':
      return notice(deps, {
        title: 'This import was cancelled',
        text: `This import of ${record.fileName} was cancelled at ${at}, so nothing was imported and nothing has changed. Send me the file again to import it.`,
      });
    case 'failed':
      return notice(deps, {
        title: 'This import did not go through',
        text: `Importing ${record.fileName} failed at ${at}, so nothing has changed.${outcome} Send me the file again to try once more.`,
        tone: 'warning',
      });
    default:
      return notice(deps, {
        title: 'Already being imported',
        text: `Import was pressed for ${record.fileName} at ${at}, and it is being imported: there is nothing more to do.`,
      });
  }
}

/**
 * Claims the preview for this press: the one update at the version read wins. Another press
 * (another instance, a double click) got there first when this returns an answer instead.
 */
export async function claim(
  press: ImportPress,
  next: Pick<PendingImport, 'state' | 'outcome'>,
): Promise<{ readonly version: string } | { readonly answer: CardAnswer }> {
  const { deps, preview } = press;
  try {
    const version = await deps.pendingImports.update(
      { ...preview.value, ...next, settledAt: deps.clock.now().toISOString() },
      preview.version,
    );
    return { version };
  } catch (error) {
    if ((error as { reason?: unknown }).reason !== 'conflict') throw error;
    const now = await deps.pendingImports.get(preview.value.id);
    return { answer: now ? alreadySettled(deps, now.value, press.timeZone) : { text: NO_PREVIEW } };
  }
}
