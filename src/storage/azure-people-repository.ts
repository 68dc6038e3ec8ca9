import {
  odata,
  TableClient,
  type TableEntityResult,
  type TableServiceClientOptions,
} from '@azure/data-tables';
import { ActionPlanError } from '../domain/errors.js';
import { normaliseEmail, type Versioned } from '../domain/plan.js';
import type {
  InstalledConversation,
  PeopleRepository,
  Person,
} from '../ports/people-repository.js';
import { STORAGE_RETRY_OPTIONS } from './azure-plan-repository.js';
import { statusOf, storageCall } from './storage-call.js';
import { decodeKeyPart, encodeKeyPart } from './table-keys.js';

/**
 * The people table's key scheme, in one place.
 *
 * One table (default name `People`), two partitions:
 *
 * | Record                  | PartitionKey   | RowKey                                     |
 * | ----------------------- | -------------- | ------------------------------------------ |
 * | a person                | `person`       | the lower-cased email (or UPN), encoded    |
 * | an installed group chat | `conversation` | the Teams conversation id, encoded         |
 * | or team channel         |                |                                            |
 *
 * - Encoding is the plan table's (`encodeKeyPart`): `%`, `|`, `/`, `\`, `#`, `?` and control
 *   characters become `%XX`, so a channel id such as `19:abc@thread.tacv2;messageid=1` stays
 *   readable in Storage Explorer and is decoded on read.
 * - People are keyed by email because that is how a plan names owners and champions; finding a
 *   person by their Entra object id is a filtered query over the `person` partition (an
 *   organisation's worth of people is a page or two). Should someone's email change, the old
 *   record stays until an admin removes it; the most recently updated match is returned.
 * - Every value is a string except `reachable` and `admin` (Edm.Boolean). The conversation
 *   reference is the Teams adapter's JSON, stored as it is.
 * - A record's version is its ETag, so `savePerson`'s conditions are checked by the service
 *   itself, across every instance of the bot.
 */
export const DEFAULT_PEOPLE_TABLE_NAME = 'People';
export const PERSON_PARTITION = 'person';
export const CONVERSATION_PARTITION = 'conversation';

export const personRowKey = (email: string): string => encodeKeyPart(normaliseEmail(email));
export const conversationRowKey = (conversationId: string): string => encodeKeyPart(conversationId);

/** A string property may hold 64 KiB, stored as UTF-16: 32,768 characters. */
const MAX_STRING_PROPERTY_CHARS = 32 * 1024;

export interface AzurePeopleRepositoryOptions {
  /** Table name; `People` unless given. */
  readonly tableName?: string;
  /** Give up on one request after this long (see AzurePlanRepositoryOptions). Default 10 s. */
  readonly requestTimeoutMs?: number;
}

type StoredEntity = TableEntityResult<Record<string, unknown>>;
type Properties = Record<string, string | boolean>;

/**
 * The PeopleRepository on Azure Table Storage (or Azurite): who installed the bot and where it can
 * post. Errors follow the plan repository: a version mismatch is ActionPlanError('conflict'), a
 * storage that does not answer is ActionPlanError('storage_unavailable').
 */
export class AzurePeopleRepository implements PeopleRepository {
  private tableReady: Promise<void> | undefined;
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

  getByEmail(email: string): Promise<Versioned<Person> | undefined> {
    return storageCall(`read the person ${normaliseEmail(email)}`, async () => {
      const e = await this.getEntity(PERSON_PARTITION, personRowKey(email));
      return e && versioned(personFromEntity(e), e);
    });
  }

  getByAadObjectId(aadObjectId: string): Promise<Versioned<Person> | undefined> {
    return storageCall('look a person up by their Entra ID', async () => {
      const found = await this.query(
        odata`PartitionKey eq ${PERSON_PARTITION} and aadObjectId eq ${aadObjectId}`,
      );
      const people = found.map((e) => versioned(personFromEntity(e), e));
      // Several only after an email change: the newest record is the person as they are now.
      return people.sort((a, b) => cmp(b.value.updatedAt, a.value.updatedAt))[0];
    });
  }

  listPeople(): Promise<Versioned<Person>[]> {
    return storageCall('read the list of people', async () => {
      const found = await this.query(odata`PartitionKey eq ${PERSON_PARTITION}`);
      return found
        .map((e) => versioned(personFromEntity(e), e))
        .sort((a, b) => a.value.email.localeCompare(b.value.email));
    });
  }

  async savePerson(person: Person, expectedVersion?: string | null): Promise<void> {
    const email = normaliseEmail(person.email);
    const entity = {
      partitionKey: PERSON_PARTITION,
      rowKey: personRowKey(email),
      ...checkedSize(`The record of ${email}`, personProperties(person)),
    };
    await storageCall(`save the person ${email}`, async () => {
      await this.ensureTable();
      try {
        if (expectedVersion === undefined) {
          await this.client.upsertEntity(entity, 'Replace', this.requestOptions());
        } else if (expectedVersion === null) {
          await this.client.createEntity(entity, this.requestOptions());
        } else {
          await this.client.updateEntity(entity, 'Replace', {
            etag: expectedVersion,
            ...this.requestOptions(),
          });
        }
      } catch (error) {
        const status = statusOf(error);
        if (status === 409) {
          throw new ActionPlanError(
            'conflict',
            `${email} is already known; read them again and retry.`,
            [],
            { cause: error },
          );
        }
        // 412: a stale version; 404: the record was removed since it was read.
        if (status === 412 || (status === 404 && typeof expectedVersion === 'string')) {
          throw new ActionPlanError(
            'conflict',
            `${email} was changed by someone else; read them again and retry.`,
            [],
            { cause: error },
          );
        }
        throw error;
      }
    });
  }

  removePerson(email: string): Promise<void> {
    return storageCall(`forget the person ${normaliseEmail(email)}`, async () => {
      await this.ensureTable();
      try {
        await this.client.deleteEntity(
          PERSON_PARTITION,
          personRowKey(email),
          this.requestOptions(),
        );
      } catch (error) {
        if (statusOf(error) !== 404) throw error; // already gone is what was asked for
      }
    });
  }

  saveConversation(conversation: InstalledConversation): Promise<void> {
    const entity = {
      partitionKey: CONVERSATION_PARTITION,
      rowKey: conversationRowKey(conversation.conversationId),
      ...checkedSize(
        `The record of conversation ${conversation.conversationId}`,
        conversationProperties(conversation),
      ),
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
    return { abortSignal: AbortSignal.timeout(this.requestTimeoutMs) };
  }
}

// ---- Entity mapping: the only place that knows how a person or conversation is laid out. ----

function personProperties(p: Person): Properties {
  return {
    name: p.name,
    ...optional('aadObjectId', p.aadObjectId),
    ...optional('tenantId', p.tenantId),
    ...optional('teamsUserId', p.teamsUserId),
    ...optional('conversation', p.conversation),
    reachable: p.reachable,
    ...optional('unreachableReason', p.unreachableReason),
    ...(p.admin === undefined ? {} : { admin: p.admin }),
    updatedAt: p.updatedAt,
  };
}

function conversationProperties(c: InstalledConversation): Properties {
  return {
    kind: c.kind,
    ...optional('name', c.name),
    ...optional('teamId', c.teamId),
    ...optional('tenantId', c.tenantId),
    reference: c.reference,
    installedAt: c.installedAt,
  };
}

function checkedSize(label: string, props: Properties): Properties {
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === 'string' && value.length > MAX_STRING_PROPERTY_CHARS) {
      throw new ActionPlanError(
        'invalid_input',
        `${label} is too large to store: its ${name} is ${value.length.toLocaleString('en-GB')} characters long, and the limit is ${MAX_STRING_PROPERTY_CHARS.toLocaleString('en-GB')}.`,
      );
    }
  }
  return props;
}

const optional = (name: string, value: string | undefined): Record<string, string> =>
  value === undefined ? {} : { [name]: value };

function personFromEntity(e: StoredEntity): Person {
  const reachable = e['reachable'];
  if (typeof reachable !== 'boolean') throw corrupt(e, '"reachable" is not true or false');
  const admin = e['admin'];
  if (admin !== undefined && admin !== null && typeof admin !== 'boolean') {
    throw corrupt(e, '"admin" is not true or false');
  }
  const extra: Record<string, string> = {};
  for (const name of [
    'aadObjectId',
    'tenantId',
    'teamsUserId',
    'conversation',
    'unreachableReason',
  ] as const) {
    const value = optionalStr(e, name);
    if (value !== undefined) extra[name] = value;
  }
  return {
    email: decodeKeyPart(rowKeyOf(e)),
    name: str(e, 'name'),
    ...extra,
    reachable,
    ...(typeof admin === 'boolean' ? { admin } : {}),
    updatedAt: str(e, 'updatedAt'),
  };
}

function conversationFromEntity(e: StoredEntity): InstalledConversation {
  const kind = str(e, 'kind');
  if (kind !== 'groupChat' && kind !== 'channel') throw corrupt(e, 'unknown conversation kind');
  const extra: Record<string, string> = {};
  for (const name of ['name', 'teamId', 'tenantId'] as const) {
    const value = optionalStr(e, name);
    if (value !== undefined) extra[name] = value;
  }
  return {
    conversationId: decodeKeyPart(rowKeyOf(e)),
    kind,
    ...extra,
    reference: str(e, 'reference'),
    installedAt: str(e, 'installedAt'),
  };
}

function rowKeyOf(e: StoredEntity): string {
  if (e.rowKey === undefined) throw new Error('A stored entity came back without its RowKey.');
  return e.rowKey;
}

function str(e: StoredEntity, name: string): string {
  const value = e[name];
  if (typeof value !== 'string') throw corrupt(e, `"${name}" is missing`);
  return value;
}

function optionalStr(e: StoredEntity, name: string): string | undefined {
  const value = e[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw corrupt(e, `"${name}" is not text`);
  return value;
}

/** A stored record this code did not write: a bug or a hand edit, never a user's mistake. */
const corrupt = (e: StoredEntity, problem: string): Error =>
  new Error(
    `Stored record ${e.partitionKey ?? '?'}/${e.rowKey ?? '?'} cannot be read: ${problem}.`,
  );

const versioned = <T>(value: T, e: StoredEntity): Versioned<T> => ({ value, version: e.etag });

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
