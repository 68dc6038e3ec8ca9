import { ConfigError, readConfig } from '../../src/config.js';

const APP_ID = '3c5f1a9e-7d2b-4e8f-9a61-0b2c4d6e8f10';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----';
const THUMBPRINT = 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678';

/** The problems readConfig reports for `env`, or [] when it accepts it. */
function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('readConfig: the web server and the bot', () => {
  it('runs on port 3978 without authentication, admins or tenant limits by default', () => {
    const config = readConfig({});
    expect(config.port).toBe(3978);
    expect(config.bot).toEqual({ appType: 'MultiTenant', allowedTenantIds: [], anyTenant: true });
    expect(config.adminEmails).toEqual([]);
  });

  it('reads PORT, and refuses one that is not a port', () => {
    expect(readConfig({ PORT: '8080' }).port).toBe(8080);
    expect(readConfig({ PORT: '0' }).port).toBe(0);
    for (const port of ['http', '-1', '70000', '80.5']) {
      expect(problemsOf({ PORT: port })).toEqual([
        `PORT "${port}" is not a port number (0 to 65535).`,
      ]);
    }
  });

  it('reads HOST, and refuses one that is not an address', () => {
    expect(readConfig({}).host).toBeUndefined();
    expect(readConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(readConfig({ HOST: '::1' }).host).toBe('::1');
    expect(problemsOf({ HOST: 'http://x y' })).toEqual([
      'HOST "http://x y" is not an address to listen on: give an IP address such as 127.0.0.1 or 0.0.0.0, or a host name.',
    ]);
  });

  it('reads a multi-tenant bot with a client secret', () => {
    const config = readConfig({
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 's3cret',
      ALLOWED_TENANT_IDS: TENANT,
    });
    expect(config.bot).toEqual({
      appId: APP_ID,
      appPassword: 's3cret',
      appType: 'MultiTenant',
      allowedTenantIds: [TENANT],
      anyTenant: false,
    });
  });

  it('reads a single-tenant bot, and a managed identity, whatever the case of the type', () => {
    expect(
      readConfig({
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 's3cret',
        MicrosoftAppType: 'singletenant',
        MicrosoftAppTenantId: TENANT.toUpperCase(),
      }).bot,
    ).toMatchObject({ appType: 'SingleTenant', tenantId: TENANT });
    expect(
      readConfig({
        MicrosoftAppId: APP_ID,
        MicrosoftAppType: 'UserAssignedMsi',
        MicrosoftAppTenantId: TENANT,
      }).bot,
    ).toEqual({
      appId: APP_ID,
      appType: 'UserAssignedMSI',
      tenantId: TENANT,
      allowedTenantIds: [TENANT],
      anyTenant: false,
    });
  });

  it('reads a certificate instead of a secret, with the key written on one line', () => {
    const bot = readConfig({
      MicrosoftAppId: APP_ID,
      CertificateThumbprint: 'a1:b2:c3:d4:e5:f6:07:18:29:3a:4b:5c:6d:7e:8f:90:12:34:56:78',
      CertificatePrivateKey: PEM.replace(/\n/g, '\\n'),
      ALLOWED_TENANT_IDS: TENANT,
    }).bot;
    expect(bot.certificate).toEqual({ thumbprint: THUMBPRINT, privateKey: PEM });
    expect(bot.appPassword).toBeUndefined();
  });

  it.each<[string, Record<string, string>, string]>([
    [
      'SingleTenant without its tenant',
      { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's', MicrosoftAppType: 'SingleTenant' },
      'MicrosoftAppType=SingleTenant needs MicrosoftAppTenantId, the Directory (tenant) ID of the app registration.',
    ],
    [
      'a multi-tenant bot without a secret or certificate',
      { MicrosoftAppId: APP_ID },
      'MicrosoftAppType=MultiTenant needs MicrosoftAppPassword (the client secret) or a certificate (CertificateThumbprint and CertificatePrivateKey).',
    ],
    [
      'a managed identity without its tenant',
      { MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI' },
      'MicrosoftAppType=UserAssignedMSI needs MicrosoftAppTenantId, the tenant of the managed identity.',
    ],
    [
      'a managed identity with a secret',
      {
        MicrosoftAppId: APP_ID,
        MicrosoftAppType: 'UserAssignedMSI',
        MicrosoftAppTenantId: TENANT,
        MicrosoftAppPassword: 's',
      },
      'MicrosoftAppType=UserAssignedMSI uses the managed identity, not a secret: unset MicrosoftAppPassword and the Certificate* settings.',
    ],
    [
      'an unknown app type',
      { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's', MicrosoftAppType: 'Federated' },
      'MicrosoftAppType "Federated" is not one of MultiTenant, SingleTenant, UserAssignedMSI.',
    ],
    [
      'an app id that is not a GUID',
      { MicrosoftAppId: 'my-bot', MicrosoftAppPassword: 's' },
      'MicrosoftAppId "my-bot" is not an app id: copy the Application (client) ID, a GUID, from the bot\'s app registration.',
    ],
    [
      'a secret without an app id',
      { MicrosoftAppPassword: 's' },
      "MicrosoftAppPassword is set but MicrosoftAppId is not. Set MicrosoftAppId to the bot's app (client) id, or unset MicrosoftAppPassword to run without authentication (local runs and the Agents Playground only).",
    ],
    [
      'half a certificate',
      { MicrosoftAppId: APP_ID, CertificateThumbprint: THUMBPRINT },
      'CertificateThumbprint is set but CertificatePrivateKey is not: a certificate needs both.',
    ],
    [
      'a thumbprint that is not one',
      { MicrosoftAppId: APP_ID, CertificateThumbprint: 'abc', CertificatePrivateKey: PEM },
      'CertificateThumbprint is not a SHA-1 thumbprint (40 hexadecimal digits).',
    ],
    [
      'both a secret and a certificate',
      {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 's',
        CertificateThumbprint: THUMBPRINT,
        CertificatePrivateKey: PEM,
      },
      'Both MicrosoftAppPassword and a certificate are set: keep one of them, so it is clear which one the bot uses.',
    ],
  ])('refuses %s, naming the variable', (_name, env, problem) => {
    expect(problemsOf({ ALLOWED_TENANT_IDS: TENANT, ...env })).toEqual([problem]);
  });

  it('runs without authentication when only the app type is set (Agents Toolkit templates)', () => {
    expect(readConfig({ MicrosoftAppType: 'MultiTenant' }).bot.appId).toBeUndefined();
  });

  it('reads ALLOWED_TENANT_IDS as a lower-cased list, and refuses an entry that is not a tenant id', () => {
    expect(
      readConfig({ ALLOWED_TENANT_IDS: ` ${TENANT.toUpperCase()},${TENANT}; ` }).bot
        .allowedTenantIds,
    ).toEqual([TENANT]);
    expect(problemsOf({ ALLOWED_TENANT_IDS: `${TENANT},contoso.com` })).toEqual([
      'ALLOWED_TENANT_IDS has "contoso.com", which is not a tenant id (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47).',
    ]);
  });

  describe('which tenants a bot with an app id answers (fail closed)', () => {
    const bot = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's3cret' };
    const OTHER = '00000000-0000-0000-0000-000000000001';

    it("answers only the registration's own tenant when ALLOWED_TENANT_IDS is not set", () => {
      expect(readConfig({ ...bot, MicrosoftAppTenantId: TENANT.toUpperCase() }).bot).toMatchObject({
        allowedTenantIds: [TENANT],
        anyTenant: false,
      });
    });

    it('answers the tenants of ALLOWED_TENANT_IDS, not the registration’s, when it is set', () => {
      expect(
        readConfig({ ...bot, MicrosoftAppTenantId: TENANT, ALLOWED_TENANT_IDS: OTHER }).bot,
      ).toMatchObject({ allowedTenantIds: [OTHER], anyTenant: false });
    });

    it('answers any tenant only when ALLOW_ANY_TENANT=true says so', () => {
      expect(readConfig({ ...bot, ALLOW_ANY_TENANT: 'true' }).bot).toMatchObject({
        allowedTenantIds: [],
        anyTenant: true,
      });
      expect(
        readConfig({ ...bot, ALLOW_ANY_TENANT: 'TRUE', MicrosoftAppTenantId: TENANT }).bot,
      ).toMatchObject({ anyTenant: true });
    });

    it('refuses an app id with none of the three, naming them', () => {
      expect(problemsOf(bot)).toEqual([
        "MicrosoftAppId is set but no tenant is allowed: set ALLOWED_TENANT_IDS to the tenant ids whose people may use the bot, or MicrosoftAppTenantId to answer the registration's own tenant only; ALLOW_ANY_TENANT=true answers every tenant (a bot offered to other organisations).",
      ]);
      expect(problemsOf({ ...bot, ALLOW_ANY_TENANT: 'false' })).toHaveLength(1);
    });

    it('refuses ALLOW_ANY_TENANT beside a list, and a value that is not true or false', () => {
      expect(problemsOf({ ...bot, ALLOW_ANY_TENANT: 'true', ALLOWED_TENANT_IDS: TENANT })).toEqual([
        'Both ALLOWED_TENANT_IDS and ALLOW_ANY_TENANT=true are set: keep ALLOWED_TENANT_IDS to answer only those tenants, or ALLOW_ANY_TENANT to answer every tenant.',
      ]);
      expect(problemsOf({ ...bot, ALLOWED_TENANT_IDS: TENANT, ALLOW_ANY_TENANT: 'maybe' })).toEqual(
        ['ALLOW_ANY_TENANT "maybe" is not true or false.'],
      );
    });
  });

  it('reads ADMIN_EMAILS as a lower-cased list, and refuses an entry that is not an email', () => {
    expect(
      readConfig({
        ADMIN_EMAILS: 'KIM.Team@Justice.gov.uk, admin@justice.gov.uk;kim.team@justice.gov.uk',
      }).adminEmails,
    ).toEqual(['kim.team@justice.gov.uk', 'admin@justice.gov.uk']);
    expect(problemsOf({ ADMIN_EMAILS: 'admin@justice.gov.uk, kim' })).toEqual([
      'ADMIN_EMAILS has "kim", which is not an email address.',
    ]);
  });

  it('reports every problem at once', () => {
    expect(
      problemsOf({ PORT: 'x', MicrosoftAppPassword: 's', ADMIN_EMAILS: 'nobody' }),
    ).toHaveLength(3);
  });
});

describe('readConfig: files sent to the bot', () => {
  it('fetches them from SharePoint within 10 seconds unless told otherwise', () => {
    expect(readConfig({}).downloads).toEqual({ hosts: ['sharepoint.com'], timeoutMs: 10_000 });
    expect(
      readConfig({
        FILE_DOWNLOAD_HOSTS: 'SharePoint.us, contoso.sharepoint.de',
        FILE_DOWNLOAD_TIMEOUT_SECONDS: '20',
      }).downloads,
    ).toEqual({ hosts: ['sharepoint.us', 'contoso.sharepoint.de'], timeoutMs: 20_000 });
  });

  it('refuses a host that is not a host name, and a time-out out of range', () => {
    expect(problemsOf({ FILE_DOWNLOAD_HOSTS: 'https://sharepoint.com/' })).toEqual([
      expect.stringMatching(
        /^FILE_DOWNLOAD_HOSTS: "https:\/\/sharepoint.com\/" is not a host name/,
      ),
    ]);
    for (const seconds of ['0', '61', '1.5', 'ten']) {
      expect(problemsOf({ FILE_DOWNLOAD_TIMEOUT_SECONDS: seconds })).toEqual([
        expect.stringContaining('FILE_DOWNLOAD_TIMEOUT_SECONDS'),
      ]);
    }
  });
});
