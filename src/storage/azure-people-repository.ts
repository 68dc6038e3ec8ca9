import { odata, type TableClient } from '@azure/data-tables';
import { normaliseEmail, type Versioned } from '../domain/plan.js';
import {
  addressesOf,
  type AddressMatch,
  type InstallAttempt,
  type InstalledConversation,
  type PeopleRepository,
  type Person,
  type PersonIdentity,
  type RosterEntry,
  type SavePersonOptions,
} from '../ports/people-repository.js';
import { runOutsideTurn } from '../ports/turn-deadline.js';
import { indexStoredAdmins } from './people-admin-index.js';
import {
  conversationFromEntity,
  conversationProperties,
  installAttemptFromEntity,
  installAttemptProperties,
  isGone,
  keysOf,
  normalised,
  optionalStr,
  personFromEntity,
  personProperties,
  rosterEntryFromEntity,
  versioned,
} from './people-entities.js';
import { moveLegacyPeople, type LegacyMigration } from './people-legacy-migration.js';
import { PeopleTable } from './people-table.js';
import {
  ADMIN_RANGE,
  addressRowKey,
  CONVERSATION_PARTITION,
  conversationRowKey,
  DEFAULT_PEOPLE_TABLE_NAME,
  INSTALL_RANGE,
  installRowKey,
  objectIdRowKey,
  PEOPLE_PARTITION,
  PERSON_RANGE,
  personRowKey,
  rosterRange,
} from './people-table-keys.js';
import { newPersonEntities, packed, type NewPerson } from './people-transactions.js';
import { createNewPeople, removePersonRows, writePerson } from './people-writes.js';
import { statusOf, storageCall } from './storage-call.js';

export {
  CONVERSATION_PARTITION,
  DEFAULT_PEOPLE_TABLE_NAME,
  LEGACY_PERSON_PARTITION,
  PEOPLE_PARTITION,
} from './people-table-keys.js';
export type { LegacyMigration } from './people-legacy-migration.js';

/** Point reads sent at once by findManyByEmail. */
const LOOKUP_CONCURRENCY = 16;

/** Transactions of new people sent at once (addNewPeople). */
const NEW_PEOPLE_CONCURRENCY = 4;

export interface AzurePeopleRepositoryOptions {
  /** Table name; `People` unless given. */
  readonly tableName?: string;
  /** Give up on one request after this long (see AzurePlanRepositoryOptions). Default 10 s. */
  readonly requestTimeoutMs?: number;
}

/**
 * The PeopleRepository on Azure Table Storage (or Azurite): who installed the bot and where it can
 * post. Errors follow the plan repository: a version mismatch is ActionPlanError('conflict'), a
 * storage that does not answer is ActionPlanError('storage_unavailable'). The key scheme is in
 * people-table-keys.ts.
 */
export class AzurePeopleRepository implements PeopleRepository {
  private migrated: Promise<unknown> | undefined;
  private readonly table: PeopleTable;

  constructor(
    client: TableClient,
    options: Pick<AzurePeopleRepositoryOptions, 'requestTimeoutMs'> = {},
  ) {
    this.table = new PeopleTable(client, options.requestTimeoutMs ?? 10_000);
  }

  /** A repository on the named table (default `People`); plain http only for a local Azurite. */
  static fromConnectionString(
    connectionString: string,
    options: AzurePeopleRepositoryOptions = {},
  ): AzurePeopleRepository {
    const tableName = options.tableName ?? DEFAULT_PEOPLE_TABLE_NAME;
    const client = PeopleTable.clientFor(connectionString, tableName);
    return new AzurePeopleRepository(client, options);
  }

  findByEmail(address: string): Promise<AddressMatch> {
    return storageCall('look a person up by their email', async () => {
      await this.ready();
      return this.match(normaliseEmail(address));
    });
  }

  findManyByEmail(addresses: readonly string[]): Promise<ReadonlyMap<string, AddressMatch>> {
    return storageCall('look people up by their email', async () => {
      await this.ready();
      const wanted = [...new Set(addresses.map(normaliseEmail))];
      // A bounded number at once: a sweep of thousands of owners sent every read together, and
      // the last of them waited out their timeout in the storage's queue.
      const matches: AddressMatch[] = new Array<AddressMatch>(wanted.length);
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < wanted.length; i = next++)
          matches[i] = await this.match(wanted[i]!);
      };
      await Promise.all(
        Array.from({ length: Math.min(LOOKUP_CONCURRENCY, wanted.length) }, worker),
      );
      return new Map(wanted.map((a, i) => [a, matches[i]!]));
    });
  }

  async getByEmail(address: string): Promise<Versioned<Person> | undefined> {
    const match = await this.findByEmail(address);
    return match.kind === 'one' ? match.person : undefined;
  }

  getByAadObjectId(aadObjectId: string, tenantId?: string): Promise<Versioned<Person> | undefined> {
    return storageCall('look a person up by their Entra ID', async () => {
      await this.ready();
      const oid = aadObjectId.toLowerCase();
      const tenant = tenantId?.toLowerCase();
      if (tenant) {
        const direct = await this.readPerson(personRowKey({ email: '', aadObjectId, tenantId }));
        if (direct) return direct;
      }
      // An account stored before its tenant was known, or a caller that does not know it.
      const index = await this.table.getEntity(PEOPLE_PARTITION, objectIdRowKey(oid));
      const key = index && !isGone(index) ? optionalStr(index, 'key') : undefined;
      const found = key ? await this.readPerson(key) : undefined;
      if (!found || found.value.aadObjectId?.toLowerCase() !== oid) return undefined;
      const stored = found.value.tenantId?.toLowerCase();
      return tenant && stored && stored !== tenant ? undefined : found;
    });
  }

  listPeople(): Promise<Versioned<Person>[]> {
    return storageCall('read the list of people', async () => {
      await this.ready();
      const found = await this.table.query(
        odata`PartitionKey eq ${PEOPLE_PARTITION} and RowKey ge ${PERSON_RANGE.ge} and RowKey lt ${PERSON_RANGE.lt}`,
      );
      return found
        .filter((e) => !isGone(e))
        .map((e) => versioned(personFromEntity(e), e))
        .sort((a, b) => a.value.email.localeCompare(b.value.email));
    });
  }

  listAdmins(): Promise<Versioned<Person>[]> {
    return storageCall('read the list of admins', async () => {
      await this.ready();
      const rows = await this.table.query(
        odata`PartitionKey eq ${PEOPLE_PARTITION} and RowKey ge ${ADMIN_RANGE.ge} and RowKey lt ${ADMIN_RANGE.lt}`,
      );
      const keys = rows.filter((r) => !isGone(r)).flatMap((r) => optionalStr(r, 'key') ?? []);
      const people = await Promise.all(keys.map((k) => this.readPerson(k)));
      return people
        .filter((p): p is Versioned<Person> => p?.value.admin === true)
        .sort((a, b) => a.value.email.localeCompare(b.value.email));
    });
  }

  async savePerson(
    person: Person,
    expectedVersion?: string | null,
    options: SavePersonOptions = {},
  ): Promise<void> {
    const value = normalised(person);
    // Built (and its size checked) before anything is read or sent.
    const properties = personProperties(value);
    await storageCall(`save the person ${value.email}`, async () => {
      await this.ready();
      await writePerson(
        this.table,
        value,
        properties,
        expectedVersion,
        options.replaces ?? [],
        options.exclusive === true,
      );
    });
  }

  addNewPeople(people: readonly Person[]): Promise<Person[]> {
    const values = people.map((p) => {
      const value = normalised(p);
      return {
        given: p,
        value,
        properties: personProperties(value),
      };
    });
    return storageCall('save the members of a team', async () => {
      await this.ready();
      const leftOver: Person[] = [];
      const taken = new Set<string>();
      const groups: NewPerson[] = [];
      for (const { given, value, properties } of values) {
        const entities = newPersonEntities(value, properties);
        // A member listed twice, or two sharing an address: one transaction cannot hold a row
        // twice, and the second must be judged against the first anyway.
        if (entities.some((e) => taken.has(e.rowKey))) {
          leftOver.push(given);
          continue;
        }
        for (const e of entities) taken.add(e.rowKey);
        groups.push({ person: given, entities });
      }
      const batches = packed(groups);
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < batches.length; i = next++) {
          leftOver.push(...(await createNewPeople(this.table, batches[i]!)));
        }
      };
      await Promise.all(Array.from({ length: NEW_PEOPLE_CONCURRENCY }, worker));
      return leftOver;
    });
  }

  listRoster(teamId: string): Promise<RosterEntry[]> {
    return storageCall('read the roster of a team', async () => {
      await this.ready();
      const range = rosterRange(teamId);
      const found = await this.table.query(
        odata`PartitionKey eq ${PEOPLE_PARTITION} and RowKey ge ${range.ge} and RowKey lt ${range.lt}`,
      );
      return found.filter((e) => !isGone(e)).map(rosterEntryFromEntity);
    });
  }

  saveInstallAttempt(attempt: InstallAttempt): Promise<void> {
    const entity = {
      partitionKey: PEOPLE_PARTITION,
      rowKey: installRowKey(attempt.address),
      ...installAttemptProperties(attempt),
    };
    return storageCall('record an installation attempt', async () => {
      await this.table.ensureTable();
      await this.table.client.upsertEntity(entity, 'Replace', this.table.requestOptions());
    });
  }

  listInstallAttempts(): Promise<InstallAttempt[]> {
    return storageCall('read the installation attempts', async () => {
      const found = await this.table.query(
        odata`PartitionKey eq ${PEOPLE_PARTITION} and RowKey ge ${INSTALL_RANGE.ge} and RowKey lt ${INSTALL_RANGE.lt}`,
      );
      return found.map(installAttemptFromEntity);
    });
  }

  removePerson(person: PersonIdentity): Promise<void> {
    return storageCall(`forget the person ${normaliseEmail(person.email)}`, async () => {
      await this.ready();
      await removePersonRows(this.table, personRowKey(person));
    });
  }

  saveConversation(conversation: InstalledConversation): Promise<void> {
    const entity = {
      partitionKey: CONVERSATION_PARTITION,
      rowKey: conversationRowKey(conversation.conversationId),
      ...conversationProperties(conversation),
    };
    return storageCall('save the conversation the bot was added to', async () => {
      await this.table.ensureTable();
      await this.table.client.upsertEntity(entity, 'Replace', this.table.requestOptions());
    });
  }

  removeConversation(conversationId: string): Promise<void> {
    return storageCall('forget the conversation the bot was removed from', async () => {
      await this.table.ensureTable();
      try {
        await this.table.client.deleteEntity(
          CONVERSATION_PARTITION,
          conversationRowKey(conversationId),
          this.table.requestOptions(),
        );
      } catch (error) {
        if (statusOf(error) !== 404) throw error; // already gone is what was asked for
      }
    });
  }

  listConversations(): Promise<InstalledConversation[]> {
    return storageCall('read the conversations the bot is in', async () => {
      const found = await this.table.query(odata`PartitionKey eq ${CONVERSATION_PARTITION}`);
      return found.map(conversationFromEntity);
    });
  }

  /**
   * One cheap round trip (a point read of a key that is never written): resolves when storage
   * answers, throws ActionPlanError('storage_unavailable') when it does not. For health checks.
   */
  probe(): Promise<void> {
    return storageCall('check that storage answers', async () => {
      await this.table.getEntity('probe', 'probe');
    });
  }

  /**
   * Moves people stored before identities and indexes (partition `person`, keyed by email) into
   * the current scheme, newest first, each then removed at the ETag read. Runs by itself the first
   * time a process uses the table; safe to run again or in several processes at once: a person
   * already stored in the current scheme (moved by someone else, or a newer record of the same
   * account whose email changed) is kept, and the old record just removed. Once nothing is left
   * to move it costs one empty query per process.
   */
  migrateLegacyPeople(): Promise<LegacyMigration> {
    return storageCall('move the people stored by an earlier version', async () => {
      await this.table.ensureTable();
      return this.migrate();
    });
  }

  // ---- Reads ----

  /**
   * Creates the table on first use, then moves any legacy people and indexes the admins stored
   * before the admin index: once per process.
   */
  private async ready(): Promise<void> {
    await this.table.ensureTable();
    // Once per process, whoever asks first: not cut short by that caller's deadline (an invoke).
    this.migrated ??= runOutsideTurn(() =>
      this.migrate().then(() => indexStoredAdmins(this.table)),
    ).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    await this.migrated;
  }

  private migrate(): Promise<LegacyMigration> {
    return moveLegacyPeople(this.table, (address) => this.match(address));
  }

  private async match(address: string): Promise<AddressMatch> {
    const index = await this.table.getEntity(PEOPLE_PARTITION, addressRowKey(address));
    const keys = index ? keysOf(index) : [];
    const people = (await Promise.all(keys.map((k) => this.readPerson(k)))).filter(
      // The index and the records change together, but a record read a moment after its index
      // row may have moved on: only a record that still claims the address counts.
      (p): p is Versioned<Person> => p !== undefined && addressesOf(p.value).includes(address),
    );
    if (people.length === 0) return { kind: 'none' };
    if (people.length === 1) return { kind: 'one', person: people[0]! };
    return { kind: 'ambiguous', people };
  }

  private async readPerson(rowKey: string): Promise<Versioned<Person> | undefined> {
    const e = await this.table.getEntity(PEOPLE_PARTITION, rowKey);
    return e && !isGone(e) ? versioned(personFromEntity(e), e) : undefined;
  }
}
