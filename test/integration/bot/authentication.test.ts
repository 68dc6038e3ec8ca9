import { TokenEndpointCredentialsFactory } from '../../../src/teams/teams-bot.js';
import {
  aConversationUpdate,
  aMessage,
  BOT,
  KIM,
  OTHER_TENANT,
  SAM,
  startBotDriver,
  TENANT,
  type ActivityJson,
  type BotDriver,
} from '../../helpers/bot-driver.js';
import {
  CHANNEL_ISSUER,
  KEY_ID,
  startFakeChannelAuth,
  type FakeChannelAuth,
  type TokenOptions,
} from '../../helpers/fake-channel-auth.js';

const APP_ID = '3c5f1a9e-7d2b-4e8f-9a61-0b2c4d6e8f10';
const SECRET = 'not-a-real-secret';

/**
 * With MicrosoftAppId set every inbound request must carry a token the channel signed for this
 * bot, and every outbound call carries the bot's own token. The channel's OpenID document, its
 * keys and the token endpoint are loopback fakes; the tokens are signed with jose; botbuilder does
 * the checking, and every refusal is 401 with nothing done.
 */
describe('authentication, with MicrosoftAppId set', () => {
  let auth: FakeChannelAuth;
  let bot: BotDriver;
  beforeAll(async () => {
    auth = await startFakeChannelAuth();
    bot = await startBotDriver({
      members: [SAM, KIM],
      // No ALLOWED_TENANT_IDS: the registration's own tenant is the only one answered.
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: SECRET, MicrosoftAppTenantId: TENANT },
      teams: (connector) => ({
        authentication: {
          openIdMetadataUrl: auth.openIdMetadataUrl,
          tokenIssuer: CHANNEL_ISSUER,
          oauthScope: 'https://api.botframework.com',
          loginUrl: connector.url,
        },
        credentialsFactory: new TokenEndpointCredentialsFactory({
          appId: APP_ID,
          clientSecret: SECRET,
          tokenUrl: connector.tokenUrl,
        }),
      }),
    });
  });
  afterAll(async () => {
    await bot.close();
    await auth.close();
  });
  beforeEach(() => {
    bot.connector.clear();
    // botbuilder prints refused tokens (and the channel's public key) to the console itself.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  const bearer = async (_activity: ActivityJson, options?: TokenOptions) =>
    `Bearer ${await auth.token(APP_ID, bot.connector.url, options)}`;
  const sendWith = (activity: ActivityJson, authorization?: string) =>
    bot.send(activity, authorization ? { authorization } : {});

  it('answers a request with a valid token, and its own calls carry a token', async () => {
    const message = aMessage({ text: 'help' });
    const answer = await sendWith(message, await bearer(message));

    expect(answer.status).toBe(200);
    const replies = bot.connector.messages();
    expect(replies).toHaveLength(1);
    expect(replies[0]?.authorization).toBe(`Bearer ${bot.connector.issuedToken}`);
    expect(bot.connector.memberLookups.map((l) => l.authorization)).toEqual([
      `Bearer ${bot.connector.issuedToken}`,
    ]);
    expect(bot.connector.tokenRequests[0]).toEqual({
      grant_type: 'client_credentials',
      client_id: APP_ID,
      client_secret: SECRET,
      scope: 'https://api.botframework.com/.default',
    });
  });

  it('installs with a valid token: the refusals below are refusals of the token alone', async () => {
    const install = aConversationUpdate({ from: KIM, membersAdded: [{ id: BOT.id }] });
    expect((await sendWith(install, await bearer(install))).status).toBe(200);
    const kim = await bot.container.deps.people.getByEmail(KIM.email);
    expect(kim).toBeDefined();
    expect(bot.connector.messages()).toHaveLength(1);
    await bot.container.deps.people.removePerson(kim!.value);
  });

  it('answers nothing from another tenant, even with a valid token, when no allow-list is set', async () => {
    const install = aConversationUpdate({
      from: KIM,
      tenantId: OTHER_TENANT,
      membersAdded: [{ id: BOT.id }],
    });
    const message = aMessage({ from: SAM, tenantId: OTHER_TENANT, text: 'help' });
    const people = await bot.container.deps.people.listPeople();
    for (const activity of [install, message]) {
      expect((await sendWith(activity, await bearer(activity))).status).toBe(200);
    }
    expect(bot.connector.requests).toEqual([]);
    expect(bot.connector.memberLookups).toEqual([]);
    expect(await bot.container.deps.people.listPeople()).toEqual(people);
    expect(
      bot.logs.filter((l) => l.message === 'activity ignored: its tenant is not allowed'),
    ).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ tenantId: OTHER_TENANT }) }),
      expect.objectContaining({ fields: expect.objectContaining({ tenantId: OTHER_TENANT }) }),
    ]);
  });

  const now = () => Math.floor(Date.now() / 1000);
  it.each<
    [
      string,
      RegExp,
      (activity: ActivityJson) => Promise<string | undefined>,
      Partial<ActivityJson>?,
    ]
  >([
    ['no token', /not authorized/, async () => undefined],
    ['a token that is not a JWT', /No valid identity/, async () => 'Bearer not-a-jwt'],
    [
      'a token without "Bearer"',
      /No valid identity/,
      async (a) => (await bearer(a)).slice('Bearer '.length),
    ],
    [
      'an unsigned token (alg none)',
      /Signing Key could not be retrieved/,
      (a) => bearer(a, { unsigned: true }),
    ],
    [
      "an unsigned token naming the channel's key",
      /signature is required/,
      (a) => bearer(a, { unsigned: true, kid: KEY_ID }),
    ],
    [
      'a token with a kid the channel does not publish',
      /Signing Key could not be retrieved/,
      (a) => bearer(a, { kid: 'unknown-kid' }),
    ],
    [
      'a token signed by the wrong key under a known kid',
      /invalid signature/,
      (a) => bearer(a, { forged: true }),
    ],
    [
      'a token for another bot',
      /Invalid AppId/,
      (a) => bearer(a, { claims: { aud: 'another-bot-id' } }),
    ],
    ['a token with no audience', /Invalid AppId/, (a) => bearer(a, { claims: { aud: undefined } })],
    [
      'a token from another issuer',
      /No valid identity/,
      (a) => bearer(a, { claims: { iss: 'https://example.org' } }),
    ],
    [
      'a token for another service URL',
      /ServiceUrl claim/,
      (a) => bearer(a, { claims: { serviceurl: 'https://smba.example.org/' } }),
    ],
    [
      'a token with no service URL',
      /ServiceUrl claim/,
      (a) => bearer(a, { claims: { serviceurl: undefined } }),
    ],
    ['an expired token', /expired/, (a) => bearer(a, { claims: { exp: now() - 600 } })],
    ['a token not valid yet', /not active/, (a) => bearer(a, { claims: { nbf: now() + 3600 } })],
    [
      'a token signed by a channel key endorsed only for webchat',
      /endorsement for key: channel-signing-key-webchat/,
      (a) => bearer(a, { webchatKey: true }),
    ],
    [
      'an activity from another channel, signed by the key endorsed for msteams only',
      /endorsement for key: channel-signing-key-1/,
      (a) => bearer(a),
      { channelId: 'webchat' },
    ],
  ])('refuses %s with 401, doing nothing', async (_name, reason, authorizationFor, change = {}) => {
    const install = {
      ...aConversationUpdate({ from: KIM, membersAdded: [{ id: BOT.id }] }),
      ...change,
    };
    const people = await bot.container.deps.people.listPeople();
    const conversations = await bot.container.deps.people.listConversations();
    const answer = await sendWith(install, await authorizationFor(install));

    expect(answer.status).toBe(401);
    expect(answer.body).toBeUndefined();
    // Refused for the reason this case is about, not another.
    const refusal = bot.logs.filter((l) => l.message.startsWith('request refused')).at(-1);
    expect(refusal?.fields).toMatchObject({ activityId: install.id, status: 401 });
    expect(String(refusal?.fields.reason)).toMatch(reason);
    expect(bot.connector.requests).toEqual([]);
    expect(bot.connector.memberLookups).toEqual([]);
    expect(await bot.container.deps.people.getByEmail(KIM.email)).toBeUndefined();
    expect(await bot.container.deps.people.listPeople()).toEqual(people);
    expect(await bot.container.deps.people.listConversations()).toEqual(conversations);
  });
});
