import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfig } from '../../../src/config.js';

/**
 * The deployment and the code agree. There is no Bicep compiler on the test machine (it is not an
 * npm package, and there is no `az` CLI), so infra/main.bicep is read as text here: its app
 * settings block, its parameters and its outputs.
 *
 * - Every setting src/config.ts reads is set by the Bicep app settings, or listed in
 *   docs/OPERATIONS.md as one a deployment leaves unset (with the reason), and described in a
 *   table of docs/CONFIGURATION.md, which names no setting config.ts does not read. The names are
 *   found in config.ts itself and the readers beside it in src/config/, so a setting added later (reminders, exports) fails this test until
 *   the deployment and the docs say what to do with it.
 * - The Teams manifest's placeholders are filled by the provisioning: the bot id from the Bicep
 *   output that is also the bot's app id and the app's MicrosoftAppId.
 */

const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** config.ts and the readers it hands the environment to (src/config/). */
const CONFIG = [
  read('src/config.ts'),
  ...readdirSync(join(ROOT, 'src', 'config'))
    .filter((name) => name.endsWith('.ts'))
    .map((name) => read(join('src', 'config', name))),
].join('\n');
const BICEP = read('infra/main.bicep');
const PARAMETERS = JSON.parse(read('infra/main.parameters.json')) as {
  parameters: Record<string, { value: unknown }>;
};
const PROJECT = read('m365agents.yml');
const ENV_FILE = read('env/.env.dev');
const MANIFEST = read('appPackage/manifest.json');
const OPERATIONS = read('docs/OPERATIONS.md');
const CONFIGURATION = read('docs/CONFIGURATION.md');
const README = read('README.md');

/** App Service's own settings, set for the platform rather than read by the app. */
const PLATFORM_SETTINGS: Readonly<Record<string, string>> = {
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'App Service installs and builds the uploaded sources',
};

const PLACEHOLDER = /\$\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}/g;
const placeholdersIn = (text: string): string[] => [
  ...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!)),
];

/**
 * Every environment variable config.ts reads: the names it passes to its readers (`get('X')`,
 * `portOf('X', …)`), and, to catch a read written some other way, every name readConfig asks an
 * environment for.
 */
function settingsReadByConfig(): string[] {
  const literal = [...CONFIG.matchAll(/\b\w+\(\s*'([A-Za-z][A-Za-z0-9_]*)'/g)]
    .map((m) => m[1]!)
    // SHOUTING_CASE, or PascalCase of several words as the Bot Framework's (MicrosoftAppId).
    .filter((name) => /^(?:[A-Z][A-Z0-9_]+|[A-Z][a-z]+(?:[A-Z][a-z]+)+)$/.test(name));
  const asked = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_target, key) => {
      if (typeof key === 'string') asked.add(key);
      return undefined;
    },
  });
  readConfig(env);
  return [...new Set([...literal, ...asked])].sort();
}

/** The `appSettings: [ … ]` block of the web app, as name → value expression. */
function bicepAppSettings(): Map<string, string> {
  const start = BICEP.indexOf('appSettings: [');
  expect(start).toBeGreaterThan(0);
  let depth = 0;
  let end = start;
  for (let i = BICEP.indexOf('[', start); i < BICEP.length; i++) {
    if (BICEP[i] === '[') depth++;
    if (BICEP[i] === ']' && --depth === 0) {
      end = i;
      break;
    }
  }
  const block = BICEP.slice(start, end);
  return new Map(
    [...block.matchAll(/\{\s*name:\s*'([^']+)'\s*,\s*value:\s*(.+?)\s*\}\s*$/gm)].map((m) => [
      m[1]!,
      m[2]!,
    ]),
  );
}

/** Outputs of main.bicep, as name → value expression. */
function bicepOutputs(): Map<string, string> {
  return new Map(
    [...BICEP.matchAll(/^output\s+(\w+)\s+\w+\s*=\s*(.+)$/gm)].map((m) => [m[1]!, m[2]!.trim()]),
  );
}

/** A section of a Markdown document: from its heading to the next heading of the same level. */
function section(markdown: string, heading: string): string {
  const level = /^#+/.exec(heading)![0];
  const start = markdown.indexOf(`${heading}\n`);
  if (start < 0) throw new Error(`No section "${heading}"`);
  const rest = markdown.slice(start + heading.length + 1);
  const next = rest.search(new RegExp(`^${level} `, 'm'));
  return next < 0 ? rest : rest.slice(0, next);
}

/** Backticked names in the first column of a Markdown table's rows. */
const tableNames = (markdown: string): string[] =>
  markdown
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)])
    .map((m) => m[1]!);

/** Settings docs/OPERATIONS.md says a deployment leaves unset. */
const UNSET = new Set(tableNames(section(OPERATIONS, '### Settings a deployment leaves unset')));

/** Keys of env/.env.dev. */
const ENV_KEYS = new Set(
  ENV_FILE.split('\n')
    .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line)?.[1])
    .filter((key): key is string => key !== undefined),
);

describe('settings: src/config.ts ↔ infra/main.bicep ↔ docs', () => {
  const readByConfig = settingsReadByConfig();
  const settings = bicepAppSettings();

  it('finds the settings config.ts reads (a sanity check of the search itself)', () => {
    expect(readByConfig).toEqual(
      expect.arrayContaining([
        'AZURE_STORAGE_CONNECTION_STRING',
        'AZURE_STORAGE_ACCOUNT_URL',
        'AZURITE_TABLE_PORT',
        'MicrosoftAppId',
        'CertificatePrivateKey',
        'APPLICATIONINSIGHTS_CONNECTION_STRING',
      ]),
    );
    expect(readByConfig).not.toContain('table');
    expect(settings.size).toBeGreaterThan(5);
  });

  it('sets every setting config.ts reads, or docs/OPERATIONS.md says why a deployment does not', () => {
    const unaccounted = readByConfig.filter((name) => !settings.has(name) && !UNSET.has(name));
    expect(unaccounted).toEqual([]);
  });

  it('never both sets a setting and lists it as unset', () => {
    expect([...settings.keys()].filter((name) => UNSET.has(name))).toEqual([]);
  });

  it('sets nothing the app does not read, but for App Service’s own settings', () => {
    const unread = [...settings.keys()].filter(
      (name) => !readByConfig.includes(name) && !(name in PLATFORM_SETTINGS),
    );
    expect(unread).toEqual([]);
    // And the unset list names nothing the app has stopped reading.
    expect([...UNSET].filter((name) => !readByConfig.includes(name))).toEqual([]);
  });

  it('describes every setting in a table of docs/CONFIGURATION.md', () => {
    const documented = new Set(tableNames(CONFIGURATION));
    expect(readByConfig.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('describes no setting in docs/CONFIGURATION.md that config.ts does not read', () => {
    const documented = tableNames(CONFIGURATION);
    expect(documented.length).toBeGreaterThan(5);
    expect(documented.filter((name) => !readByConfig.includes(name))).toEqual([]);
  });

  it('gives the app settings that config.ts accepts together', () => {
    // The Bicep values are expressions; these are the literal ones, and stand-ins for the rest.
    const env: Record<string, string> = {
      AZURE_STORAGE_ACCOUNT_URL: 'https://stactionplan.table.core.windows.net/',
      AZURE_STORAGE_QUEUE_URL: 'https://stactionplan.queue.core.windows.net/',
      AZURE_CLIENT_ID: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
      MicrosoftAppId: '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
      MicrosoftAppTenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      ALLOWED_TENANT_IDS: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      APPLICATIONINSIGHTS_CONNECTION_STRING:
        'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/',
    };
    for (const [name, value] of settings) {
      const literal = /^'([^']*)'$/.exec(value);
      if (literal && !(name in env)) env[name] = literal[1]!;
    }
    expect(env.MicrosoftAppType).toBe('UserAssignedMSI');
    const config = readConfig(env);
    expect(config.storage.account).toBeDefined();
    expect(config.storage.connectionString).toBeUndefined();
    expect(config.bot.appType).toBe('UserAssignedMSI');
  });

  it('uses one identity for Teams and storage, with no secret anywhere', () => {
    const clientId = 'identity.properties.clientId';
    expect(settings.get('MicrosoftAppId')).toBe(clientId);
    expect(settings.get('AZURE_CLIENT_ID')).toBe(clientId);
    expect(BICEP).toMatch(/msaAppId:\s*identity\.properties\.clientId/);
    expect(BICEP).toMatch(/msaAppMSIResourceId:\s*identity\.id/);
    expect(settings.has('MicrosoftAppPassword')).toBe(false);
    expect(settings.has('AZURE_STORAGE_CONNECTION_STRING')).toBe(false);
    expect(BICEP).toMatch(/allowSharedKeyAccess:\s*false/);
    // Storage Table Data Contributor and Storage Queue Data Contributor, for that identity.
    expect(BICEP).toContain("tableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'");
    expect(BICEP).toContain("queueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'");
    expect(BICEP).toMatch(/principalId:\s*identity\.properties\.principalId/);
  });

  it('runs Node 20 with Always On and the /healthz health check, starting the built serve.js', () => {
    expect(BICEP).toContain("linuxFxVersion: 'NODE|20-lts'");
    expect(BICEP).toMatch(/alwaysOn:\s*true/);
    expect(BICEP).toContain("healthCheckPath: '/healthz'");
    const command = /appCommandLine:\s*'node (\S+)'/.exec(BICEP)?.[1];
    expect(command).toBe('dist/src/serve.js');
    expect(existsSync(join(ROOT, 'src', 'serve.ts'))).toBe(true);
  });
});

describe('infra/main.parameters.json and env/.env.dev', () => {
  const declared = new Map(
    [...BICEP.matchAll(/^param\s+(\w+)\s+\w+(\s*=)?/gm)].map((m) => [m[1]!, m[2] !== undefined]),
  );

  it('gives every parameter without a default, and only parameters main.bicep declares', () => {
    const given = Object.keys(PARAMETERS.parameters);
    const required = [...declared].filter(([, hasDefault]) => !hasDefault).map(([name]) => name);
    expect(required.filter((name) => !given.includes(name))).toEqual([]);
    expect(given.filter((name) => !declared.has(name))).toEqual([]);
  });

  it('holds placeholders only, each one a key of env/.env.dev', () => {
    for (const [name, { value }] of Object.entries(PARAMETERS.parameters)) {
      expect([name, value]).toEqual([name, expect.stringMatching(/^\$\{\{[A-Z0-9_]+\}\}$/)]);
    }
    expect(
      placeholdersIn(read('infra/main.parameters.json')).filter((p) => !ENV_KEYS.has(p)),
    ).toEqual([]);
  });

  it('keeps no secret in the environment file: every value blank or plainly not one', () => {
    const secrets = ENV_FILE.split('\n').filter(
      (line) => /^(SECRET_|.*(PASSWORD|KEY|CONNECTION_STRING)=)/.test(line) && !/=$/.test(line),
    );
    expect(secrets).toEqual([]);
  });
});

describe('the Teams manifest ↔ the provisioning', () => {
  const outputs = bicepOutputs();
  const written = new Set(
    [...PROJECT.matchAll(/writeToEnvironmentFile:\s*\n((?:\s+\w+:\s*\w+\s*\n?)+)/g)].flatMap((m) =>
      [...m[1]!.matchAll(/:\s*(\w+)/g)].map((k) => k[1]!),
    ),
  );

  it('fills the bot id placeholder from the Bicep output that is the bot’s app id', () => {
    expect(placeholdersIn(MANIFEST)).toContain('BOT_ID');
    expect(outputs.get('BOT_ID')).toBe('identity.properties.clientId');
    expect(bicepAppSettings().get('MicrosoftAppId')).toBe(outputs.get('BOT_ID'));
  });

  it('fills the bot domain from the web app that the bot’s messaging endpoint names', () => {
    expect(placeholdersIn(MANIFEST)).toContain('BOT_DOMAIN');
    expect(outputs.get('BOT_DOMAIN')).toBe('webApp.properties.defaultHostName');
    expect(BICEP).toContain(
      "endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'",
    );
  });

  it('has every manifest placeholder in env/.env.dev, and the generated ones filled by a step', () => {
    const placeholders = placeholdersIn(MANIFEST);
    expect(placeholders.filter((p) => !ENV_KEYS.has(p))).toEqual([]);
    const generated = placeholders.filter((p) => outputs.has(p) || written.has(p));
    expect(generated.sort()).toEqual(['BOT_DOMAIN', 'BOT_ID', 'TEAMS_APP_ID']);
  });
});

describe('m365agents.yml', () => {
  it('has the provision, deploy and publish stages', () => {
    for (const stage of ['provision', 'deploy', 'publish']) {
      expect(PROJECT).toMatch(new RegExp(`^${stage}:\\s*$`, 'm'));
    }
  });

  it('provisions with infra/main.bicep and its parameters file', () => {
    expect(PROJECT).toMatch(/- uses: arm\/deploy/);
    expect(PROJECT).toContain('path: ./infra/main.bicep');
    expect(PROJECT).toContain('parameters: ./infra/main.parameters.json');
  });

  it('deploys to the web app main.bicep outputs, leaving out what .webappignore names', () => {
    const resourceId = /resourceId:\s*\$\{\{(\w+)\}\}/.exec(PROJECT)?.[1];
    expect(resourceId).toBeDefined();
    expect(bicepOutputs().get(resourceId!)).toBe('webApp.id');
    const ignoreFile = /ignoreFile:\s*(\S+)/.exec(PROJECT)?.[1];
    const ignored = read(ignoreFile!);
    for (const path of ['node_modules/', '.data/', 'env/']) expect(ignored).toContain(path);
  });

  it('uses only placeholders that env/.env.dev has', () => {
    expect(placeholdersIn(PROJECT).filter((p) => !ENV_KEYS.has(p))).toEqual([]);
  });
});

describe('the deployment files are finished', () => {
  it.each([
    'infra/main.bicep',
    'infra/main.parameters.json',
    'm365agents.yml',
    'env/.env.dev',
    'docs/OPERATIONS.md',
  ])('%s has no TODO, FIXME or XXX', (path) => {
    expect(read(path)).not.toMatch(/\b(TODO|FIXME|XXX|TBD)\b/);
  });

  it('docs/OPERATIONS.md’s Deploy section follows the same steps, and the README leads to it', () => {
    const deploying = section(OPERATIONS, '## Deploy');
    for (const words of [
      'infra/main.bicep',
      'm365agents.yml',
      'atk provision',
      'atk deploy',
      'atk publish',
    ]) {
      expect(deploying).toContain(words);
    }
    expect(README).toContain('](docs/OPERATIONS.md)');
  });
});
