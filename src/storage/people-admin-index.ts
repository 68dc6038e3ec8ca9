import { odata, type TransactionAction } from '@azure/data-tables';
import { isGone } from './people-entities.js';
import type { PeopleTable } from './people-table.js';
import {
  adminRowKey,
  ADMINS_INDEXED_ROW_KEY,
  PEOPLE_PARTITION,
  PERSON_RANGE,
} from './people-table-keys.js';

/**
 * Gives every person stored as an admin before the admin index their index row, once per
 * table: a marker row says it is done, so later processes read one row. A row written for
 * someone whose admin right goes meanwhile is harmless (a read checks the record) and goes with
 * their next write.
 */
export async function indexStoredAdmins(table: PeopleTable): Promise<void> {
  if (await table.getEntity(PEOPLE_PARTITION, ADMINS_INDEXED_ROW_KEY)) return;
  const admins = await table.query(
    odata`PartitionKey eq ${PEOPLE_PARTITION} and RowKey ge ${PERSON_RANGE.ge} and RowKey lt ${PERSON_RANGE.lt} and admin eq true`,
  );
  for (let i = 0; i < admins.length; i += 100) {
    const batch = admins.slice(i, i + 100).filter((e) => !isGone(e));
    if (batch.length === 0) continue;
    await table.client.submitTransaction(
      batch.map((e): TransactionAction => {
        const rowKey = e.rowKey!;
        return [
          'upsert',
          { partitionKey: PEOPLE_PARTITION, rowKey: adminRowKey(rowKey), key: rowKey },
          'Replace',
        ];
      }),
      table.requestOptions(),
    );
  }
  await table.client.upsertEntity(
    {
      partitionKey: PEOPLE_PARTITION,
      rowKey: ADMINS_INDEXED_ROW_KEY,
      at: new Date().toISOString(),
    },
    'Replace',
    table.requestOptions(),
  );
}
