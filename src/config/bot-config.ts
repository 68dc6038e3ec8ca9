import { APP_TYPES, type BotConfig } from './config-types.js';
import { GUID, listOf, readFlag, type EnvGetter } from './config-values.js';

/**
 * The bot's identity settings, checked together: each combination botbuilder would reject at the
 * first message (or worse, accept and then fail to reply) is refused here, naming the variable.
 */
export function readBotConfig(get: EnvGetter, problems: string[]): BotConfig {
  const appId = get('MicrosoftAppId');
  const appPassword = get('MicrosoftAppPassword');
  const tenantId = get('MicrosoftAppTenantId');
  const thumbprint = get('CertificateThumbprint');
  const privateKey = get('CertificatePrivateKey')?.replace(/\\n/g, '\n');
  const typeText = get('MicrosoftAppType');
  const appType = APP_TYPES.find(
    (t) => t.toLowerCase() === (typeText ?? 'MultiTenant').toLowerCase(),
  );
  if (!appType) {
    problems.push(`MicrosoftAppType "${typeText}" is not one of ${APP_TYPES.join(', ')}.`);
  }

  const allowedTenantIds = [
    ...new Set(listOf(get('ALLOWED_TENANT_IDS')).map((t) => t.toLowerCase())),
  ];
  for (const tenant of allowedTenantIds) {
    if (!GUID.test(tenant)) {
      problems.push(
        `ALLOWED_TENANT_IDS has "${tenant}", which is not a tenant id (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47).`,
      );
    }
  }

  const allowAnyTenant = readFlag(get, 'ALLOW_ANY_TENANT', false, problems);
  if (allowAnyTenant && allowedTenantIds.length > 0) {
    problems.push(
      'Both ALLOWED_TENANT_IDS and ALLOW_ANY_TENANT=true are set: keep ALLOWED_TENANT_IDS to answer only those tenants, or ALLOW_ANY_TENANT to answer every tenant.',
    );
  }

  if (!appId) {
    for (const [name, value] of [
      ['MicrosoftAppPassword', appPassword],
      ['MicrosoftAppTenantId', tenantId],
      ['CertificateThumbprint', thumbprint],
      ['CertificatePrivateKey', privateKey],
    ] as const) {
      if (value) {
        problems.push(
          `${name} is set but MicrosoftAppId is not. Set MicrosoftAppId to the bot's app (client) id, or unset ${name} to run without authentication (local runs and the Agents Playground only).`,
        );
      }
    }
    // Nothing is authenticated without an app id, so a tenant named in an activity proves nothing:
    // a list still narrows what a local run answers, but no list is not an error.
    return {
      appType: appType ?? 'MultiTenant',
      allowedTenantIds,
      anyTenant: allowedTenantIds.length === 0,
    };
  }

  if (!GUID.test(appId)) {
    problems.push(
      `MicrosoftAppId "${appId}" is not an app id: copy the Application (client) ID, a GUID, from the bot's app registration.`,
    );
  }
  if (tenantId && !GUID.test(tenantId)) {
    problems.push(
      `MicrosoftAppTenantId "${tenantId}" is not a tenant id: copy the Directory (tenant) ID, a GUID, from the app registration.`,
    );
  }
  if ((thumbprint === undefined) !== (privateKey === undefined)) {
    problems.push(
      thumbprint
        ? 'CertificateThumbprint is set but CertificatePrivateKey is not: a certificate needs both.'
        : 'CertificatePrivateKey is set but CertificateThumbprint is not: a certificate needs both.',
    );
  }
  const normalisedThumbprint = thumbprint?.replace(/[\s:]/g, '').toUpperCase();
  if (normalisedThumbprint !== undefined && !/^[0-9A-F]{40}$/.test(normalisedThumbprint)) {
    problems.push('CertificateThumbprint is not a SHA-1 thumbprint (40 hexadecimal digits).');
  }
  if (privateKey !== undefined && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
    problems.push(
      'CertificatePrivateKey is not a PEM private key (it should start "-----BEGIN PRIVATE KEY-----").',
    );
  }
  const certificate =
    normalisedThumbprint && privateKey
      ? { thumbprint: normalisedThumbprint, privateKey }
      : undefined;

  switch (appType) {
    case 'UserAssignedMSI':
      if (!tenantId) {
        problems.push(
          'MicrosoftAppType=UserAssignedMSI needs MicrosoftAppTenantId, the tenant of the managed identity.',
        );
      }
      if (appPassword || certificate) {
        problems.push(
          'MicrosoftAppType=UserAssignedMSI uses the managed identity, not a secret: unset MicrosoftAppPassword and the Certificate* settings.',
        );
      }
      break;
    case 'SingleTenant':
    case 'MultiTenant':
      if (appType === 'SingleTenant' && !tenantId) {
        problems.push(
          'MicrosoftAppType=SingleTenant needs MicrosoftAppTenantId, the Directory (tenant) ID of the app registration.',
        );
      }
      if (!appPassword && !certificate && thumbprint === undefined && privateKey === undefined) {
        problems.push(
          `MicrosoftAppType=${appType} needs MicrosoftAppPassword (the client secret) or a certificate (CertificateThumbprint and CertificatePrivateKey).`,
        );
      }
      if (appPassword && (thumbprint !== undefined || privateKey !== undefined)) {
        problems.push(
          'Both MicrosoftAppPassword and a certificate are set: keep one of them, so it is clear which one the bot uses.',
        );
      }
      break;
    case undefined:
      break;
  }

  // Fail closed: a bot with an app id answers the tenants it is told to, never any by default.
  const homeTenant = tenantId && GUID.test(tenantId) ? [tenantId.toLowerCase()] : [];
  if (allowedTenantIds.length === 0 && !allowAnyTenant && !tenantId) {
    problems.push(
      "MicrosoftAppId is set but no tenant is allowed: set ALLOWED_TENANT_IDS to the tenant ids whose people may use the bot, or MicrosoftAppTenantId to answer the registration's own tenant only; ALLOW_ANY_TENANT=true answers every tenant (a bot offered to other organisations).",
    );
  }

  return {
    appId,
    ...(appPassword ? { appPassword } : {}),
    appType: appType ?? 'MultiTenant',
    ...(tenantId ? { tenantId: tenantId.toLowerCase() } : {}),
    ...(certificate ? { certificate } : {}),
    allowedTenantIds: allowedTenantIds.length > 0 || allowAnyTenant ? allowedTenantIds : homeTenant,
    anyTenant: allowAnyTenant,
  };
}
