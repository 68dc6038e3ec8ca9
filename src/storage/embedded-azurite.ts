import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { resolve } from 'node:path';

/**
 * The storage emulator's public development account. Its name and key are published by Microsoft
 * in the Azurite and Azure Storage documentation ("Authorize with Shared Key credentials",
 * well-known account `devstoreaccount1`); they are the same on every machine, grant nothing
 * outside a local emulator, and are not a secret.
 */
export const DEVELOPMENT_ACCOUNT = {
  name: 'devstoreaccount1',
  key: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
} as const;

export type EmbeddedAzuriteOptions = (
  | { readonly inMemory: true }
  /** A directory for the data; the file names are the Azurite CLI's, so `azurite --location` can open it too. */
  | { readonly inMemory?: false; readonly location: string }
) & {
  /** 0 (the default) lets the system choose a free port. */
  readonly tablePort?: number;
  readonly queuePort?: number;
  /**
   * Serve https with this certificate and key (PEM file paths) and accept Entra ID bearer tokens
   * (Azurite's `--oauth basic`: it checks a token's issuer, audience and lifetime, not its
   * signature). For testing the token-credential path, which the SDK only takes over https.
   */
  readonly https?: { readonly certPath: string; readonly keyPath: string };
};

export interface EmbeddedAzurite {
  /** Connection string for the development account, with table and queue endpoints. */
  readonly connectionString: string;
  readonly tableEndpoint: string;
  readonly queueEndpoint: string;
  /** Stops both services and, when persistent, writes the data to disk. Safe to call twice. */
  stop(): Promise<void>;
}

/** The part of Azurite's (untyped) server classes used here. */
interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}
type Ctor<T> = new (...args: unknown[]) => T;
interface DefaultExport<T> {
  readonly default: Ctor<T>;
}

const HOST = '127.0.0.1';
/** Seconds an idle keep-alive connection stays open; Azurite's own default. */
const KEEP_ALIVE_TIMEOUT = 5;

/**
 * Starts the Table and Queue services of Azurite inside this process, on 127.0.0.1.
 *
 * Why in-process: `npm start` and the tests then need no separate emulator, and start in
 * milliseconds. `require('azurite')` itself cannot be used (it wants the `vscode` module), so the
 * server and configuration classes are loaded from Azurite's `dist` folder; the argument lists
 * below follow Azurite 3.35's TableConfiguration and QueueConfiguration constructors. The Queue
 * service is there for the reminder queue. API version checks are skipped so a newer SDK works,
 * and Azurite's own logs stay off.
 *
 * Only one process may use a persistent directory at a time.
 */
export async function startEmbeddedAzurite(
  options: EmbeddedAzuriteOptions,
): Promise<EmbeddedAzurite> {
  /* eslint-disable @typescript-eslint/no-require-imports -- Azurite ships no types or exports map */
  const TableServer = (
    require('azurite/dist/src/table/TableServer') as DefaultExport<AzuriteServer>
  ).default;
  const TableConfiguration = (
    require('azurite/dist/src/table/TableConfiguration') as DefaultExport<object>
  ).default;
  const QueueServer = (
    require('azurite/dist/src/queue/QueueServer') as DefaultExport<AzuriteServer>
  ).default;
  const QueueConfiguration = (
    require('azurite/dist/src/queue/QueueConfiguration') as DefaultExport<object>
  ).default;
  /* eslint-enable @typescript-eslint/no-require-imports */

  const inMemory = options.inMemory === true;
  const dir = options.inMemory === true ? undefined : resolve(options.location);
  if (dir) await mkdir(dir, { recursive: true });
  const path = (file: string): string => (dir ? resolve(dir, file) : ':memory:');

  const tableServer = new TableServer(
    new TableConfiguration(
      HOST,
      options.tablePort ?? 0,
      KEEP_ALIVE_TIMEOUT,
      path('__azurite_db_table__.json'), // metadataDBPath
      false, // enableDebugLog
      false, // enableAccessLog
      undefined, // accessLogWriteStream
      undefined, // debugLogFilePath
      false, // loose
      true, // skipApiVersionCheck
      options.https?.certPath ?? '', // cert
      options.https?.keyPath ?? '', // key
      '', // pwd
      options.https ? 'basic' : undefined, // oauth
      false, // disableProductStyleUrl
      inMemory, // isMemoryPersistence
    ),
  );
  const queueServer = new QueueServer(
    new QueueConfiguration(
      HOST,
      options.queuePort ?? 0,
      KEEP_ALIVE_TIMEOUT,
      path('__azurite_db_queue__.json'), // metadataDBPath
      path('__azurite_db_queue_extent__.json'), // extentDBPath
      [{ locationId: 'Default', locationPath: path('__queuestorage__'), maxConcurrency: 1 }],
      false, // enableAccessLog
      undefined, // accessLogWriteStream
      false, // enableDebugLog
      undefined, // debugLogFilePath
      false, // loose
      true, // skipApiVersionCheck
      options.https?.certPath ?? '', // cert
      options.https?.keyPath ?? '', // key
      '', // pwd
      options.https ? 'basic' : undefined, // oauth
      false, // disableProductStyleUrl
      inMemory, // isMemoryPersistence
      undefined, // memoryStore: Azurite's shared in-memory chunk store
    ),
  );

  try {
    await tableServer.start();
  } catch (error) {
    await Promise.all([discard(tableServer), discard(queueServer)]);
    throw error;
  }
  try {
    await queueServer.start();
  } catch (error) {
    await Promise.all([tableServer.close(), discard(queueServer)]);
    throw error;
  }

  const account = DEVELOPMENT_ACCOUNT.name;
  const tableEndpoint = `${tableServer.getHttpServerAddress()}/${account}`;
  const queueEndpoint = `${queueServer.getHttpServerAddress()}/${account}`;
  let stopping: Promise<void> | undefined;
  return {
    connectionString: developmentConnectionString(
      tableEndpoint,
      queueEndpoint,
      options.https ? 'https' : 'http',
    ),
    tableEndpoint,
    queueEndpoint,
    stop: () => {
      stopping ??= Promise.all([closeServer(tableServer), closeServer(queueServer)]).then(
        () => undefined,
      );
      return stopping;
    },
  };
}

/** The development account's connection string for the given endpoints. */
export function developmentConnectionString(
  tableEndpoint: string,
  queueEndpoint: string,
  protocol: 'http' | 'https' = 'http',
): string {
  return [
    `DefaultEndpointsProtocol=${protocol}`,
    `AccountName=${DEVELOPMENT_ACCOUNT.name}`,
    `AccountKey=${DEVELOPMENT_ACCOUNT.key}`,
    `TableEndpoint=${tableEndpoint}`,
    `QueueEndpoint=${queueEndpoint}`,
  ].join(';');
}

/**
 * True when an Azurite answers on 127.0.0.1:`port` (it names itself in the Server header): used
 * to share one embedded Azurite between `npm start` and the CLI instead of opening its data twice.
 */
export async function azuriteAnswersOn(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://${HOST}:${port}/${DEVELOPMENT_ACCOUNT.name}/Tables`, {
      signal: AbortSignal.timeout(2000),
    });
    await res.body?.cancel();
    return (res.headers.get('server') ?? '').startsWith('Azurite');
  } catch {
    return false;
  }
}

/** The loopback endpoints of an Azurite on these ports. */
export function loopbackEndpoints(
  tablePort: number,
  queuePort: number,
): { table: string; queue: string } {
  return {
    table: `http://${HOST}:${tablePort}/${DEVELOPMENT_ACCOUNT.name}`,
    queue: `http://${HOST}:${queuePort}/${DEVELOPMENT_ACCOUNT.name}`,
  };
}

/**
 * Lets go of a server that never started (its port was taken). Azurite's close() refuses a server
 * that is not running, yet its constructor already opened its metadata stores, each with a
 * 5-second autosave interval that would keep this process alive for ever; afterClose() is the
 * server's own way of closing them. Nothing was changed, so nothing is written.
 */
async function discard(server: AzuriteServer): Promise<void> {
  const closeStores = (server as unknown as { afterClose?: () => Promise<void> }).afterClose;
  await closeStores?.call(server).catch(() => undefined);
}

/**
 * Azurite's close() asks its HTTP server to stop but does not wait for it; waiting for the
 * server's 'close' event here means no socket outlives stop() (so jest exits cleanly).
 */
async function closeServer(server: AzuriteServer): Promise<void> {
  const http = (server as unknown as { httpServer?: Server }).httpServer;
  const closed =
    http?.listening === true
      ? new Promise<void>((done) => http.once('close', () => done()))
      : Promise.resolve();
  await server.close();
  await closed;
}
