import { odata, type TableEntity } from '@azure/data-tables';
import { ActionPlanError } from '../domain/errors.js';
import type { Versioned } from '../domain/plan.js';
import {
  pendingImportRecord,
  recordsExpiredBefore,
  type PendingImport,
  type PendingImportRepository,
} from '../ports/pending-imports.js';
import type { ReminderTable } from './azure-reminder-table.js';
import { corrupt, entityCodec, type StoredEntity } from './entity-codec.js';
import { statusOf, storageCall } from './storage-call.js';

/**
 * Files sent to the bot, waiting for their preview's Import or Cancel, in Table Storage.
 *
 * | Record              | table (default)  | PartitionKey  | RowKey        |
 * | ------------------- | ---------------- | ------------- | ------------- |
 * | the preview         | `PendingImports` | the random id | `record`      |
 * | a slice of the file | `PendingImports` | the random id | `file\|0000`… |
 *
 * Why a table and not a blob: everything else the bot keeps is in Table Storage, reached one way
 * (a key, or the managed identity's token with the Table role it already has), backed up and
 * emulated by the same Azurite, and "once" is the same ETag rule as every other record. A table
 * entity holds at most 1 MiB and a property 64 KiB, so the file (at most 10 MB) is cut into
 * slices of 10 binary properties of 64 KiB each (640 KiB an entity, 16 entities for the largest
 * file). The slices are written first and the record last, create-only: a record is only
 * ever there with its whole file, and a preview whose writing failed half-way is never offered.
 */
export const DEFAULT_PENDING_IMPORTS_TABLE_NAME = 'PendingImports';

const RECORD_ROW = 'record';
const FILE_PREFIX = 'file|';
/** `}` follows `|`: the exclusive end of the slices' RowKey range. */
const FILE_END = 'file}';
const PART_BYTES = 64 * 1024;
/**
 * Azure counts a binary property by its bytes, the emulator by its base64 text (a third more):
 * 10 parts (640 KiB, 853 KB as base64) stay under 1 MiB for both.
 */
const PARTS_PER_SLICE = 10;
const SLICE_BYTES = PART_BYTES * PARTS_PER_SLICE;

export class AzurePendingImports implements PendingImportRepository {
  constructor(private readonly table: ReminderTable) {}

  create(record: PendingImport, file: Uint8Array): Promise<void> {
    return storageCall('keep the file for its preview', async () => {
      await this.table.ensure();
      const slices = Math.max(1, Math.ceil(file.length / SLICE_BYTES));
      for (let slice = 0; slice < slices; slice++) {
        const entity: TableEntity<Record<string, unknown>> = {
          partitionKey: record.id,
          rowKey: sliceKey(slice),
        };
        for (let part = 0; part < PARTS_PER_SLICE; part++) {
          const start = slice * SLICE_BYTES + part * PART_BYTES;
          if (start >= file.length) break;
          // A Buffer, not a Uint8Array view: the SDK encodes a plain Uint8Array's whole
          // underlying buffer (Buffer.from(value.buffer)), whatever part of it the view shows.
          const length = Math.min(PART_BYTES, file.length - start);
          entity[`p${part}`] = Buffer.from(file.buffer, file.byteOffset + start, length);
        }
        // A retry after a lost answer finds its own slice there: the same bytes, so replace it.
        await this.table.client.upsertEntity(entity, 'Replace', this.table.options());
      }
      try {
        await this.table.client.createEntity(entityOf(record), this.table.options());
      } catch (error) {
        if (statusOf(error) === 409) {
          throw new ActionPlanError('already_exists', `A preview ${record.id} exists already.`);
        }
        throw error;
      }
    });
  }

  get(id: string): Promise<Versioned<PendingImport> | undefined> {
    return storageCall('read a file’s preview', async () => {
      const e = await this.table.get(id, RECORD_ROW);
      return e && { value: recordOf(e), version: e.etag };
    });
  }

  readFile(id: string): Promise<Uint8Array | undefined> {
    return storageCall('read a previewed file', async () => {
      const record = await this.table.get(id, RECORD_ROW);
      if (!record) return undefined;
      const slices = await this.slicesOf(id);
      if (slices.length === 0) return undefined;
      const parts: Uint8Array[] = [];
      for (const slice of slices) {
        for (let part = 0; part < PARTS_PER_SLICE; part++) {
          const bytes = slice[`p${part}`];
          if (bytes === undefined) break;
          if (!(bytes instanceof Uint8Array)) throw corrupt(slice, `"p${part}" is not binary`);
          parts.push(bytes);
        }
      }
      const { size } = recordOf(record);
      const file = Buffer.concat(parts);
      if (file.length !== size) {
        throw corrupt(record, `its file has ${file.length} bytes, not ${size}`);
      }
      return new Uint8Array(file.buffer, file.byteOffset, file.length);
    });
  }

  update(record: PendingImport, version: string): Promise<string> {
    return storageCall('update a file’s preview', () =>
      this.table.replaceAt(
        entityOf(record),
        version,
        `The preview of ${record.fileName} was changed by someone else.`,
      ),
    );
  }

  dropFile(id: string): Promise<void> {
    return storageCall('forget a previewed file', async () => {
      for (const slice of await this.slicesOf(id)) {
        try {
          await this.table.client.deleteEntity(id, slice.rowKey!, this.table.options());
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
        }
      }
    });
  }

  forgetExpired(now: Date): Promise<number> {
    return storageCall('forget expired previews', async () => {
      const expired = await this.table.query(
        odata`RowKey eq ${RECORD_ROW} and expiresAt lt ${now.toISOString()}`,
      );
      const forgetBefore = recordsExpiredBefore(now).toISOString();
      let dropped = 0;
      for (const e of expired) {
        const id = e.partitionKey!;
        if ((await this.slicesOf(id)).length > 0) {
          await this.dropFile(id);
          dropped++;
        }
        if (recordOf(e).expiresAt < forgetBefore) {
          await this.table.client
            .deleteEntity(id, RECORD_ROW, this.table.options())
            .catch((error: unknown) => {
              if (statusOf(error) !== 404) throw error;
            });
        }
      }
      return dropped;
    });
  }

  private slicesOf(id: string): Promise<StoredEntity[]> {
    return this.table.query(
      odata`PartitionKey eq ${id} and RowKey ge ${FILE_PREFIX} and RowKey lt ${FILE_END}`,
    );
  }
}

/** The most a slice holds, for tests that cross a slice's edge. */
export const PENDING_IMPORT_SLICE_BYTES = SLICE_BYTES;

const sliceKey = (n: number): string => `${FILE_PREFIX}${String(n).padStart(4, '0')}`;

/** The record's row: laid out by its schema (the id is the PartitionKey, not stored again). */
const codec = entityCodec(pendingImportRecord, ['id']);

function entityOf(r: PendingImport): TableEntity<Record<string, unknown>> {
  return {
    partitionKey: r.id,
    rowKey: RECORD_ROW,
    ...codec.properties(r, `The preview of ${r.fileName}`),
  };
}

const recordOf = (e: StoredEntity): PendingImport =>
  codec.fromEntity(e, { id: e.partitionKey ?? '' });
