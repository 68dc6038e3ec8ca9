import { odata } from '@azure/data-tables';
import {
  sentCardRecord,
  type SentCard,
  type SentCardRepository,
} from '../ports/sent-card-repository.js';
import { ReminderTable } from './azure-reminder-table.js';
import { entityCodec, type StoredEntity } from './entity-codec.js';
import { statusOf, storageCall } from './storage-call.js';
import { decodeKeyPart, encodeKeyPart } from './table-keys.js';

/**
 * Sent cards in Table Storage. Table `SentCards`: PartitionKey = the plan id, RowKey =
 * `<ref>|<activity id>` (both encoded as in the plan table), so one action's copies are one range
 * (`<ref>|` … `<ref>}`) and recording the same activity twice writes the same entity.
 */
export const DEFAULT_SENT_CARDS_TABLE_NAME = 'SentCards';

/** The plan id is the PartitionKey; ref and activity id are both in the RowKey and stored. */
const codec = entityCodec(sentCardRecord, ['planId']);

const rowKeyOf = (ref: string, activityId: string): string =>
  `${encodeKeyPart(ref)}|${encodeKeyPart(activityId)}`;

export class AzureSentCardRepository implements SentCardRepository {
  constructor(private readonly table: ReminderTable) {}

  record(card: SentCard): Promise<void> {
    return storageCall('record a card sent to Teams', async () => {
      await this.table.ensure();
      await this.table.client.upsertEntity(
        {
          partitionKey: encodeKeyPart(card.planId),
          rowKey: rowKeyOf(card.ref, card.activityId),
          ...codec.properties(card, `The card sent about action ${card.ref}`),
        },
        'Replace',
        this.table.options(),
      );
    });
  }

  listForAction(planId: string, ref: string): Promise<SentCard[]> {
    return storageCall(`read the cards sent about action ${ref}`, async () => {
      const pk = encodeKeyPart(planId);
      const ge = `${encodeKeyPart(ref)}|`;
      const lt = `${encodeKeyPart(ref)}}`;
      const found = await this.table.query(
        odata`PartitionKey eq ${pk} and RowKey ge ${ge} and RowKey lt ${lt}`,
      );
      return sorted(found.map(cardOf));
    });
  }

  listAll(): Promise<SentCard[]> {
    return storageCall('read every card sent to Teams', async () => {
      return sorted((await this.table.query('')).map(cardOf));
    });
  }

  remove(card: Pick<SentCard, 'planId' | 'ref' | 'activityId'>): Promise<void> {
    return storageCall('forget a card sent to Teams', async () => {
      await this.table.ensure();
      try {
        await this.table.client.deleteEntity(
          encodeKeyPart(card.planId),
          rowKeyOf(card.ref, card.activityId),
          this.table.options(),
        );
      } catch (error) {
        if (statusOf(error) !== 404) throw error;
      }
    });
  }
}

const cardOf = (e: StoredEntity): SentCard =>
  codec.fromEntity(e, { planId: decodeKeyPart(e.partitionKey ?? '') });

const sorted = (cards: SentCard[]): SentCard[] =>
  cards.sort(
    (a, b) => a.sentAt.localeCompare(b.sentAt) || a.activityId.localeCompare(b.activityId),
  );
