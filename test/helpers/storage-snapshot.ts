import { TableClient, TableServiceClient } from '@azure/data-tables';

/**
 * Every entity of every table in a storage account (the plans table, People, and whatever else
 * the app keeps), with its ETag and timestamp: two snapshots are equal only when nothing at all
 * was written in between, not even the same values again.
 */
export type StorageSnapshot = Record<string, Record<string, unknown>[]>;

export async function storageSnapshot(connectionString: string): Promise<StorageSnapshot> {
  const options = { allowInsecureConnection: true };
  const service = TableServiceClient.fromConnectionString(connectionString, options);
  const snapshot: StorageSnapshot = {};
  for await (const table of service.listTables()) {
    const name = table.name!;
    const client = TableClient.fromConnectionString(connectionString, name, options);
    const rows: Record<string, unknown>[] = [];
    for await (const entity of client.listEntities()) rows.push({ ...entity });
    snapshot[name] = rows.sort((a, b) =>
      `${String(a.partitionKey)}|${String(a.rowKey)}`.localeCompare(
        `${String(b.partitionKey)}|${String(b.rowKey)}`,
      ),
    );
  }
  return snapshot;
}
