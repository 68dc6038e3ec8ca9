import { TokenEndpointCredentialsFactory } from '../../../src/teams/teams-bot.js';
import {
  aConversationUpdate,
  aMessage,
  BOT,
  KIM,
  SAM,
  startBotDriver,
  type ActivityJson,
  type BotDriver,
} from '../../helpers/bot-driver.js';
import {
  CHANNEL_ISSUER,
  startFakeChannelAuth,
  type FakeChannelAuth,
  type TokenOptions,
} from '../../helpers/fake-channel-auth.js';

const APP_ID = '3c5f1a9e-7d2b-4e8f-9a61-0b2c4d6e8f10';
const SECRET = 'not-a-real-secret';

/**
 * With MicrosoftAppId set every inbound request must carry a token the channel signed for this
 * bot, and every outbound call carries the bot's own token. The channel's OpenID document and the
 * token endpoint are loopback fakes; botbuilder does the checking.
 */
describe('authentication, with MicrosoftAppId set', () => {
  let auth: FakeChannelAuth;
  let bot: BotDriver;
  beforeAll(async () => {
    auth = await startFakeChannelAuth();
    bot = await startBotDriver({
      members: [SAM, KIM],
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: SECRET },
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

  const bearer = (activity: ActivityJson, options?: TokenOptions) =>
    `Bearer ${auth.token(APP_ID, bot.connector.url, options)}`;
  const sendWith = (activity: ActivityJson, authorization?: string) =>
    bot.send(activity, authorization ? { authorization } : {});

  it('answers a request with a valid token, and its own calls carry a token', async () => {
    const message = aMessage({ text: 'help' });
    const answer = await sendWith(message, bearer(message));

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

  it.each<[string, (activity: ActivityJson) => string | undefined]>([
    ['no token', () => undefined],
    ['a token for another bot', (a) => bearer(a, { claims: { aud: 'another-bot-id' } })],
    [
      'an expired token',
      (a) => bearer(a, { claims: { exp: Math.floor(Date.now() / 1000) - 600 } }),
    ],
    ['a token signed by the wrong key under a known kid', (a) => bearer(a, { forged: true })],
    ['a token with a kid the channel does not publish', (a) => bearer(a, { kid: 'unknown-kid' })],
    ['a token from another issuer', (a) => bearer(a, { claims: { iss: 'https://example.org' } })],
    [
      'a token for another service URL',
      (a) => bearer(a, { claims: { serviceurl: 'https://smba.example.org/' } }),
    ],
    ['a token that is not a JWT', () => 'Bearer not-a-jwt'],
  ])('refuses %s with 401, doing nothing', async (_name, authorizationFor) => {
    const install = aConversationUpdate({ from: KIM, membersAdded: [{ id: BOT.id }] });
    const answer = await sendWith(install, authorizationFor(install));

    expect(answer.status).toBe(401);
    expect(answer.body).toBeUndefined();
    expect(bot.connector.requests).toEqual([]);
    expect(bot.connector.memberLookups).toEqual([]);
    expect(await bot.container.deps.people.getByEmail(KIM.email)).toBeUndefined();
  });
});
