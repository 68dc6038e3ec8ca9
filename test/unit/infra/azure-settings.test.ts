import { ConfigError, readConfig } from '../../../src/config.js';

/**
 * The settings a deployment in Azure relies on (infra/main.bicep sets them): storage reached with
 * a managed identity's token instead of a key, and Application Insights.
 */

const CLIENT_ID = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    readConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe('AZURE_STORAGE_ACCOUNT_URL: storage with a token instead of a connection string', () => {
  it('derives the table and queue endpoints from any of the account’s endpoints', () => {
    for (const url of [
      'https://stactionplan.table.core.windows.net',
      'https://stactionplan.table.core.windows.net/',
      'https://stactionplan.blob.core.windows.net/',
      'https://stactionplan.queue.core.windows.net',
    ]) {
      expect(readConfig({ AZURE_STORAGE_ACCOUNT_URL: url }).storage.account).toEqual({
        tableUrl: 'https://stactionplan.table.core.windows.net',
        queueUrl: 'https://stactionplan.queue.core.windows.net',
      });
    }
  });

  it('keeps a sovereign cloud’s suffix', () => {
    expect(
      readConfig({ AZURE_STORAGE_ACCOUNT_URL: 'https://stplan.table.core.usgovcloudapi.net' })
        .storage.account?.queueUrl,
    ).toBe('https://stplan.queue.core.usgovcloudapi.net');
  });

  it('takes the managed identity’s client id from AZURE_CLIENT_ID', () => {
    const account = readConfig({
      AZURE_STORAGE_ACCOUNT_URL: 'https://stactionplan.table.core.windows.net',
      AZURE_CLIENT_ID: CLIENT_ID.toUpperCase(),
    }).storage.account;
    expect(account?.managedIdentityClientId).toBe(CLIENT_ID);
  });

  it('needs AZURE_STORAGE_QUEUE_URL when the host does not name the account (Azurite)', () => {
    const table = 'https://127.0.0.1:10002/devstoreaccount1';
    expect(problemsOf({ AZURE_STORAGE_ACCOUNT_URL: table })).toEqual([
      expect.stringContaining('AZURE_STORAGE_QUEUE_URL is needed'),
    ]);
    expect(
      readConfig({
        AZURE_STORAGE_ACCOUNT_URL: table,
        AZURE_STORAGE_QUEUE_URL: 'https://127.0.0.1:10001/devstoreaccount1/',
      }).storage.account,
    ).toEqual({
      tableUrl: table,
      queueUrl: 'https://127.0.0.1:10001/devstoreaccount1',
    });
  });

  it('refuses plain http, since a token must never travel in clear', () => {
    expect(
      problemsOf({ AZURE_STORAGE_ACCOUNT_URL: 'http://stactionplan.table.core.windows.net' }),
    ).toEqual([expect.stringMatching(/^AZURE_STORAGE_ACCOUNT_URL .* is not an https URL/)]);
    expect(problemsOf({ AZURE_STORAGE_ACCOUNT_URL: 'stactionplan' })).toHaveLength(1);
  });

  it('refuses a connection string and an account URL together, and a queue URL alone', () => {
    expect(
      problemsOf({
        AZURE_STORAGE_ACCOUNT_URL: 'https://stactionplan.table.core.windows.net',
        AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      }),
    ).toEqual([expect.stringContaining('Both AZURE_STORAGE_CONNECTION_STRING and')]);
    expect(
      problemsOf({ AZURE_STORAGE_QUEUE_URL: 'https://stactionplan.queue.core.windows.net' }),
    ).toEqual([expect.stringContaining('AZURE_STORAGE_QUEUE_URL is set but')]);
  });

  it('refuses an AZURE_CLIENT_ID that is not a client id', () => {
    expect(problemsOf({ AZURE_CLIENT_ID: 'my-identity' })).toEqual([
      expect.stringContaining('AZURE_CLIENT_ID "my-identity" is not a client id'),
    ]);
  });

  it('leaves storage to the connection string or the embedded Azurite when unset', () => {
    expect(readConfig({}).storage.account).toBeUndefined();
    expect(readConfig({ AZURE_CLIENT_ID: CLIENT_ID }).storage.account).toBeUndefined();
  });
});

describe('APPLICATIONINSIGHTS_CONNECTION_STRING', () => {
  it('turns telemetry on when set, and leaves it off when not', () => {
    const connectionString =
      'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/';
    expect(
      readConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }).telemetry,
    ).toEqual({ connectionString });
    expect(readConfig({}).telemetry).toEqual({});
  });

  it('refuses something that is not a connection string (an instrumentation key alone)', () => {
    expect(
      problemsOf({ APPLICATIONINSIGHTS_CONNECTION_STRING: '00000000-0000-0000-0000-000000000000' }),
    ).toEqual([expect.stringContaining('APPLICATIONINSIGHTS_CONNECTION_STRING has no')]);
  });
});
