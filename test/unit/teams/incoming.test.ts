import {
  commandTextOf,
  mentionsBot,
  referenceJsonOf,
  scopeOf,
  sentFileOf,
  tenantOf,
} from '../../../src/teams/incoming.js';
import {
  aFileMessage,
  aMessage,
  BOT,
  GENERAL_CHANNEL,
  GROUP_CHAT,
  KIM,
  SAM,
  TENANT,
} from '../../helpers/activities.js';

describe('reading an activity', () => {
  it('reads the command without the mention, with Teams spacing folded', () => {
    const message = aMessage({ text: 'status&nbsp; HMPPS\n', in: GROUP_CHAT, mention: true });
    expect(mentionsBot(message)).toBe(true);
    expect(commandTextOf(message)).toBe('status HMPPS');
  });

  it('keeps a mention of someone else in the command', () => {
    const message = aMessage({ text: 'assign 4.9a to <at>Kim Champion</at>', in: GROUP_CHAT });
    message.entities.push({
      type: 'mention',
      text: '<at>Kim Champion</at>',
      mentioned: { id: KIM.id },
    });
    expect(mentionsBot(message)).toBe(false);
    expect(commandTextOf(message)).toBe('assign 4.9a to <at>Kim Champion</at>');
  });

  it('copes with a message without text or entities', () => {
    const message = aMessage({ text: '' });
    delete message.text;
    delete message.entities;
    expect(commandTextOf(message)).toBe('');
    expect(mentionsBot(message)).toBe(false);
  });

  it('treats a conversation of no stated type as personal', () => {
    const message = aMessage({ text: 'hi' });
    delete message.conversation.conversationType;
    expect(scopeOf(message)).toBe('personal');
    expect(scopeOf(aMessage({ text: 'hi', in: GROUP_CHAT }))).toBe('groupChat');
  });

  it('reads the tenant from channelData, else the conversation, lower-cased', () => {
    const message = aMessage({ text: 'hi', tenantId: TENANT.toUpperCase() });
    expect(tenantOf(message)).toBe(TENANT);
    delete message.channelData.tenant;
    expect(tenantOf(message)).toBe(TENANT);
  });

  it('keeps a reference to the conversation without the activity that carried it', () => {
    const reference = JSON.parse(
      referenceJsonOf({ ...aMessage({ text: 'hi' }), serviceUrl: 'https://smba.example/' }),
    );
    expect(reference).toMatchObject({
      conversation: { tenantId: TENANT },
      user: { id: SAM.id },
      bot: { id: BOT.id },
      serviceUrl: 'https://smba.example/',
      channelId: 'msteams',
    });
    expect(reference).not.toHaveProperty('activityId');
  });
});

describe('a file sent to the bot', () => {
  it('is the file download info of a personal chat: its name and download link', () => {
    const message = aFileMessage({ name: 'plan.docx', downloadUrl: 'https://x.sharepoint.com/d' });
    expect(sentFileOf(message)).toEqual({
      name: 'plan.docx',
      downloadUrl: 'https://x.sharepoint.com/d',
    });
  });

  it('is none in a message without one, or with a card, or with a download info missing its link', () => {
    expect(sentFileOf(aMessage({ text: 'status' }))).toBeUndefined();
    const card = { contentType: 'application/vnd.microsoft.card.adaptive', content: {} };
    expect(sentFileOf({ ...aMessage({ text: '' }), attachments: [card] })).toBeUndefined();
    const broken = aFileMessage({ name: 'plan.docx', downloadUrl: '' });
    expect(sentFileOf(broken)).toBeUndefined();
  });

  it('in a channel is a link to SharePoint (to be asked for in the personal chat instead)', () => {
    const shared = {
      ...aMessage({ text: 'here it is', in: GENERAL_CHANNEL, mention: true }),
      attachments: [
        {
          contentType: 'reference',
          contentUrl: 'https://contoso.sharepoint.com/sites/kim/Shared%20Documents/plan.docx',
          name: 'plan.docx',
        },
      ],
    };
    expect(sentFileOf(shared)?.name).toBe('plan.docx');
    // In a personal chat a reference is not a file the bot was given.
    const personal = { ...aMessage({ text: 'here it is' }), attachments: shared.attachments };
    expect(sentFileOf(personal)).toBeUndefined();
  });
});
