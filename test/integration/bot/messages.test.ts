import { TableClient } from '@azure/data-tables';
import { GENERIC_FAILURE, STORAGE_UNAVAILABLE } from '../../../src/teams/replies.js';
import {
  aMessage,
  anInvoke,
  GENERAL_CHANNEL,
  GROUP_CHAT,
  KIM,
  personalChatOf,
  SAM,
  TENANT,
  useBotDriver,
} from '../../helpers/bot-driver.js';
import type { RecordedRequest } from '../../helpers/fake-connector.js';

/** Everything the reply says, text and card, as one string to search. */
const said = (request: RecordedRequest | undefined): string =>
  JSON.stringify(request?.body ?? null);

describe('messages', () => {
  const bot = useBotDriver({ members: [SAM, KIM] });
  beforeEach(() => {
    bot.connector.clear();
  });

  it('answers a personal message with a reply to it, on the connector', async () => {
    const message = aMessage({ text: 'help' });
    const answer = await bot.send(message);

    expect(answer.status).toBe(200);
    const replies = bot.connector.messages();
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      kind: 'reply',
      conversationId: personalChatOf(SAM).id,
      activityId: message.id,
      body: { type: 'message', replyToId: message.id, recipient: { id: SAM.id } },
    });
    expect(replies[0]?.body.attachments?.[0]?.contentType).toBe(
      'application/vnd.microsoft.card.adaptive',
    );
  });

  it('answers a command it does not know with a hint to ask for help', async () => {
    await bot.send(aMessage({ text: 'frobnicate the widgets' }));
    const reply = said(bot.connector.messages()[0]);
    expect(reply).toContain('frobnicate the widgets');
    expect(reply).toContain('help');
  });

  it('ignores a group chat message that does not mention it', async () => {
    const answer = await bot.send(aMessage({ text: 'status', in: GROUP_CHAT, from: KIM }));
    expect(answer.status).toBe(200);
    expect(bot.connector.requests).toEqual([]);
    expect(bot.connector.memberLookups).toEqual([]);
  });

  it('answers a group chat message that mentions it, reading the command without the mention', async () => {
    const message = aMessage({ text: 'help', in: GROUP_CHAT, from: KIM, mention: true });
    await bot.send(message);
    const replies = bot.connector.messages();
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ conversationId: GROUP_CHAT.id, activityId: message.id });
    // "<at>Action Plan</at> help" was read as "help", not as a command the bot does not know.
    expect(said(replies[0])).not.toContain('Action Plan</at>');
    expect(said(replies[0])).not.toContain("didn't understand");
  });

  it('answers a channel message that mentions it, in that channel', async () => {
    await bot.send(aMessage({ text: 'help', in: GENERAL_CHANNEL, from: KIM, mention: true }));
    expect(bot.connector.messages().map((r) => r.conversationId)).toEqual([GENERAL_CHANNEL.id]);
  });

  it('keeps a personal chat it was never told about, from the first message', async () => {
    const before = await bot.container.deps.people.getByEmail(KIM.email);
    await bot.send(aMessage({ text: 'help', from: KIM }));
    const kim = (await bot.container.deps.people.getByEmail(KIM.email))?.value;
    expect(before).toBeUndefined();
    expect(kim).toMatchObject({ aadObjectId: KIM.aadObjectId, name: KIM.name, reachable: true });
    expect(JSON.parse(kim!.conversation!).conversation.id).toBe(personalChatOf(KIM).id);
  });

  it('answers a card action it does not know with a message saying so, and sends nothing', async () => {
    const answer = await bot.send(anInvoke({ verb: 'noSuchVerb' }));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: expect.stringContaining("I don't know that button"),
    });
    expect(bot.connector.requests).toEqual([]);
  });

  it('refuses a body that is not an activity with 400', async () => {
    expect((await bot.post('[1, 2, 3]')).status).toBe(400);
    expect((await bot.post('{"text":"no type"}')).status).toBe(400);
    expect((await bot.post('{not json')).status).toBe(400);
    expect(bot.connector.requests).toEqual([]);
  });

  it('says sorry without details when something unexpected fails, and logs it with the activity id', async () => {
    // A hand-edited record the bot cannot read: a bug-shaped failure, not a user's mistake.
    const table = TableClient.fromConnectionString(bot.container.connectionString, 'People', {
      allowInsecureConnection: true,
    });
    const rowKey = `person|id|${TENANT}|aad-broken`;
    await table.upsertEntity({
      partitionKey: 'people',
      rowKey,
      email: 'broken@justice.gov.uk',
      name: 'Broken Record',
      aadObjectId: 'aad-broken',
      reachable: 'perhaps',
      updatedAt: '2025-01-01T00:00:00Z',
    });
    const message = aMessage({
      text: 'help',
      from: { ...SAM, id: '29:broken', aadObjectId: 'aad-broken' },
    });
    await bot.send(message);

    const replies = bot.connector.messages();
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body.text).toBe(GENERIC_FAILURE);
    expect(replies[0]?.body.attachments).toBeUndefined();
    const logged = bot.logs.find((l) => l.level === 'error' && l.fields.activityId === message.id);
    expect(logged?.message).toBe('could not answer a message');
    expect(String(logged?.fields.err)).toContain('cannot be read');
    await table.deleteEntity('people', rowKey);
  });
});

describe('when storage is down', () => {
  const bot = useBotDriver({ members: [SAM] });

  it('answers /healthz with 200 while storage answers, then 503', async () => {
    expect(await bot.get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    await bot.stopStorage();
    const down = await bot.get('/healthz');
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
  });

  it('tells the person in plain words that storage is unavailable', async () => {
    await bot.stopStorage();
    bot.connector.clear();
    await bot.send(aMessage({ text: 'status' }));
    const replies = bot.connector.messages();
    expect(replies.map((r) => r.body.text)).toEqual([STORAGE_UNAVAILABLE]);
  });
});
