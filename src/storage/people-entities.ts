import type { TableEntityResult } from '@azure/data-tables';
import { ActionPlanError } from '../domain/errors.js';
import { normaliseEmail, type Versioned } from '../domain/plan.js';
import {
  PERSON_OPTIONAL_TEXTS,
  type InstalledConversation,
  type Person,
} from '../ports/people-repository.js';
import { PEOPLE_PARTITION } from './people-table-keys.js';
import { decodeKeyPart } from './table-keys.js';

/**
 * How a person, an index row and a conversation are laid out as People table entities: the only
 * place that knows. Every value is a string except `reachable`, `admin` and `gone`
 * (Edm.Boolean); the conversation reference is the Teams adapter's JSON, stored as it is.
 */

export type StoredEntity = TableEntityResult<Record<string, unknown>>;
export type Properties = Record<string, string | boolean>;
export type Entity = { partitionKey: string; rowKey: string } & Properties;

/** A string property may hold 64 KiB, stored as UTF-16: 32,768 characters. */
const MAX_STRING_PROPERTY_CHARS = 32 * 1024;

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

export function personProperties(p: Person): Properties {
  return {
    email: p.email,
    ...optional('upn', p.upn),
    name: p.name,
    ...optional('aadObjectId', p.aadObjectId),
    ...optional('tenantId', p.tenantId),
    ...optional('teamsUserId', p.teamsUserId),
    ...optional('conversation', p.conversation),
    reachable: p.reachable,
    ...optional('unreachableReason', p.unreachableReason),
    ...(p.admin === undefined ? {} : { admin: p.admin }),
    ...optional('keptApart', p.keptApart),
    updatedAt: p.updatedAt,
  };
}

export function conversationProperties(c: InstalledConversation): Properties {
  return {
    kind: c.kind,
    ...optional('name', c.name),
    ...optional('teamId', c.teamId),
    ...optional('tenantId', c.tenantId),
    reference: c.reference,
    installedAt: c.installedAt,
  };
}

export function checkedSize(label: string, props: Properties): Properties {
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

export const optional = (name: string, value: string | undefined): Record<string, string> =>
  value === undefined ? {} : { [name]: value };

export function personFromEntity(e: StoredEntity): Person {
  return personOf(e, str(e, 'email'));
}

/** A record of the scheme before identities: the email was its RowKey. */
export const legacyPersonFromEntity = (e: StoredEntity): Person =>
  personOf(e, decodeKeyPart(rowKeyOf(e)));

export function personOf(e: StoredEntity, email: string): Person {
  const reachable = e['reachable'];
  if (typeof reachable !== 'boolean') throw corrupt(e, '"reachable" is not true or false');
  const admin = e['admin'];
  if (admin !== undefined && admin !== null && typeof admin !== 'boolean') {
    throw corrupt(e, '"admin" is not true or false');
  }
  const extra: Record<string, string> = {};
  for (const name of PERSON_OPTIONAL_TEXTS) {
    const value = optionalStr(e, name);
    if (value !== undefined) extra[name] = value;
  }
  return {
    email,
    name: str(e, 'name'),
    ...extra,
    reachable,
    ...(typeof admin === 'boolean' ? { admin } : {}),
    updatedAt: str(e, 'updatedAt'),
  } as Person;
}

export function conversationFromEntity(e: StoredEntity): InstalledConversation {
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

/** A stored record this code did not write: a bug or a hand edit, never a user's mistake. */
export const corrupt = (e: StoredEntity, problem: string): Error =>
  new Error(
    `Stored record ${e.partitionKey ?? '?'}/${e.rowKey ?? '?'} cannot be read: ${problem}.`,
  );

export const versioned = <T>(value: T, e: StoredEntity): Versioned<T> => ({
  value,
  version: e.etag,
});
