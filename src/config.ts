import { isTimeZone } from './domain/calendar.js';
import { DEFAULT_TIME_ZONE, isEmail, normaliseEmail } from './domain/plan.js';

/**
 * Every setting the app reads from the environment, read here and nowhere else. A bad or missing
 * value fails at start with a message naming the variable and how to fix it.
 */
export interface Config {
  readonly storage: {
    /** Azure Storage connection string; when absent the app runs its own embedded Azurite. */
    readonly connectionString?: string;
    /**
     * The account reached with an Entra ID token (DefaultAzureCredential: the managed identity in
     * Azure) instead of a key: `AZURE_STORAGE_ACCOUNT_URL`. Never set together with a connection
     * string.
     */
    readonly account?: StorageAccountConfig;
    readonly tableName: string;
    /** Where the embedded Azurite keeps its data. */
    readonly dataDir: string;
    /** Ports of the embedded Azurite; a second process (the CLI beside `npm start`) shares it. */
    readonly embeddedTablePort: number;
    readonly embeddedQueuePort: number;
  };
  /** Time zone for new plans (each plan keeps its own). */
  readonly defaultTimeZone: string;
  readonly logLevel: LogLevel;
  /** Port of the bot's web server (`PORT`, default 3978; 0 lets the system choose). */
  readonly port: number;
  /**
   * `HOST`: the interface the web server listens on. Unset, every interface with an app id (App
   * Service, containers) and the loopback address alone without one (a local run, whose requests
   * nobody authenticates).
   */
  readonly host?: string;
  /**
   * Port of the Microsoft 365 Agents Playground that `npm start` runs (`PLAYGROUND_PORT`, default
   * 56150, the Playground's own; it takes a free one if that is in use).
   */
  readonly playgroundPort: number;
  /** The bot's Entra ID registration and who may talk to it. */
  readonly bot: BotConfig;
  /** Plan admins named in `ADMIN_EMAILS`, lower-cased (admins can also be stored in the bot). */
  readonly adminEmails: readonly string[];
  /**
   * `APPLICATIONINSIGHTS_CONNECTION_STRING`: when set, traces, metrics and every log line also go
   * to Application Insights through OpenTelemetry; unset, logs are JSON lines on standard error only.
   */
  readonly telemetry: { readonly connectionString?: string };
  /** The reminder scheduler (src/scheduler.ts). */
  readonly reminders: ReminderConfig;
  /** Files sent to the bot in Teams (attachment-download.ts). */
  readonly downloads: DownloadConfig;
  /**
   * Installing the app through Microsoft Graph for owners in no team the bot is in
   * (`GRAPH_INSTALL_ENABLED=true`); absent when off, so `if (config.graph)` is the choice.
   */
  readonly graph?: GraphConfig;
}

export interface DownloadConfig {
  /** FILE_DOWNLOAD_HOSTS: hosts a sent file may be fetched from (each with its subdomains). */
  readonly hosts: readonly string[];
  /** FILE_DOWNLOAD_TIMEOUT_SECONDS, in milliseconds: the whole download. */
  readonly timeoutMs: number;
}

/** Microsoft Graph, for installing the app for people the bot cannot reach otherwise. */
export interface GraphConfig {
  /** `GRAPH_BASE_URL` (default `https://graph.microsoft.com/v1.0`): tests point it at a fake. */
  readonly baseUrl: string;
  /** The token's scope: the base URL's origin with `/.default`. */
  readonly scope: string;
  /** `TEAMS_APP_CATALOG_ID`: the app's id in the organisation's app catalogue, when known. */
  readonly catalogAppId?: string;
  /**
   * `TEAMS_APP_ID`: the manifest's id, the app's `externalId` in the catalogue: how the catalogue
   * id is found when it is not configured.
   */
  readonly manifestAppId?: string;
  /** `AZURE_CLIENT_ID`: the managed identity the token is asked as (as for storage). */
  readonly managedIdentityClientId?: string;
}

/** How the in-process reminder scheduler runs when the bot is served. */
export interface ReminderConfig {
  /** `REMINDERS_ENABLED` (default true): false serves the bot without sending reminders. */
  readonly enabled: boolean;
  /** `REMINDER_SWEEP_MINUTES` (default 5, 1 to 60): how often each instance tries a sweep. */
  readonly sweepMinutes: number;
  /** `REMINDER_QUEUE` (default `actionplan-reminders`); its dead letters go to `<name>-failed`. */
  readonly queueName: string;
  /**
   * `TEAMS_SERVICE_URL` (default `https://smba.trafficmanager.net/teams/`): where a 1:1 chat is
   * opened for an owner whose Teams id is known but who has no stored conversation.
   */
  readonly teamsServiceUrl: string;
}

/** A storage account reached with a token rather than a key (see `Config.storage.account`). */
export interface StorageAccountConfig {
  /** The Table service endpoint, such as `https://<account>.table.core.windows.net`. */
  readonly tableUrl: string;
  /** The Queue service endpoint: `AZURE_STORAGE_QUEUE_URL`, or derived from the account's host. */
  readonly queueUrl: string;
  /**
   * `AZURE_CLIENT_ID`: the client id of the user-assigned managed identity to sign in as. Unset,
   * DefaultAzureCredential uses whatever identity it finds (a developer's `az login`, say).
   */
  readonly managedIdentityClientId?: string;
}

export const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
export type AppType = (typeof APP_TYPES)[number];

/**
 * How the bot proves who it is to Teams and checks that requests come from Teams. Without
 * `appId` there are no token checks at all: for a local run or the Agents Playground only.
 */
export interface BotConfig {
  /** `MicrosoftAppId`: the app (client) id of the bot's Entra registration or managed identity. */
  readonly appId?: string;
  /** `MicrosoftAppPassword`: the client secret (not with a certificate or a managed identity). */
  readonly appPassword?: string;
  /** `MicrosoftAppType`: MultiTenant (the default), SingleTenant or UserAssignedMSI. */
  readonly appType: AppType;
  /** `MicrosoftAppTenantId`: the registration's tenant; SingleTenant and UserAssignedMSI need it. */
  readonly tenantId?: string;
  /** `CertificateThumbprint` + `CertificatePrivateKey` (PEM): a certificate instead of a secret. */
  readonly certificate?: { readonly thumbprint: string; readonly privateKey: string };
  /**
   * The tenants the bot answers, lower-cased: `ALLOWED_TENANT_IDS`; with an app id and no list,
   * the registration's own tenant (`MicrosoftAppTenantId`). Empty only when `anyTenant`.
   */
  readonly allowedTenantIds: readonly string[];
  /**
   * Every tenant is answered: `ALLOW_ANY_TENANT=true` (a bot offered to other organisations), or
   * no app id and no list (a local run, where nothing is authenticated anyway).
   */
  readonly anyTenant: boolean;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the configuration from `env` (process.env by default). */
export function readConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const connectionString = get('AZURE_STORAGE_CONNECTION_STRING');
  if (
    connectionString &&
    !/AccountName=|UseDevelopmentStorage=true|TableEndpoint=/i.test(connectionString)
  ) {
    problems.push(
      'AZURE_STORAGE_CONNECTION_STRING does not look like an Azure Storage connection string (it has no AccountName or TableEndpoint). Copy it from the storage account\'s "Access keys" page, or unset it to use the embedded Azurite.',
    );
  }

  const account = readStorageAccount(get, problems, connectionString !== undefined);

  const tableName = get('ACTIONPLAN_TABLE') ?? 'ActionPlans';
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(tableName)) {
    problems.push(
      `ACTIONPLAN_TABLE "${tableName}" is not a valid table name: 3 to 63 letters and digits, starting with a letter.`,
    );
  }

  const portOf = (name: string, fallback: string): number => {
    const text = get(name) ?? fallback;
    const port = Number(text);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      problems.push(`${name} "${text}" is not a port number (0 to 65535).`);
    }
    return port;
  };
  const embeddedTablePort = portOf('AZURITE_TABLE_PORT', '10002');
  const embeddedQueuePort = portOf('AZURITE_QUEUE_PORT', '10001');

  const defaultTimeZone = get('PLAN_TIME_ZONE') ?? DEFAULT_TIME_ZONE;
  if (!isTimeZone(defaultTimeZone)) {
    problems.push(
      `PLAN_TIME_ZONE "${defaultTimeZone}" is not a time zone; use an IANA name such as Europe/London.`,
    );
  }

  const level = (get('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    problems.push(`LOG_LEVEL "${level}" is not one of ${LOG_LEVELS.join(', ')}.`);
  }

  const port = portNumber('PORT', get('PORT') ?? '3978', problems);
  const host = get('HOST');
  if (host !== undefined && !/^[A-Za-z0-9.:[\]%-]+$/.test(host)) {
    problems.push(
      `HOST "${host}" is not an address to listen on: give an IP address such as 127.0.0.1 or 0.0.0.0, or a host name.`,
    );
  }
  const playgroundPort = portNumber('PLAYGROUND_PORT', get('PLAYGROUND_PORT') ?? '56150', problems);
  const bot = readBotConfig(get, problems);
  const adminEmails = readAdminEmails(get('ADMIN_EMAILS'), problems);
  const appInsights = get('APPLICATIONINSIGHTS_CONNECTION_STRING');
  if (appInsights && !/InstrumentationKey=/i.test(appInsights)) {
    problems.push(
      "APPLICATIONINSIGHTS_CONNECTION_STRING has no InstrumentationKey: copy the whole connection string from the Application Insights resource's Overview page, or unset it to log to standard error only.",
    );
  }

  const reminders = readReminderConfig(get, problems);
  const downloads = readDownloadConfig(get, problems);
  const graph = readGraphConfig(get, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    storage: {
      ...(connectionString ? { connectionString } : {}),
      ...(account ? { account } : {}),
      tableName,
      dataDir: get('ACTIONPLAN_DATA_DIR') ?? '.data',
      embeddedTablePort,
      embeddedQueuePort,
    },
    defaultTimeZone,
    logLevel: level as LogLevel,
    port,
    ...(host ? { host } : {}),
    playgroundPort,
    bot,
    adminEmails,
    telemetry: appInsights ? { connectionString: appInsights } : {},
    reminders,
    downloads,
    ...(graph ? { graph } : {}),
  };
}

function readGraphConfig(
  get: (name: string) => string | undefined,
  problems: string[],
): GraphConfig | undefined {
  const enabled = readFlag(get, 'GRAPH_INSTALL_ENABLED', false, problems);
  const baseText = get('GRAPH_BASE_URL') ?? 'https://graph.microsoft.com/v1.0';
  const catalogAppId = get('TEAMS_APP_CATALOG_ID');
  const manifestAppId = get('TEAMS_APP_ID');
  const clientId = get('AZURE_CLIENT_ID');
  let base: URL | undefined;
  try {
    base = new URL(baseText);
  } catch {
    base = undefined;
  }
  const loopback = base?.hostname === '127.0.0.1' || base?.hostname === 'localhost';
  if (!base || (base.protocol !== 'https:' && !(base.protocol === 'http:' && loopback))) {
    problems.push(
      `GRAPH_BASE_URL "${baseText}" is not an https URL such as https://graph.microsoft.com/v1.0 (a token is never sent over plain http, but to this machine).`,
    );
  }
  if (catalogAppId !== undefined && !GUID.test(catalogAppId)) {
    problems.push(
      `TEAMS_APP_CATALOG_ID "${catalogAppId}" is not an app catalogue id: a GUID, shown as the app's "App ID" in the Teams admin centre (or leave it unset to find it by TEAMS_APP_ID).`,
    );
  }
  if (manifestAppId !== undefined && !GUID.test(manifestAppId)) {
    problems.push(
      `TEAMS_APP_ID "${manifestAppId}" is not the Teams app's id: the GUID in appPackage/manifest.json's "id".`,
    );
  }
  if (enabled && !catalogAppId && !manifestAppId) {
    problems.push(
      "GRAPH_INSTALL_ENABLED=true needs the app to install: set TEAMS_APP_CATALOG_ID (its id in the organisation's app catalogue) or TEAMS_APP_ID (the manifest's id, to find it there).",
    );
  }
  if (!enabled || !base) return undefined;
  return {
    baseUrl: base.href.replace(/\/+$/, ''),
    scope: `${base.origin}/.default`,
    ...(catalogAppId ? { catalogAppId: catalogAppId.toLowerCase() } : {}),
    ...(manifestAppId ? { manifestAppId: manifestAppId.toLowerCase() } : {}),
    ...(clientId && GUID.test(clientId) ? { managedIdentityClientId: clientId.toLowerCase() } : {}),
  };
}

/** Where files sent in Teams may be fetched from, and how long a download may take. */
function readDownloadConfig(
  get: (name: string) => string | undefined,
  problems: string[],
): DownloadConfig {
  const hosts = (get('FILE_DOWNLOAD_HOSTS') ?? 'sharepoint.com')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const host of hosts) {
    if (!/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host)) {
      problems.push(
        `FILE_DOWNLOAD_HOSTS: "${host}" is not a host name such as sharepoint.com (its subdomains are allowed too).`,
      );
    }
  }
  const text = get('FILE_DOWNLOAD_TIMEOUT_SECONDS') ?? '10';
  const seconds = Number(text);
  if (!/^\d+$/.test(text) || seconds < 1 || seconds > 60) {
    problems.push(
      `FILE_DOWNLOAD_TIMEOUT_SECONDS "${text}" is not a whole number of seconds from 1 to 60.`,
    );
  }
  return { hosts, timeoutMs: seconds * 1000 };
}

function readReminderConfig(
  get: (name: string) => string | undefined,
  problems: string[],
): ReminderConfig {
  const enabled = readFlag(get, 'REMINDERS_ENABLED', true, problems);
  const minutesText = get('REMINDER_SWEEP_MINUTES') ?? '5';
  const sweepMinutes = Number(minutesText);
  if (!/^\d+$/.test(minutesText) || sweepMinutes < 1 || sweepMinutes > 60) {
    problems.push(
      `REMINDER_SWEEP_MINUTES "${minutesText}" is not a whole number of minutes from 1 to 60.`,
    );
  }
  const queueName = get('REMINDER_QUEUE') ?? 'actionplan-reminders';
  if (!/^[a-z0-9](?!.*--)[a-z0-9-]{1,54}[a-z0-9]$/.test(queueName)) {
    problems.push(
      `REMINDER_QUEUE "${queueName}" is not a queue name: 3 to 56 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.`,
    );
  }
  const teamsServiceUrl = get('TEAMS_SERVICE_URL') ?? 'https://smba.trafficmanager.net/teams/';
  if (!/^https?:\/\/[^\s/]+/.test(teamsServiceUrl)) {
    problems.push(`TEAMS_SERVICE_URL "${teamsServiceUrl}" is not a URL.`);
  }
  return { enabled, sweepMinutes, queueName, teamsServiceUrl };
}

/** A true-or-false setting: true, 1, yes, on or false, 0, no, off, in any case. */
function readFlag(
  get: (name: string) => string | undefined,
  name: string,
  fallback: boolean,
  problems: string[],
): boolean {
  const text = get(name)?.toLowerCase();
  if (text === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (!['false', '0', 'no', 'off'].includes(text)) {
    problems.push(`${name} "${text}" is not true or false.`);
  }
  return false;
}

/** `<account>.<service>.<suffix>`: an Azure Storage service endpoint's host (any cloud). */
const SERVICE_HOST = /^([a-z0-9]{3,24})\.(blob|table|queue|file|dfs)\.(.+)$/i;

/**
 * The token-authenticated account: `AZURE_STORAGE_ACCOUNT_URL`, any of the account's service
 * endpoints (the table and queue endpoints are derived from its host), or an endpoint whose host
 * says nothing (Azurite, a private endpoint's custom name): then it is the Table endpoint itself
 * and `AZURE_STORAGE_QUEUE_URL` must name the Queue endpoint.
 */
function readStorageAccount(
  get: (name: string) => string | undefined,
  problems: string[],
  hasConnectionString: boolean,
): StorageAccountConfig | undefined {
  const accountUrl = get('AZURE_STORAGE_ACCOUNT_URL');
  const queueText = get('AZURE_STORAGE_QUEUE_URL');
  const clientId = get('AZURE_CLIENT_ID');
  if (clientId && !GUID.test(clientId)) {
    problems.push(
      `AZURE_CLIENT_ID "${clientId}" is not a client id: copy the Client ID, a GUID, from the managed identity's Overview page.`,
    );
  }
  if (!accountUrl) {
    if (queueText) {
      problems.push(
        'AZURE_STORAGE_QUEUE_URL is set but AZURE_STORAGE_ACCOUNT_URL is not: set both (or neither, to use AZURE_STORAGE_CONNECTION_STRING or the embedded Azurite).',
      );
    }
    return undefined;
  }
  if (hasConnectionString) {
    problems.push(
      'Both AZURE_STORAGE_CONNECTION_STRING and AZURE_STORAGE_ACCOUNT_URL are set: keep one, so it is clear how the app signs in to storage (the account URL with a managed identity in Azure; a connection string for a key or Azurite).',
    );
  }
  const https = (name: string, text: string): URL | undefined => {
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:') {
      problems.push(
        `${name} "${text}" is not an https URL such as https://<account>.table.core.windows.net (a token is never sent over plain http).`,
      );
      return undefined;
    }
    return url;
  };
  const url = https('AZURE_STORAGE_ACCOUNT_URL', accountUrl);
  const queueUrl =
    queueText === undefined ? undefined : https('AZURE_STORAGE_QUEUE_URL', queueText);
  if (!url || (queueText !== undefined && !queueUrl)) return undefined;

  const service = SERVICE_HOST.exec(url.hostname);
  const endpoint = (name: string): string =>
    service ? `https://${service[1]}.${name}.${service[3]}` : url.href.replace(/\/+$/, '');
  const tableUrl = endpoint('table');
  const queue = queueUrl?.href.replace(/\/+$/, '') ?? (service ? endpoint('queue') : undefined);
  if (!queue) {
    problems.push(
      `AZURE_STORAGE_QUEUE_URL is needed: "${accountUrl}" is not an <account>.table.core.windows.net address, so the Queue endpoint cannot be worked out from it.`,
    );
    return undefined;
  }
  return {
    tableUrl,
    queueUrl: queue,
    ...(clientId ? { managedIdentityClientId: clientId.toLowerCase() } : {}),
  };
}

function portNumber(name: string, text: string, problems: string[]): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    problems.push(`${name} "${text}" is not a port number (0 to 65535).`);
  }
  return port;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splits a list written with commas, semicolons or spaces, dropping empty entries. */
const listOf = (text: string | undefined): string[] =>
  (text ?? '').split(/[\s,;]+/).filter((item) => item !== '');

/**
 * The bot's identity settings, checked together: each combination botbuilder would reject at the
 * first message (or worse, accept and then fail to reply) is refused here, naming the variable.
 */
function readBotConfig(get: (name: string) => string | undefined, problems: string[]): BotConfig {
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

function readAdminEmails(text: string | undefined, problems: string[]): string[] {
  const emails = [...new Set(listOf(text).map(normaliseEmail))];
  for (const email of emails) {
    if (!isEmail(email)) {
      problems.push(`ADMIN_EMAILS has "${email}", which is not an email address.`);
    }
  }
  return emails;
}
