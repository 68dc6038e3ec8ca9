import { isTimeZone } from './domain/calendar.js';
import { DEFAULT_TIME_ZONE } from './domain/plan.js';

/**
 * Every setting the app reads from the environment, read here and nowhere else. A bad or missing
 * value fails at start with a message naming the variable and how to fix it.
 */
export interface Config {
  readonly storage: {
    /** Azure Storage connection string; when absent the app runs its own embedded Azurite. */
    readonly connectionString?: string;
    readonly tableName: string;
    /** Where the embedded Azurite keeps its data. */
    readonly dataDir: string;
    /** Table port of the embedded Azurite; a second process (the CLI beside `npm start`) reuses it. */
    readonly embeddedTablePort: number;
  };
  /** Time zone for new plans (each plan keeps its own). */
  readonly defaultTimeZone: string;
  readonly logLevel: LogLevel;
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

  const tableName = get('ACTIONPLAN_TABLE') ?? 'ActionPlans';
  if (!/^[A-Za-z][A-Za-z0-9]{2,62}$/.test(tableName)) {
    problems.push(
      `ACTIONPLAN_TABLE "${tableName}" is not a valid table name: 3 to 63 letters and digits, starting with a letter.`,
    );
  }

  const port = get('AZURITE_TABLE_PORT') ?? '10002';
  const embeddedTablePort = Number(port);
  if (!Number.isInteger(embeddedTablePort) || embeddedTablePort < 0 || embeddedTablePort > 65535) {
    problems.push(`AZURITE_TABLE_PORT "${port}" is not a port number (0 to 65535).`);
  }

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

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    storage: {
      ...(connectionString ? { connectionString } : {}),
      tableName,
      dataDir: get('ACTIONPLAN_DATA_DIR') ?? '.data',
      embeddedTablePort,
    },
    defaultTimeZone,
    logLevel: level as LogLevel,
  };
}
