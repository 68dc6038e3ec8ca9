import { normaliseEmail, type Versioned } from '../domain/plan.js';
import {
  installedConversationRecord,
  personRecord,
  type InstallAttempt,
  type InstalledConversation,
  type Person,
  type RosterEntry,
} from '../ports/people-repository.js';
import { corrupt, entityCodec, type Properties, type StoredEntity } from './entity-codec.js';
import { PEOPLE_PARTITION } from './people-table-keys.js';
import { decodeKeyPart } from './table-keys.js';

export type { Properties, StoredEntity } from './entity-codec.js';

/**
 * How a person, an index row and a conversation are laid out as People table entities: the only
 * place that knows. A person and a conversation are laid out by their schemas (entity-codec.ts:
 * `reachable` and `admin` are Edm.Boolean, the conversation reference the Teams adapter's JSON as
 * it is, a conversation's id its RowKey). Index rows and tombstones are not records: they are
 * derived from the people (`keys`, `key`, `gone`), written and read here by hand.
 */

export type Entity = { partitionKey: string; rowKey: string } & Properties;

const personCodec = entityCodec(personRecord);
const conversationCodec = entityCodec(installedConversationRecord, ['conversationId']);

export const tombstone = (rowKey: string): Entity => ({
  partitionKey: PEOPLE_PARTITION,
  rowKey,
  gone: true,
});

export const isGone = (e: StoredEntity): boolean => e['gone'] === true;

export function keysOf(e: StoredEntity): string[] {
  if (isGone(e)) return [];
  const text = str(e, 'keys');
  const keys: unknown = JSON.parse(text);
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw corrupt(e, '"keys" is not a list of keys');
  }
  return keys as string[];
}

export const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export function normalised(p: Person): Person {
  const upn = p.upn ? normaliseEmail(p.upn) : undefined;
  const { upn: _upn, ...rest } = p;
  return {
    ...rest,
    email: normaliseEmail(p.email),
    ...(upn && upn !== normaliseEmail(p.email) ? { upn } : {}),
  };
}

/** A person's properties, their size checked (`label` names them in the message). */
export const personProperties = (p: Person, label = `The record of ${p.email}`): Properties =>
  personCodec.properties(p, label);

/** A conversation's properties (its id is its RowKey), their size checked. */
export const conversationProperties = (c: InstalledConversation): Properties =>
  conversationCodec.properties(c, `The record of conversation ${c.conversationId}`);

/** A roster row: the member as their person record described them when it was written. */
export function rosterProperties(r: RosterEntry, personKey: string): Properties {
  const optional = (name: string, value: string | undefined): Record<string, string> =>
    value === undefined ? {} : { [name]: value };
  return {
    key: personKey,
    teamId: r.teamId,
    aadObjectId: r.aadObjectId,
    ...optional('tenantId', r.tenantId),
    email: r.email,
    ...optional('upn', r.upn),
    name: r.name,
    ...optional('teamsUserId', r.teamsUserId),
  };
}

export function rosterEntryFromEntity(e: StoredEntity): RosterEntry {
  const extra: Record<string, string> = {};
  for (const name of ['tenantId', 'upn', 'teamsUserId'] as const) {
    const value = optionalStr(e, name);
    if (value !== undefined) extra[name] = value;
  }
  return {
    teamId: str(e, 'teamId'),
    aadObjectId: str(e, 'aadObjectId'),
    email: str(e, 'email'),
    name: str(e, 'name'),
    ...extra,
  };
}

export const personFromEntity = (e: StoredEntity): Person => personCodec.fromEntity(e);

export function installAttemptProperties(a: InstallAttempt): Properties {
  return {
    address: normaliseEmail(a.address),
    outcome: a.outcome,
    code: a.code,
    reason: a.reason,
    at: a.at,
    ...(a.userId === undefined ? {} : { userId: a.userId }),
  };
}

export function installAttemptFromEntity(e: StoredEntity): InstallAttempt {
  const outcome = str(e, 'outcome');
  if (outcome !== 'installed' && outcome !== 'refused' && outcome !== 'failed') {
    throw corrupt(e, 'unknown install outcome');
  }
  const userId = optionalStr(e, 'userId');
  return {
    address: str(e, 'address'),
    outcome,
    code: str(e, 'code'),
    reason: str(e, 'reason'),
    at: str(e, 'at'),
    ...(userId ? { userId } : {}),
  };
}

/** A record of the scheme before identities: the email was its RowKey. */
export const legacyPersonFromEntity = (e: StoredEntity): Person =>
  personCodec.fromEntity(e, { email: decodeKeyPart(rowKeyOf(e)) });

export const conversationFromEntity = (e: StoredEntity): InstalledConversation =>
  conversationCodec.fromEntity(e, { conversationId: decodeKeyPart(rowKeyOf(e)) });

export function rowKeyOf(e: StoredEntity): string {
  if (e.rowKey === undefined) throw new Error('A stored entity came back without its RowKey.');
  return e.rowKey;
}

export function str(e: StoredEntity, name: string): string {
  const value = e[name];
  if (typeof value !== 'string') throw corrupt(e, `"${name}" is missing`);
  return value;
}

export function optionalStr(e: StoredEntity, name: string): string | undefined {
  const value = e[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw corrupt(e, `"${name}" is not text`);
  return value;
}

export const versioned = <T>(value: T, e: StoredEntity): Versioned<T> => ({
  value,
  version: e.etag,
});
