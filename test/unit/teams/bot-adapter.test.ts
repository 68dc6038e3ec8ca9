import {
  authenticationFailureStatus,
  authenticationOptions,
} from '../../../src/teams/bot-adapter.js';

describe('authenticationOptions', () => {
  it('turns authentication off when there is no app id, whatever else is set', () => {
    expect(
      authenticationOptions(
        { appType: 'MultiTenant', allowedTenantIds: [] },
        { openIdMetadataUrl: 'http://127.0.0.1/openid' },
      ),
    ).toEqual({});
  });

  it('gives botbuilder its own names, spelling the managed identity its way', () => {
    expect(
      authenticationOptions(
        { appId: 'id', appType: 'UserAssignedMSI', tenantId: 'tenant', allowedTenantIds: [] },
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
