import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { requestLimitMs } from '../ports/turn-deadline.js';
import { STORAGE_RETRY_OPTIONS } from './azure-plan-repository.js';
import type { StoredEntity } from './people-entities.js';
import { PEOPLE_PARTITION } from './people-table-keys.js';
import { statusOf } from './storage-call.js';

/**
 * The People table's plumbing, shared by the repository, its writes and its one-time backfills:
 * the client, the table created on first use, and the reads every one of them makes, each
 * request within its time limit. It knows nothing of people.
 */
export class PeopleTable {
  private tableReady: Promise<void> | undefined;

  constructor(
    readonly client: TableClient,
    private readonly requestTimeoutMs: number,
  ) {}

  /** A client on the named table; plain http only for a local Azurite. */
  static clientFor(connectionString: string, tableName: string): TableClient {
    const clientOptions: TableServiceClientOptions = { retryOptions: { ...STORAGE_RETRY_OPTIONS } };
    const client = TableClient.fromConnectionString(connectionString, tableName, clientOptions);
    if (!client.url.startsWith('http:')) return client;
    return TableClient.fromConnectionString(connectionString, tableName, {
      ...clientOptions,
      allowInsecureConnection: true,
    });
  }

  /** Creates the table on first use; an existing table is fine. Retried after a failure. */
  ensureTable(): Promise<void> {
    this.tableReady ??= this.client.createTable(this.requestOptions()).catch((error: unknown) => {
      if (statusOf(error) === 409) return; // TableAlreadyExists
      this.tableReady = undefined;
      throw error;
    });
    return this.tableReady;
  }

  async getEntity(partitionKey: string, rowKey: string): Promise<StoredEntity | undefined> {
    await this.ensureTable();
    try {
      return await this.client.getEntity<Record<string, unknown>>(
        partitionKey,
        rowKey,
        this.requestOptions(),
      );
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** The People partition's rows of these keys, in order (undefined where there is none). */
  readRows(rowKeys: readonly string[]): Promise<(StoredEntity | undefined)[]> {
    return Promise.all(rowKeys.map((k) => this.getEntity(PEOPLE_PARTITION, k)));
  }

  async query(filter: string): Promise<StoredEntity[]> {
    await this.ensureTable();
    const found: StoredEntity[] = [];
    const entities = this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter },
      ...this.requestOptions(),
    });
    for await (const entity of entities) found.push(entity);
    return found;
  }

  requestOptions(): { abortSignal: AbortSignal } {
    // Within a turn (a Teams invoke), no longer than what is left of its storage time.
    return { abortSignal: AbortSignal.timeout(requestLimitMs(this.requestTimeoutMs)) };
  }
}
