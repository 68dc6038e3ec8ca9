import { formatTimeIn } from '../../domain/calendar.js';
import { joinList } from '../../domain/permissions.js';
import { DEFAULT_TIME_ZONE, normaliseEmail } from '../../domain/plan.js';
import type { PendingImport } from '../../ports/pending-imports.js';
import type { BotReply } from '../bot-reply.js';
import { describeIssue } from '../import-plan.js';
import { previewPlanFile, type ImportPreview } from '../preview-import.js';
import type { CommandHandler, CommandTurn } from './command-handler.js';
import { notice, reply } from './replies.js';
import type { Situation } from './situation.js';

/** How long an import preview's buttons work: long enough to read it, short enough to be current. */
export const IMPORT_PREVIEW_MINUTES = 30;

/**
 * A plan document sent to the bot: fetched, read and previewed, writing nothing to the plan. The
 * answer is the preview card (what importing it would do) with Import and Cancel buttons; the file
 * is kept, with who sent it, so that Import on any instance of the bot, even after a restart,
 * imports exactly that file (src/app/card-actions/import-plan.card-action.ts).
 *
 * Only a plan admin may import, and only in their personal chat with the bot (Teams gives a bot
 * files only there). A file that cannot be read, has errors, or is an older progress update than
 * the plan's is answered with why, and nothing is kept.
 */
export const importFileCommand: CommandHandler<'importFile'> = {
  async answer(command, turn) {
    const { deps, context, situation } = turn;
    if (context.scope !== 'personal') {
      return notice(deps, {
        title: 'Send the file in our personal chat',
        text: `Teams only gives me files sent in a personal chat, so I haven't opened ${command.fileName}. A plan admin can send it to me there, and I'll show what importing it would do before anything changes.`,
      });
    }
    if (!situation.roles.admin) return notAnAdmin(turn, command.fileName);
    const { downloadFile, readPlanDocument, pendingImports } = deps;
    const email = situation.roles.email;
    if (!downloadFile || !readPlanDocument || !pendingImports || !email) {
      return notice(deps, {
        text: `I can't take files here, so nothing has changed. The KIM team can import ${command.fileName} with the command line: npx actionplan import <file>.`,
      });
    }
    const bytes = await downloadFile(command.downloadUrl);
    const preview = await previewPlanFile(
      { plans: deps.plans, clock: deps.clock, readPlanDocument },
      { bytes, fileName: command.fileName },
      deps.planTimeZone ? { timeZone: deps.planTimeZone } : {},
    );
    const refusal = refused(turn, preview);
    if (refusal) return refusal;

    const now = deps.clock.now();
    const expiresAt = new Date(now.getTime() + IMPORT_PREVIEW_MINUTES * 60_000).toISOString();
    const record: PendingImport = {
      id: globalThis.crypto.randomUUID(),
      fileName: command.fileName,
      planId: preview.planId,
      admin: {
        email: normaliseEmail(email),
        ...(context.actor.aadObjectId ? { aadObjectId: context.actor.aadObjectId } : {}),
        ...(situation.name ? { name: situation.name } : {}),
      },
      createdAt: now.toISOString(),
      expiresAt,
      state: 'pending',
      size: bytes.length,
    };
    await pendingImports.create(record, bytes);
    // Housekeeping: no file is kept past its preview, nor a record for long after. A failure
    // here costs nothing now (the next file tries again), so it never spoils this answer.
    await pendingImports.forgetExpired(now).catch(() => 0);
    return previewCard(turn, preview, record);
  },
};

/** The preview card; when even the trimmed card is too big, the counts in words and no buttons. */
function previewCard(turn: CommandTurn, preview: ImportPreview, record: PendingImport): BotReply {
  const stored = turn.situation.plan?.id === record.planId ? turn.situation.plan : undefined;
  const timeZone = stored?.timeZone ?? turn.deps.planTimeZone ?? DEFAULT_TIME_ZONE;
  return reply(
    turn.deps,
    {
      kind: 'importPreview',
      previewId: record.id,
      fileName: preview.fileName,
      title: preview.title,
      progressUpdate: preview.progressUpdate,
      recommendationCount: preview.recommendationCount,
      actionCount: preview.actionCount,
      byStatus: preview.byStatus,
      warnings: preview.warnings.map(describeIssue),
      ...(preview.update ? { update: preview.update } : {}),
      expiresAt: formatTimeIn(record.expiresAt, timeZone, turn.situation.now),
    },
    {
      title: `Import ${preview.title}?`,
      text: `${preview.fileName} holds ${preview.actionCount} actions, but what it would change is too long to show here, so I can't offer the Import button. Import it with the command line: npx actionplan import ${preview.fileName} --dry-run shows the same, and without --dry-run imports it.`,
      tone: 'warning',
    },
  );
}

/** A file that must not be imported as it is: why, and nothing kept. */
function refused(turn: CommandTurn, preview: ImportPreview): BotReply | undefined {
  if (preview.errors.length > 0) {
    const n = preview.errors.length;
    return notice(turn.deps, {
      title: `I couldn't import ${preview.fileName}`,
      text: `${n === 1 ? 'One problem needs' : `${n} problems need`} fixing first, so nothing has been imported or kept. Fix ${n === 1 ? 'it' : 'them'} in the file and send it again.`,
      details: preview.errors.map(describeIssue),
      tone: 'attention',
    });
  }
  if (preview.update?.older) {
    return notice(turn.deps, {
      title: `${preview.fileName} is an older progress update`,
      text: `It is the "${preview.progressUpdate}" update, older than the plan's "${preview.update.storedProgressUpdate}": importing it would undo later changes, so I haven't kept it. Send a newer update; if the older one really should win, the KIM team can run npx actionplan import ${preview.fileName} --force.`,
      tone: 'warning',
    });
  }
  return undefined;
}

/** The polite no to someone who is not a plan admin, naming who can import. */
function notAnAdmin(turn: CommandTurn, fileName: string): BotReply {
  const admins = adminNames(turn.deps.adminEmails, turn.situation);
  const who =
    admins.length > 0
      ? `Only a plan admin can import a plan: ${joinList(admins)}. Send it to ${admins.length === 1 ? 'them' : 'one of them'}, and they can import it here.`
      : 'Only a plan admin can import a plan, and none is set up yet: ask the KIM team.';
  return notice(turn.deps, {
    title: 'Only a plan admin can import a plan',
    text: `Thanks for ${fileName}, but I haven't opened it, so nothing has changed. ${who}`,
    tone: 'warning',
  });
}

/** The plan admins, by name where the bot knows it: configured ones first, then stored ones. */
export function adminNames(adminEmails: readonly string[], s: Pick<Situation, 'people'>): string[] {
  const emails = [
    ...new Set([
      ...adminEmails.map(normaliseEmail),
      ...[...s.people.values()].filter((p) => p.admin).map((p) => normaliseEmail(p.email)),
    ]),
  ];
  return emails.map((e) => {
    const name = s.people.get(e)?.name;
    return name ? `${name} (${e})` : e;
  });
}
