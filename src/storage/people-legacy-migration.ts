import { odata } from '@azure/data-tables';
import { ActionPlanError } from '../domain/errors.js';
import type { AddressMatch } from '../ports/people-repository.js';
import { legacyPersonFromEntity, normalised, personProperties } from './people-entities.js';
import type { PeopleTable } from './people-table.js';
import { LEGACY_PERSON_PARTITION } from './people-table-keys.js';
import { writePerson } from './people-writes.js';
import { statusOf } from './storage-call.js';

/** What moving the people stored before identities and indexes did (see migrateLegacyPeople). */
export interface LegacyMigration {
  /** Records written in the current scheme. */
  readonly moved: number;
  /** Records whose person was already stored in the current scheme (moved before, or a newer record of the same account). */
  readonly merged: number;
}

/**
 * Moves people stored before identities and indexes (partition `person`, keyed by email) into
 * the current scheme, newest first, each then removed at the ETag read; `match` is the
 * repository's lookup of an address in the current scheme. Safe to run again or in several
 * processes at once (AzurePeopleRepository.migrateLegacyPeople says how).
 */
export async function moveLegacyPeople(
  table: PeopleTable,
  match: (address: string) => Promise<AddressMatch>,
): Promise<LegacyMigration> {
  const legacy = await table.query(odata`PartitionKey eq ${LEGACY_PERSON_PARTITION}`);
  let moved = 0;
  let merged = 0;
  const newestFirst = legacy
    .map((e) => ({ e, person: legacyPersonFromEntity(e) }))
    .sort((a, b) => cmp(b.person.updatedAt, a.person.updatedAt));
  for (const { e, person } of newestFirst) {
    const value = normalised(person);
    // An address someone in the current scheme already claims stays theirs: an older version
    // of the bot still running during an upgrade must not make it ambiguous.
    const taken = (await match(value.email)).kind !== 'none';
    try {
      if (!taken) await writePerson(table, value, personProperties(value), null, []);
      if (taken) merged += 1;
      else moved += 1;
    } catch (error) {
      // Already there: moved by another process, or this account's newer record (an email
      // change left the old one behind) was moved first and is the person as they are now.
      if (!(error instanceof ActionPlanError && error.reason === 'conflict')) throw error;
      merged += 1;
    }
    await table.client
      .deleteEntity(LEGACY_PERSON_PARTITION, e.rowKey!, {
        etag: e.etag,
        ...table.requestOptions(),
      })
      .catch((error: unknown) => {
        // Gone already (another process moved it), or written since by an older version of
        // the bot still running: then it is moved again at the next start.
        if (statusOf(error) !== 404 && statusOf(error) !== 412) throw error;
      });
  }
  return { moved, merged };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
