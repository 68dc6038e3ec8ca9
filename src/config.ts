import { isTimeZone } from './domain/calendar.js';
import { DEFAULT_TIME_ZONE } from './domain/plan.js';
import { readBotConfig } from './config/bot-config.js';
import {
  ConfigError,
  LOG_LEVELS,
  type Config,
  type DownloadConfig,
  type GraphConfig,
  type LogLevel,
  type ReminderConfig,
} from './config/config-types.js';
import {
  GUID,
  portNumber,
  readAdminEmails,
  readFlag,
  urlOf,
  wholeNumber,
  type EnvGetter,
} from './config/config-values.js';
import { readStorageAccount } from './config/storage-config.js';

export { APP_TYPES, ConfigError, LOG_LEVELS } from './config/config-types.js';
export type {
  AppType,
  BotConfig,
  Config,
  DownloadConfig,
  GraphConfig,
  LogLevel,
  ReminderConfig,
  StorageAccountConfig,
} from './config/config-types.js';

/**
 * Every setting the app reads from the environment, read here and nowhere else: `readConfig` is
 * the one reader of process.env. A bad or missing value fails at start with a message naming the
 * variable and how to fix it. The settings' types are in config/config-types.ts; the checks
 * shared by every reader, and the readers of the bot's identity and of the storage account (each
 * long enough to be read on its own), are in config/ beside it and are handed this reader.
 */

type Env = Readonly<Record<string, string | undefined>>;

/** How an entry point exits when its configuration cannot be read (docs/CLI.md's exit codes). */
export const CONFIG_EXIT_CODE = 3;

/**
 * For an entry point: the configuration, or undefined once what is wrong (each setting by name)
 * has been written with `say`; the caller then exits with CONFIG_EXIT_CODE.
 */
export function readConfigOrSay(
  say: (text: string) => void,
  env: Env = process.env,
): Config | undefined {
  try {
    return readConfig(env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    say(e.message);
    return undefined;
  }
}

/** Reads the configuration from `env` (process.env by default). */
export function readConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const get: EnvGetter = (name) => {
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

function readGraphConfig(get: EnvGetter, problems: string[]): GraphConfig | undefined {
  const enabled = readFlag(get, 'GRAPH_INSTALL_ENABLED', false, problems);
  const baseText = get('GRAPH_BASE_URL') ?? 'https://graph.microsoft.com/v1.0';
  const catalogAppId = get('TEAMS_APP_CATALOG_ID');
  const manifestAppId = get('TEAMS_APP_ID');
  const clientId = get('AZURE_CLIENT_ID');
  const base = urlOf(baseText);
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
function readDownloadConfig(get: EnvGetter, problems: string[]): DownloadConfig {
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
  const seconds = wholeNumber(
    get,
    'FILE_DOWNLOAD_TIMEOUT_SECONDS',
    '10',
    { min: 1, max: 60, unit: 'seconds' },
    problems,
  );
  return { hosts, timeoutMs: seconds * 1000 };
}

function readReminderConfig(get: EnvGetter, problems: string[]): ReminderConfig {
  const enabled = readFlag(get, 'REMINDERS_ENABLED', true, problems);
  const sweepMinutes = wholeNumber(
    get,
    'REMINDER_SWEEP_MINUTES',
    '5',
    { min: 1, max: 60, unit: 'minutes' },
    problems,
  );
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
