/*
 * The configuration's shape: every setting the app reads from the environment, typed, and the
 * error that lists what is wrong with them. They are read in one place, src/config.ts.
 */

/**
 * Every setting the app reads from the environment. A bad or missing value fails at start with a
 * message naming the variable and how to fix it.
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
