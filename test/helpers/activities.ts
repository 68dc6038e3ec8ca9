/**
 * Builders for the activities Teams sends a bot, shaped as Teams sends them (ids, tenant in both
 * channelData and conversation, mentions as entities), so a test says only what matters to it:
 * `aMessage({ text: 'status', in: GROUP_CHAT, mention: true })`. The driver fills in `serviceUrl`.
 */

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const OTHER_TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

export const BOT = { id: '28:0e8f1c5b-6a0f-4c53-9a51-6f4f5d0c2b11', name: 'Action Plan' } as const;

export interface User {
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly email: string;
}

export const SAM: User = {
  id: '29:1sam-owner',
  name: 'Sam Owner',
  aadObjectId: '6a1b5f0e-0000-4000-8000-000000000001',
  email: 'sam.owner@justice.gov.uk',
};

export const KIM: User = {
  id: '29:1kim-champion',
  name: 'Kim Champion',
  aadObjectId: '6a1b5f0e-0000-4000-8000-000000000002',
  email: 'kim.champion@justice.gov.uk',
};

export interface Conversation {
  readonly id: string;
  readonly conversationType: 'personal' | 'groupChat' | 'channel';
  readonly name?: string;
  readonly team?: { readonly id: string; readonly name: string };
  readonly channel?: { readonly id: string; readonly name?: string };
}

export const personalChatOf = (user: User): Conversation => ({
  id: `a:personal-${user.id.slice(3)}`,
  conversationType: 'personal',
});

export const GROUP_CHAT: Conversation = {
  id: '19:kim-team-chat@thread.v2',
  conversationType: 'groupChat',
  name: 'KIM team',
};

export const GENERAL_CHANNEL: Conversation = {
  id: '19:general-kim@thread.tacv2',
  conversationType: 'channel',
  team: { id: '19:general-kim@thread.tacv2', name: 'Knowledge and Information Management' },
  channel: { id: '19:general-kim@thread.tacv2' },
};

let sequence = 0;
const nextId = (prefix: string) => `${prefix}-${++sequence}`;

interface Common {
  readonly from?: User;
  readonly in?: Conversation;
  readonly tenantId?: string;
  readonly id?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- activities are JSON
export type ActivityJson = Record<string, any>;

function base(type: string, o: Common): ActivityJson {
  const from = o.from ?? SAM;
  const conversation = o.in ?? personalChatOf(from);
  const tenantId = o.tenantId ?? TENANT;
  return {
    type,
    id: o.id ?? nextId(type),
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { ...BOT },
    conversation: {
      id: conversation.id,
      conversationType: conversation.conversationType,
      tenantId,
      ...(conversation.name ? { name: conversation.name } : {}),
      ...(conversation.conversationType === 'groupChat' ? { isGroup: true } : {}),
    },
    channelData: {
      tenant: { id: tenantId },
      ...(conversation.team ? { team: conversation.team } : {}),
      ...(conversation.channel ? { channel: conversation.channel } : {}),
    },
    locale: 'en-GB',
  };
}

/** A message; with `mention`, it starts with an @mention of the bot, as Teams writes one. */
export function aMessage(o: Common & { text: string; mention?: boolean }): ActivityJson {
  const activity = base('message', o);
  const at = `<at>${BOT.name}</at>`;
  return {
    ...activity,
    text: o.mention ? `${at} ${o.text}` : o.text,
    textFormat: 'plain',
    entities: [
      { type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web' },
      ...(o.mention ? [{ type: 'mention', text: at, mentioned: { ...BOT } }] : []),
    ],
  };
}

/** The bot (by default) or someone else added to or removed from a conversation. */
export function aConversationUpdate(
  o: Common & {
    membersAdded?: readonly { id: string; aadObjectId?: string }[];
    membersRemoved?: readonly { id: string; aadObjectId?: string }[];
  },
): ActivityJson {
  const activity = base('conversationUpdate', o);
  const teams = activity.channelData.team;
  return {
    ...activity,
    ...(o.membersAdded ? { membersAdded: o.membersAdded } : {}),
    ...(o.membersRemoved ? { membersRemoved: o.membersRemoved } : {}),
    channelData: {
      ...activity.channelData,
      ...(teams ? { eventType: o.membersRemoved ? 'teamMemberRemoved' : 'teamMemberAdded' } : {}),
    },
  };
}

/** The app installed into (or removed from) a conversation: `installationUpdate`. */
export function anInstallationUpdate(
  o: Common & { action: 'add' | 'remove' | 'add-upgrade' | 'remove-upgrade' },
): ActivityJson {
  return { ...base('installationUpdate', o), action: o.action };
}

/** A card button press (Universal Actions): `adaptiveCard/action`. */
export function anInvoke(
  o: Common & { verb: string; data?: Record<string, unknown>; replyToId?: string },
): ActivityJson {
  return {
    ...base('invoke', o),
    name: 'adaptiveCard/action',
    ...(o.replyToId ? { replyToId: o.replyToId } : {}),
    value: {
      action: { type: 'Action.Execute', verb: o.verb, data: o.data ?? {} },
      trigger: 'manual',
    },
  };
}

/**
 * A file sent to the bot, as Teams sends one in a personal chat: a message whose attachment is the
 * file's download info (`downloadUrl` is a short-lived, pre-authorised link into the sender's
 * OneDrive; here, the fake connector's /files route). `text` is what was typed with it, if anything.
 */
export function aFileMessage(
  o: Common & { name: string; downloadUrl: string; text?: string; mention?: boolean },
): ActivityJson {
  const message = aMessage({ ...o, text: o.text ?? '' });
  const fileType = o.name.includes('.') ? o.name.slice(o.name.lastIndexOf('.') + 1) : '';
  return {
    ...message,
    attachments: [
      {
        contentType: 'application/vnd.microsoft.teams.file.download.info',
        contentUrl: `https://contoso-my.sharepoint.com/personal/sam/Documents/Microsoft%20Teams%20Chat%20Files/${encodeURIComponent(o.name)}`,
        name: o.name,
        content: {
          downloadUrl: o.downloadUrl,
          uniqueId: '70D29F4A-05B7-434A-B7E6-B651FBFEF508',
          fileType,
        },
      },
    ],
  };
}
