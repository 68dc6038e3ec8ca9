import { normaliseEmail } from '../domain/plan.js';
import type { PersonIdentity } from '../ports/people-repository.js';
import { encodeKeyPart } from './key-parts.js';

/**
 * The People table's key scheme, in one place.
 *
 * One table (default name `People`):
 *
 * | Record                                  | PartitionKey   | RowKey                          |
 * | --------------------------------------- | -------------- | ------------------------------- |
 * | a person known by their Entra account   | `people`       | `person\|id\|<tenant>\|<oid>`   |
 * | a person known only by email            | `people`       | `person\|mail\|<email>`         |
 * | address index: mail or UPN → people     | `people`       | `address\|<email>`              |
 * | object id index: oid → person           | `people`       | `oid\|<oid>`                    |
 * | admin index: a stored admin             | `people`       | `admin\|<person RowKey>`        |
 * | the admin index is complete             | `people`       | `meta\|admins-indexed`          |
 * | a team's roster: team → a member        | `people`       | `team\|<teamId>\|<person RowKey>` |
 * | last Graph install attempt for an address | `people`     | `install\|<email>`              |
 * | an installed group chat or team channel | `conversation` | the Teams conversation id       |
 * | a person as stored before this scheme   | `person`       | the lower-cased email           |
 *
 * - Who a person is decides their key: tenant and object id (lower-cased; `-` for a tenant not
 *   known, from records older than tenants), else the email a plan named them by. An address is
 *   an index row whose `keys` property lists the RowKeys of the people claiming it (JSON): one is
 *   the usual case, two or more means nobody is guessed. The object id row's `key` names the one
 *   record with that id. Every look-up is a point read of an index row and of the record it names.
 * - All of them share one partition, so a person and their index rows change in one entity-group
 *   transaction, conditional on the ETags read: the index never names a record that does not
 *   claim the address. A record or index row emptied by a transaction is first overwritten with a
 *   tombstone (`gone: true`, conditional, inside the transaction: a transaction's own deletes
 *   cannot be made conditional) and then deleted at the ETag the transaction gave it; a tombstone
 *   left by an interrupted clean-up reads as absent and is reused by the next write.
 * - One partition serves 2,000 entities a second (Azure's target): an organisation's people, their
 *   reminders and presses, and a roster sync of tens of thousands of members in transactions of 100,
 *   fit. Roster rows ("reachable through team X") are `team|<teamId>|<person RowKey>` in the
 *   same partition, so the members of a team are one key range and a person's paths (their
 *   record's `teams`) change in the same transaction as the person. A roster row repeats what the
 *   person's record said of them (name, addresses, Teams id) when it was written, so a re-sync
 *   tells an unchanged member from a changed one by reading the team's range alone.
 * - Each person stored as an admin has an `admin|<their RowKey>` row (property `key`), written
 *   and removed in the same transaction as the person, so the plan admins are one key range and
 *   a press never reads everyone to find them. A read checks the record it leads to still says
 *   admin. People stored as admins before this index get their rows once, when a process first
 *   uses the table, and `meta|admins-indexed` then says it is done.
 * - Parts are encoded like the plan table's (`encodeKeyPart`), so `|` inside a part never splits it.
 * - People stored before this scheme (partition `person`, keyed by email) are moved once, when a
 *   process first uses the table (AzurePeopleRepository.migrateLegacyPeople).
 */
export const DEFAULT_PEOPLE_TABLE_NAME = 'People';
export const PEOPLE_PARTITION = 'people';
export const CONVERSATION_PARTITION = 'conversation';
/** Where people were kept, by email, before identities and indexes. Read only to move them. */
export const LEGACY_PERSON_PARTITION = 'person';

const SEPARATOR = '|';
/** The character after SEPARATOR: the exclusive upper bound of a prefix range. */
const AFTER_SEPARATOR = '}';

/** The RowKey of a person's record. */
export function personRowKey(p: PersonIdentity): string {
  if (p.aadObjectId) {
    const tenant = p.tenantId ? encodeKeyPart(p.tenantId.toLowerCase()) : '-';
    return ['person', 'id', tenant, encodeKeyPart(p.aadObjectId.toLowerCase())].join(SEPARATOR);
  }
  return ['person', 'mail', encodeKeyPart(normaliseEmail(p.email))].join(SEPARATOR);
}

/** Every person record: `person|` ≤ RowKey < `person}`. */
export const PERSON_RANGE = { ge: `person${SEPARATOR}`, lt: `person${AFTER_SEPARATOR}` } as const;

export const addressRowKey = (address: string): string =>
  `address${SEPARATOR}${encodeKeyPart(normaliseEmail(address))}`;

/** The admin index row of a person's record. */
export const adminRowKey = (personRowKey: string): string => `admin${SEPARATOR}${personRowKey}`;

/** Every admin index row: `admin|` ≤ RowKey < `admin}`. */
export const ADMIN_RANGE = { ge: `admin${SEPARATOR}`, lt: `admin${AFTER_SEPARATOR}` } as const;

/** Present once every stored admin has an admin index row. */
export const ADMINS_INDEXED_ROW_KEY = 'meta|admins-indexed';

export const objectIdRowKey = (aadObjectId: string): string =>
  `oid${SEPARATOR}${encodeKeyPart(aadObjectId.toLowerCase())}`;

export const conversationRowKey = (conversationId: string): string => encodeKeyPart(conversationId);

/** A team's roster row for the person whose record is at `personKey` (personRowKey). */
export const rosterRowKey = (teamId: string, personKey: string): string =>
  ['team', encodeKeyPart(teamId), personKey].join(SEPARATOR);

/** Every roster row of one team: `team|<teamId>|` ≤ RowKey < `team|<teamId>}`. */
export const rosterRange = (teamId: string): { readonly ge: string; readonly lt: string } => {
  const prefix = ['team', encodeKeyPart(teamId)].join(SEPARATOR);
  return { ge: prefix + SEPARATOR, lt: prefix + AFTER_SEPARATOR };
};

/** The last Graph installation attempt for an address. */
export const installRowKey = (address: string): string =>
  `install${SEPARATOR}${encodeKeyPart(normaliseEmail(address))}`;

/** Every install attempt row: `install|` ≤ RowKey < `install}`. */
export const INSTALL_RANGE = {
  ge: `install${SEPARATOR}`,
  lt: `install${AFTER_SEPARATOR}`,
} as const;
