import { TurnContext, type Activity, type ConversationReference } from 'botbuilder';

/**
 * Reading what Teams sent: where it came from, whether the bot was mentioned, what was typed.
 * Small pure functions over the activity, so the routes read as what they do.
 */

export type ConversationScope = 'personal' | 'groupChat' | 'channel';

/**
 * The kind of conversation. Teams always says; a client that does not (the Bot Framework
 * Emulator) is treated as a personal chat, the only kind it has.
 */
export function scopeOf(activity: Partial<Activity>): ConversationScope {
  const type = activity.conversation?.conversationType;
  return type === 'groupChat' || type === 'channel' ? type : 'personal';
}

/** The tenant an activity comes from, lower-cased: Teams puts it in channelData and conversation. */
export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromChannelData = (activity.channelData as { tenant?: { id?: unknown } } | undefined)
    ?.tenant?.id;
  const tenant =
    typeof fromChannelData === 'string' ? fromChannelData : activity.conversation?.tenantId;
  return tenant ? tenant.toLowerCase() : undefined;
}

/** The team a channel conversation belongs to, when Teams says. */
export function teamOf(activity: Partial<Activity>): { id?: string; name?: string } {
  const team = (activity.channelData as { team?: { id?: unknown; name?: unknown } } | undefined)
    ?.team;
  return {
    ...(typeof team?.id === 'string' ? { id: team.id } : {}),
    ...(typeof team?.name === 'string' ? { name: team.name } : {}),
  };
}

/** The channel's own name (Teams leaves it out for a team's General channel). */
export function channelNameOf(activity: Partial<Activity>): string | undefined {
  const name = (activity.channelData as { channel?: { name?: unknown } } | undefined)?.channel
    ?.name;
  return typeof name === 'string' ? name : undefined;
}

interface MentionEntity {
  readonly type: string;
  readonly mentioned?: { readonly id?: string };
  readonly text?: string;
}

/** The entities of the activity that @mention the bot itself. */
function botMentions(activity: Partial<Activity>): MentionEntity[] {
  const botId = activity.recipient?.id;
  if (!botId) return [];
  return (activity.entities ?? []).filter(
    (e): e is MentionEntity =>
      typeof e?.type === 'string' &&
      e.type.toLowerCase() === 'mention' &&
      (e as MentionEntity).mentioned?.id === botId,
  );
}

export const mentionsBot = (activity: Partial<Activity>): boolean =>
  botMentions(activity).length > 0;

/**
 * The command typed, without the @mention of the bot (`<at>Action Plan</at> status HMPPS` →
 * `status HMPPS`) and with Teams' non-breaking spaces and line breaks folded to single spaces.
 */
export function commandTextOf(activity: Partial<Activity>): string {
  let text = activity.text ?? '';
  for (const mention of botMentions(activity)) {
    if (mention.text) text = text.split(mention.text).join(' ');
  }
  return text
    .replace(/&nbsp;/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The conversation reference kept for proactive messages, as JSON. The id of the activity that
 * happened to carry it is left out: a later message is not a reply to it.
 */
export function referenceJsonOf(activity: Partial<Activity>): string {
  const { activityId: _activityId, ...reference }: Partial<ConversationReference> =
    TurnContext.getConversationReference(activity);
  return JSON.stringify(reference);
}

/** A file sent to the bot in a personal chat, as Teams describes it in the message. */
export const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';

/** How Teams shows a file shared in a group chat or channel: a link into SharePoint. */
const FILE_REFERENCE = 'reference';

/**
 * The file a message carries (the first, when several): its name and where to download it. The
 * `fileType` Teams adds is only the name's extension, so it is not read: the bytes decide. A file
 * shared in a group chat or channel comes as a `reference` link instead, which the bot cannot
 * download; it is read too, so that the sender can be told to use the personal chat.
 */
export function sentFileOf(
  activity: Partial<Activity>,
): { readonly name: string; readonly downloadUrl: string } | undefined {
  for (const a of activity.attachments ?? []) {
    const url =
      a?.contentType === FILE_DOWNLOAD_INFO
        ? (a.content as { downloadUrl?: unknown } | undefined)?.downloadUrl
        : a?.contentType === FILE_REFERENCE && scopeOf(activity) !== 'personal'
          ? a.contentUrl
          : undefined;
    if (typeof url !== 'string' || url === '') continue;
    const name = typeof a.name === 'string' && a.name.trim() !== '' ? a.name.trim() : 'the file';
    return { name: name.slice(0, 200), downloadUrl: url };
  }
  return undefined;
}
