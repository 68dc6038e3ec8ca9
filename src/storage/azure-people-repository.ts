import {
  odata,
  TableClient,
  type TableServiceClientOptions,
  type TransactionAction,
} from '@azure/data-tables';
import { ActionPlanError } from '../domain/errors.js';
import { normaliseEmail, type Versioned } from '../domain/plan.js';
import {
  addressesOf,
  type AddressMatch,
  type InstallAttempt,
  type InstalledConversation,
  type PeopleRepository,
  type Person,
  type PersonIdentity,
  rosterEntryOf,
  type RosterEntry,
  sameRosterEntry,
  type SavePersonOptions,
} from '../ports/people-repository.js';
import { STORAGE_RETRY_OPTIONS } from './azure-plan-repository.js';
import {
  ADMIN_RANGE,
  adminRowKey,
  addressRowKey,
  CONVERSATION_PARTITION,
  conversationRowKey,
  DEFAULT_PEOPLE_TABLE_NAME,
  LEGACY_PERSON_PARTITION,
  objectIdRowKey,
  PEOPLE_PARTITION,
  PERSON_RANGE,
  personRowKey,
  INSTALL_RANGE,
  installRowKey,
  rosterRange,
  rosterRowKey,
} from './people-table-keys.js';
import {
  conversationFromEntity,
  conversationProperties,
  isGone,
  keysOf,
  legacyPersonFromEntity,
  normalised,
  optionalStr,
  personFromEntity,
  installAttemptFromEntity,
  installAttemptProperties,
  personProperties,
  rosterEntryFromEntity,
  rosterProperties,
  sameList,
  tombstone,
  versioned,
  type Entity,
  type Properties,
  type StoredEntity,
} from './people-entities.js';
import { statusOf, storageCall } from './storage-call.js';

export {
  CONVERSATION_PARTITION,
  DEFAULT_PEOPLE_TABLE_NAME,
  LEGACY_PERSON_PARTITION,
  PEOPLE_PARTITION,
} from './people-table-keys.js';
import { requestLimitMs, runOutsideTurn } from '../ports/turn-deadline.js';
import { indexStoredAdmins } from './people-admin-index.js';

/**
 * A write whose index rows someone else changed between its reads and its transaction is read
 * again and retried. Each round of a race has a winner, so n writers sharing an address need up
 * to n rounds (a roster sync may write several accounts of one address at once); far more such
 * races in a row means something is wrong.
 */
const WRITE_ATTEMPTS = 10;

/** Azure's limit of operations in one entity-group transaction. */
const TRANSACTION_LIMIT = 100;
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

/** What moving the people stored before identities and indexes did (see migrateLegacyPeople). */
export interface LegacyMigration {
  /** Records written in the current scheme. */
  readonly moved: number;
  /** Records whose person was already stored in the current scheme (moved before, or a newer record of the same account). */
  readonly merged: number;
}

/**
 * The PeopleRepository on Azure Table Storage (or Azurite): who installed the bot and where it can
 * post. Errors follow the plan repository: a version mismatch is ActionPlanError('conflict'), a
 * storage that does not answer is ActionPlanError('storage_unavailable'). The key scheme is in
 * people-table-keys.ts.
 */
export class AzurePeopleRepository implements PeopleRepository {
  private tableReady: Promise<void> | undefined;
  private migrated: Promise<unknown> | undefined;
  private readonly requestTimeoutMs: number;

  constructor(
    private readonly client: TableClient,
    options: Pick<AzurePeopleRepositoryOptions, 'requestTimeoutMs'> = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  /** A repository on the named table (default `People`); plain http only for a local Azurite. */
  static fromConnectionString(
    connectionString: string,
    options: AzurePeopleRepositoryOptions = {},
  ): AzurePeopleRepository {
    const tableName = options.tableName ?? DEFAULT_PEOPLE_TABLE_NAME;
    const clientOptions: TableServiceClientOptions = { retryOptions: { ...STORAGE_RETRY_OPTIONS } };
    let client = TableClient.fromConnectionString(connectionString, tableName, clientOptions);
    if (client.url.startsWith('http:')) {
      client = TableClient.fromConnectionString(connectionString, tableName, {
        ...clientOptions,
        allowInsecureConnection: true,
      });
    }
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
      const index = await this.getEntity(PEOPLE_PARTITION, objectIdRowKey(oid));
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
      const found = await this.query(
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
      const rows = await this.query(
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
      await this.write(
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
          leftOver.push(...(await this.createAll(batches[i]!)));
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
      const found = await this.query(
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
      await this.ensureTable();
      await this.client.upsertEntity(entity, 'Replace', this.requestOptions());
    });
  }

  listInstallAttempts(): Promise<InstallAttempt[]> {
    return storageCall('read the installation attempts', async () => {
      const found = await this.query(
        odata`PartitionKey eq ${PEOPLE_PARTITION} and RowKey ge ${INSTALL_RANGE.ge} and RowKey lt ${INSTALL_RANGE.lt}`,
      );
      return found.map(installAttemptFromEntity);
    });
  }

  removePerson(person: PersonIdentity): Promise<void> {
    return storageCall(`forget the person ${normaliseEmail(person.email)}`, async () => {
      await this.ready();
      await this.remove(personRowKey(person));
    });
  }

  saveConversation(conversation: InstalledConversation): Promise<void> {
    const entity = {
      partitionKey: CONVERSATION_PARTITION,
      rowKey: conversationRowKey(conversation.conversationId),
      ...conversationProperties(conversation),
    };
    return storageCall('save the conversation the bot was added to', async () => {
      await this.ensureTable();
      await this.client.upsertEntity(entity, 'Replace', this.requestOptions());
    });
  }

  removeConversation(conversationId: string): Promise<void> {
    return storageCall('forget the conversation the bot was removed from', async () => {
      await this.ensureTable();
      try {
        await this.client.deleteEntity(
          CONVERSATION_PARTITION,
          conversationRowKey(conversationId),
          this.requestOptions(),
        );
      } catch (error) {
        if (statusOf(error) !== 404) throw error; // already gone is what was asked for
      }
    });
  }

  listConversations(): Promise<InstalledConversation[]> {
    return storageCall('read the conversations the bot is in', async () => {
      const found = await this.query(odata`PartitionKey eq ${CONVERSATION_PARTITION}`);
      return found.map(conversationFromEntity);
    });
  }

  /**
   * One cheap round trip (a point read of a key that is never written): resolves when storage
   * answers, throws ActionPlanError('storage_unavailable') when it does not. For health checks.
   */
  probe(): Promise<void> {
    return storageCall('check that storage answers', async () => {
      await this.getEntity('probe', 'probe');
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
      await this.ensureTable();
      return this.migrate();
    });
  }

  // ---- Reads ----

  /**
   * Creates the table on first use, then moves any legacy people and indexes the admins stored
   * before the admin index: once per process.
   */
  private async ready(): Promise<void> {
    await this.ensureTable();
    // Once per process, whoever asks first: not cut short by that caller's deadline (an invoke).
    this.migrated ??= runOutsideTurn(() =>
      this.migrate().then(() =>
        indexStoredAdmins({
          client: this.client,
          getEntity: (pk, rk) => this.getEntity(pk, rk),
          query: (filter) => this.query(filter),
          requestOptions: () => this.requestOptions(),
        }),
      ),
    ).catch((error: unknown) => {
      this.migrated = undefined;
      throw error;
    });
    await this.migrated;
  }

  private async match(address: string): Promise<AddressMatch> {
    const index = await this.getEntity(PEOPLE_PARTITION, addressRowKey(address));
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
    const e = await this.getEntity(PEOPLE_PARTITION, rowKey);
    return e && !isGone(e) ? versioned(personFromEntity(e), e) : undefined;
  }

  // ---- Writes: the person and every index row they touch, in one transaction ----

  private async write(
    value: Person,
    properties: Properties,
    expectedVersion: string | null | undefined,
    replaces: readonly Versioned<Person>[],
    exclusive = false,
  ): Promise<void> {
    const rowKey = personRowKey(value);
    const replaced = replaces.map((r) => ({ rowKey: personRowKey(r.value), read: r }));
    if (replaced.some((r) => r.rowKey === rowKey)) {
      throw new ActionPlanError('invalid_input', 'A person cannot take their own place.');
    }
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.getEntity(PEOPLE_PARTITION, rowKey);
      const live = current && !isGone(current) ? current : undefined;
      if (expectedVersion === null && live) throw alreadyKnown(value.email);
      if (typeof expectedVersion === 'string' && live?.etag !== expectedVersion) {
        throw changedMeanwhile(value.email);
      }
      const plan = new TransactionPlan();
      plan.put({ partitionKey: PEOPLE_PARTITION, rowKey, ...properties }, current);
      for (const r of replaced) plan.bury(r.rowKey, r.read.version);
      planRoster(plan, rowKey, value, live ? personFromEntity(live) : undefined);
      for (const r of replaced) planRoster(plan, r.rowKey, undefined, r.read.value);
      const gone = new Set([rowKey, ...replaced.map((r) => r.rowKey)]);
      const claims = new Set(addressesOf(value));
      const addresses = new Set([
        ...claims,
        ...(live ? addressesOf(personFromEntity(live)) : []),
        ...replaced.flatMap((r) => addressesOf(r.read.value)),
      ]);
      const objectIds = new Set(
        [value, ...replaced.map((r) => r.read.value)].flatMap((p) =>
          p.aadObjectId ? [p.aadObjectId.toLowerCase()] : [],
        ),
      );
      const adminKeys = [rowKey, ...replaced.map((r) => r.rowKey)];
      const [addressRows, objectIdRows, adminRows] = await Promise.all([
        this.readRows([...addresses].map(addressRowKey)),
        this.readRows([...objectIds].map(objectIdRowKey)),
        this.readRows(adminKeys.map(adminRowKey)),
      ]);
      [...addresses].forEach((address, i) => {
        const row = addressRows[i];
        const before = row ? keysOf(row) : [];
        const others = before.filter((k) => !gone.has(k));
        if (exclusive && claims.has(address) && others.length > 0) throw addressHeld(address);
        const after = [...others, ...(claims.has(address) ? [rowKey] : [])];
        plan.setIndex(
          addressRowKey(address),
          row,
          after.length > 0 ? { keys: JSON.stringify(after) } : undefined,
          sameList(before, after),
        );
      });
      [...objectIds].forEach((oid, i) => {
        const row = objectIdRows[i];
        const before = row && !isGone(row) ? optionalStr(row, 'key') : undefined;
        const after =
          oid === value.aadObjectId?.toLowerCase()
            ? rowKey
            : before !== undefined && !gone.has(before)
              ? before
              : undefined;
        plan.setIndex(
          objectIdRowKey(oid),
          row,
          after ? { key: after } : undefined,
          before === after,
        );
      });
      // The admin index: this record's row while it is an admin; the rows of those it replaces go.
      adminKeys.forEach((key, i) => {
        const admin = key === rowKey && value.admin === true;
        plan.setIndex(adminRowKey(key), adminRows[i], admin ? { key } : undefined, admin);
      });
      const outcome = await this.submit(plan);
      if (outcome === 'written') return;
      // The person's own record (first) or one it replaces changed: the caller read too early.
      // An index row changed: someone else wrote a person sharing an address; read it again.
      const refusedOwn = outcome.index === 0 && expectedVersion !== undefined;
      const refusedReplaced = outcome.index > 0 && outcome.index <= replaced.length;
      if (refusedOwn || refusedReplaced || attempt >= WRITE_ATTEMPTS) {
        const about = refusedReplaced ? replaced[outcome.index - 1]!.read.value.email : value.email;
        throw outcome.exists && expectedVersion === null && outcome.index === 0
          ? alreadyKnown(about)
          : changedMeanwhile(about, outcome.cause);
      }
    }
  }

  private async remove(rowKey: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.getEntity(PEOPLE_PARTITION, rowKey);
      if (!current || isGone(current)) return;
      const person = personFromEntity(current);
      const plan = new TransactionPlan();
      plan.bury(rowKey, current.etag);
      planRoster(plan, rowKey, undefined, person);
      const addresses = addressesOf(person);
      const oid = person.aadObjectId?.toLowerCase();
      const [addressRows, objectIdRows, adminRows] = await Promise.all([
        this.readRows(addresses.map(addressRowKey)),
        this.readRows(oid ? [objectIdRowKey(oid)] : []),
        this.readRows([adminRowKey(rowKey)]),
      ]);
      plan.setIndex(adminRowKey(rowKey), adminRows[0], undefined, false);
      addresses.forEach((address, i) => {
        const row = addressRows[i];
        const before = row ? keysOf(row) : [];
        const after = before.filter((k) => k !== rowKey);
        plan.setIndex(
          addressRowKey(address),
          row,
          after.length > 0 ? { keys: JSON.stringify(after) } : undefined,
          sameList(before, after),
        );
      });
      if (oid) {
        const row = objectIdRows[0];
        const pointsHere = row !== undefined && !isGone(row) && optionalStr(row, 'key') === rowKey;
        if (pointsHere) plan.setIndex(objectIdRowKey(oid), row, undefined, false);
      }
      const outcome = await this.submit(plan);
      if (outcome === 'written') return;
      if (attempt >= WRITE_ATTEMPTS) throw changedMeanwhile(person.email, outcome.cause);
    }
  }

  /**
   * Sends the transaction; then deletes what it buried, each at the ETag the transaction gave it
   * (a row someone wrote again since is theirs now, and stays). A refusal comes back with the
   * index of the refused operation, as Azure and Azurite put it at the start of the message.
   */
  private async submit(
    plan: TransactionPlan,
  ): Promise<'written' | { index: number; exists: boolean; cause: unknown }> {
    if (plan.actions.length === 0) return 'written';
    let response;
    try {
      response = await this.client.submitTransaction(plan.actions, this.requestOptions());
    } catch (error) {
      const status = statusOf(error);
      if (status !== 412 && status !== 409 && status !== 404) throw error;
      const index = /^(\d+):/.exec(error instanceof Error ? error.message : '')?.[1];
      return {
        index: index === undefined ? -1 : Number(index),
        exists: status === 409,
        cause: error,
      };
    }
    await Promise.all(
      plan.buried.map(async ({ rowKey, index }) => {
        // Sub-responses come in the order of the operations (their RowKeys are URL-encoded).
        const etag = response.subResponses[index]?.etag?.trim();
        if (!etag) return;
        await this.client
          .deleteEntity(PEOPLE_PARTITION, rowKey, { etag, ...this.requestOptions() })
          .catch(() => {
            // A tombstone left behind reads as absent and is reused by the next write.
          });
      }),
    );
    return 'written';
  }

  /**
   * One transaction of new people's creates; a person whose row exists already is taken out and
   * the rest sent again. Resolves to the people taken out.
   */
  private async createAll(batch: readonly NewPerson[]): Promise<Person[]> {
    const leftOver: Person[] = [];
    let pending = [...batch];
    while (pending.length > 0) {
      const actions: TransactionAction[] = pending.flatMap((g) =>
        g.entities.map((e): TransactionAction => ['create', e]),
      );
      let refused: { index: number } | 'written';
      try {
        await this.client.submitTransaction(actions, this.requestOptions());
        refused = 'written';
      } catch (error) {
        if (statusOf(error) !== 409) throw error;
        const index = /^(\d+):/.exec(error instanceof Error ? error.message : '')?.[1];
        refused = { index: index === undefined ? -1 : Number(index) };
      }
      if (refused === 'written') return leftOver;
      // The person whose create was refused goes back to the caller; without an index, all do.
      let at = refused.index;
      const culprit =
        at < 0
          ? -1
          : pending.findIndex((g) => {
              at -= g.entities.length;
              return at < 0;
            });
      if (culprit < 0) return [...leftOver, ...pending.map((g) => g.person)];
      leftOver.push(pending[culprit]!.person);
      pending = pending.filter((_, i) => i !== culprit);
    }
    return leftOver;
  }

  private async readRows(rowKeys: readonly string[]): Promise<(StoredEntity | undefined)[]> {
    return Promise.all(rowKeys.map((k) => this.getEntity(PEOPLE_PARTITION, k)));
  }

  // ---- Moving people stored before identities ----

  private async migrate(): Promise<LegacyMigration> {
    const legacy = await this.query(odata`PartitionKey eq ${LEGACY_PERSON_PARTITION}`);
    let moved = 0;
    let merged = 0;
    const newestFirst = legacy
      .map((e) => ({ e, person: legacyPersonFromEntity(e) }))
      .sort((a, b) => cmp(b.person.updatedAt, a.person.updatedAt));
    for (const { e, person } of newestFirst) {
      const value = normalised(person);
      // An address someone in the current scheme already claims stays theirs: an older version
      // of the bot still running during an upgrade must not make it ambiguous.
      const taken = (await this.match(value.email)).kind !== 'none';
      try {
        if (!taken) await this.write(value, personProperties(value), null, []);
        if (taken) merged += 1;
        else moved += 1;
      } catch (error) {
        // Already there: moved by another process, or this account's newer record (an email
        // change left the old one behind) was moved first and is the person as they are now.
        if (!(error instanceof ActionPlanError && error.reason === 'conflict')) throw error;
        merged += 1;
      }
      await this.client
        .deleteEntity(LEGACY_PERSON_PARTITION, e.rowKey!, {
          etag: e.etag,
          ...this.requestOptions(),
        })
        .catch((error: unknown) => {
          // Gone already (another process moved it), or written since by an older version of
          // the bot still running: then it is moved again at the next start.
          if (statusOf(error) !== 404 && statusOf(error) !== 412) throw error;
        });
    }
    return { moved, merged };
  }

  // ---- Plumbing ----

  /** Creates the table on first use; an existing table is fine. Retried after a failure. */
  private ensureTable(): Promise<void> {
    this.tableReady ??= this.client.createTable(this.requestOptions()).catch((error: unknown) => {
      if (statusOf(error) === 409) return; // TableAlreadyExists
      this.tableReady = undefined;
      throw error;
    });
    return this.tableReady;
  }

  private async getEntity(partitionKey: string, rowKey: string): Promise<StoredEntity | undefined> {
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

  private async query(filter: string): Promise<StoredEntity[]> {
    await this.ensureTable();
    const found: StoredEntity[] = [];
    const entities = this.client.listEntities<Record<string, unknown>>({
      queryOptions: { filter },
      ...this.requestOptions(),
    });
    for await (const entity of entities) found.push(entity);
    return found;
  }

  private requestOptions(): { abortSignal: AbortSignal } {
    // Within a turn (a Teams invoke), no longer than what is left of its storage time.
    return { abortSignal: AbortSignal.timeout(requestLimitMs(this.requestTimeoutMs)) };
  }
}

/**
 * The operations of one write, each conditional on what was read: a row read is updated at its
 * ETag (a tombstone too), a row not there is created, and a row to remove becomes a tombstone.
 */
class TransactionPlan {
  readonly actions: TransactionAction[] = [];
  /** Rows made tombstones (and their operation), to delete once the transaction is in. */
  readonly buried: { readonly rowKey: string; readonly index: number }[] = [];

  /** The person's own record, always first (refusals of operation 0 are about it). */
  put(entity: Entity, read: StoredEntity | undefined): void {
    this.actions.push(
      read ? ['update', entity, 'Replace', { etag: read.etag }] : ['create', entity],
    );
  }

  /** A row written only with its person (a roster row), replaced by a tombstone at any ETag. */
  drop(rowKey: string): void {
    this.buried.push({ rowKey, index: this.actions.length });
    this.actions.push(['upsert', tombstone(rowKey), 'Replace']);
  }

  /** A row written only with its person, as it should be now. */
  upsert(entity: Entity): void {
    this.actions.push(['upsert', entity, 'Replace']);
  }

  /** A record that must still be at `etag`, replaced by a tombstone. */
  bury(rowKey: string, etag: string): void {
    this.buried.push({ rowKey, index: this.actions.length });
    this.actions.push(['update', tombstone(rowKey), 'Replace', { etag }]);
  }

  /** An index row as it should be (`undefined`: nothing left in it); nothing sent if unchanged. */
  setIndex(
    rowKey: string,
    read: StoredEntity | undefined,
    properties: Properties | undefined,
    unchanged: boolean,
  ): void {
    const live = read !== undefined && !isGone(read);
    if (properties === undefined) {
      if (!live) return;
      this.bury(rowKey, read.etag);
      return;
    }
    if (live && unchanged) return;
    this.put({ partitionKey: PEOPLE_PARTITION, rowKey, ...properties }, read);
  }
}

/**
 * The person's roster rows as `after` says (none when undefined), given what `before` said: a
 * team listed gets its row when new or when what it says of them changed; a team no longer
 * listed loses it. Roster rows change only with their person's record, in its transaction, so
 * they need no reads of their own.
 */
function planRoster(
  plan: TransactionPlan,
  rowKey: string,
  after: Person | undefined,
  before: Person | undefined,
): void {
  const keep = new Set(after?.teams ?? []);
  for (const teamId of keep) {
    const entry = after ? rosterEntryOf(after, teamId) : undefined;
    if (!entry) continue; // without an object id nobody is in a roster
    const was = before?.teams?.includes(teamId) ? rosterEntryOf(before, teamId) : undefined;
    if (was && sameRosterEntry(was, entry)) continue;
    plan.upsert({
      partitionKey: PEOPLE_PARTITION,
      rowKey: rosterRowKey(teamId, rowKey),
      ...rosterProperties(entry, rowKey),
    });
  }
  for (const teamId of before?.teams ?? []) {
    if (!keep.has(teamId)) plan.drop(rosterRowKey(teamId, rowKey));
  }
}

/** A new person's rows: their record, address and object id rows, and roster rows. */
interface NewPerson {
  readonly person: Person;
  readonly entities: readonly Entity[];
}

function newPersonEntities(value: Person, properties: Properties): Entity[] {
  const rowKey = personRowKey(value);
  const row = (key: string, props: Properties): Entity => ({
    partitionKey: PEOPLE_PARTITION,
    rowKey: key,
    ...props,
  });
  return [
    row(rowKey, properties),
    ...addressesOf(value).map((a) => row(addressRowKey(a), { keys: JSON.stringify([rowKey]) })),
    ...(value.aadObjectId ? [row(objectIdRowKey(value.aadObjectId), { key: rowKey })] : []),
    // The admin index is kept in the person's own transaction, here as on every other write.
    ...(value.admin ? [row(adminRowKey(rowKey), { key: rowKey })] : []),
    ...(value.teams ?? []).flatMap((teamId) => {
      const entry = rosterEntryOf(value, teamId);
      return entry ? [row(rosterRowKey(teamId, rowKey), rosterProperties(entry, rowKey))] : [];
    }),
  ];
}

/** New people packed into transactions of at most TRANSACTION_LIMIT operations, in order. */
function packed(groups: readonly NewPerson[]): NewPerson[][] {
  const batches: NewPerson[][] = [];
  let current: NewPerson[] = [];
  let size = 0;
  for (const g of groups) {
    if (size + g.entities.length > TRANSACTION_LIMIT && current.length > 0) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(g);
    size += g.entities.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

const alreadyKnown = (email: string): ActionPlanError =>
  new ActionPlanError('conflict', `${email} is already known; read them again and retry.`);

const changedMeanwhile = (email: string, cause?: unknown): ActionPlanError =>
  new ActionPlanError(
    'conflict',
    `${email} was changed by someone else; read them again and retry.`,
    [],
    cause === undefined ? undefined : { cause },
  );

const addressHeld = (address: string): ActionPlanError =>
  new ActionPlanError('conflict', `${address} is claimed by another account; read it again.`);

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
