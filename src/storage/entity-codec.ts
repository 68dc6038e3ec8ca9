import type { TableEntityResult } from '@azure/data-tables';
import type { z } from 'zod';
import { ActionPlanError } from '../domain/errors.js';
import { describeProblem, recordProblems } from '../domain/record-problems.js';

/**
 * How a record is laid out in a table entity, worked out from its schema (the record's one
 * definition, domain/record-fields.ts), both ways, for every table:
 *
 * - text (and a choice of texts, such as a status) is a String property;
 * - true/false is an Edm.Boolean, a number a number;
 * - anything else (a list, a record, the target) is JSON text in a String property;
 * - a field the entity's keys already hold (a plan id in the PartitionKey, a ref in the RowKey)
 *   is not stored again: the adapter reads it from the keys and hands it in;
 * - an absent optional field is an absent property.
 *
 * Reading checks the whole record against its schema: a stored record that fails is reported as
 * corrupt (a bug or a hand edit, never a user's mistake) naming its keys and the field, never
 * guessed at. Properties the schema does not name (a later version's field, the entity's own
 * Timestamp) are left alone. So a new field is one line in its schema, and nothing here.
 */
export interface EntityCodec<T> {
  /** The record's properties (its key fields left out), each checked against the size limit. */
  properties(record: T, label: string): Properties;
  /** The record an entity holds; `fromKeys` are the fields its keys hold. */
  fromEntity(e: StoredEntity, fromKeys?: Partial<T>): T;
}

export type StoredEntity = TableEntityResult<Record<string, unknown>>;
export type Properties = Record<string, string | number | boolean>;

/** A string property may hold 64 KiB, stored as UTF-16: 32,768 characters. */
const MAX_STRING_PROPERTY_CHARS = 32 * 1024;

type Layout = 'text' | 'boolean' | 'number' | 'json';

/** A record schema as domain/record-fields.ts `record()` makes it: a read-only object. */
type RecordSchema = z.ZodReadonly<z.ZodObject>;

export function entityCodec<S extends RecordSchema>(
  schema: S,
  keyFields: readonly (keyof z.infer<S> & string)[] = [],
): EntityCodec<z.infer<S>> {
  const fields = Object.entries(schema.unwrap().shape)
    .filter(([name]) => !(keyFields as readonly string[]).includes(name))
    .map(([name, field]) => ({ name, layout: layoutOf(field as z.ZodType) }));
  return {
    properties(record, label) {
      const props: Properties = {};
      for (const { name, layout } of fields) {
        const value: unknown = (record as Record<string, unknown>)[name];
        if (value === undefined) continue;
        const stored =
          layout === 'json' ? JSON.stringify(value) : (value as string | number | boolean);
        if (typeof stored === 'string' && stored.length > MAX_STRING_PROPERTY_CHARS) {
          throw new ActionPlanError(
            'invalid_input',
            `${label} is too large to store: its ${name} is ${stored.length.toLocaleString('en-GB')} characters long, and the limit is ${MAX_STRING_PROPERTY_CHARS.toLocaleString('en-GB')}.`,
          );
        }
        props[name] = stored;
      }
      return props;
    },
    fromEntity(e, fromKeys = {}) {
      const candidate: Record<string, unknown> = {};
      for (const { name, layout } of fields) {
        const value = e[name];
        if (value === undefined || value === null) continue;
        candidate[name] = layout === 'json' && typeof value === 'string' ? json(e, name) : value;
      }
      return parseStored(schema, { ...candidate, ...fromKeys }, e);
    },
  };
}

/** Checks what an entity holds against its record's schema; corrupt when it does not read. */
export function parseStored<S extends z.ZodType>(
  schema: S,
  candidate: unknown,
  e: StoredEntity,
): z.infer<S> {
  const result = schema.safeParse(candidate, { reportInput: true });
  if (result.success) return result.data;
  throw corrupt(e, recordProblems(result.error).map(describeProblem).join('; '));
}

function json(e: StoredEntity, name: string): unknown {
  try {
    return JSON.parse(e[name] as string);
  } catch {
    throw corrupt(e, `${name} is not JSON`);
  }
}

/** How a field is stored, from what its schema accepts (optional and read-only see through). */
function layoutOf(field: z.ZodType): Layout {
  const def = field.def as { type: string; innerType?: z.ZodType; values?: unknown[] };
  switch (def.type) {
    case 'optional':
    case 'readonly':
    case 'nullable':
      return layoutOf(def.innerType!);
    case 'string':
    case 'enum':
      return 'text';
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'literal': {
      const kinds = new Set(def.values!.map((v) => typeof v));
      if (kinds.size === 1 && kinds.has('boolean')) return 'boolean';
      if (kinds.size === 1 && kinds.has('number')) return 'number';
      if (kinds.size === 1 && kinds.has('string')) return 'text';
      return 'json';
    }
    default:
      return 'json';
  }
}

/** A stored record this code did not write: a bug or a hand edit, never a user's mistake. */
export const corrupt = (e: StoredEntity, problem: string): Error =>
  new Error(
    `Stored record ${e.partitionKey ?? '?'}/${e.rowKey ?? '?'} cannot be read: ${problem}.`,
  );
