import {
  authenticationFailureStatus,
  authenticationOptions,
  shapeProblems,
} from '../../../src/teams/bot-adapter.js';
import { aConversationUpdate, aMessage, anInvoke, BOT } from '../../helpers/activities.js';

describe('authenticationOptions', () => {
  it('turns authentication off when there is no app id, whatever else is set', () => {
    expect(
      authenticationOptions(
        { appType: 'MultiTenant', allowedTenantIds: [], anyTenant: false },
        { openIdMetadataUrl: 'http://127.0.0.1/openid' },
      ),
    ).toEqual({});
  });

  it('gives botbuilder its own names, spelling the managed identity its way', () => {
    expect(
      authenticationOptions(
        {
          appId: 'id',
          appType: 'UserAssignedMSI',
          tenantId: 'tenant',
          allowedTenantIds: [],
          anyTenant: false,
        },
        {},
      ),
    ).toEqual({
      MicrosoftAppId: 'id',
      MicrosoftAppType: 'UserAssignedMsi',
      MicrosoftAppTenantId: 'tenant',
    });
    expect(
      authenticationOptions(
        {
          appId: 'id',
          appType: 'SingleTenant',
          tenantId: 'tenant',
          certificate: { thumbprint: 'AB', privateKey: 'PEM' },
          allowedTenantIds: [],
          anyTenant: false,
        },
        {
          tokenIssuer: 'https://issuer',
          oauthScope: 'https://scope',
          loginUrl: 'https://login',
          openIdMetadataUrl: 'https://oid',
        },
      ),
    ).toEqual({
      MicrosoftAppId: 'id',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: 'tenant',
      CertificateThumbprint: 'AB',
      CertificatePrivateKey: 'PEM',
      BotOpenIdMetadata: 'https://oid',
      ToBotFromChannelTokenIssuer: 'https://issuer',
      ToChannelFromBotOAuthScope: 'https://scope',
      ToChannelFromBotLoginUrl: 'https://login',
    });
  });
});

describe('authenticationFailureStatus', () => {
  it('answers 401 for a refused token, 503 when the channel keys could not be fetched', () => {
    expect(
      authenticationFailureStatus(Object.assign(new Error('Unauthorized'), { statusCode: 401 })),
    ).toBe(401);
    expect(
      authenticationFailureStatus(
        Object.assign(new Error('invalid signature'), { name: 'JsonWebTokenError' }),
      ),
    ).toBe(401);
    expect(authenticationFailureStatus(new TypeError('anything else'))).toBe(401);
    expect(
      authenticationFailureStatus(
        Object.assign(new Error('Failed to load Keys: 500'), { statusCode: 500 }),
      ),
    ).toBe(503);
    expect(
      authenticationFailureStatus(
        Object.assign(new Error('connect ECONNREFUSED'), { name: 'FetchError', type: 'system' }),
      ),
    ).toBe(503);
  });
});

describe('shapeProblems', () => {
  const withServiceUrl = (a: Record<string, unknown>) => ({
    ...a,
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
  });

  it('finds nothing wrong with what Teams sends', () => {
    for (const activity of [
      aMessage({ text: 'help' }),
      aConversationUpdate({ membersAdded: [{ id: BOT.id }] }),
      anInvoke({ verb: 'setStatus', data: { ref: '4.1' } }),
    ]) {
      expect(shapeProblems(withServiceUrl(activity))).toEqual([]);
    }
    // null is as good as absent.
    expect(shapeProblems(withServiceUrl({ ...aMessage({ text: 'x' }), locale: null }))).toEqual([]);
  });

  it('names each field of the wrong type, or missing where every turn needs it', () => {
    const message = withServiceUrl(aMessage({ text: 'help' }));
    expect(shapeProblems({ ...message, serviceUrl: undefined })).toEqual([
      'serviceUrl is not an http(s) URL',
    ]);
    expect(shapeProblems({ ...message, serviceUrl: 'ftp://example.org/' })).toEqual([
      'serviceUrl is not an http(s) URL',
    ]);
    expect(shapeProblems({ ...message, serviceUrl: 12 })).toEqual([
      'serviceUrl is not an http(s) URL',
    ]);
    expect(shapeProblems({ ...message, locale: [] })).toEqual(['locale is not a string']);
    expect(shapeProblems({ ...message, timestamp: 'yesterday' })).toEqual([
      'timestamp is not a date',
    ]);
    expect(shapeProblems({ ...message, channelId: '' })).toEqual(['channelId is missing']);
    expect(shapeProblems({ ...message, from: 'sam' })).toEqual([
      'from.id is missing',
      'from is not an object',
    ]);
    expect(shapeProblems({ ...message, conversation: { id: 'c', tenantId: 7 } })).toEqual([
      'conversation.tenantId is not a string',
    ]);
    expect(shapeProblems({ ...message, recipient: {} })).toEqual(['recipient.id is missing']);
    expect(shapeProblems({ ...message, entities: [null] })).toEqual([
      'entities is not a list of objects',
    ]);
    expect(shapeProblems({ ...message, membersAdded: { id: 'x' } })).toEqual([
      'membersAdded is not a list of objects',
    ]);
    expect(shapeProblems({ ...message, channelData: [] })).toEqual([
      'channelData is not an object',
    ]);
  });
});
