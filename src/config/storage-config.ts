import type { StorageAccountConfig } from './config-types.js';
import { GUID, urlOf, type EnvGetter } from './config-values.js';

/** `<account>.<service>.<suffix>`: an Azure Storage service endpoint's host (any cloud). */
const SERVICE_HOST = /^([a-z0-9]{3,24})\.(blob|table|queue|file|dfs)\.(.+)$/i;

/**
 * The token-authenticated account: `AZURE_STORAGE_ACCOUNT_URL`, any of the account's service
 * endpoints (the table and queue endpoints are derived from its host), or an endpoint whose host
 * says nothing (Azurite, a private endpoint's custom name): then it is the Table endpoint itself
 * and `AZURE_STORAGE_QUEUE_URL` must name the Queue endpoint.
 */
export function readStorageAccount(
  get: EnvGetter,
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
    const url = urlOf(text);
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
